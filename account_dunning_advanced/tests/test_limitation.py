# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta
from unittest import SkipTest

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import DunningCommon, d

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
DIGEST_RE = re.compile(r'name="acknowledgement_digest" value="([0-9a-f]+)"')


class LimitationCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.consumer = Partner.create(
            {"name": "Jeanne Martin", "email": "jeanne@example.com"}
        )
        cls.mairie = Partner.create(
            {
                "name": "Mairie de Lyon",
                "is_company": True,
                "dunning_public_buyer": True,
                "email": "compta@mairie.example",
            }
        )

    def _plan(self, moves, count=2, **vals):
        plan = self.env["dunning.payment.plan"].create(
            {
                "company_id": self.company.id,
                "partner_id": moves.commercial_partner_id.id,
                "move_ids": [Command.set(moves.ids)],
                "split_count": count,
                "split_start": d("2025-03-01"),
                **vals,
            }
        )
        plan.action_split()
        return plan

    def _mail_of(self, message):
        return self.env["mail.mail"].search([("mail_message_id", "=", message.id)])


@tagged("post_install", "-at_install")
class TestLimitation(LimitationCommon):
    """Limitation periods per invoice, restarted by acknowledgements."""

    def test_limitation_by_regime(self):
        pro = self._invoice(self.debtor, 1000, "2024-03-15")
        consumer = self._invoice(self.consumer, 200, "2024-03-15")
        public = self._invoice(self.mairie, 300, "2024-03-15")
        self.assertEqual(pro.dunning_limitation_start, d("2024-03-15"))
        self.assertEqual(pro.dunning_limitation_date, d("2029-03-15"), "L110-4: 5y")
        self.assertEqual(consumer.dunning_limitation_date, d("2026-03-15"), "2 years")
        self.assertEqual(
            public.dunning_limitation_date,
            d("2028-12-31"),
            "4 years from the next 1 January (loi 68-1250)",
        )
        # The regime changes: the dates follow.
        self.consumer.vat = "FR23334175221"
        self.assertEqual(consumer.dunning_limitation_date, d("2029-03-15"))
        # A draft invoice or a credit note has no limitation date.
        refund = pro._reverse_moves()
        self.assertFalse(refund.dunning_limitation_date)

    def test_restart_by_part_payment(self):
        invoice = self._invoice(self.debtor, 1000, "2023-01-10")
        other = self._invoice(self.debtor, 500, "2023-06-30")
        self.assertEqual(invoice.dunning_limitation_date, d("2028-01-10"))
        self._pay(invoice, amount=300, on=d("2024-06-01"))
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.dunning_limitation_start, d("2024-06-01"))
        self.assertEqual(invoice.dunning_limitation_date, d("2029-06-01"))
        # A later part payment restarts it again; the other invoice is untouched.
        self._pay(invoice, amount=100, on=d("2024-09-02"))
        self.assertEqual(invoice.dunning_limitation_date, d("2029-09-02"))
        self.assertEqual(other.dunning_limitation_date, d("2028-06-30"))
        # The debtor shows the earliest date of its open invoices.
        self.debtor.invalidate_recordset(["dunning_limitation_date"])
        self.assertEqual(self.debtor.dunning_limitation_date, d("2028-06-30"))

    def test_credit_note_does_not_restart(self):
        invoice = self._invoice(self.debtor, 1000, "2023-01-10")
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": d("2024-05-05")})
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.invoice_line_ids.price_unit = 100
        refund.action_post()  # Reconciled with the invoice.
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.dunning_limitation_date, d("2028-01-10"))

    @freeze_time("2025-02-03 10:00:00")
    def test_restart_by_accepted_plan_and_text(self):
        first = self._invoice(self.consumer, 400, "2024-01-10")
        second = self._invoice(self.consumer, 200, "2024-02-10")
        self.assertEqual(first.dunning_limitation_date, d("2026-01-10"))
        plan = self._plan(first | second)
        # A plan not accepted acknowledges nothing.
        plan.action_start()
        self.assertEqual(first.dunning_limitation_date, d("2026-01-10"))
        with self.assertRaises(UserError):
            plan.action_dunning_accepted()  # How did the debtor accept?
        plan.write(
            {"dunning_accepted_channel": "phone", "dunning_accepted_by": "Jeanne"}
        )
        plan.action_dunning_accepted()
        self.assertEqual(plan.dunning_accepted_date, fields.Datetime.now())
        self.assertEqual(plan.dunning_accepted_user_id, self.env.user)
        self.assertEqual(plan.dunning_accepted_by, "Jeanne")
        for invoice in first | second:
            self.assertEqual(invoice.dunning_limitation_start, d("2025-02-03"))
            self.assertEqual(invoice.dunning_limitation_date, d("2027-02-03"))
        text = plan.dunning_acknowledgement
        self.assertIn("Acceleration clause", text)
        self.assertIn("formal notice", text)
        self.assertIn("o_dunning_penalties_kept", text)
        self.assertNotIn("o_dunning_penalties_waived", text)
        self.assertIn(first.name, text)
        self.assertIn("600.00", text)
        self.assertIn("article 2240", text)
        # A copy of the text goes to the debtor, through the mail queue.
        mails = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.consumer.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("jeanne@example.com", mails.email_to)
        self.assertIn("Acceleration clause", mails.body_html)
        # Accepted once, frozen.
        with self.assertRaises(UserError):
            plan.action_dunning_accepted()
        with self.assertRaises(AccessError):
            plan.dunning_acknowledgement = "<p>Something else</p>"
        with self.assertRaises(AccessError):
            plan.dunning_penalties_waived = True

    @freeze_time("2025-02-03 10:00:00")
    def test_plan_penalties_waived(self):
        invoice = self._invoice(self.debtor, 900, "2024-11-10")
        plan = self._plan(invoice, count=3, dunning_penalties_waived=True)
        plan.dunning_accepted_channel = "email"
        plan.action_dunning_accepted()
        self.assertIn("o_dunning_penalties_waived", plan.dunning_acknowledgement)
        self.assertNotIn("o_dunning_penalties_kept", plan.dunning_acknowledgement)
        self.assertEqual(plan.dunning_accepted_by, self.debtor.name)
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertIn("ap@debtorsa.example", mail.email_to, "the AP contact")

    def test_alert_three_months_before(self):
        invoice = self._invoice(self.debtor, 1000, "2020-05-10")
        paid = self._invoice(self.debtor, 100, "2020-04-10")
        self._pay(paid)
        self.assertEqual(invoice.dunning_limitation_date, d("2025-05-10"))
        Dashboard = self.env["dunning.dashboard"]
        with freeze_time("2025-02-09"):
            self.debtor.invalidate_recordset()
            invoice.invalidate_recordset(["dunning_limitation_soon"])
            self.assertFalse(self.debtor.dunning_limitation_soon)
            self.assertFalse(invoice.dunning_limitation_soon)
            alerts = Dashboard._dunning_alerts(self.company, today=d("2025-02-09"))
            self.assertNotIn(("lapsing", self.debtor), alerts)
        with freeze_time("2025-02-10"):
            self.debtor.invalidate_recordset()
            invoice.invalidate_recordset(["dunning_limitation_soon"])
            self.assertTrue(self.debtor.dunning_limitation_soon)
            self.assertEqual(self.debtor.dunning_limitation_date, d("2025-05-10"))
            self.assertTrue(invoice.dunning_limitation_soon)
            alerts = Dashboard._dunning_alerts(self.company, today=d("2025-02-10"))
            self.assertIn(("lapsing", self.debtor), alerts)
        # Paid, the claim is no longer flagged.
        self._pay(invoice, on=d("2025-02-11"))
        with freeze_time("2025-02-12"):
            self.debtor.invalidate_recordset()
            self.assertFalse(self.debtor.dunning_limitation_soon)
            alerts = Dashboard._dunning_alerts(self.company, today=d("2025-02-12"))
            self.assertNotIn(("lapsing", self.debtor), alerts)


@tagged("post_install", "-at_install")
class TestPromiseConfirmation(LimitationCommon):
    """A promise made by e-mail or on the phone is confirmed in writing."""

    def _promise(self, **vals):
        return self.env["dunning.promise"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.debtor.id,
                "date": fields.Date.today() + timedelta(days=10),
                **vals,
            }
        )

    def test_promise_by_email_confirmed_once(self):
        promise = self._promise(source="email", amount=750.0)
        message = promise.confirmation_message_id
        self.assertTrue(message)
        mail = self._mail_of(message)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.email_to, '"AP Debtor SA" <ap@debtorsa.example>')
        self.assertIn("750.00", mail.body_html)
        self.assertIn("by e-mail", mail.body_html)
        promise._dunning_send_confirmation()
        self.assertEqual(promise.confirmation_message_id, message, "once")
        self.assertEqual(len(self._mails()), 1)

    def test_promise_by_call_confirmed_without_ap_contact(self):
        debtor = self._create_debtor("Solo SARL", with_contacts=False)
        promise = self._promise(source="call", partner_id=debtor.id)
        mail = self._mail_of(promise.confirmation_message_id)
        self.assertEqual(len(mail), 1)
        self.assertIn("contact@solosarl.example", mail.email_to)
        self.assertIn("on the phone", mail.body_html)

    def test_no_confirmation_by_hand_or_to_review(self):
        self.assertFalse(self._promise(source="manual").confirmation_message_id)
        self.company.dunning_promise_max_days = 30
        promise = self._promise(
            source="email", date=fields.Date.today() + timedelta(days=90)
        )
        self.assertEqual(promise.state, "to_review")
        self.assertFalse(promise.confirmation_message_id)
        self.assertFalse(self._mails())
        # Accepted by a collector: confirmed then.
        promise.action_accept()
        self.assertEqual(promise.state, "open")
        self.assertEqual(len(self._mail_of(promise.confirmation_message_id)), 1)


@tagged("post_install", "-at_install")
class TestPlanAcceptancePage(LimitationCommon, HttpCase):
    """A plan accepted on the debtor's page stores the text the debtor saw."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "dunning.payment.token" not in cls.env:
            raise SkipTest("account_dunning_payment is not installed")
        cls.today = fields.Date.today()
        cls.debtor.lang = "en_US"
        cls.inv_1 = cls._invoice(cls.debtor, 1000, cls.today - timedelta(days=30))
        cls.inv_2 = cls._invoice(cls.debtor, 250, cls.today - timedelta(days=10))
        cls.token = cls.env["dunning.payment.token"]._dunning_create_token(
            cls.debtor, cls.company
        )
        cls.company.dunning_plan_max_instalments = 3

    def _post(self, suffix, data):
        page = self.url_open(f"/collections/{self.token}")
        data = dict(data, csrf_token=CSRF_RE.search(page.text).group(1))
        return self.url_open(
            f"/collections/{self.token}{suffix}", data=data, allow_redirects=False
        )

    def _plans(self):
        return self.env["dunning.payment.plan"].search(
            [("partner_id", "=", self.debtor.id)]
        )

    def test_page_acceptance_stores_text_and_channel(self):
        form = {"instalments": "2", "start": str(self.today)}
        proposal = self._post("/plan", form)
        self.assertEqual(proposal.status_code, 200)
        self.assertIn("Acceleration clause", proposal.text)
        self.assertIn("o_dunning_penalties_kept", proposal.text)
        digest = DIGEST_RE.search(proposal.text).group(1)
        self.assertFalse(self._plans(), "nothing recorded before the debtor accepts")
        # A text other than the one shown is refused: nothing is recorded.
        tampered = self._post(
            "/plan", dict(form, confirm="1", acknowledgement_digest="0" * 64)
        )
        self.assertIn("message=error", tampered.headers["Location"])
        self.assertFalse(self._plans())
        response = self._post(
            "/plan", dict(form, confirm="1", acknowledgement_digest=digest)
        )
        self.assertIn("message=plan", response.headers["Location"])
        plan = self._plans()
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.dunning_accepted_channel, "page")
        self.assertEqual(plan.dunning_accepted_by, "Secret link of the payment page")
        self.assertEqual(plan.dunning_accepted_ip, "127.0.0.1")
        self.assertTrue(plan.dunning_accepted_date)
        text = plan.dunning_acknowledgement
        self.assertIn("Acceleration clause", text)
        self.assertIn(self.inv_1.name, text)
        self.assertIn("625.00", text)
        self.assertEqual(
            plan._dunning_text_digest(plan._dunning_acknowledgement_text()), digest
        )
        # An acknowledgement of the debt: the limitation restarts today.
        for invoice in self.inv_1 | self.inv_2:
            self.assertEqual(invoice.dunning_limitation_start, self.today)
        # The debtor gets a copy of the text accepted, at its AP contact.
        copy = self._mails().filtered(lambda m: "Acceleration clause" in m.body_html)
        self.assertEqual(len(copy), 1)
        self.assertIn("ap@debtorsa.example", copy.email_to)
