# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
