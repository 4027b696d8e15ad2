# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon, d

REPORT = "report.account_dunning_advanced.report_dunning_payment_terms"


@tagged("post_install", "-at_install")
class TestPaymentTermsReport(DunningCommon):
    """The D441-6 table on a hand-computed ledger at a past closing date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"fiscalyear_last_day": 31, "fiscalyear_last_month": "12"})
        other = cls._create_debtor("Other SAS")
        # Closing 2025-12-31. Invoices without tax (amount = turnover).
        cls.not_due = cls._invoice(cls.debtor, 100.0, "2026-01-15", d("2025-12-15"))
        cls.late_10 = cls._invoice(cls.debtor, 200.0, "2025-12-21", d("2025-11-21"))
        cls.late_45 = cls._invoice(other, 300.0, "2025-11-16", d("2025-10-16"))
        cls.late_75 = cls._invoice(other, 400.0, "2025-10-17", d("2025-09-17"))
        cls.late_120 = cls._invoice(cls.debtor, 500.0, "2025-09-02", d("2025-08-02"))
        # Paid in part before the closing: 250 open of 500.
        cls.partly = cls._invoice(other, 500.0, "2025-09-02", d("2025-08-02"))
        cls._pay(cls.partly, 250.0, d("2025-12-01"))
        # Paid after the closing: still open that day.
        cls.paid_after = cls._invoice(cls.debtor, 600.0, "2025-12-01", d("2025-11-01"))
        cls._pay(cls.paid_after, on=d("2026-01-10"))
        # Paid before the closing: not in the table.
        cls.paid = cls._invoice(cls.debtor, 700.0, "2025-11-01", d("2025-10-01"))
        cls._pay(cls.paid, on=d("2025-12-15"))
        # Disputed: listed apart.
        cls.disputed = cls._invoice(other, 800.0, "2025-10-01", d("2025-09-01"))
        cls.env["dunning.dispute"].create(
            {
                "partner_id": other.id,
                "company_id": cls.company.id,
                "move_ids": [(6, 0, cls.disputed.ids)],
                "reason_id": cls.env["dunning.dispute.reason"].search([], limit=1).id,
            }
        )
        # Issued after the closing: not in the table, nor in its turnover.
        cls._invoice(cls.debtor, 900.0, "2026-02-28", d("2026-01-28"))
        # Previous year: not in the year's turnover (paid, not in the table).
        prev = cls._invoice(cls.debtor, 1000.0, "2024-12-31", d("2024-12-01"))
        cls._pay(prev, on=d("2024-12-31"))

    @classmethod
    def _bill(cls, partner, amount, due, invoice_date, move_type="in_invoice"):
        """Create and post a vendor bill (or refund) without tax."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Supplies",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_table_at_past_closing(self):
        table = self.env[REPORT]._get_table(self.company, d("2025-12-31"))
        rows = table["rows"]
        # Turnover 2025: 100+200+300+400+500+500+600+700+800 = 4100.
        self.assertEqual(table["turnover"], 4100.0)
        self.assertEqual(
            (rows["not_due"]["count"], rows["not_due"]["amount"]), (1, 100.0)
        )
        self.assertEqual((rows["1_30"]["count"], rows["1_30"]["amount"]), (2, 800.0))
        self.assertEqual((rows["31_60"]["count"], rows["31_60"]["amount"]), (1, 300.0))
        self.assertEqual((rows["61_90"]["count"], rows["61_90"]["amount"]), (1, 400.0))
        self.assertEqual(
            (rows["90_plus"]["count"], rows["90_plus"]["amount"]), (2, 750.0)
        )
        total = table["total"]
        self.assertEqual((total["count"], total["amount"]), (6, 2250.0))
        self.assertEqual(total["share"], round(100 * 2250 / 4100, 2))
        self.assertEqual(rows["31_60"]["share"], round(100 * 300 / 4100, 2))
        excluded = table["excluded"]
        self.assertEqual((excluded["count"], excluded["amount"]), (1, 800.0))
        self.assertEqual(excluded["invoices"][0][0], self.disputed)

    def test_today_differs_from_closing(self):
        # The same ledger read on 2026-01-31: the invoice paid on 01-10 is gone.
        table = self.env[REPORT]._get_table(self.company, d("2026-01-31"))
        invoices_late = table["total"]["count"]
        self.assertEqual(invoices_late, 6)  # 100 now late, 600 paid
        self.assertEqual(table["total"]["amount"], 2250.0 - 600.0 + 100.0)

    def test_exports(self):
        xlsx = self.env[REPORT]._get_xlsx(self.company, d("2025-12-31"))
        self.assertTrue(xlsx.startswith(b"PK"))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning_advanced.action_report_dunning_payment_terms",
            self.company.ids,
            data={"company_id": self.company.id, "date": "2025-12-31"},
        )[0]
        self.assertIn(b"2,250.00", html)
        self.assertIn(self.disputed.name.encode(), html)

    def test_supplier_side(self):
        """The invoices received and not paid, against the purchases."""
        supplier = self.env["res.partner"].create({"name": "Supplier SARL"})
        self._bill(supplier, 1000.0, d("2025-12-11"), d("2025-11-11"))  # 20 days
        self._bill(supplier, 3000.0, d("2025-09-02"), d("2025-08-02"))  # 120 days
        self._bill(supplier, 500.0, d("2026-01-20"), d("2025-12-20"))  # not due
        paid = self._bill(supplier, 1500.0, d("2025-11-30"), d("2025-10-30"))
        self._pay(paid, on=d("2025-12-05"))
        self._bill(supplier, 1000.0, d("2025-11-30"), d("2025-11-30"), "in_refund")
        table = self.env[REPORT]._get_table(self.company, d("2025-12-31"), "supplier")
        rows = table["rows"]
        # Purchases 2025: 1000 + 3000 + 500 + 1500 - 1000 (refund) = 5000.
        self.assertEqual(table["turnover"], 5000.0)
        self.assertEqual((rows["1_30"]["count"], rows["1_30"]["amount"]), (1, 1000.0))
        self.assertEqual(
            (rows["90_plus"]["count"], rows["90_plus"]["amount"]), (1, 3000.0)
        )
        self.assertEqual(
            (rows["not_due"]["count"], rows["not_due"]["amount"]), (1, 500.0)
        )
        self.assertEqual(
            (table["total"]["count"], table["total"]["amount"]), (2, 4000.0)
        )
        self.assertEqual(table["total"]["share"], 80.0)
        # The customers' table does not see the bills.
        customers = self.env[REPORT]._get_table(self.company, d("2025-12-31"))
        self.assertEqual(customers["total"]["amount"], 2250.0)
        # Printed after the customers' table when asked.
        html = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning_advanced.action_report_dunning_payment_terms",
            self.company.ids,
            data={"company_id": self.company.id, "date": "2025-12-31", "supplier": 1},
        )[0]
        self.assertIn(b"Invoices received and not paid", html)
        self.assertIn(b"4,000.00", html)
        csv = self.env[REPORT]._get_csv(self.company, d("2025-12-31"), supplier=True)
        self.assertIn("4000.0", csv.decode("utf-8-sig"))

    def test_csv_same_rows(self):
        text = (
            self.env[REPORT]._get_csv(self.company, d("2025-12-31")).decode("utf-8-sig")
        )
        lines = text.splitlines()
        self.assertIn("D441-6", lines[0])
        amounts = next(line for line in lines if line.startswith("Total amount"))
        # 5 buckets then the total of the late ones.
        self.assertEqual(
            amounts.split(";")[1:],
            ["100.0", "800.0", "300.0", "400.0", "750.0", "2250.0"],
        )
        self.assertIn(self.disputed.name, text)
        self.assertNotIn("Invoices received", text)

    def test_queries_do_not_grow(self):
        """The table's queries do not depend on the number of invoices."""
        Report = self.env[REPORT]

        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Report._get_table(self.company, d("2025-12-31"))
            return self.env.cr.sql_log_count - before

        count()  # warm the caches (translations, fiscal year)
        few = count()
        for index in range(8):
            self._invoice(
                self._create_debtor(f"Debtor {index}", with_contacts=False),
                100.0,
                "2025-11-15",
                d("2025-10-15"),
            )
        self.env.flush_all()
        self.assertEqual(
            Report._get_table(self.company, d("2025-12-31"))["total"]["count"], 14
        )
        self.assertEqual(count(), few)
