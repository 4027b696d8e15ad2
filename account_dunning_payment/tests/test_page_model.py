# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of the debtor's page, called on the models without HTTP."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

from ..models.dunning_payment_page_request import DunningQuotaReached

# The page's date where the calendar matters (days late, totals).
TODAY = date(2026, 3, 16)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestPageModel(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.inv_late_1 = cls._invoice(cls.debtor, 1000, cls.today - timedelta(days=30))
        cls.inv_late_2 = cls._invoice(cls.debtor, 250, cls.today - timedelta(days=10))
        cls.inv_not_due = cls._invoice(cls.debtor, 400, cls.today + timedelta(days=20))
        cls.other = cls._create_debtor("Other Debtor")
        cls.inv_other = cls._invoice(cls.other, 777, cls.today - timedelta(days=30))
        Token = cls.env["dunning.payment.token"]
        cls.token = Token._dunning_find(
            Token._dunning_create_token(cls.debtor, cls.company)
        )
        cls.reason = cls.env["dunning.dispute.reason"].search([], limit=1)
        cls.Request = cls.env["dunning.payment.page.request"]

    def _requests(self, kind):
        return self.Request.search_count(
            [("kind", "=", kind), ("partner_id", "=", self.debtor.id)]
        )

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------
    def test_page_values_with_a_partial_payment_and_a_credit_note(self):
        debtor = self._create_debtor("Fixed Debtor")
        late = self._invoice(
            debtor, 1000, date(2026, 2, 14), invoice_date=date(2026, 1, 15)
        )
        not_due = self._invoice(
            debtor, 400, date(2026, 4, 15), invoice_date=date(2026, 3, 1)
        )
        self._pay(late, amount=400, on=date(2026, 3, 1))
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": debtor.id,
                "invoice_date": date(2026, 3, 5),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Discount",
                            "quantity": 1,
                            "price_unit": 150,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()

        values = debtor._dunning_page_values(self.company, TODAY)

        self.assertEqual([row["move"] for row in values["rows"]], [late, not_due])
        first, second = values["rows"]
        self.assertEqual(first["days_late"], 30)
        self.assertTrue(first["overdue"])
        self.assertAlmostEqual(first["residual"], 600.0)
        self.assertEqual(second["days_late"], 0)
        self.assertFalse(second["overdue"])
        self.assertAlmostEqual(second["residual"], 400.0)
        self.assertEqual(values["refunds"], refund)
        self.assertAlmostEqual(values["total_due"], 850.0)
        self.assertAlmostEqual(values["total_overdue"], 600.0)
        self.assertEqual(values["partner"], debtor)
        self.assertEqual(values["currency"], self.company.currency_id)
        self.assertEqual(values["today"], TODAY)
        self.assertIn(self.reason, values["reasons"])
        self.assertIn("pdf", values["dispute_file_types"])
        # Another debtor's invoices never show.
        self.assertNotIn(self.inv_other, [row["move"] for row in values["rows"]])

    def test_transfer_values(self):
        self.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": self.company.partner_id.id,
            }
        )
        values = self.debtor._dunning_transfer_values(self.company, self.inv_late_1)
        self.assertEqual(values["iban"].replace(" ", ""), "FR7630006000011234567890189")
        self.assertAlmostEqual(values["amount"], 1000.0)
        self.assertEqual(
            values["reference"],
            self.inv_late_1.payment_reference or self.inv_late_1.name,
        )
        # Not in euros: no SEPA QR code.
        self.assertFalse(values["qr_code"])
        both = self.debtor._dunning_transfer_values(
            self.company, self.inv_late_1 | self.inv_late_2
        )
        self.assertEqual(both["reference"], f"CUST/{self.debtor.id}")
        self.assertAlmostEqual(both["amount"], 1250.0)

    def test_selection_and_amount(self):
        partner, company = self.debtor, self.company
        invoices = partner._dunning_selected_invoices(
            company, [str(self.inv_late_1.id), str(self.inv_late_2.id)]
        )
        self.assertEqual(invoices, self.inv_late_1 | self.inv_late_2)
        for ids in ([self.inv_other.id], ["abc"], [2**31], []):
            with self.subTest(ids=ids), self.assertRaises(ValidationError):
                partner._dunning_selected_invoices(company, ids)
        self.assertAlmostEqual(
            partner._dunning_payment_amount(company, invoices), 1250.0
        )
        with self.assertRaisesRegex(ValidationError, "Invalid amount"):
            partner._dunning_payment_amount(company, invoices, "1e309")
        company.dunning_payment_allow_partial = True
        self.assertAlmostEqual(
            partner._dunning_payment_amount(company, self.inv_late_1, "300"), 300.0
        )
        # Part of several invoices, or more than owed: refused.
        for amount, moves in (("300", invoices), ("1001", self.inv_late_1)):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                partner._dunning_payment_amount(company, moves, amount)
        with self.assertRaisesRegex(ValidationError, "changed"):
            partner._dunning_check_total(invoices, "1000", 1250.0)
        selection = partner._dunning_payment_selection(
            company, [self.inv_late_1.id], requested="300", shown_total="1000"
        )
        self.assertEqual(selection["invoices"], self.inv_late_1)
        self.assertAlmostEqual(selection["total"], 1000.0)
        self.assertAlmostEqual(selection["amount"], 300.0)
        self.assertTrue(selection["allow_partial"])
        with self.assertRaisesRegex(ValidationError, "changed"):
            partner._dunning_payment_selection(
                company, [self.inv_late_1.id], shown_total="999"
            )
        self.assertFalse(partner._dunning_receipt(company, "x" * 101))

    # ------------------------------------------------------------------
    # Requests of the debtor
    # ------------------------------------------------------------------
    def test_promise_from_portal(self):
        Promise = self.env["dunning.promise"]
        promise = Promise._dunning_promise_from_portal(
            self.debtor,
            self.company,
            self.today + timedelta(days=10),
            note="Next week",
            token=self.token,
            today=self.today,
        )
        self.assertEqual(promise.partner_id, self.debtor)
        self.assertEqual(promise.source, "portal")
        self.assertEqual(promise.move_ids, self.inv_late_1 | self.inv_late_2)
        self.assertEqual(promise.note, "Next week")
        self.assertIn("Promise to pay", self.debtor.message_ids[0].body)
        self.assertEqual(self._requests("promise"), 1)
        # A date in the past or beyond a year: refused, nothing recorded.
        for promised in (self.today - timedelta(days=1), self.today + timedelta(400)):
            with self.subTest(date=promised), self.assertRaises(ValidationError):
                Promise._dunning_promise_from_portal(
                    self.debtor, self.company, promised, today=self.today
                )
        # The daily limit of the link.
        self.company.dunning_page_max_promises = 1
        with self.assertRaises(DunningQuotaReached):
            Promise._dunning_promise_from_portal(
                self.debtor,
                self.company,
                self.today + timedelta(days=5),
                token=self.token,
                today=self.today,
            )
        self.assertEqual(Promise.search_count([("partner_id", "=", self.debtor.id)]), 1)

    def test_dispute_from_portal(self):
        Dispute = self.env["dunning.dispute"]
        dispute, refused = Dispute._dunning_dispute_from_portal(
            self.debtor,
            self.company,
            str(self.inv_late_1.id),
            self.reason.id,
            message="Not delivered",
            files=[("proof.pdf", PDF), ("tool.exe", PDF)],
            token=self.token,
        )
        self.assertEqual(dispute.partner_id, self.debtor)
        self.assertEqual(dispute.move_ids, self.inv_late_1)
        self.assertEqual(dispute.reason_id, self.reason)
        self.assertFalse(dispute.user_id)
        self.assertIn("Not delivered", dispute.description)
        self.assertEqual(
            dispute.message_ids.attachment_ids.mapped("name"), ["proof.pdf"]
        )
        self.assertEqual(refused, ["tool.exe"])
        self.assertEqual(self._requests("dispute"), 1)
        # Another debtor's invoice, a reason not offered: refused.
        for invoice_id, reason_id in (
            (self.inv_other.id, self.reason.id),
            (self.inv_late_2.id, None),
            (self.inv_late_2.id, 2**31 - 1),
        ):
            with self.subTest(invoice=invoice_id, reason=reason_id):
                with self.assertRaises(ValidationError):
                    Dispute._dunning_dispute_from_portal(
                        self.debtor, self.company, invoice_id, reason_id
                    )
        self.assertEqual(Dispute.search_count([("partner_id", "=", self.debtor.id)]), 1)

    def test_copy_from_portal(self):
        Incoming = self.env["dunning.incoming"]
        incoming = Incoming._dunning_copy_from_portal(
            self.debtor, self.company, invoice_id=self.inv_late_1.id, note="Lost it"
        )
        self.assertEqual(incoming.partner_id, self.debtor)
        self.assertEqual(incoming.message_class, "copy_request")
        self.assertEqual(incoming.sender_check, "page")
        self.assertEqual(incoming.move_ids, self.inv_late_1)
        self.assertIn("Lost it", incoming.body)
        self.assertIn(self.inv_late_1.name, incoming.subject)
        every = Incoming._dunning_copy_from_portal(self.debtor, self.company)
        self.assertFalse(every.move_ids)
        self.assertIn("every open invoice", every.subject)
        with self.assertRaises(ValidationError):
            Incoming._dunning_copy_from_portal(
                self.debtor, self.company, invoice_id=self.inv_other.id
            )
        # Without a link (under /my), counted per debtor.
        self.company.dunning_page_max_copies = 2
        with self.assertRaises(DunningQuotaReached):
            Incoming._dunning_copy_from_portal(self.debtor, self.company)
        self.assertEqual(
            Incoming.search_count(
                [
                    ("partner_id", "=", self.debtor.id),
                    ("message_class", "=", "copy_request"),
                ]
            ),
            2,
        )

    # ------------------------------------------------------------------
    # Payment plans
    # ------------------------------------------------------------------
    def _plans(self):
        return self.env["dunning.payment.plan"].search(
            [("partner_id", "=", self.debtor.id)]
        )

    def test_plan_limits(self):
        Plan = self.env["dunning.payment.plan"]
        self.company.dunning_plan_max_instalments = 3
        self.company.dunning_plan_max_months = 6
        within = Plan._dunning_plan_within_limits
        self.assertTrue(within(self.company, 3, TODAY, TODAY, "monthly"))
        self.assertFalse(within(self.company, 4, TODAY, TODAY, "monthly"))
        # The last instalment beyond six months.
        late = TODAY + relativedelta(months=6)
        self.assertFalse(within(self.company, 2, late, TODAY, "monthly"))
        # With a down payment, the instalments begin a period later.
        self.assertEqual(
            Plan._dunning_plan_last_date(TODAY, 3, "weekly", down_payment=True),
            TODAY + timedelta(weeks=3),
        )
        for count, start, period, down_payment in (
            (0, self.today, "monthly", 0.0),
            (61, self.today, "monthly", 0.0),
            (2, self.today, "daily", 0.0),
            (2, self.today - timedelta(days=1), "monthly", 0.0),
            (2, self.today + timedelta(days=400), "monthly", 0.0),
            (2, self.today, "monthly", -5.0),
        ):
            with self.subTest(count=count, start=start, period=period):
                with self.assertRaises(ValidationError):
                    Plan._dunning_plan_proposal_from_portal(
                        self.debtor,
                        self.company,
                        count,
                        start,
                        period,
                        down_payment=down_payment,
                        today=self.today,
                    )
        # A down payment of the whole debt.
        with self.assertRaises(UserError):
            Plan._dunning_plan_from_portal(
                self.debtor,
                self.company,
                2,
                self.today,
                "monthly",
                down_payment=1250.0,
                today=self.today,
            )
        self.assertFalse(self._plans())

    def test_plan_from_portal(self):
        Plan = self.env["dunning.payment.plan"]
        self.company.dunning_plan_max_instalments = 3
        proposal = Plan._dunning_plan_proposal_from_portal(
            self.debtor, self.company, 2, self.today, "monthly", today=self.today
        )
        self.assertEqual(proposal["invoices"], self.inv_late_1 | self.inv_late_2)
        self.assertEqual(
            [line["amount"] for line in proposal["schedule"]], [625.0, 625.0]
        )
        self.assertTrue(proposal["within_limits"])
        self.assertTrue(proposal["acknowledgement"])
        self.assertFalse(self._plans())
        # A text other than the one shown: refused.
        with self.assertRaises(UserError):
            Plan._dunning_plan_from_portal(
                self.debtor,
                self.company,
                2,
                self.today,
                "monthly",
                today=self.today,
                shown_digest="tampered",
            )
        plan = Plan._dunning_plan_from_portal(
            self.debtor,
            self.company,
            2,
            self.today,
            "monthly",
            note="Hard times",
            today=self.today,
            ip="192.0.2.1",
            shown_digest=proposal["acknowledgement_digest"],
        )
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.note, "Hard times")
        self.assertEqual(len(plan.line_ids), 2)
        self.assertTrue(plan.dunning_accepted_date)
        self.assertEqual(plan.dunning_accepted_channel, "page")
        self.assertIn(plan.name, self.debtor.message_ids[0].body)
        # The same invoices cannot be planned twice.
        with self.assertRaises(ValidationError):
            Plan._dunning_plan_from_portal(
                self.debtor, self.company, 2, self.today, "monthly", today=self.today
            )
        plan.action_cancel()
        # Beyond the limits: a draft to review.
        draft = Plan._dunning_plan_from_portal(
            self.debtor, self.company, 12, self.today, "monthly", today=self.today
        )
        self.assertEqual(draft.state, "draft")
        self.assertIn("beyond the company's limits", draft.message_ids[0].body)

    def test_proceedings_flag(self):
        """The page knows the debtor is under insolvency proceedings once they
        are confirmed (the sentence itself: test_page_flows)."""
        values = self.debtor._dunning_page_values(self.company, TODAY)
        self.assertFalse(values["in_proceedings"])
        proceeding = self.env["dunning.proceeding"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "kind": "receivership",
                "judgment_date": date(2026, 3, 1),
            }
        )
        values = self.debtor._dunning_page_values(self.company, TODAY)
        self.assertFalse(values["in_proceedings"], "to confirm: not opened yet")
        proceeding.action_confirm()
        values = self.debtor._dunning_page_values(self.company, TODAY)
        self.assertTrue(values["in_proceedings"])
        # Another debtor of the same company is not concerned.
        self.assertFalse(
            self.other._dunning_page_values(self.company, TODAY)["in_proceedings"]
        )
