# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import freeze_time, new_test_user, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
@freeze_time("2026-06-17")
class TestDashboardReports(DunningCommon):
    """The receivables month by month and the cash collected (the dashboard)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._new_user(
            "month_collector", "account_dunning_advanced.group_dunning_user"
        )
        cls.other = cls._create_debtor(
            "Other SA", dunning_collector_id=cls.collector.id
        )
        with freeze_time("2026-06-17"):
            # 1000 sold in March, due on its last day, paid 400 in April and
            # 600 in June; 500 sold to the collector's debtor in May.
            cls.march = cls._invoice(
                cls.debtor, 1000, d("2026-03-31"), invoice_date=d("2026-03-01")
            )
            cls._pay(cls.march, amount=400, on=d("2026-04-10"))
            cls._pay(cls.march, amount=600, on=d("2026-06-05"))
            cls.may = cls._invoice(
                cls.other, 500, d("2026-05-31"), invoice_date=d("2026-05-01")
            )
        cls.Month = cls.env["dunning.receivable.month"]
        cls.Collected = cls.env["dunning.collected.report"]

    def _months(self, domain=(), groupby=("date:month",)):
        """Return {group: (receivables, overdue, sales, dso)}."""
        rows = self.Month._read_group(
            [("company_id", "=", self.company.id), *domain],
            list(groupby),
            [
                "amount_residual:sum",
                "overdue_amount:sum",
                "sales_amount:sum",
                "dso:max",
            ],
        )
        return {row[0]: row[1:] for row in rows}

    def test_month_end_stocks(self):
        rows = self.Month.search(
            [("company_id", "=", self.company.id)], order="date, partner_id"
        )
        figures = {
            (row.date, row.partner_id): (
                row.amount_residual,
                row.overdue_amount,
                row.sales_amount,
            )
            for row in rows
        }
        debtor, other = self.debtor, self.other
        self.assertEqual(
            figures,
            {
                # Due on the month end itself: not overdue yet.
                (d("2026-03-31"), debtor): (1000, 0, 1000),
                (d("2026-04-30"), debtor): (600, 600, 0),
                (d("2026-05-31"), debtor): (600, 600, 0),
                (d("2026-05-31"), other): (500, 0, 500),
                # Paid in June: still a row, its March sales count in the DSO.
                (d("2026-06-17"), debtor): (0, 0, 0),
                (d("2026-06-17"), other): (500, 500, 0),
            },
        )
        self.assertEqual(
            rows.filtered(lambda r: r.partner_id == other).collector_id, self.collector
        )
        self.assertEqual(set(rows.mapped("scenario_id")), {self.scenario})

    def test_dso_by_count_back(self):
        months = self._months()
        # End of May: 1100 open; May's 500 (31 days), April sold nothing
        # (30 days), then 600 of March's 1000 (31 days * 0.6).
        receivable, overdue, sales, dso = months[d("2026-05-01")]
        self.assertEqual((receivable, overdue, sales), (1100, 600, 500))
        self.assertAlmostEqual(dso, 31 + 30 + 31 * 0.6)
        # Today: 500 open, nothing sold in June (17 days), May's 500.
        self.assertAlmostEqual(months[d("2026-06-01")][3], 17 + 31)
        self.assertAlmostEqual(months[d("2026-03-01")][3], 31)
        # The cockpit says the same of the end of last month and of today.
        kpis = self.env["dunning.cockpit.figures"]._dunning_kpis(
            self.company, today=d("2026-06-17")
        )
        self.assertAlmostEqual(kpis["dso_previous"], months[d("2026-05-01")][3])
        self.assertAlmostEqual(kpis["dso"], months[d("2026-06-01")][3])
        self.assertEqual(kpis["overdue_amount_previous"], 600)

    def test_dso_of_a_collector(self):
        # The collector's debtor only: its 500 of May cover its 500 open.
        months = self._months([("collector_id", "=", self.collector.id)])
        self.assertEqual(months[d("2026-05-01")][0], 500)
        self.assertAlmostEqual(months[d("2026-05-01")][3], 31)
        # Through the public read_group too (the dashboard's pivots).
        groups = self.Month.read_group(
            [("company_id", "=", self.company.id)],
            ["dso:max", "amount_residual:sum"],
            ["date:month"],
            lazy=False,
        )
        self.assertAlmostEqual(groups[-1]["dso"], 17 + 31)
        self.assertEqual(groups[-1]["amount_residual"], 500)

    def test_collected(self):
        rows = self.Collected.search(
            [("company_id", "=", self.company.id)], order="date"
        )
        self.assertEqual(
            [(row.date, row.partner_id, row.amount) for row in rows],
            [
                (d("2026-04-10"), self.debtor, 400),
                (d("2026-06-05"), self.debtor, 600),
            ],
        )
        by_collector = self.Collected._read_group(
            [("company_id", "=", self.company.id)], ["collector_id"], ["amount:sum"]
        )
        # Debtor SA has no collector; once given one, its payments are his.
        self.assertEqual(by_collector, [(self.env["res.users"], 1000)])
        self.debtor.dunning_collector_id = self.collector
        self.env.flush_all()
        self.assertEqual(
            self.Collected._read_group(
                [("collector_id", "=", self.collector.id)], [], ["amount:sum"]
            ),
            [(1000,)],
        )
        # The cockpit's "collected this month" is the same definition.
        kpis = self.env["dunning.cockpit.figures"]._dunning_kpis(
            self.company, today=d("2026-06-17")
        )
        self.assertEqual(kpis["collected_month"], 600)

    def test_viewer_sees_own_company_only(self):
        viewer = self._new_user(
            "month_viewer", "account_dunning_advanced.group_dunning_viewer"
        )
        self.assertEqual(
            self.Month.with_user(viewer).search_count([]),
            self.Month.search_count([("company_id", "=", self.company.id)]),
        )
        self.assertEqual(
            sum(self.Collected.with_user(viewer).search([]).mapped("amount")), 1000
        )
        other_company = self.setup_other_company()["company"]
        stranger = new_test_user(
            self.env,
            login="month_stranger",
            groups="account_dunning_advanced.group_dunning_viewer",
            company_id=other_company.id,
            company_ids=other_company.ids,
        )
        self.assertFalse(
            self.Month.with_user(stranger).search(
                [("partner_id", "in", (self.debtor | self.other).ids)]
            )
        )
        self.assertFalse(self.Collected.with_user(stranger).search([]))
