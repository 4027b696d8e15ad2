# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ACCESS_TOKEN_RE = re.compile(r'data-access-token="([^"]+)"')


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
    # Online payment, through the routes (the provider's side simulated by
    # the demo provider's own notification route)
    # ------------------------------------------------------------------
    def _pay_step(self, invoices, **extra):
        data = [("invoice_ids", str(move.id)) for move in invoices]
        data += list(extra.items())
        data.append(("csrf_token", CSRF_RE.search(self.url_open(self._url()).text)[1]))
        return self.url_open(self._url("/pay"), data=data, allow_redirects=False)

    def _transaction(self, provider, invoices, amount, access_token):
        ids_key = "-".join(str(i) for i in sorted(invoices.ids))
        return self.make_jsonrpc_request(
            self._url(f"/transaction/{ids_key}"),
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/",
                "is_validation": False,
                "access_token": access_token,
            },
        )

    def _simulate_done(self, reference):
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )

    def test_partial_payment_of_one_invoice(self):
        provider = self._demo_provider()
        # Not allowed: a smaller amount is refused.
        refused = self._pay_step(self.inv_late_1, partial_amount="400")
        self.assertIn("message=error", refused.headers["Location"])
        self.company.dunning_payment_allow_partial = True
        for label, invoices, amount in (
            ("two invoices", self.inv_late_1 | self.inv_late_2, "400"),
            ("more than due", self.inv_late_1, "1000.01"),
            ("nothing", self.inv_late_1, "0"),
            ("not a number", self.inv_late_1, "lots"),
        ):
            with self.subTest(label):
                response = self._pay_step(invoices, partial_amount=amount)
                self.assertIn("message=error", response.headers["Location"])
        step = self._pay_step(self.inv_late_1, partial_amount="400")
        self.assertEqual(step.status_code, 200)
        self.assertIn("o_collections_partial", step.text)
        self.assertRegex(
            step.text, r'o_collections_pay_amount"[^>]*>[^<]*<span[^>]*>400\.00'
        )
        access_token = ACCESS_TOKEN_RE.search(step.text)[1]
        # The access token signs 400: the full amount is refused with it.
        with self.assertRaises(JsonRpcException):
            self._transaction(provider, self.inv_late_1, 1000.0, access_token)
        values = self._transaction(provider, self.inv_late_1, 400.0, access_token)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self.assertEqual(tx.amount, 400.0)
        self.assertEqual(tx.invoice_ids, self.inv_late_1)
        self._simulate_done(tx.reference)
        tx._post_process()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.inv_late_1.payment_state, "partial")
        self.assertAlmostEqual(self.inv_late_1.amount_residual, 600.0)
        # The page shows what is left.
        page = self.url_open(self._url()).text
        self.assertIn("600.00", page)

    def test_online_payment_updates_the_chase_and_shows_a_receipt(self):
        provider = self._demo_provider()
        self._run(str(self.today), execute=False)
        pending = self._actions().filtered(lambda a: a.state == "draft")
        self.assertTrue(pending)
        invoices = self.inv_late_1 | self.inv_late_2
        self.assertTrue(invoices <= pending.line_ids.move_id)
        step = self._pay_step(invoices)
        access_token = ACCESS_TOKEN_RE.search(step.text)[1]
        values = self._transaction(provider, invoices, 1250.0, access_token)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self.assertTrue(tx.landing_route.endswith(f"reference={tx.reference}"))
        self._simulate_done(tx.reference)
        tx._post_process()
        # The reminders about to go out for the paid invoices are cancelled.
        self.assertEqual(set(pending.mapped("state")), {"cancel"})
        self.assertIn("Paid online", pending[0].note)
        # Back on the page: the receipt.
        page = self.url_open(tx.landing_route).text
        self.assertIn("o_collections_receipt", page)
        self.assertIn(tx.reference, page)
        self.assertRegex(
            page, r"o_collections_receipt_amount[^>]*>[^<]*<span[^>]*>1,250\.00"
        )
        self.assertIn(self.inv_late_1.name, page)
        self.assertIn("your payment was received", page)
        # Another debtor's page never shows it.
        other = self._create_debtor("Other Debtor")
        other_token = self.env["dunning.payment.token"]._dunning_create_token(
            other, self.company
        )
        other_page = self.url_open(
            f"/collections/{other_token}?message=paid&reference={tx.reference}"
        ).text
        self.assertNotIn("o_collections_receipt", other_page)
        self.assertNotIn(tx.reference, other_page)

    def test_replayed_transaction(self):
        provider = self._demo_provider()
        step = self._pay_step(self.inv_late_2)
        access_token = ACCESS_TOKEN_RE.search(step.text)[1]
        values = self._transaction(provider, self.inv_late_2, 250.0, access_token)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self._simulate_done(tx.reference)
        tx._post_process()
        self.assertIn(self.inv_late_2.payment_state, ("in_payment", "paid"))
        payment = tx.payment_id
        self.assertTrue(payment)
        # The provider's notification comes again: nothing more is booked.
        self._simulate_done(tx.reference)
        tx._post_process()
        self.assertEqual(tx.payment_id, payment)
        self.assertEqual(
            self.env["account.payment"].search_count(
                [("payment_transaction_id", "=", tx.id)]
            ),
            1,
        )
        # The same transaction request sent again: the invoice is paid, refused.
        with self.assertRaises(JsonRpcException):
            self._transaction(provider, self.inv_late_2, 250.0, access_token)
        self.assertEqual(
            self.env["payment.transaction"].search_count(
                [("invoice_ids", "in", self.inv_late_2.ids)]
            ),
            1,
        )
        # And the payment step of the paid invoice too.
        again = self._pay_step(self.inv_late_2)
        self.assertIn("message=error", again.headers["Location"])

    # ------------------------------------------------------------------
    # Dispute, in a browser
    # ------------------------------------------------------------------
    def test_tour_file_a_dispute(self):
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        self.assertTrue(reason)
        self.start_tour(self._url(), "account_dunning_payment_dispute", timeout=90)
        dispute = self.env["dunning.dispute"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.move_ids, self.inv_late_2)
        self.assertIn("The goods arrived broken", dispute.description)
        self.assertEqual(dispute.state, "open")
        # The disputed invoice is no longer chased; the other one is.
        self._run(str(self.today))
        chased = self._actions().line_ids.move_id
        self.assertNotIn(self.inv_late_2, chased)
        self.assertIn(self.inv_late_1, chased)

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------
    def _plans(self):
        return self.env["dunning.payment.plan"].search(
            [("partner_id", "=", self.debtor.id)]
        )

    def test_plan_within_limits_starts(self):
        self.company.dunning_plan_max_instalments = 3
        response = self._post(
            "/plan", {"confirm": "1", "instalments": "3", "start": str(self.today)}
        )
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
        again = self._post("/plan", {"confirm": "1", "instalments": "2"})
        self.assertIn("message=error", again.headers["Location"])
        self.assertEqual(len(self._plans()), 1)

    def test_plan_proposal_first(self):
        self.company.dunning_plan_max_instalments = 3
        response = self._post(
            "/plan",
            {"instalments": "2", "period": "weekly", "start": str(self.today)},
        )
        self.assertEqual(response.status_code, 200)
        text = response.text
        # The instalments, nothing recorded yet.
        self.assertIn("o_collections_schedule", text)
        self.assertEqual(text.count("625.00"), 2)
        self.assertIn("o_collections_plan_accepted", text)
        self.assertIn('name="confirm" value="1"', text)
        self.assertFalse(self._plans())
        # Beyond the limits, the proposal says it will be reviewed.
        text = self._post("/plan", {"instalments": "12"}).text
        self.assertIn("o_collections_plan_review", text)
        self.assertFalse(self._plans())

    def test_plan_beyond_limits_is_a_draft(self):
        self.company.dunning_plan_max_instalments = 3
        self.company.dunning_plan_max_months = 6
        response = self._post(
            "/plan", {"confirm": "1", "instalments": "6", "note": "Hard times"}
        )
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
        response = self._post(
            "/plan", {"confirm": "1", "instalments": "2", "start": str(late_start)}
        )
        self.assertIn("message=plan_request", response.headers["Location"])
        self.assertEqual(self._plans()[0].state, "draft")

    def test_weekly_plan_with_down_payment(self):
        self.company.dunning_plan_max_instalments = 4
        self.company.dunning_plan_max_months = 2
        response = self._post(
            "/plan",
            {
                "confirm": "1",
                "instalments": "4",
                "period": "weekly",
                "down_payment": "250",
                "start": str(self.today),
            },
        )
        self.assertIn("message=plan", response.headers["Location"])
        plan = self._plans()
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.split_period, "weekly")
        self.assertAlmostEqual(plan.down_payment, 250.0)
        lines = plan.line_ids.sorted("date")
        self.assertEqual(len(lines), 5)
        self.assertTrue(lines[0].is_down_payment)
        self.assertAlmostEqual(lines[0].amount, 250.0)
        self.assertAlmostEqual(sum(lines[1:].mapped("amount")), 1000.0)
        self.assertEqual(lines[-1].date, self.today + timedelta(weeks=4))
        self.assertIn("weekly", self.debtor.message_ids[0].body)

    def test_plan_down_payment_is_checked(self):
        for data in (
            {"instalments": "2", "down_payment": "-5"},
            {"instalments": "2", "down_payment": "1250"},
            {"instalments": "2", "down_payment": "abc"},
            {"instalments": "2", "period": "daily"},
        ):
            with self.subTest(data=data):
                response = self._post("/plan", data)
                self.assertIn("message=error", response.headers["Location"])
        self.assertFalse(self._plans())

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
        no_csrf = self._post("/plan", {"confirm": "1", "instalments": "2"}, csrf=False)
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

    def test_page_says_proceedings(self):
        """The debtor under insolvency proceedings reads on the page that the
        debts prior to the judgment are settled through the representative."""
        sentence = "court-appointed representative"
        self.assertNotIn(sentence, self.url_open(self._url()).text)
        self.env["dunning.proceeding"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "kind": "receivership",
                "judgment_date": self.today - timedelta(days=5),
            }
        ).action_confirm()
        page = self.url_open(self._url()).text
        self.assertIn("o_collections_proceedings", page)
        self.assertIn(sentence, page)
