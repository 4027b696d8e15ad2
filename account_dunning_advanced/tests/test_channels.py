# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import zipfile
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, freeze_time, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestChannels(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ap.mobile = "+33 6 12 34 56 78"
        cls.sms_first = cls.env.ref(
            "account_dunning_advanced.sms_template_dunning_first"
        )
        cls.collector = cls.env["res.users"].create(
            {"name": "Claire Collector", "login": "claire", "email": "claire@x.example"}
        )
        cls.debtor.dunning_collector_id = cls.collector

    # SMS go out inside the sending window only: a Friday, 11:00 in Paris.
    @freeze_time("2026-03-06 10:00:00")
    def test_sms_by_role_with_the_email(self):
        self.lvl_1.write({"channel_sms": True, "sms_template_id": self.sms_first.id})
        self._invoice(self.debtor, 1234.5, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(action.state, "done")
        self.assertEqual(sorted(action.channel_ids.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(action.channel_ids.mapped("state")), {"done"})
        sent = self._send_sms_queue()
        self.assertEqual(len(sent), 1)
        self.assertEqual([n["number"] for n in sent[0]["numbers"]], ["+33612345678"])
        self.assertIn("1,234.50", sent[0]["content"])
        self.assertIn("past due", sent[0]["content"])
        sms_message = self.debtor.message_ids.filtered(
            lambda m: m.message_type == "sms"
        )
        self.assertEqual(len(sms_message), 1, "logged in the debtor's chatter")

    @freeze_time("2026-03-06 10:00:00")
    def test_failed_channel_does_not_hide_the_others(self):
        self.ap.mobile = False
        self.lvl_1.write({"channel_sms": True, "sms_template_id": self.sms_first.id})
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(action.state, "error")
        by_channel = {c.channel: c for c in action.channel_ids}
        self.assertEqual(by_channel["email"].state, "done")
        self.assertEqual(by_channel["sms"].state, "failed")
        self.assertIn("mobile or phone number", by_channel["sms"].error_message)
        self.assertIn("SMS", action.error_message)
        self.assertEqual(len(self._mails()), 1, "the e-mail went out")
        # Fixed: sending again sends the SMS only, not the e-mail a second time.
        self.ap.mobile = "+33 6 00 00 00 01"
        action.action_execute()
        self.assertEqual(action.state, "done")
        self.assertEqual(len(self._mails()), 1)
        self.assertEqual(len(self._send_sms_queue()), 1)

    def test_letter_and_formal_notice(self):
        # The legal mentions are those of the penalties the company charges.
        self.company.dunning_penalty_mode = "legal"
        self.lvl_1.channel_letter = True
        # A formal notice goes out alone only when a manager allows it.
        self.company.dunning_allow_auto_formal_notice = True
        self.lvl_2.write(
            {
                "level_type": "formal_notice",
                "channel_letter": True,
                "payment_deadline_days": 8,
                "auto_execute": True,
            }
        )
        invoice = self._invoice(self.debtor, 1234.56, "2026-03-01")
        run = self._run("2026-03-06")
        action = self._actions()
        letter = action.channel_ids.filtered(lambda c: c.channel == "letter")
        self.assertEqual(letter.state, "done")
        self.assertEqual(letter.attachment_id.res_model, "dunning.action")
        self.assertEqual(letter.attachment_id.res_id, action.id)
        # Tests render reports as HTML: what the PDF would show.
        content = letter.attachment_id.raw.decode()
        self.assertIn(invoice.name, content)
        self.assertIn("Claire Collector", content)
        report = run.with_context(discard_logo_check=True).action_print_letters()
        self.assertEqual(
            report["report_name"], "account_dunning_advanced.report_dunning_letter"
        )
        self.assertEqual(report["context"]["active_ids"], action.ids)
        self._run("2026-03-21")
        notice = self._actions()[-1].channel_ids.filtered(
            lambda c: c.channel == "letter"
        )
        content = notice.attachment_id.raw.decode()
        self.assertIn("FORMAL NOTICE TO PAY", content)
        self.assertIn("L441-10", content)
        self.assertIn("one thousand, two hundred and thirty-four", content)
        self.assertIn(
            "within 8 days of receiving this letter",
            content,
            "deadline: 8 days from the receipt of the notice",
        )

    def test_phone_call_and_promise(self):
        self.lvl_1.write(
            {
                "channel_email": False,
                "channel_phone": True,
                "phone_script": "<p>Ask for the payment date.</p>",
            }
        )
        invoice = self._invoice(self.debtor, 700, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(action.state, "done")
        activity = action.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("Ask for the payment date", activity.note)
        self.assertIn(invoice.name, activity.note)
        self.assertFalse(self._mails(), "no e-mail on a call-only level")
        promised = fields.Date.context_today(action) + timedelta(days=10)
        wizard = Form(
            self.env["dunning.call.outcome"].with_context(default_action_id=action.id)
        )
        wizard.outcome = "promise"
        wizard.promise_date = promised
        wizard.note = "Will pay on the 10th"
        wizard.promise_amount = 700
        wizard.save().action_confirm()
        self.assertFalse(action.activity_ids, "the call is marked done")
        promise = self.debtor.dunning_promise_ids
        self.assertEqual(
            (promise.date, promise.amount, promise.source, promise.state),
            (promised, 700, "call", "open"),
        )
        self.assertEqual(promise.move_ids, invoice)
        self.assertIn("Will pay on the 10th", action.message_ids[0].body)

    def test_call_outcome_dispute_excludes_the_invoice(self):
        self.lvl_1.write({"channel_email": False, "channel_phone": True})
        disputed = self._invoice(self.debtor, 700, "2026-03-01")
        other = self._invoice(self.debtor, 300, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        wizard = Form(
            self.env["dunning.call.outcome"].with_context(default_action_id=action.id)
        )
        wizard.outcome = "dispute"
        wizard.move_ids.add(disputed)
        wizard.reason_id = self.env.ref(
            "account_dunning_advanced.dunning_dispute_reason_quantity"
        )
        wizard.note = "Wrong quantity"
        wizard.save().action_confirm()
        dispute = self.debtor.dunning_dispute_ids
        self.assertEqual((dispute.state, dispute.move_ids), ("open", disputed))
        self._run("2026-03-21")
        second = self._actions().filtered(lambda a: a.date == d("2026-03-21"))
        self.assertEqual(second.line_ids.move_id, other)

    def test_thank_you_once(self):
        thanks = self.env.ref("account_dunning_advanced.mail_template_dunning_thanks")
        self.scenario.thankyou_template_id = thanks
        invoice = self._invoice(self.debtor, 100, "2026-03-01")
        never_reminded = self._invoice(self.debtor, 100, "2026-04-30")
        self._run("2026-03-06")
        self._pay(invoice, on=d("2026-03-08"))
        self._pay(never_reminded, on=d("2026-03-08"))
        self._run("2026-03-09")
        thank_mails = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(thank_mails), 1)
        self.assertIn("thank you for your payment", thank_mails.subject)
        self.assertIn("ap@debtorsa.example", thank_mails.email_to)
        self.assertTrue(invoice.dunning_thanked)
        self.assertFalse(never_reminded.dunning_thanked, "no reminder: no thanks")
        self._run("2026-03-10")
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
            ),
            1,
            "thanked once",
        )

    def test_agency_hand_off_stops_everything(self):
        agency = self.env["res.partner"].create(
            {"name": "Recouvre Express", "is_company": True}
        )
        self.company.dunning_allow_auto_formal_notice = True
        self.lvl_3.write(
            {
                "level_type": "agency",
                "agency_id": agency.id,
                "agency_fee_rate": 25,
                "auto_execute": True,
            }
        )
        invoice = self._invoice(self.debtor, 1000, "2026-01-01")
        for on in ("2026-01-06", "2026-01-21", "2026-02-10"):
            self._run(on)
        self.assertTrue(self.debtor.dunning_litigation)
        self.assertEqual(self.debtor.dunning_agency_id, agency)
        self.assertEqual(self.debtor.dunning_litigation_amount, 1000)
        self.assertEqual(self.debtor.dunning_expected_recovery, 750)
        hand_off = self._actions()[-1]
        zips = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "dunning.action"),
                ("res_id", "=", hand_off.id),
                ("mimetype", "=", "application/zip"),
            ]
        )
        self.assertEqual(len(zips), 1)
        with zipfile.ZipFile(io.BytesIO(zips.raw)) as archive:
            names = archive.namelist()
            history = archive.read("reminders.csv").decode()
        self.assertIn("statement.pdf", names)
        self.assertIn("invoices/%s.pdf" % invoice.name.replace("/", "_"), names)
        self.assertEqual(history.count("\n"), 4, "header and three reminders")
        # Nothing more while in litigation, not even a later level.
        self.lvl_3.level_type = "reminder"
        self.env["dunning.level"].create(
            {
                "scenario_id": self.scenario.id,
                "name": "After",
                "sequence": 99,
                "delay_days": 60,
                "mail_template_id": self.tpl_final.id,
                "to_role_ids": [Command.set(self.role_accounting.ids)],
            }
        )
        self._run("2026-04-30")
        self.assertEqual(len(self._actions()), 3)
        self.debtor.action_dunning_end_litigation()
        self.assertFalse(self.debtor.dunning_litigation)
        self._run("2026-05-01")
        self.assertEqual(len(self._actions()), 4, "the chase starts again")
