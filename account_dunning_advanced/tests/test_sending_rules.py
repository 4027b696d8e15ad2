# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import zipfile
from datetime import date, datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import BaseCase, freeze_time, new_test_user, tagged

from ..engine import sending_window, sms
from ..models.dunning_run import DunningRun
from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestSendingEngine(BaseCase):
    """The plain-Python rules of the SMS and of the sending window."""

    def test_gsm7_parts(self):
        self.assertEqual(sms.gsm7_parts("a" * 160), (True, 1))
        self.assertEqual(sms.gsm7_parts("a" * 161), (True, 2))
        self.assertEqual(sms.gsm7_parts("a" * 306), (True, 2))
        self.assertEqual(sms.gsm7_parts("a" * 307), (True, 3))
        self.assertEqual(sms.gsm7_parts("\u20ac" * 80), (True, 1), "extension: 2")
        self.assertEqual(sms.gsm7_parts("\u20ac" * 81), (True, 2))
        self.assertEqual(sms.gsm7_parts("é è ù à ì ò Ç"), (True, 1))
        self.assertEqual(sms.gsm7_parts("fenêtre"), (False, 1))
        self.assertEqual(sms.gsm7_parts("fenêtre" + "a" * 70), (False, 2))
        self.assertEqual(sms.gsm7_parts("l\u2019échéance"), (False, 1))
        self.assertEqual(sms.gsm7_parts("1\u202f234,56\u00a0€"), (False, 1))
        self.assertEqual(
            sms.gsm7_clean("1\u202f234,56\u00a0€ l\u2019échéance"),
            "1 234,56 € l'échéance",
        )
        self.assertEqual(
            sms.gsm7_parts(sms.gsm7_clean("1\u202f234,56\u00a0€")), (True, 1)
        )

    def test_french_public_holidays(self):
        holidays = sending_window.french_public_holidays(2026)
        self.assertIn(date(2026, 4, 6), holidays, "Easter Monday")
        self.assertIn(date(2026, 5, 14), holidays, "Ascension")
        self.assertIn(date(2026, 5, 25), holidays, "Whit Monday")
        self.assertIn(date(2026, 7, 14), holidays)
        self.assertEqual(len(holidays), 11)
        self.assertNotIn(date(2026, 4, 5), holidays, "Easter Sunday: a Sunday")


@tagged("post_install", "-at_install")
class TestSendingRules(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ap.mobile = "+33 6 12 34 56 78"
        cls.collector = cls.env["res.users"].create(
            {"name": "Claire Collector", "login": "claire", "email": "claire@x.example"}
        )
        cls.debtor.dunning_collector_id = cls.collector
        cls.tpl_notice = cls.env.ref(
            "account_dunning_advanced.mail_template_dunning_formal_notice"
        )
        cls.sms_first = cls.env.ref(
            "account_dunning_advanced.sms_template_dunning_first"
        )
        cls.agency = cls.env["res.partner"].create(
            {"name": "Recouvre Express", "is_company": True}
        )

    def _formal_notice_on_level_2(self, **vals):
        self.company.dunning_allow_auto_formal_notice = True
        self.lvl_2.write(
            {
                "level_type": "formal_notice",
                "mail_template_id": self.tpl_notice.id,
                "auto_execute": True,
                **vals,
            }
        )

    # ------------------------------------------------------------------
    # 1. The formal notice: letter attached, deadline from receipt
    # ------------------------------------------------------------------
    def test_formal_notice_email_carries_the_letter(self):
        self._formal_notice_on_level_2(channel_letter=True)
        self._invoice(self.debtor, 1234.56, "2026-03-01")
        self._run("2026-03-06")
        self._run("2026-03-21")
        notice = self._actions()[-1]
        self.assertEqual(notice.level_id, self.lvl_2)
        self.assertEqual(notice.state, "done")
        mail = self._mails()[-1]
        pdf = mail.attachment_ids.filtered(lambda a: a.name.startswith("Formal notice"))
        self.assertEqual(len(pdf), 1, "the formal notice letter is attached")
        self.assertEqual(pdf.mimetype, "application/pdf")
        # Tests render reports as HTML: the text the PDF shows.
        self.assertIn("FORMAL NOTICE TO PAY", pdf.raw.decode())
        self.assertIn("within 8 days of receiving this letter", pdf.raw.decode())
        self.assertIn("formal notice letter is attached", mail.body_html)
        self.assertIn("8 days of receiving this formal notice", mail.body_html)
        # Rendered once: the posted letter is the very PDF e-mailed.
        letter = notice.channel_ids.filtered(lambda c: c.channel == "letter")
        self.assertEqual(letter.attachment_id, pdf)

    def test_formal_notice_deadline_at_least_8_days(self):
        self.assertEqual(self.lvl_2.payment_deadline_days, 8, "default")
        with self.assertRaisesRegex(ValidationError, "at least 8 days"):
            self.lvl_2.write(
                {"level_type": "formal_notice", "payment_deadline_days": 7}
            )
        self.lvl_2.write({"level_type": "formal_notice", "payment_deadline_days": 15})
        # A reminder has no legal deadline.
        self.lvl_1.payment_deadline_days = 3

    # ------------------------------------------------------------------
    # 2. Formal notices and hand-offs wait for a collector
    # ------------------------------------------------------------------
    def test_formal_notice_and_hand_off_wait_for_validation(self):
        self.assertFalse(
            self.company.dunning_allow_auto_formal_notice, "off by default"
        )
        # Whatever the scenario says: the level waits.
        self.lvl_2.level_type = "formal_notice"
        self.assertFalse(self.lvl_2.auto_execute)
        scenario = self._create_scenario(
            "Hard",
            [("Notice", 10, self.tpl_notice, {"level_type": "formal_notice"})],
        )
        self.assertFalse(scenario.level_ids.auto_execute, "created waiting")
        with self.assertRaisesRegex(ValidationError, "collections manager"):
            self.lvl_2.auto_execute = True
        # A collections user may neither allow it nor tick it.
        user = new_test_user(
            self.env,
            login="collector_user",
            groups="account.group_account_invoice,"
            "account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.company.with_user(user).write(
                {"dunning_allow_auto_formal_notice": True}
            )
        self.company.dunning_allow_auto_formal_notice = True
        with self.assertRaisesRegex(ValidationError, "collections manager"):
            self.lvl_2.with_user(user).sudo(False).write({"auto_execute": True})
        self.lvl_2.auto_execute = True
        # Switched off again: the run leaves the formal notice to validate.
        self.company.dunning_allow_auto_formal_notice = False
        self._invoice(self.debtor, 500, "2026-03-01")
        self._run("2026-03-06")
        self._run("2026-03-21")
        notice = self._actions()[-1]
        self.assertEqual(notice.level_id, self.lvl_2)
        self.assertEqual(notice.state, "draft", "waits for a collector")
        notice.action_execute()
        self.assertEqual(notice.state, "done")

    # ------------------------------------------------------------------
    # 3. The collection file for the agency
    # ------------------------------------------------------------------
    def _zip(self, attachment):
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def test_agency_file_contents(self):
        self.company.invoice_terms = (
            "<p>Payment at 30 days. Penalties: 3x legal rate.</p>"
        )
        self._formal_notice_on_level_2()
        self.lvl_3.write(
            {"level_type": "agency", "agency_id": self.agency.id, "auto_execute": True}
        )
        invoice = self._invoice(self.debtor, 1000, "2026-01-01")
        disputed = self._invoice(self.debtor, 300, "2026-01-15")
        penalty = self._invoice(self.debtor, 40, "2026-01-20")
        penalty.dunning_is_penalty = True
        self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [Command.set(disputed.ids)],
                "reason_id": self.env.ref(
                    "account_dunning_advanced.dunning_dispute_reason_price"
                ).id,
            }
        )
        for on in ("2026-01-06", "2026-01-21", "2026-02-10"):
            self._run(on)
        hand_off = self._actions()[-1]
        self.assertEqual(hand_off.level_id, self.lvl_3)
        self.assertTrue(self.debtor.dunning_litigation)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "dunning.action"),
                ("res_id", "=", hand_off.id),
                ("mimetype", "=", "application/zip"),
            ]
        )
        files = self._zip(attachment)
        slug = lambda move: "invoices/%s.pdf" % move.name.replace("/", "_")  # noqa: E731
        self.assertIn(slug(invoice), files)
        self.assertNotIn(slug(disputed), files, "disputed: stays with us")
        self.assertNotIn(slug(penalty), files, "penalty invoice: not chosen")
        self.assertIn("Payment at 30 days", files["terms_of_sale.txt"].decode())
        self.assertIn("formal_notice.pdf", files)
        self.assertIn("FORMAL NOTICE TO PAY", files["formal_notice.pdf"].decode())
        # Chosen: on the level, or by hand.
        self.lvl_3.write(
            {"agency_include_disputed": True, "agency_include_penalty_invoices": True}
        )
        files = self._zip(self.debtor._dunning_collection_file(self.company, hand_off))
        self.assertIn(slug(disputed), files)
        self.assertIn(slug(penalty), files)
        files = self._zip(
            self.debtor.with_context(
                dunning_include_disputed=True
            )._dunning_collection_file(self.company)
        )
        self.assertIn(slug(disputed), files)
        self.assertNotIn(slug(penalty), files)

    # ------------------------------------------------------------------
    # 4. The daily job signs with the collector, never with OdooBot
    # ------------------------------------------------------------------
    def _cron_as_odoobot(self):
        root = self.env.ref("base.user_root")
        with patch.object(DunningRun, "_commit", lambda run: None):
            self.env["dunning.run"].with_user(root)._cron_run()

    @freeze_time("2026-03-06 10:00:00")
    def test_daily_job_signs_with_the_collector(self):
        self._invoice(self.debtor, 100, "2026-03-01")
        other = self._create_debtor("Nobody Follows SA")
        self._invoice(other, 100, "2026-03-01")
        self._cron_as_odoobot()
        odoobot = self.env.ref("base.partner_root")
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.collector.partner_id)
        self.assertIn("Claire Collector", mail.body_html)
        self.assertNotIn("OdooBot", mail.body_html)
        self.assertIn("credit@mycompany.example", mail.email_from)
        # Nobody follows the debtor: the company signs.
        mail = self._mails(other)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.company.partner_id)
        self.assertNotEqual(mail.author_id, odoobot)
        self.assertNotIn("OdooBot", mail.body_html)
        self.assertNotIn("System", mail.body_html)
        self.assertIn("credit@mycompany.example", mail.email_from)

    # ------------------------------------------------------------------
    # 5. The thank-you e-mail
    # ------------------------------------------------------------------
    def _thank_mail(self, move):
        return self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", move.id)]
        )

    def test_thanks_shows_the_amount_paid(self):
        self.scenario.thankyou_template_id = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_thanks"
        )
        invoice = self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-06")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.debtor.id,
                "invoice_date": d("2026-03-07"),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Discount",
                            "quantity": 1,
                            "price_unit": 250,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self._pay(invoice, on=d("2026-03-08"))
        self.assertEqual(invoice.payment_state, "paid")
        self._run("2026-03-09")
        mail = self._thank_mail(invoice)
        self.assertEqual(len(mail), 1)
        self.assertIn("750.00", mail.body_html, "what the debtor paid")
        self.assertNotIn("1,000.00", mail.body_html)
        self.assertIn("This invoice is settled", mail.body_html)

    def test_thanks_when_penalties_remain(self):
        self.company.write(
            {"dunning_indemnity_enabled": True, "dunning_indemnity_amount": 40.0}
        )
        self.company.dunning_indemnity_currency_id = self.company.currency_id
        self.scenario.thankyou_template_id = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_thanks"
        )
        invoice = self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-06")
        self._pay(invoice, on=d("2026-03-08"))
        self._run("2026-03-09")
        mail = self._thank_mail(invoice)
        self.assertEqual(len(mail), 1)
        self.assertIn("1,000.00", mail.body_html)
        self.assertIn("40.00", mail.body_html)
        self.assertIn("remain due", mail.body_html)
        self.assertNotIn("is settled", mail.body_html)

    # ------------------------------------------------------------------
    # 6. SMS in GSM 7-bit
    # ------------------------------------------------------------------
    def test_sms_templates_are_gsm7(self):
        templates = self.env["sms.template"].search([("model", "=", "dunning.action")])
        self.assertGreaterEqual(len(templates), 4)
        for template in templates:
            self.assertTrue(template.dunning_gsm7, template.name)
            self.assertEqual(template.dunning_sms_parts, 1, template.name)
        # The French texts too, as a French database loads them.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "account_dunning_advanced")]
        )._update_translations(["fr_FR"], overwrite=True)
        for template in templates.with_context(lang="fr_FR"):
            self.assertIn(" : ", template.body, "translated")
            self.assertEqual(template.dunning_non_gsm7 or "", "", template.body)
            self.assertTrue(template.dunning_gsm7, template.body)
        other = self.env["sms.template"].create(
            {
                "name": "Not ours",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "x",
            }
        )
        self.assertEqual(other.dunning_sms_parts, 0)
        self.sms_first.body = "{{ object.company_id.name }}: vous êtes en retard"
        self.assertFalse(self.sms_first.dunning_gsm7)
        self.assertIn("ê", self.sms_first.dunning_non_gsm7)

    # ------------------------------------------------------------------
    # 7. The sending window
    # ------------------------------------------------------------------
    def test_next_opening(self):
        action = self.env["dunning.action"].new({"company_id": self.company.id})
        cases = [
            # (UTC now, UTC next opening) - Paris is UTC+1 in winter, +2 in summer
            ("2026-03-07 10:00", "2026-03-09 08:00"),  # Saturday -> Monday 9:00
            ("2026-07-14 09:00", "2026-07-15 07:00"),  # 14 July, a Tuesday
            ("2026-05-14 10:00", "2026-05-15 07:00"),  # Ascension Thursday
            ("2026-03-10 17:30", "2026-03-11 08:00"),  # 18:30 -> next morning
            ("2026-03-10 06:00", "2026-03-10 08:00"),  # 7:00 -> 9:00 the same day
            ("2026-03-10 10:00", "2026-03-10 10:00"),  # open: now
        ]
        for now, expected in cases:
            self.assertEqual(
                action._dunning_next_opening(datetime.fromisoformat(now)),
                datetime.fromisoformat(expected),
                now,
            )
        self.company.write(
            {
                "dunning_send_tz": "America/New_York",
                "dunning_send_hour_start": 8.5,
                "dunning_send_hour_end": 17.0,
            }
        )
        self.assertEqual(
            action._dunning_next_opening(datetime(2026, 3, 10, 22, 0)),
            datetime(2026, 3, 11, 12, 30),
        )
        with self.assertRaises(ValidationError):
            self.company.dunning_send_hour_end = 7.0

    def test_sms_waits_for_the_window(self):
        self.lvl_1.write(
            {
                "channel_sms": True,
                "sms_template_id": self.sms_first.id,
                "channel_phone": True,
            }
        )
        self._invoice(self.debtor, 1234.5, "2026-03-01")
        with freeze_time("2026-03-07 10:00:00"):  # a Saturday
            self._run("2026-03-07")
        action = self._actions()
        channels = {c.channel: c for c in action.channel_ids}
        self.assertEqual(channels["email"].state, "done", "e-mails go out anytime")
        self.assertEqual(channels["sms"].state, "todo")
        self.assertEqual(channels["sms"].scheduled_at, datetime(2026, 3, 9, 8, 0))
        self.assertEqual(self._send_sms_queue(), [], "nothing sent on Saturday")
        call = channels["phone"].activity_id
        self.assertEqual(call.date_deadline, d("2026-03-09"), "call due on Monday")
        with freeze_time("2026-03-08 20:00:00"):
            self.env["dunning.action.channel"]._cron_send_scheduled()
        self.assertEqual(channels["sms"].state, "todo", "Sunday: still waits")
        with freeze_time("2026-03-09 08:05:00"):
            self.env["dunning.action.channel"]._cron_send_scheduled()
        self.assertEqual(channels["sms"].state, "done")
        sent = self._send_sms_queue()
        self.assertEqual(len(sent), 1)
        self.assertIn("1,234.50", sent[0]["content"])
        self.assertTrue(sms.gsm7_parts(sent[0]["content"])[0], "sent in GSM 7-bit")

    def test_sms_waiting_cancelled_when_paid(self):
        self.lvl_1.write({"channel_sms": True, "sms_template_id": self.sms_first.id})
        invoice = self._invoice(self.debtor, 100, "2026-03-01")
        with freeze_time("2026-03-06 19:00:00"):  # Friday 20:00 in Paris
            self._run("2026-03-06")
        channel = self._actions().channel_ids.filtered(lambda c: c.channel == "sms")
        self.assertEqual(channel.scheduled_at, datetime(2026, 3, 9, 8, 0))
        self._pay(invoice, on=d("2026-03-07"))
        with freeze_time("2026-03-09 09:00:00"):
            self.env["dunning.action.channel"]._cron_send_scheduled()
        self.assertEqual(channel.state, "cancel")
        self.assertEqual(self._send_sms_queue(), [])
