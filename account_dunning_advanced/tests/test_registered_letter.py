# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestRegisteredLetter(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_allow_auto_formal_notice = True
        cls.lvl_2.write(
            {
                "level_type": "formal_notice",
                "channel_registered_letter": True,
                "payment_deadline_days": 8,
                "auto_execute": True,
            }
        )
        cls._invoice(cls.debtor, 1000, "2026-03-01")

    def _notice(self):
        self._run("2026-03-06")
        self._run("2026-03-21")
        notice = self._actions(level_id=self.lvl_2.id)
        self.assertEqual(notice.state, "done")
        return notice

    def test_deadline_counts_from_the_acknowledgement(self):
        notice = self._notice()
        channel = notice.channel_ids.filtered(
            lambda c: c.channel == "registered_letter"
        )
        self.assertEqual(channel.state, "done")
        self.assertIn("FORMAL NOTICE TO PAY", channel.attachment_id.raw.decode())
        letter = notice.registered_letter_ids
        self.assertEqual(letter.state, "to_post")
        self.assertFalse(notice.payment_deadline, "no deadline before the receipt")
        with self.assertRaises(UserError):
            letter.action_dunning_posted()
        letter.write(
            {"tracking_number": "1A 123 456 7890 1", "posting_date": d("2026-03-21")}
        )
        letter.action_dunning_posted()
        self.assertEqual(letter.state, "posted")
        self.assertFalse(notice.payment_deadline)
        # Received four days after the posting: 8 days from that day.
        self.env["dunning.registered.letter.receipt"].create(
            {
                "letter_id": letter.id,
                "outcome": "received",
                "date": d("2026-03-25"),
                "proof": base64.b64encode(b"%PDF-1.4 scan of the receipt"),
                "proof_name": "AR 1A1234567890.pdf",
            }
        ).action_confirm()
        self.assertEqual(letter.state, "received")
        self.assertEqual(letter.acknowledgement_date, d("2026-03-25"))
        self.assertEqual(letter.payment_deadline, d("2026-04-02"))
        self.assertEqual(notice.payment_deadline, d("2026-04-02"))
        # The proof is attached to the action, and shown in its chatter.
        proof = letter.proof_attachment_id
        self.assertEqual((proof.res_model, proof.res_id), ("dunning.action", notice.id))
        self.assertEqual(proof.raw, b"%PDF-1.4 scan of the receipt")
        self.assertIn(proof, notice.message_ids.attachment_ids)

    def test_not_claimed_counts_from_the_first_presentation(self):
        letter = self._notice().registered_letter_ids
        letter._dunning_record_posting("1A 999", d("2026-03-21"))
        letter._dunning_record_receipt("not_claimed", d("2026-03-23"))
        self.assertEqual(letter.state, "not_claimed")
        self.assertFalse(letter.acknowledgement_date)
        self.assertEqual(letter.payment_deadline, d("2026-03-31"))

    def test_returned_letter_gives_no_deadline(self):
        letter = self._notice().registered_letter_ids
        with self.assertRaises(UserError, msg="not posted yet"):
            letter._dunning_record_receipt("received", d("2026-03-23"))
        letter._dunning_record_posting("1A 998", d("2026-03-21"))
        letter._dunning_record_receipt("returned", False)
        self.assertEqual(letter.state, "returned")
        self.assertFalse(letter.payment_deadline)

    def test_cockpit_lists_notices_awaiting_acknowledgement(self):
        letter = self._notice().registered_letter_ids
        Alerts = self.env["dunning.dashboard"]
        Letter = self.env["dunning.registered.letter"]

        def pending():
            return [
                partner
                for kind, partner in Alerts._dunning_alerts(
                    self.company, today=d("2026-03-28")
                )
                if kind == "receipt_pending"
            ]

        self.assertEqual(pending(), [], "not posted yet: nothing to wait for")
        letter._dunning_record_posting("1A 997", d("2026-03-21"))
        self.assertEqual(pending(), [self.debtor])
        self.assertEqual(
            Letter.search(Letter._dunning_awaiting_domain(self.company)), letter
        )
        letter._dunning_record_receipt("received", d("2026-03-24"))
        self.assertEqual(pending(), [])
        self.assertFalse(Letter.search(Letter._dunning_awaiting_domain(self.company)))


@tagged("post_install", "-at_install")
class TestRegisteredLetterNextLevel(DunningCommon):
    """The level after a formal notice sent by registered letter counts from
    its receipt: the debtor is put on notice when he receives it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dunning_allow_auto_formal_notice = True
        (cls.lvl_1 | cls.lvl_2 | cls.lvl_3).write({"min_interval_days": 0})
        cls.lvl_2.write(
            {
                "level_type": "formal_notice",
                "channel_registered_letter": True,
                "payment_deadline_days": 8,
                "auto_execute": True,
            }
        )
        # Due on 10 February: first reminder on 15 February (delay 5), formal
        # notice on 2 March (delay 20), final one 20 days after the notice.
        cls._invoice(cls.debtor, 1000, "2026-02-10")

    def _posted_notice(self):
        self._run("2026-02-15")
        self._run("2026-03-02")
        notice = self._actions(level_id=self.lvl_2.id)
        self.assertEqual((notice.state, notice.date), ("done", d("2026-03-02")))
        letter = notice.registered_letter_ids
        letter._dunning_record_posting("1A 100", d("2026-03-02"))
        return letter

    def _final(self):
        return self._actions(level_id=self.lvl_3.id)

    def test_next_level_counts_from_the_acknowledgement(self):
        letter = self._posted_notice()
        letter._dunning_record_receipt("received", d("2026-03-09"))
        # 20 days after the notice's date: too early, it was received on 9 March.
        self._run("2026-03-22")
        self._run("2026-03-28")
        self.assertFalse(self._final())
        self._run("2026-03-29")
        self.assertEqual(self._final().date, d("2026-03-29"))

    def test_next_level_counts_from_the_first_presentation(self):
        letter = self._posted_notice()
        letter._dunning_record_receipt("not_claimed", d("2026-03-05"))
        self._run("2026-03-24")
        self.assertFalse(self._final())
        self._run("2026-03-25")
        self.assertEqual(self._final().date, d("2026-03-25"))

    def test_next_level_waits_for_the_receipt(self):
        letter = self._posted_notice()
        self._run("2026-03-22")
        self._run("2026-04-30")
        self.assertFalse(self._final(), "posted, not received: the notice waits")
        self.assertEqual(letter.state, "posted")
        # Received late: the final level counts from that day.
        letter._dunning_record_receipt("received", d("2026-05-04"))
        self._run("2026-05-23")
        self.assertFalse(self._final())
        self._run("2026-05-24")
        self.assertTrue(self._final())


@tagged("post_install", "-at_install")
class TestRegisteredLetterWithLetter(DunningCommon):
    def test_letter_and_registered_letter_render_one_pdf(self):
        self.company.dunning_allow_auto_formal_notice = True
        self.lvl_1.write(
            {
                "level_type": "formal_notice",
                "channel_letter": True,
                "channel_registered_letter": True,
                "payment_deadline_days": 8,
                "auto_execute": True,
            }
        )
        self._invoice(self.debtor, 1000, "2026-03-01")
        Report = self.env.registry["ir.actions.report"]
        # Every PDF render goes through _pre_render_qweb_pdf (one report call
        # for the letters of a batch, split per action).
        render = Report._pre_render_qweb_pdf
        rendered = []

        def count_render(report_self, report_ref, res_ids=None, data=None):
            rendered.append(report_ref)
            return render(report_self, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", count_render):
            self._run("2026-03-06")
        notice = self._actions(level_id=self.lvl_1.id)
        channels = notice.channel_ids.filtered(
            lambda c: c.channel in ("letter", "registered_letter")
        )
        self.assertEqual(channels.mapped("state"), ["done", "done"])
        self.assertEqual(len(channels.attachment_id), 1, "one letter for both")
        self.assertIn("FORMAL NOTICE TO PAY", channels.attachment_id.raw.decode())
        self.assertEqual(len(rendered), 1, "the letter is rendered once")
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "dunning.action"), ("res_id", "=", notice.id)]
            ),
            1,
        )
        self.assertEqual(notice.registered_letter_ids.state, "to_post")
