# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestCollectionsDashboard(DunningCommon):
    """The Collections dashboard loads and its data sources exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(
            "account_dunning_spreadsheet_dashboard.spreadsheet_dashboard_collections"
        )
        cls.viewer = cls._new_user(
            "dashboard_viewer",
            "base.group_user,account_dunning_advanced.group_dunning_viewer",
        )
        cls.collector = cls._new_user(
            "dashboard_collector", "account_dunning_advanced.group_dunning_user"
        )
        cls.other = cls._create_debtor(
            "Other SA", dunning_collector_id=cls.collector.id
        )

    def _snapshot(self, user):
        dashboard = self.dashboard.with_user(user)
        return dashboard.get_readonly_dashboard()["snapshot"]

    def _sources(self, snapshot):
        """Return [(name, model, measures, groupbys, domain, field matching)]."""
        sources = [
            (
                pivot["name"],
                pivot["model"],
                [measure["fieldName"] for measure in pivot["measures"]],
                [row["fieldName"] for row in pivot["rows"]]
                + [col["fieldName"] for col in pivot["columns"]],
                pivot["domain"],
                pivot["fieldMatching"],
            )
            for pivot in snapshot["pivots"].values()
        ]
        for sheet in snapshot["sheets"]:
            for figure in sheet["figures"]:
                data = figure["data"]
                if not data["type"].startswith("odoo_"):
                    continue
                meta = data["metaData"]
                sources.append(
                    (
                        data["title"]["text"],
                        meta["resModel"],
                        [meta["measure"]],
                        meta["groupBy"],
                        data["searchParams"]["domain"],
                        data["fieldMatching"],
                    )
                )
        return sources

    def test_viewer_sees_the_dashboard(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.viewer).search([]))
        self.assertIn(self.dashboard, Dashboard.with_user(self.collector).search([]))
        outsider = self._new_user("dashboard_outsider", "base.group_user")
        self.assertNotIn(self.dashboard, Dashboard.with_user(outsider).search([]))
        self.assertEqual(self.dashboard.dashboard_group_id.name, "Finance")

    def test_data_sources_exist(self):
        snapshot = self._snapshot(self.viewer)
        filters = {item["id"]: item for item in snapshot["globalFilters"]}
        self.assertEqual(
            sorted(item["label"] for item in filters.values()),
            ["Collector", "Company", "Period", "Scenario"],
        )
        sources = self._sources(snapshot)
        models = {source[1] for source in sources}
        self.assertEqual(
            models,
            {
                "dunning.receivable.report",
                "dunning.receivable.month",
                "dunning.forecast.report",
                "dunning.collected.report",
            },
        )
        self.assertEqual(len(snapshot["pivots"]), 3)
        self.assertEqual(len(sources), 9)
        for name, model, measures, groupbys, domain, matching in sources:
            with self.subTest(source=name):
                Model = self.env[model]
                for measure in measures:
                    self.assertIn(measure, Model._fields)
                    self.assertTrue(Model._fields[measure].aggregator)
                for groupby in groupbys:
                    self.assertIn(groupby.split(":")[0], Model._fields)
                # Every source follows the company and collector filters.
                for filter_id, match in matching.items():
                    item = filters[filter_id]
                    field = Model._fields[match["chain"]]
                    if item["type"] == "relation":
                        self.assertEqual(field.comodel_name, item["modelName"])
                    else:
                        self.assertEqual(field.type, "date")
                labels = {filters[key]["label"] for key in matching}
                self.assertTrue({"Company", "Collector", "Scenario"} <= labels)
                # What the dashboard asks, as the viewer, filtered by collector.
                Model.with_user(self.viewer).read_group(
                    [*domain, ("collector_id", "in", self.collector.ids)],
                    [
                        f"{measure}:{Model._fields[measure].aggregator}"
                        for measure in measures
                    ],
                    groupbys,
                    lazy=False,
                )

    def test_every_filter_bound_to_every_source(self):
        """Each global filter reaches each pivot and chart through the field
        of its concept; the period only the figures that have a date (the
        ageing and the forecast are today's)."""
        snapshot = self._snapshot(self.viewer)
        label_of = {item["id"]: item["label"] for item in snapshot["globalFilters"]}
        expected = {
            "dunning.receivable.report": {
                "Company": "company_id",
                "Collector": "collector_id",
                "Scenario": "scenario_id",
            },
            "dunning.forecast.report": {
                "Company": "company_id",
                "Collector": "collector_id",
                "Scenario": "scenario_id",
            },
            "dunning.receivable.month": {
                "Company": "company_id",
                "Collector": "collector_id",
                "Scenario": "scenario_id",
                "Period": "date",
            },
            "dunning.collected.report": {
                "Company": "company_id",
                "Collector": "collector_id",
                "Scenario": "scenario_id",
                "Period": "date",
            },
        }
        for name, model, _measures, _groupbys, _domain, matching in self._sources(
            snapshot
        ):
            with self.subTest(source=name):
                bound = {
                    label_of[filter_id]: match["chain"]
                    for filter_id, match in matching.items()
                    if match.get("chain")
                }
                self.assertEqual(bound, expected[model])

    def test_forecast_follows_the_scenario_filter(self):
        """The cash-in chart filtered on a scenario shows only the debtors of
        that scenario (the debtor's stored scenario, as the other figures)."""
        # The forecast reads today's date in SQL: due dates relative to it.
        today = fields.Date.context_today(self.env.user)
        legal = self._create_scenario(
            "Legal", [("Formal notice", 10, self.tpl_final, {})]
        )
        self.other.dunning_scenario_id = legal
        self._invoice(self.debtor, 300, today + timedelta(days=20))
        self._invoice(self.other, 700, today + timedelta(days=20))
        snapshot = self._snapshot(self.viewer)
        scenario_filter = next(
            item["id"]
            for item in snapshot["globalFilters"]
            if item["label"] == "Scenario"
        )
        chart = next(
            figure["data"]
            for sheet in snapshot["sheets"]
            for figure in sheet["figures"]
            if figure["data"].get("metaData", {}).get("resModel")
            == "dunning.forecast.report"
        )
        chain = chart["fieldMatching"][scenario_filter]["chain"]
        Forecast = self.env["dunning.forecast.report"].with_user(self.viewer)
        for scenario, debtor, amount in (
            (legal, self.other, 700),
            (self.scenario, self.debtor, 300),
        ):
            with self.subTest(scenario=scenario.name):
                rows = Forecast._read_group(
                    [
                        *chart["searchParams"]["domain"],
                        ("company_id", "in", self.company.ids),
                        (chain, "in", scenario.ids),
                    ],
                    ["partner_id"],
                    ["amount_residual:sum"],
                )
                self.assertEqual(rows, [(debtor, amount)])

    @freeze_time("2026-06-17")
    def test_figures_follow_the_collector_filter(self):
        with freeze_time("2026-06-17"):
            self._invoice(
                self.debtor, 300, d("2026-05-15"), invoice_date=d("2026-05-01")
            )
            late = self._invoice(
                self.other, 700, d("2026-05-15"), invoice_date=d("2026-05-01")
            )
            self._pay(late, amount=200, on=d("2026-06-02"))
        pivots = self._snapshot(self.viewer)["pivots"]
        top = next(p for p in pivots.values() if p["name"] == "Top debtors")
        by_collector = next(
            p for p in pivots.values() if p["name"] == "Collected per collector"
        )
        collector = [("collector_id", "in", self.collector.ids)]
        company = [("company_id", "in", self.company.ids)]
        rows = (
            self.env[top["model"]]
            .with_user(self.viewer)
            .read_group(
                top["domain"] + company + collector,
                ["overdue_amount:sum"],
                ["partner_id"],
                lazy=False,
            )
        )
        self.assertEqual(
            [(row["partner_id"][0], row["overdue_amount"]) for row in rows],
            [(self.other.id, 500)],
        )
        rows = (
            self.env[by_collector["model"]]
            .with_user(self.viewer)
            .read_group(
                by_collector["domain"] + company,
                ["amount:sum"],
                ["collector_id"],
                lazy=False,
            )
        )
        self.assertEqual(
            [(row["collector_id"][0], row["amount"]) for row in rows],
            [(self.collector.id, 200)],
        )


@tagged("post_install", "-at_install")
class TestCollectionsDashboardTour(HttpCase):
    def test_dashboard_tour(self):
        """Dashboards > Collections: the charts, then the collector filter."""
        self.env["res.users"].create(
            {
                "name": "Tour Collector",
                "login": "tour_collector",
                "groups_id": [
                    Command.link(
                        self.env.ref("account_dunning_advanced.group_dunning_user").id
                    )
                ],
            }
        )
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "account_dunning_spreadsheet_dashboard_tour",
            login="admin",
            timeout=180,
        )


@tagged("post_install", "-at_install")
class TestUpcomingForecast(DunningCommon):
    def test_upcoming_cash_in(self):
        # The forecast reads today's date in SQL (CURRENT_DATE): dates
        # relative to it. Without payment history, no recovery curve: each
        # invoice stays on its due date plus the transfer lag.
        today = fields.Date.context_today(self.env.user)
        self._invoice(self.debtor, 300, today + timedelta(days=20))
        self._invoice(self.debtor, 200, today - timedelta(days=60))
        rows = self.env["dunning.forecast.report"]._read_group(
            [("company_id", "=", self.company.id)],
            ["is_upcoming"],
            ["amount_residual:sum"],
        )
        self.assertEqual(dict(rows), {True: 300, False: 200})
