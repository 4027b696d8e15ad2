# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from ..engine import ageing, backtest, kpi
from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestCockpitEngine(DunningCommon):
    def test_dso_count_back(self):
        # 500 open: this month's 300 (18 days so far) are not enough, then
        # 200 of the 400 sold the month before (31 days): 18 + 31 / 2.
        self.assertAlmostEqual(
            kpi.dso_count_back(500, [(300, 18), (400, 31), (1000, 30)]), 33.5
        )
        self.assertAlmostEqual(kpi.dso_count_back(150, [(300, 30)]), 15.0)
        self.assertEqual(kpi.dso_count_back(0, [(300, 30)]), 0.0)
        # Sales exhausted: every month given counts in full.
        self.assertEqual(kpi.dso_count_back(900, [(100, 30), (100, 31)]), 61.0)
        self.assertEqual(kpi.dso_count_back(100, [(0, 30), (200, 31)]), 45.5)

    def test_ageing_bucket(self):
        self.assertEqual(ageing.bucket_of(-3), "not_due")
        self.assertEqual(ageing.bucket_of(0), "not_due")
        self.assertEqual(ageing.bucket_of(1), "1_30")
        self.assertEqual(ageing.bucket_of(30), "1_30")
        self.assertEqual(ageing.bucket_of(31), "31_60")
        self.assertEqual(ageing.bucket_of(90), "61_90")
        self.assertEqual(ageing.bucket_of(91), "90_plus")


@tagged("post_install", "-at_install")
class TestCockpit(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.Dashboard = cls.env["dunning.dashboard"]
        cls.Report = cls.env["dunning.receivable.report"]

    def _aged_invoices(self, partner):
        today = self.today
        for amount, days in ((100, -5), (200, 10), (300, 45), (400, 75), (500, 120)):
            due = today - timedelta(days=days)
            self._invoice(partner, amount, due, invoice_date=min(due, today))

    def test_ageing_buckets_and_kpis(self):
        self._aged_invoices(self.debtor)
        # SQL views read the tables: write the pending ORM changes first.
        self.env.flush_all()
        groups = dict(
            self.Report._read_group(
                [("company_id", "=", self.company.id)],
                ["ageing"],
                ["amount_residual:sum"],
            )
        )
        self.assertEqual(
            groups,
            {"not_due": 100, "1_30": 200, "31_60": 300, "61_90": 400, "90_plus": 500},
        )
        rows = self.Report.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows.partner_id, self.debtor)
        self.assertEqual(sorted(rows.mapped("days_late")), [0, 10, 45, 75, 120])
        self.assertEqual(rows.filtered("is_at_risk").amount_residual, 500)
        self.assertEqual(rows.collector_id, self.env["res.users"])
        self.assertEqual(rows.scenario_id, self.scenario)
        # Five aggregate queries and the SET LOCAL jit = off before them; the
        # sales in two periods here (the last three months do not cover the
        # receivables: an invoice of four months ago is open); the month ends
        # stored by the nightly job (none here) and their sales; the open
        # receivables of the day stored by the nightly job (none here).
        with self.assertQueryCount(9):
            values = self.Dashboard._dunning_kpis(self.company, today=self.today)
        self.assertEqual(values["total_receivable"], 1500)
        self.assertEqual(values["overdue_amount"], 1400)
        self.assertAlmostEqual(values["overdue_share"], 1400 / 1500 * 100)
        self.assertEqual(values["at_risk_amount"], 500)
        self.assertAlmostEqual(
            values["avg_days_late"],
            (200 * 10 + 300 * 45 + 400 * 75 + 500 * 120) / 1400,
        )
        self.assertEqual(values["top"][0]["partner"], self.debtor)
        self.assertEqual(values["top"][0]["overdue"], 1400)
        # The form shows the same figures.
        dashboard = self.Dashboard.create({})
        self.assertEqual(dashboard.overdue_amount, 1400)
        self.assertIn("Debtor SA", dashboard.top_debtors)
        action = dashboard.action_open_at_risk()
        self.assertEqual(self.Report.search(action["domain"]).amount_residual, 500)

    def test_dso_and_collected(self):
        month = self.today.replace(day=1)
        previous = month - relativedelta(months=1)
        self._invoice(self.debtor, 300, month + timedelta(days=40), invoice_date=month)
        old = self._invoice(
            self.debtor, 400, previous + timedelta(days=60), invoice_date=previous
        )
        self._pay(old, amount=200, on=previous + timedelta(days=1))
        values = self.Dashboard._dunning_kpis(self.company, today=self.today)
        self.assertEqual(values["total_receivable"], 500)
        previous_days = (month - previous).days
        # 300 sold this month (today.day days), then 200 of the 400 of last month.
        self.assertAlmostEqual(values["dso"], self.today.day + previous_days * 0.5)
        # A month ago: 200 open of the 400 sold in a month of previous_days.
        self.assertAlmostEqual(values["dso_previous"], previous_days * 0.5)
        self.assertEqual(values["collected_month"], 0)
        self.assertEqual(values["collected_previous"], 200)

    def test_dso_counts_back_to_old_sales(self):
        # Open: an invoice of ten months ago, nothing sold since: the DSO
        # counts every day back to the start of that month (the sales are
        # read back as far as the receivables need, not three months only).
        month = self.today.replace(day=1)
        old_month = month - relativedelta(months=10)
        self._invoice(
            self.debtor, 500, old_month + timedelta(days=30), invoice_date=old_month
        )
        values = self.Dashboard._dunning_kpis(self.company, today=self.today)
        self.assertEqual(values["total_receivable"], 500)
        self.assertAlmostEqual(values["dso"], (month - old_month).days + self.today.day)
        self.assertAlmostEqual(values["dso_previous"], (month - old_month).days)

    def test_collector_filter(self):
        collector = new_test_user(
            self.env,
            login="cockpit_collector",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        other = self._create_debtor("Other SA", dunning_collector_id=collector.id)
        self._aged_invoices(self.debtor)
        self._invoice(other, 1000, self.today - timedelta(days=5))
        values = self.Dashboard._dunning_kpis(
            self.company, collector=collector, today=self.today
        )
        self.assertEqual(values["total_receivable"], 1000)
        self.assertEqual([row["partner"] for row in values["top"]], [other])

    def test_forecast(self):
        not_due = self._invoice(self.debtor, 100, self.today + timedelta(days=10))
        late = self._invoice(self.debtor, 200, self.today - timedelta(days=20))
        promised_debtor = self._create_debtor("Promise SA")
        promised = self._invoice(promised_debtor, 300, self.today - timedelta(days=2))
        self.env["dunning.promise"].create(
            {
                "partner_id": promised_debtor.id,
                "date": self.today + timedelta(days=5),
            }
        )
        self.env.flush_all()
        Forecast = self.env["dunning.forecast.report"]
        rows = {row.move_id: row for row in Forecast.search([])}
        self.assertEqual(rows[not_due].category, "not_due")
        self.assertEqual(rows[late].category, "overdue")
        self.assertEqual(rows[promised].category, "promised")
        # The promise (no invoice listed, made when it was overdue) dates it.
        self.assertEqual(rows[promised].expected_date, self.today + timedelta(days=5))
        self.assertEqual(rows[promised].amount_residual, 300)
        self.assertFalse(rows[promised].is_late)
        del rows[promised]
        for move, row in rows.items():
            predicted = (
                move._fields.get("dunning_predicted_date")
                and move["dunning_predicted_date"]
            )
            self.assertEqual(
                row.expected_date, predicted or move.invoice_date_due + timedelta(3)
            )
            monday = row.expected_date - timedelta(days=row.expected_date.weekday())
            self.assertEqual(row.expected_week, monday)
        self.assertTrue(rows[late].is_late)
        self.assertEqual(rows[late].late_amount, 200)
        self.assertFalse(rows[not_due].is_late)
        self.assertEqual(rows[not_due].late_amount, 0)

    def test_backtest(self):
        monday = self.today - timedelta(days=self.today.weekday())
        start = monday - timedelta(weeks=2)
        move = self._invoice(
            self.debtor,
            250,
            start - timedelta(days=1),
            invoice_date=start - timedelta(days=30),
        )
        self._pay(move, on=start + timedelta(days=1))
        result = self.env["dunning.forecast.report"]._backtest(
            weeks=3, today=self.today
        )
        self.assertEqual(
            [row["week"] for row in result],
            [monday - timedelta(weeks=3), start, monday - timedelta(weeks=1)],
        )
        # Due the Sunday before, + 3 days: expected in that week, paid in it.
        self.assertEqual(result[1]["forecast"], 250)
        self.assertEqual(result[1]["collected"], 250)
        self.assertEqual(result[0]["forecast"], 0)

    def test_backtest_figures(self):
        """Forecast on each Monday against the cash, by hand (lag 3 days).

        Wednesday 2026-06-17, three past weeks (Mondays 05-25, 06-01, 06-08):

        ===  ====  =====  ========  ===========================================
        inv  amt   due    expected  payments
        ===  ====  =====  ========  ===========================================
        A    1000  05-31  06-03     400 on 05-29, 600 on 05-31
        B     500  05-20  05-23     500 on 06-09 (late on every Monday)
        C     800  06-05  06-08     300 on 06-02 (500 still open on 06-08)
        D     200  05-26  05-29     200 on 05-26
        E     300  06-04  06-07     posted 06-02, after its Monday; paid 06-04
        ===  ====  =====  ========  ===========================================
        """
        other = self._create_debtor("Other SA")
        a = self._invoice(self.debtor, 1000, "2026-05-31")
        b = self._invoice(self.debtor, 500, "2026-05-20")
        c = self._invoice(other, 800, "2026-06-05")
        dd = self._invoice(other, 200, "2026-05-26")
        e = self._invoice(other, 300, "2026-06-04", invoice_date=d("2026-06-02"))
        self._pay(a, amount=400, on=d("2026-05-29"))
        self._pay(a, on=d("2026-05-31"))
        self._pay(b, on=d("2026-06-09"))
        self._pay(c, amount=300, on=d("2026-06-02"))
        self._pay(dd, on=d("2026-05-26"))
        self._pay(e, on=d("2026-06-04"))
        rows = self.env["dunning.forecast.report"]._backtest(
            weeks=3, today=d("2026-06-17"), company=self.company
        )
        self.assertEqual(
            [
                (row["week"], row["forecast"], row["collected"], row["late"])
                for row in rows
            ],
            [
                # D expected this week; B already late; A is expected later.
                (d("2026-05-25"), 200, 1200, 500),
                # A paid before the Monday; E posted after it.
                (d("2026-06-01"), 0, 600, 500),
                # C's open 500 on the Monday, not its total.
                (d("2026-06-08"), 500, 500, 500),
            ],
        )
        totals = backtest.summarize(rows)
        # Errors -1000, -600, 0 on 2300 collected.
        self.assertAlmostEqual(totals["mae"], 1600 / 3)
        self.assertAlmostEqual(totals["bias"], -1600 / 3)
        self.assertAlmostEqual(totals["wape"], 1600 / 2300 * 100)

    def test_backtest_table(self):
        rows = [
            {"week": d("2026-06-01"), "forecast": 1500.0, "collected": 1000.0},
            {
                "week": d("2026-06-08"),
                "forecast": 0.0,
                "collected": 500.0,
                "late": 250.0,
            },
        ]
        lines = backtest.format_table("Atelier (EUR)", rows, "due date + 3 days")
        self.assertEqual(
            lines[0],
            "Atelier (EUR): forecast made on each Monday vs collected that week",
        )
        self.assertEqual(lines[1], "  expected date: due date + 3 days")
        self.assertEqual(
            lines[3].split(), ["2026-06-01", "1,500.00", "1,000.00", "+500.00", "0.00"]
        )
        self.assertEqual(
            lines[4].split(), ["2026-06-08", "0.00", "500.00", "-500.00", "250.00"]
        )
        self.assertEqual(lines[5].split(), ["total", "1,500.00", "1,500.00", "+0.00"])
        self.assertEqual(
            lines[6],
            "  mean absolute error 500.00 per week, bias +0.00 per week "
            "(forecast - collected), WAPE 66.7 %",
        )
        empty = backtest.summarize(
            [{"week": d("2026-06-01"), "forecast": 10.0, "collected": 0.0}]
        )
        self.assertIsNone(empty["wape"])
        self.assertIn("WAPE n/a", backtest.format_table("X", [], "lag")[-1])
        self.assertEqual(
            backtest.format_baseline(rows),
            "  baseline (due date + transfer lag): forecast 1,500.00, "
            "mean absolute error 500.00, bias +0.00, WAPE 66.7 %",
        )

    def test_digest_content_and_schedule(self):
        collector = new_test_user(
            self.env,
            login="digest_collector",
            email="collector@mycompany.example",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        mine = self._create_debtor("Mine SA", dunning_collector_id=collector.id)
        self._invoice(mine, 700, self.today - timedelta(days=40))
        self._aged_invoices(self.debtor)
        self.env["dunning.promise"].create(
            {"partner_id": mine.id, "date": self.today - timedelta(days=1)}
        )
        subscription = self.env["dunning.digest.subscription"].create(
            {"user_id": collector.id, "frequency": "weekly"}
        )
        Mail = self.env["mail.mail"]
        domain = [
            ("model", "=", "dunning.digest.subscription"),
            ("res_id", "=", subscription.id),
        ]
        day = self.today
        Subscription = self.env["dunning.digest.subscription"]
        self.assertIn(subscription, Subscription._cron_send_digests(today=day))
        mail = Mail.search(domain)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, collector.partner_id)
        self.assertIn("Mine SA", mail.body_html)
        self.assertIn("promises falling due", mail.body_html)
        self.assertNotIn("Debtor SA", mail.body_html)
        self.assertEqual(subscription.last_sent, day)
        # Weekly: nothing before a week, then the next one with the changes.
        Subscription._cron_send_digests(today=day + timedelta(days=6))
        self.assertEqual(len(Mail.search(domain)), 1)
        self._invoice(mine, 50, self.today - timedelta(days=3))
        Subscription._cron_send_digests(today=day + timedelta(days=7))
        mails = Mail.search(domain, order="id")
        self.assertEqual(len(mails), 2)
        self.assertIn("Change of the overdue amount since", mails[1].body_html)
        self.assertIn("50.00", mails[1].body_html)
        # Daily, for a manager: every debtor.
        daily = Subscription.create({"user_id": self.env.user.id, "frequency": "daily"})
        Subscription._cron_send_digests(today=day)
        body = Mail.search(
            [("model", "=", daily._name), ("res_id", "=", daily.id)]
        ).body_html
        self.assertIn("Debtor SA", body)
        self.assertIn("Mine SA", body)
        self.assertFalse(daily._is_due(day))
        self.assertTrue(daily._is_due(day + timedelta(days=1)))

    def test_company_isolation(self):
        other_company = self.setup_other_company()["company"]
        self._invoice(self.debtor, 100, self.today - timedelta(days=5))
        self._invoice(
            self.debtor, 900, self.today - timedelta(days=5), company=other_company
        )
        user = new_test_user(
            self.env,
            login="cockpit_iso",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.debtor.dunning_collector_id = user
        self.env.flush_all()
        for model in ("dunning.receivable.report", "dunning.forecast.report"):
            rows = self.env[model].with_user(user).search([])
            self.assertEqual(rows.company_id, self.company, model)
            self.assertEqual(sum(rows.mapped("amount_residual")), 100, model)
        rows = self.env["dunning.receivable.report"].search(
            [("company_id", "=", other_company.id)]
        )
        self.assertEqual(rows.amount_residual, 900)

    def _collector(self, login):
        return new_test_user(
            self.env,
            login=login,
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )

    def test_portfolio_access(self):
        collector = self._collector("cockpit_portfolio")
        manager = new_test_user(
            self.env,
            login="cockpit_manager",
            groups="account_dunning_advanced.group_dunning_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        mine = self._create_debtor("Mine SA", dunning_collector_id=collector.id)
        self._invoice(mine, 700, self.today - timedelta(days=40))
        self._aged_invoices(self.debtor)
        self.env.flush_all()
        for model in ("dunning.receivable.report", "dunning.forecast.report"):
            rows = self.env[model].with_user(collector).search([])
            self.assertEqual(rows.partner_id, mine, model)
            self.assertEqual(rows.collector_id, collector, model)
            rows = self.env[model].with_user(manager).search([])
            self.assertEqual(rows.partner_id, mine | self.debtor, model)
        # The collector's dashboard shows their portfolio, even unfiltered.
        dashboard = self.Dashboard.with_user(collector).create({})
        self.assertEqual(dashboard.collector_id, collector)
        self.assertEqual(dashboard.total_receivable, 700)
        dashboard.collector_id = False
        self.assertEqual(dashboard.total_receivable, 700)
        self.assertIn("Mine SA", dashboard.top_debtors)
        self.assertNotIn("Debtor SA", dashboard.top_debtors)
        manager_dashboard = self.Dashboard.with_user(manager).create({})
        self.assertFalse(manager_dashboard.collector_id)
        self.assertEqual(manager_dashboard.total_receivable, 2200)

    def test_trends(self):
        month = self.today.replace(day=1)
        month_end = month - timedelta(days=1)
        # Open at the end of last month, paid this month: in the previous
        # stocks only; due 100 days before then: at risk.
        old = self._invoice(
            self.debtor,
            400,
            month_end - timedelta(days=100),
            invoice_date=month_end - timedelta(days=130),
        )
        self._pay(old, on=month)
        # Due after the end of last month, still open: not overdue then.
        self._invoice(
            self.debtor, 300, month_end + timedelta(days=1), invoice_date=month_end
        )
        # Invoiced this month: not in the previous stocks.
        self._invoice(self.debtor, 200, self.today + timedelta(days=30))
        values = self.Dashboard._dunning_kpis(self.company, today=self.today)
        self.assertEqual(values["total_receivable"], 500)
        self.assertEqual(values["total_receivable_previous"], 700)
        self.assertEqual(values["overdue_amount_previous"], 400)
        self.assertEqual(values["at_risk_amount_previous"], 400)
        self.assertEqual(values["collected_month"], 400)
        # At the end of last month: 400 of 700 overdue, 100 days late.
        self.assertAlmostEqual(values["overdue_share_previous"], 400 / 700 * 100)
        self.assertAlmostEqual(values["avg_days_late_previous"], 100)
        # Now the 300 due on the 1st is overdue (unless today is the 1st).
        late_days = (self.today - month).days
        self.assertAlmostEqual(values["avg_days_late"], late_days)
        self.assertAlmostEqual(
            values["overdue_share"], 300 / 500 * 100 if late_days else 0.0
        )
        dashboard = self.Dashboard.create({})
        self.assertEqual(
            dashboard.overdue_share_trend,
            "▲ +5.0 %" if late_days else "▼ -100.0 %",
        )
        self.assertEqual(
            dashboard.avg_days_late_trend,
            f"▼ {(late_days - 100):+.1f} %",
        )
        self.assertEqual(dashboard.total_receivable_trend, "▼ -28.6 %")
        self.assertEqual(dashboard.at_risk_amount_trend, "▼ -100.0 %")
        self.assertEqual(dashboard.collected_trend, "▲")
        Dashboard = self.Dashboard
        self.assertEqual(Dashboard._trend_label(110, 100), "▲ +10.0 %")
        self.assertEqual(Dashboard._trend_label(100, 100), "= 0.0 %")
        self.assertEqual(Dashboard._trend_label(0, 0), "=")

    def test_previous_stocks_with_partial_payments(self):
        month = self.today.replace(day=1)
        month_end = month - timedelta(days=1)
        move = self._invoice(
            self.debtor,
            1000,
            month_end - timedelta(days=40),
            invoice_date=month_end - timedelta(days=60),
        )
        self._pay(move, amount=300, on=month_end - timedelta(days=5))
        self._pay(move, amount=200, on=month)
        values = self.Dashboard._dunning_kpis(self.company, today=self.today)
        # At the end of last month: 1000 - 300 open, 40 days late.
        self.assertEqual(values["total_receivable_previous"], 700)
        self.assertEqual(values["overdue_amount_previous"], 700)
        self.assertEqual(values["at_risk_amount_previous"], 0)
        self.assertAlmostEqual(values["avg_days_late_previous"], 40)
        self.assertEqual(values["total_receivable"], 500)

    def test_count_trends(self):
        """Trends of the count tiles, on Wednesday 2026-06-17 (by hand)."""
        Promise = self.env["dunning.promise"]
        promises = {}
        for key, date, state, broken in (
            ("a", "2026-06-17", "open", False),  # due this week
            ("b", "2026-06-19", "open", False),  # due this week
            ("h", "2026-06-08", "open", False),  # due last week, still open
            ("c", "2026-06-10", "kept", False),  # due last week
            ("d", "2026-06-09", "broken", "2026-06-12"),  # last week, broken in June
            ("e", "2026-06-11", "cancel", False),  # cancelled: never counted
            ("f", "2026-05-10", "broken", "2026-05-15"),  # broken in May
            ("f2", "2026-05-18", "broken", "2026-05-20"),  # broken in May
            ("g", "2026-04-20", "broken", "2026-04-25"),  # broken in April
        ):
            promises[key] = Promise.create(
                {
                    "partner_id": self.debtor.id,
                    "date_made": d("2026-04-01"),
                    "date": d(date),
                    "state": state,
                    "date_broken": broken and d(broken),
                }
            )
        invoice = self._invoice(self.debtor, 100, "2026-05-01")
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        disputes = self.env["dunning.dispute"].create(
            [
                {
                    "partner_id": self.debtor.id,
                    "move_ids": [(6, 0, invoice.ids)],
                    "reason_id": reason.id,
                }
                for _index in range(5)
            ]
        )
        # Actions: (date, created on, state, executed or cancelled on).
        rows = (
            ("2026-06-17", "2026-06-17", "draft", None),  # 1: today only
            ("2026-06-08", "2026-06-08", "draft", None),  # 2: both
            ("2026-06-09", "2026-06-09", "done", "2026-06-12 09:00"),  # 3: then
            ("2026-06-09", "2026-06-09", "done", "2026-06-09 09:00"),  # 4: never
            ("2026-06-05", "2026-06-05", "cancel", "2026-06-15 09:00"),  # 5: then
            ("2026-06-16", "2026-06-16", "error", None),  # 6: today only
            ("2026-06-10", "2026-06-12", "draft", None),  # 7: created after
        )
        levels = (self.lvl_pre, self.lvl_1, self.lvl_2, self.lvl_3)
        actions = self.env["dunning.action"].create(
            [
                {
                    "partner_id": self.debtor.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "level_id": levels[index % 4].id,
                    "scenario_id": self.scenario.id,
                    "date": d(row[0]),
                }
                for index, row in enumerate(rows)
            ]
        )
        self.env.flush_all()
        cr = self.env.cr
        for dispute, created, state, closed in zip(
            disputes,
            (
                "2026-05-20",  # open then and now
                "2026-05-10",  # open then, resolved in June
                "2026-06-03",  # opened in June
                "2026-06-10",  # opened in June
                "2026-05-01",  # rejected in May
            ),
            ("open", "resolved", "open", "open", "rejected"),
            (None, "2026-06-05", None, None, "2026-05-25"),
            strict=True,
        ):
            cr.execute(
                "UPDATE dunning_dispute SET create_date = %s, state = %s, "
                "date_closed = %s WHERE id = %s",
                (created, state, closed, dispute.id),
            )
        for action, (_date, created, state, finished) in zip(
            actions, rows, strict=True
        ):
            cr.execute(
                "UPDATE dunning_action SET create_date = %s, state = %s, "
                "executed_at = CASE WHEN %s = 'done' THEN %s::timestamp END, "
                "write_date = COALESCE(%s::timestamp, %s::timestamp) WHERE id = %s",
                (created, state, state, finished, finished, created, action.id),
            )
        self.env.invalidate_all()
        values = self.Dashboard._dunning_kpis(self.company, today=d("2026-06-17"))
        # Promises: a, b this week; h, c, d last week (e cancelled).
        self.assertEqual(values["promises_week"], 2)
        self.assertEqual(values["promises_last_week"], 3)
        # Broken: d, f, f2, g in all; d in June; f, f2 in May.
        self.assertEqual(values["promises_broken"], 4)
        self.assertEqual(values["promises_broken_month"], 1)
        self.assertEqual(values["promises_broken_previous"], 2)
        # Disputes open now: 1, 3, 4; at the end of May: 1, 2.
        self.assertEqual(values["disputes_open"], 3)
        self.assertEqual(values["disputes_open_previous"], 2)
        # Actions waiting now: 1, 2, 6, 7; on the evening of 06-10: 2, 3, 5.
        self.assertEqual(values["actions_today"], 4)
        self.assertEqual(values["actions_week_ago"], 3)
        with freeze_time("2026-06-17"):
            dashboard = self.Dashboard.create({})
            self.assertEqual(dashboard.promises_week_trend, "▼ -33.3 %")
            self.assertEqual(dashboard.promises_broken_trend, "▼ -50.0 %")
            self.assertEqual(dashboard.disputes_open_trend, "▲ +50.0 %")
            self.assertEqual(dashboard.actions_today_trend, "▲ +33.3 %")
            self.assertEqual(dashboard.actions_week_ago, 3)

    def test_debtor_file(self):
        """From the debtor's form: its ageing, and a promise, dispute, plan, call."""
        self._aged_invoices(self.debtor)
        other = self._create_debtor("Other SA")
        self._invoice(other, 1000, self.today - timedelta(days=45))
        contact = self.debtor.child_ids[:1]
        self.assertTrue(contact)
        action = contact.action_view_dunning_ageing()
        self.assertEqual(action["res_model"], "dunning.receivable.report")
        self.assertEqual(action["views"][0][1], "pivot")
        self.assertEqual(action["context"]["search_default_group_ageing"], 1)
        self.env.flush_all()
        groups = dict(
            self.Report._read_group(
                action["domain"], ["ageing"], ["amount_residual:sum"]
            )
        )
        # The debtor's own invoices only (not Other SA's 1000 at 45 days).
        self.assertEqual(
            groups,
            {"not_due": 100, "1_30": 200, "31_60": 300, "61_90": 400, "90_plus": 500},
        )
        for method, model in (
            ("action_dunning_new_promise", "dunning.promise"),
            ("action_dunning_new_dispute", "dunning.dispute"),
            ("action_dunning_new_plan", "dunning.payment.plan"),
        ):
            action = getattr(contact, method)()
            self.assertEqual(action["res_model"], model)
            self.assertEqual(action["context"]["default_partner_id"], self.debtor.id)
            record = self.env[model].with_context(**action["context"]).new({})
            self.assertEqual(record.partner_id, self.debtor)
        collector = new_test_user(
            self.env,
            login="file_collector",
            groups="account_dunning_advanced.group_dunning_user",
        )
        self.debtor.dunning_collector_id = collector
        contact.action_dunning_schedule_call()
        activity = self.debtor.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, collector)
        self.assertEqual(activity.date_deadline, self.today)
        self.assertIn("calls to make", self.debtor.dunning_todo)
        # The top debtors link to the debtor's form.
        dashboard = self.Dashboard.create({})
        self.assertIn(
            f'href="/odoo/res.partner/{self.debtor.id}"', dashboard.top_debtors
        )

    def test_top_debtors_and_alerts_render_the_data(self):
        # The QWeb templates show the rows of _dunning_kpis / _dunning_alerts:
        # a link to the debtor, the overdue amount, the alert's label; a name
        # with markup is shown as text, never as HTML.
        name = "<b>Bold</b> & Co"
        bold = self._create_debtor(name)
        self._invoice(bold, 1234.5, self.today - timedelta(days=93))
        dashboard = self.Dashboard.create({})
        top = html.fragment_fromstring(dashboard.top_debtors, create_parent="div")
        self.assertFalse(top.xpath("//b"))
        table = top.xpath("//table[contains(@class, 'o_dunning_top_debtors')]")[0]
        self.assertEqual(
            [th.text_content().strip() for th in table.xpath("thead/tr/th")][:3],
            ["Debtor", "Overdue", "Current level"],
        )
        self.assertEqual(table.xpath("thead/tr/th")[1].get("class"), "text-end")
        row = table.xpath(f"tbody/tr[td/a[normalize-space()='{name}']]")[0]
        link = row.xpath("td/a")[0]
        self.assertEqual(link.get("href"), f"/odoo/res.partner/{bold.id}")
        self.assertEqual(row.xpath("td")[1].text_content().strip(), "$\xa01,234.50")
        self.assertEqual(
            len(row.xpath("td")), len(table.xpath("thead/tr/th"))
        )  # one cell per column, the columns of other addons included
        alerts = html.fragment_fromstring(dashboard.alerts, create_parent="div")
        self.assertFalse(alerts.xpath("//b"))
        row = alerts.xpath(
            f"//table[contains(@class, 'o_dunning_alerts')]"
            f"/tbody/tr[td/a[normalize-space()='{name}']]"
        )[0]
        self.assertEqual(
            row.xpath("td/a")[0].get("href"), f"/odoo/res.partner/{bold.id}"
        )
        self.assertEqual(
            row.xpath("td")[1].text_content().strip(), "Newly more than 90 days late"
        )
        # Nothing to show: a sentence instead of an empty table.
        empty = html.fragment_fromstring(
            self.Dashboard._render_top_debtors([]), create_parent="div"
        )
        self.assertEqual(empty.xpath("p")[0].text_content(), "No overdue debtor.")
        self.assertFalse(empty.xpath("//table"))
        empty = html.fragment_fromstring(
            self.Dashboard.create({})._render_alerts([]), create_parent="div"
        )
        self.assertEqual(empty.xpath("p")[0].text_content(), "No alert.")
        self.assertFalse(empty.xpath("//table"))

    def test_alerts(self):
        crossed = self._create_debtor("Crossed SA")
        self._invoice(crossed, 100, self.today - timedelta(days=93))
        older = self._create_debtor("Older SA")
        self._invoice(older, 100, self.today - timedelta(days=120))
        promise_debtor = self._create_debtor("Promise SA")
        self._invoice(promise_debtor, 100, self.today - timedelta(days=10))
        promise = self.env["dunning.promise"].create(
            {"partner_id": promise_debtor.id, "date": self.today - timedelta(days=3)}
        )
        promise.write({"state": "broken", "date_broken": self.today - timedelta(2)})
        bounced = self._create_debtor("Bounced SA")
        self._invoice(bounced, 100, self.today - timedelta(days=10))
        bounced.message_bounce = 2
        failed = self._create_debtor("Failed SA")
        self._invoice(failed, 100, self.today - timedelta(days=10))
        action = self.env["dunning.action"].create(
            {
                "partner_id": failed.id,
                "level_id": self.lvl_1.id,
                "currency_id": self.company.currency_id.id,
                "date": self.today - timedelta(days=1),
                "state": "done",
            }
        )
        message = failed.message_post(body="Reminder")
        action.message_id = message
        self.env["mail.mail"].create(
            {"mail_message_id": message.id, "body_html": "x", "state": "exception"}
        )
        alerts = {
            (kind, partner.name)
            for kind, partner in self.Dashboard._dunning_alerts(
                self.company, today=self.today
            )
        }
        self.assertIn(("over_90", "Crossed SA"), alerts)
        self.assertNotIn(("over_90", "Older SA"), alerts)
        self.assertIn(("promise_broken", "Promise SA"), alerts)
        self.assertIn(("bounced", "Bounced SA"), alerts)
        self.assertIn(("bounced", "Failed SA"), alerts)
        self.assertFalse({a for a in alerts if a[0] == "grade_dropped"})
        dashboard = self.Dashboard.create({})
        self.assertIn("Newly more than 90 days late", dashboard.alerts)
        # A week later the crossing is no news.
        later = self.Dashboard._dunning_alerts(
            self.company, today=self.today + timedelta(days=8)
        )
        self.assertNotIn("over_90", {kind for kind, _partner in later})
        # A collector only sees their own debtors' alerts.
        collector = self._collector("cockpit_alerts")
        crossed.dunning_collector_id = collector
        mine = self.Dashboard._dunning_alerts(
            self.company, collector=collector, today=self.today
        )
        self.assertEqual([(k, p.name) for k, p in mine], [("over_90", "Crossed SA")])

    def test_alerts_show_the_biggest_debtors_and_link_to_all(self):
        # Three debtors cross 90 days late: the cockpit lists the two with
        # the most at stake (their open receivables), counts and sums all
        # three, and links to the list of the three.
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_advanced.cockpit_alert_limit", "2"
        )
        crossed = {}
        for name, amount in (("Small SA", 100), ("Big SA", 300), ("Middle SA", 200)):
            crossed[name] = self._create_debtor(name)
            self._invoice(crossed[name], amount, self.today - timedelta(days=93))
        # Small SA owes more than its alerted invoice: 100 + 250 at stake.
        self._invoice(crossed["Small SA"], 250, self.today + timedelta(days=10))
        summary = {
            alert["kind"]: alert
            for alert in self.Dashboard._dunning_alert_summary(
                self.company, today=self.today
            )
        }
        over_90 = summary["over_90"]
        self.assertEqual(over_90["label"], "Newly more than 90 days late")
        self.assertEqual(over_90["count"], 3)
        self.assertAlmostEqual(over_90["amount"], 850.0)
        self.assertEqual(
            [(partner.name, amount) for partner, amount in over_90["debtors"]],
            [("Small SA", 350.0), ("Big SA", 300.0)],
        )
        self.assertEqual(over_90["more"], 1)
        # The full list keeps every alerted debtor.
        self.assertEqual(
            {
                partner.name
                for kind, partner in self.Dashboard._dunning_alerts(
                    self.company, today=self.today
                )
                if kind == "over_90"
            },
            set(crossed),
        )
        # The form: two rows, then the link to all three.
        dashboard = self.Dashboard.create({})
        page = html.fragment_fromstring(dashboard.alerts, create_parent="div")
        body = page.xpath(
            "//table[contains(@class, 'o_dunning_alerts')]"
            "/tbody[@data-kind='over_90']"
        )[0]
        self.assertEqual(
            [
                a.text_content()
                for a in body.xpath(
                    "tr[not(contains(@class, 'o_dunning_alert_more'))]/td[1]/a"
                )
            ],
            ["Small SA", "Big SA"],
        )
        self.assertEqual(body.xpath("tr/td[3]")[0].text_content(), "$\xa0350.00")
        more = body.xpath("tr[contains(@class, 'o_dunning_alert_more')]//a")[0]
        self.assertEqual(more.text_content(), "and 1 more debtors ($\xa0850.00 in all)")
        self.assertIn("kind=over_90", more.get("href"))
        # In French: the words of i18n/fr.po (the message was missing from
        # it until its arguments were computed before it), the amounts
        # written the French way.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning_advanced"], ["fr_FR"], overwrite=True
        )
        french = self.Dashboard.with_context(lang="fr_FR").create({})
        body = html.fragment_fromstring(french.alerts, create_parent="div").xpath(
            "//table[contains(@class, 'o_dunning_alerts')]"
            "/tbody[@data-kind='over_90']"
        )[0]
        self.assertEqual(body.xpath("tr/td[3]")[0].text_content(), "$\xa0350,00")
        self.assertEqual(
            body.xpath("tr[contains(@class, 'o_dunning_alert_more')]//a")[
                0
            ].text_content(),
            "et 1 autres débiteurs ($\xa0850,00 au total)",
        )
        # The link's server action opens the list of the three debtors.
        action = (
            self.env.ref("account_dunning_advanced.dunning_alert_debtors_action")
            .with_context(params={"kind": "over_90", "company_id": self.company.id})
            .run()
        )
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(
            set(self.env["res.partner"].search(action["domain"]).mapped("name")),
            set(crossed),
        )
        # With the dashboard's collector filter: that collector's debtor only.
        collector = self._collector("cockpit_alert_more")
        crossed["Middle SA"].dunning_collector_id = collector
        mine = self.Dashboard._dunning_alert_debtors_action(
            {"kind": "over_90", "collector_id": str(collector.id)}
        )
        self.assertEqual(
            self.env["res.partner"].search(mine["domain"]), crossed["Middle SA"]
        )
        # The query string is the visitor's: a company they do not work in
        # is refused, not listed.
        other_company = self.setup_other_company()["company"]
        with self.assertRaises(AccessError):
            self.Dashboard.with_context(
                allowed_company_ids=self.company.ids
            )._dunning_alert_debtors_action(
                {"kind": "over_90", "company_id": str(other_company.id)}
            )


@tagged("post_install", "-at_install")
class TestCockpitTour(DunningCommon, HttpCase):
    def test_cockpit_tour(self):
        manager = new_test_user(
            self.env,
            login="cockpit_tour",
            password="cockpit_tour",
            groups="account_dunning_advanced.group_dunning_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        debtor = self._create_debtor("Cockpit Debtor")
        self._invoice(debtor, 1500, fields.Date.today() - timedelta(days=120))
        self.start_tour(
            "/odoo/action-account_dunning_advanced.dunning_dashboard_action",
            "account_dunning_advanced_cockpit",
            login=manager.login,
            timeout=180,
        )
