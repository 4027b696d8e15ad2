# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCollectionsFlows(DunningCommon, HttpCase):
    """End to end: pay online, ask for a plan, pay by transfer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.debtor.lang = "en_US"
        cls.inv_late_1 = cls._invoice(cls.debtor, 1000, cls.today - timedelta(days=30))
        cls.inv_late_2 = cls._invoice(cls.debtor, 250, cls.today - timedelta(days=10))
        cls.inv_not_due = cls._invoice(cls.debtor, 400, cls.today + timedelta(days=20))
        cls.token = cls.env["dunning.payment.token"]._dunning_create_token(
            cls.debtor, cls.company
        )

    def _url(self, suffix="", token=None):
        return f"/collections/{token or self.token}{suffix}"

    def _post(self, suffix, data, csrf=True):
        data = dict(data)
        if csrf:
            page = self.url_open(self._url())
            data["csrf_token"] = CSRF_RE.search(page.text).group(1)
        return self.url_open(self._url(suffix), data=data, allow_redirects=False)

    # ------------------------------------------------------------------
    # Online payment, in a browser
    # ------------------------------------------------------------------
    def _demo_provider(self):
        demo = self.env.ref("payment.payment_provider_demo").sudo()
        method = self.env.ref("payment_demo.payment_method_demo").sudo()
        method.active = True
        return demo.copy(
            {
                "name": "Demo (collections)",
                "company_id": self.company.id,
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )

    def test_tour_pay_two_overdue_invoices(self):
        provider = self._demo_provider()
        invoices = self.inv_late_1 | self.inv_late_2
        # A public visitor: no login.
        self.start_tour(self._url(), "account_dunning_payment_pay", timeout=90)
        tx = self.env["payment.transaction"].search(
            [("invoice_ids", "in", invoices.ids)]
        )
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.provider_id, provider)
        self.assertEqual(tx.invoice_ids, invoices)
        self.assertEqual(tx.state, "done")
        if not tx.is_post_processed:
            tx._post_process()
        invoices.invalidate_recordset()
        for invoice in invoices:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            self.assertTrue(receivable)
            self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertIn(self.inv_not_due.payment_state, ("not_paid", "partial"))
        # The next day's run does not chase the paid invoices.
        self._run(str(self.today + timedelta(days=1)))
        actions = self._actions()
        self.assertFalse(actions.line_ids.move_id & invoices)

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------
    def _plans(self):
        return self.env["dunning.payment.plan"].search(
            [("partner_id", "=", self.debtor.id)]
        )

    def test_plan_within_limits_starts(self):
        self.company.dunning_plan_max_instalments = 3
        response = self._post("/plan", {"instalments": "3", "start": str(self.today)})
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=plan", response.headers["Location"])
        self.assertNotIn("plan_request", response.headers["Location"])
        plan = self._plans()
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.move_ids, self.inv_late_1 | self.inv_late_2)
        self.assertEqual(plan.split_count, 3)
        self.assertEqual(plan.split_period, "monthly")
        self.assertEqual(len(plan.line_ids), 3)
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), 1250.0)
        self.assertEqual(
            plan.line_ids.sorted("date")[-1].date, self.today + relativedelta(months=2)
        )
        self.assertIn(plan.name, self.debtor.message_ids[0].body)
        # The page says so.
        page = self.url_open(response.headers["Location"])
        self.assertIn("your payment plan is in place", page.text)
        # The same invoices cannot be planned twice.
        again = self._post("/plan", {"instalments": "2"})
        self.assertIn("message=error", again.headers["Location"])
        self.assertEqual(len(self._plans()), 1)

    def test_plan_beyond_limits_is_a_draft(self):
        self.company.dunning_plan_max_instalments = 3
        self.company.dunning_plan_max_months = 6
        response = self._post("/plan", {"instalments": "6", "note": "Hard times"})
        self.assertIn("message=plan_request", response.headers["Location"])
        plan = self._plans()
        self.assertEqual(plan.state, "draft")
        self.assertEqual(len(plan.line_ids), 6)
        self.assertEqual(plan.note, "Hard times")
        self.assertIn("beyond the company's limits", self.debtor.message_ids[0].body)
        self.assertIn("beyond the company's limits", plan.message_ids[0].body)
        plan.action_cancel()
        # Two instalments only, but the last one too far away.
        late_start = self.today + relativedelta(months=6)
        response = self._post("/plan", {"instalments": "2", "start": str(late_start)})
        self.assertIn("message=plan_request", response.headers["Location"])
        self.assertEqual(self._plans()[0].state, "draft")

    def test_plan_requests_are_checked(self):
        for data in (
            {"instalments": "0"},
            {"instalments": "abc"},
            {"instalments": "1000"},
            {"instalments": "2", "start": "2000-01-01"},
        ):
            with self.subTest(data=data):
                response = self._post("/plan", data)
                self.assertIn("message=error", response.headers["Location"])
        self.assertFalse(self._plans())
        no_csrf = self._post("/plan", {"instalments": "2"}, csrf=False)
        self.assertEqual(no_csrf.status_code, 400)
        bad_token = self.url_open(
            "/collections/" + "z" * 43 + "/plan", data={"instalments": "2"}
        )
        self.assertIn(bad_token.status_code, (400, 404))
        self.assertFalse(self._plans())

    # ------------------------------------------------------------------
    # Bank transfer
    # ------------------------------------------------------------------
    def test_transfer_block_with_sepa_qr_code(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company = self.setup_other_company(name="EU Co", currency_id=eur.id)["company"]
        self.assertEqual(company.currency_id, eur)
        bank = self.env["res.bank"].create({"name": "Belfius", "bic": "GKCCBEBB"})
        account = self.env["res.partner.bank"].create(
            {
                "acc_number": "BE71096123456769",
                "partner_id": company.partner_id.id,
                "bank_id": bank.id,
            }
        )
        due = self.today - timedelta(days=15)
        invoice = self._invoice(self.debtor, 500, due, company=company)
        token = self.env["dunning.payment.token"]._dunning_create_token(
            self.debtor, company
        )
        text = self.url_open(self._url(token=token)).text
        self.assertIn("o_collections_transfer", text)
        self.assertIn(account.acc_number, text)
        self.assertIn("GKCCBEBB", text)
        self.assertIn(invoice.payment_reference or invoice.name, text)
        self.assertRegex(
            text, r'class="o_collections_qr"[^>]*src="data:image/png;base64,'
        )
        # Two overdue invoices: the debtor's reference.
        self._invoice(self.debtor, 100, due, company=company)
        text = self.url_open(self._url(token=token)).text
        self.assertIn(f"CUST/{self.debtor.id}", text)
        self.assertIn("o_collections_qr", text)

    def test_transfer_block_without_sepa_account(self):
        # The test company works in another currency: no SEPA QR code.
        self.assertNotEqual(self.company.currency_id, self.env.ref("base.EUR"))
        text = self.url_open(self._url()).text
        self.assertNotIn("o_collections_qr", text)
