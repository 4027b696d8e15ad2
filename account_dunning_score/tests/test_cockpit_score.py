# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestCockpitScore(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.grades = cls.env["dunning.score.grade"]._by_code()
        cls.Dashboard = cls.env["dunning.dashboard"]

    def _scored(self, name, grade, last_grade):
        partner = self._create_debtor(name)
        self._invoice(partner, 100, self.today - timedelta(days=10))
        self.env["dunning.partner.score"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "has_history": True,
                "grade_id": self.grades[grade].id,
            }
        )
        month = self.today.replace(day=1)
        History = self.env["dunning.partner.score.history"]
        for when, code in ((month, grade), (month - timedelta(days=40), last_grade)):
            History.create(
                {
                    "month": when.replace(day=1),
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "has_history": True,
                    "grade_id": self.grades[code].id,
                }
            )
        return partner

    def test_grade_dropped_alert_and_top_grade(self):
        dropped = self._scored("Dropped SA", "C", "A")
        self._scored("Better SA", "A", "B")
        alerts = self.Dashboard._dunning_alerts(self.company, today=self.today)
        self.assertEqual(
            [(kind, partner) for kind, partner in alerts if kind == "grade_dropped"],
            [("grade_dropped", dropped)],
        )
        dashboard = self.Dashboard.create({})
        self.assertIn("Grade dropped", dashboard.alerts)
        self.assertIn("<th>Grade</th>", dashboard.top_debtors)
        self.assertIn(self.grades["C"].display_name, dashboard.top_debtors)
        # The grade column, last, in the row of each debtor.
        table = html.fragment_fromstring(dashboard.top_debtors, create_parent="div")
        self.assertEqual(table.xpath("//thead/tr/th")[-1].text_content(), "Grade")
        grades = {
            tr.xpath("td/a")[0].text_content(): tr.xpath("td")[-1].text_content()
            for tr in table.xpath("//tbody/tr")
        }
        self.assertEqual(grades["Dropped SA"], self.grades["C"].display_name)
        self.assertEqual(grades["Better SA"], self.grades["A"].display_name)

    def test_receivable_report_grade(self):
        partner = self._scored("Graded SA", "B", "B")
        self.env.flush_all()
        Report = self.env["dunning.receivable.report"]
        groups = dict(
            Report._read_group(
                [("partner_id", "=", partner.id)], ["grade_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {self.grades["B"]: 1})
        arch = Report.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("group_grade", arch)

    def test_grade_filter(self):
        """With a grade chosen, the dashboard shows only the debtors of it."""
        good = self._scored("Good SA", "A", "A")  # 100, 10 days late
        bad = self._scored("Bad SA", "C", "C")
        self._invoice(bad, 400, self.today - timedelta(days=100))  # at risk
        self._invoice(self.debtor, 1000, self.today - timedelta(days=120))  # no score
        for partner in (good, bad, bad):
            self.env["dunning.promise"].create(
                {
                    "partner_id": partner.id,
                    "date_made": self.today - timedelta(days=30),
                    "date": self.today - timedelta(days=10),
                    "state": "broken",
                    "date_broken": self.today - timedelta(days=2),
                }
            )
        everything = self.Dashboard.create({})
        self.assertEqual(everything.total_receivable, 1600)
        self.assertEqual(everything.promises_broken, 3)
        dashboard = self.Dashboard.create({"grade_id": self.grades["C"].id})
        self.assertEqual(dashboard.total_receivable, 500)
        self.assertEqual(dashboard.overdue_amount, 500)
        self.assertEqual(dashboard.at_risk_amount, 400)
        self.assertEqual(dashboard.promises_broken, 2)
        self.assertIn("Bad SA", dashboard.top_debtors)
        self.assertNotIn("Good SA", dashboard.top_debtors)
        self.assertNotIn("Debtor SA", dashboard.top_debtors)
        # Alerts: the broken promises of Bad SA only.
        self.assertIn("Bad SA", dashboard.alerts)
        self.assertNotIn("Good SA", dashboard.alerts)
        # The lists opened from the figures.
        action = dashboard.action_open_overdue()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(lines.partner_id, bad)
        self.assertEqual(sum(lines.mapped("overdue_amount")), 500)
        action = dashboard.action_open_promises_broken()
        promises = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(len(promises), 2)
        self.assertEqual(promises.partner_id, bad)
        # Changing the grade in the form recomputes the figures.
        dashboard.grade_id = self.grades["A"]
        self.assertEqual(dashboard.total_receivable, 100)
        self.assertEqual(dashboard.promises_broken, 1)


@tagged("post_install", "-at_install")
class TestBacktestScore(DunningCommon):
    def test_backtest_uses_what_was_known_on_monday(self):
        """The back-test dates invoices with the history known on each Monday.

        H1 (due 05-01) paid 10 days late on 05-11; H2 (due 05-04) paid 30
        days late on 06-03; Y 600 due 05-20, open. On Monday 06-01 only H1
        is known: delay 10, Y expected 05-20 + 10 + 3 = 06-02. On Monday
        06-08 H2 is known too: weighted delay 20.1 -> 20, Y expected 06-12.
        With today's knowledge Y would have been out of the first week; with
        the transfer lag alone (05-23) late on both Mondays.
        """
        h1 = self._invoice(self.debtor, 1000, "2026-05-01")
        h2 = self._invoice(self.debtor, 1000, "2026-05-04")
        self._invoice(self.debtor, 600, "2026-05-20")
        self._pay(h1, on=d("2026-05-11"))
        self._pay(h2, on=d("2026-06-03"))
        rows = self.env["dunning.forecast.report"]._backtest(
            weeks=2, today=d("2026-06-17"), company=self.company
        )
        self.assertEqual(
            [
                (row["week"], row["forecast"], row["collected"], row["late"])
                for row in rows
            ],
            [
                # H2 open on 06-01, expected 05-04 + 10 + 3 = 05-17: late.
                (d("2026-06-01"), 600, 1000, 1000),
                (d("2026-06-08"), 600, 0, 0),
            ],
        )
        baseline = (
            self.env["dunning.forecast.report"]
            .with_context(dunning_backtest_lag_only=True)
            ._backtest(weeks=2, today=d("2026-06-17"), company=self.company)
        )
        self.assertEqual([row["forecast"] for row in baseline], [0, 0])
        self.assertEqual([row["late"] for row in baseline], [1600, 600])
