# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL

from .common import DunningCommon, d

#: The closed month ends the tests look at (the report covers July 2025 on).
ENDS = ("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31")
TODAY = "2026-06-17"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestMonthEndStore(DunningCommon):
    """The month-end figures stored by the nightly job: the same figures as
    the live definition, read by the month by month report and the cockpit,
    dropped when a change dated in a stored month arrives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._create_debtor("Other SA")
        with freeze_time(TODAY):
            # Debtor SA: 1000 sold in March, due on its last day, paid 400 in
            # April and 600 in June; 250 sold in December, due mid-January,
            # never paid (more than 90 days late at the end of April).
            cls.march = cls._invoice(
                cls.debtor, 1000, d("2026-03-31"), invoice_date=d("2026-03-01")
            )
            cls._pay(cls.march, amount=400, on=d("2026-04-10"))
            cls._pay(cls.march, amount=600, on=d("2026-06-05"))
            cls.december = cls._invoice(
                cls.debtor, 250, d("2026-01-15"), invoice_date=d("2025-12-15")
            )
            # Other SA: 500 sold in May, due at its end.
            cls.may = cls._invoice(
                cls.other, 500, d("2026-05-31"), invoice_date=d("2026-05-01")
            )
        cls.MonthEnd = cls.env["dunning.month.end"]
        cls.Month = cls.env["dunning.receivable.month"]
        cls.Figures = cls.env["dunning.cockpit.figures"]

    def _store(self):
        self.MonthEnd._dunning_store_missing(today=d(TODAY))
        self.env.flush_all()

    def _stored(self):
        """Return the month ends of the company stored."""
        return self.MonthEnd._dunning_stored_dates(
            self.company, [d(end) for end in ENDS]
        )

    def _drop(self):
        """Drop every snapshot of the company: all rebuilt live."""
        self.MonthEnd._dunning_invalidate({self.company.id: d("2000-01-01")})

    def _rows(self, table_sql):
        """Return {(date, debtor id): figures} of the company's rows."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT date, partner_id, amount_residual, overdue_amount,
                       at_risk_amount, late_amount, sales_amount
                  FROM (%s) figure
                 WHERE company_id = %s
                """,
                table_sql,
                self.company.id,
            )
        )
        return {(row[0], row[1]): tuple(float(x) for x in row[2:]) for row in rows}

    def _report(self):
        """Return the month by month report's rows of the company."""
        self.env.invalidate_all()
        rows = self.Month.search([("company_id", "=", self.company.id)])
        return sorted(
            (
                row.date,
                row.partner_id.id,
                row.amount_residual,
                row.overdue_amount,
                row.sales_amount,
            )
            for row in rows
        )

    def _kpis(self):
        kpis = self.Figures._dunning_kpis(self.company, today=d(TODAY))
        return {
            key: kpis[key]
            for key in (
                "total_receivable_previous",
                "overdue_amount_previous",
                "at_risk_amount_previous",
                "avg_days_late_previous",
                "dso_previous",
                "dso",
            )
        }

    def test_stored_rows_are_the_live_definition(self):
        self._store()
        self.assertEqual(self._stored(), {d(end) for end in ENDS})
        stored = self._rows(SQL("SELECT * FROM dunning_month_end"))
        months = [(d(end).replace(day=1), d(end)) for end in ENDS]
        live = self._rows(self.MonthEnd._dunning_month_end_sql(months, self.company))
        ends = {end for _month, end in months}
        self.assertEqual(
            {key: value for key, value in stored.items() if key[0] in ends}, live
        )
        debtor, other = self.debtor.id, self.other.id
        # End of April: 600 of March's invoice overdue, December's 250 at
        # risk (105 days late); end of May: Other SA's 500, due that day.
        self.assertEqual(
            stored[d("2026-04-30"), debtor],
            (850, 850, 250, 600 * 30 + 250 * 105, 0),
        )
        self.assertEqual(stored[d("2026-05-31"), other], (500, 0, 0, 0, 500))
        self.assertEqual(stored[d("2026-03-31"), debtor][4], 1000)
        # Nothing owed nor sold in 24 months: no row before December.
        self.assertNotIn((d("2025-11-30"), debtor), stored)

    def test_report_reads_the_same_figures(self):
        self._drop()
        live = self._report()
        self._store()
        stored = self._report()
        self.assertEqual(stored, live)
        self.assertIn(
            (d("2026-05-31"), self.debtor.id, 850, 850, 0),
            stored,
        )
        # The stored figures are the ones read: a stored row changed in SQL
        # shows in the report (the month under way stays live).
        self.env.cr.execute(
            SQL(
                "UPDATE dunning_month_end SET amount_residual = 1 "
                "WHERE company_id = %s AND date = %s AND partner_id = %s",
                self.company.id,
                d("2026-05-31"),
                self.debtor.id,
            )
        )
        self.assertIn((d("2026-05-31"), self.debtor.id, 1, 850, 0), self._report())

    def test_cockpit_reads_the_stored_month_end(self):
        self._drop()
        live = self._kpis()
        self._store()
        self.assertEqual(self._kpis(), live)
        # End of May: 850 (Debtor SA) + 500 (Other SA, not due yet).
        self.assertEqual(live["total_receivable_previous"], 1350)
        self.assertEqual(live["overdue_amount_previous"], 850)
        self.assertEqual(live["at_risk_amount_previous"], 250)
        # The cockpit reads the stored stocks and sales.
        self.env.cr.execute(
            SQL(
                "UPDATE dunning_month_end SET amount_residual = amount_residual * 2, "
                "sales_amount = sales_amount * 2 "
                "WHERE company_id = %s AND date = %s",
                self.company.id,
                d("2026-05-31"),
            )
        )
        kpis = self._kpis()
        self.assertEqual(kpis["total_receivable_previous"], 2700)
        # 750 open now: nothing sold in June (17 days), then May's sales,
        # doubled (1000), cover them.
        self.assertAlmostEqual(kpis["dso"], 17 + 31 * 750 / 1000)
        self.assertAlmostEqual(live["dso"], 17 + 31 + 30 + 31 * 250 / 1000)

    def test_late_reconciliation_drops_the_month_ends_after_it(self):
        self._store()
        # Other SA's payment of May 20th, entered in June.
        self._pay(self.may, amount=200, on=d("2026-05-20"))
        self.env.flush_all()
        # The month ends before it stay stored, May's is rebuilt live.
        self.assertEqual(self._stored(), {d(end) for end in ENDS if end < "2026-05-20"})
        report = self._report()
        self.assertIn((d("2026-05-31"), self.other.id, 300, 0, 500), report)
        self.assertEqual(self._kpis()["total_receivable_previous"], 1150)
        # The night stores it again, with the payment.
        self._store()
        self.assertEqual(self._stored(), {d(end) for end in ENDS})
        self.assertEqual(self._report(), report)
        self._drop()
        self.assertEqual(self._report(), report)

    def test_backdated_invoice_drops_the_month_ends_after_it(self):
        self._store()
        self._invoice(self.other, 80, d("2026-04-30"), invoice_date=d("2026-04-10"))
        self.env.flush_all()
        self.assertEqual(self._stored(), {d(end) for end in ENDS if end < "2026-04-10"})
        self.assertIn((d("2026-04-30"), self.other.id, 80, 0, 80), self._report())
        self._store()
        self.assertIn((d("2026-04-30"), self.other.id, 80, 0, 80), self._report())

    def test_nightly_job_stores_every_company(self):
        company_b = self.setup_other_company()["company"]
        self.MonthEnd._cron_store_month_ends()
        for company in self.company | company_b:
            self.assertEqual(
                self.MonthEnd._dunning_stored_dates(company, [d("2026-05-31")]),
                {d("2026-05-31")},
            )

    def test_nightly_job_commits_each_month_end_latest_first(self):
        """The nightly job commits each month end on its own, the latest
        first: a night cut short by the cron's time limit keeps them."""
        stored = []
        store = type(self.MonthEnd)._dunning_store

        def record(model, companies, date):
            stored.append(date)
            return store(model, companies, date)

        with (
            patch.object(type(self.MonthEnd), "_dunning_store", record),
            patch.object(self.env.cr, "commit") as commit,
        ):
            self.MonthEnd.with_context(
                dunning_auto_commit=True
            )._cron_store_month_ends()
        self.assertEqual(stored[0], d("2026-05-31"))
        self.assertEqual(stored, sorted(stored, reverse=True))
        # Then the open receivables of the day (``dunning.open.figure``),
        # committed too.
        self.assertEqual(commit.call_count, len(stored) + 1)
        self.assertTrue(
            self.env["dunning.open.figure.snapshot"].search(
                [("company_id", "=", self.company.id)]
            )
        )

    def test_viewer_reads_own_company_only(self):
        self._store()
        viewer = self._new_user(
            "month_end_viewer", "account_dunning_advanced.group_dunning_viewer"
        )
        rows = self.MonthEnd.with_user(viewer).search([])
        self.assertEqual(rows.company_id, self.company)
        self.assertIn(self.debtor, rows.partner_id)
        other_company = self.setup_other_company()["company"]
        stranger = new_test_user(
            self.env,
            login="month_end_stranger",
            groups="account_dunning_advanced.group_dunning_viewer",
            company_id=other_company.id,
            company_ids=other_company.ids,
        )
        self.assertFalse(
            self.MonthEnd.with_user(stranger).search(
                [("partner_id", "in", (self.debtor | self.other).ids)]
            )
        )
