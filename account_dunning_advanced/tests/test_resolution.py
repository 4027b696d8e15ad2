# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One resolution of a debtor's scenario, level and collector.

The debtor's form (Python: rules, ``_matches``), the receivables analysis,
the forecast and the cockpit (SQL views) must show the same for the same
debtor: the views read what the planner resolved and stored
(``dunning.debtor.status``) and the planner's level fragment.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestResolution(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.Dashboard = cls.env["dunning.dashboard"]
        cls.Report = cls.env["dunning.receivable.report"]
        cls.Forecast = cls.env["dunning.forecast.report"]
        cls.vip_collector = new_test_user(
            cls.env,
            login="vip_collector",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.vip = cls._create_scenario(
            "VIP",
            [("Gentle", 10, cls.tpl_first, {}), ("Firm", 30, cls.tpl_second, {})],
            user_id=cls.vip_collector.id,
        )
        cls.gentle, cls.firm = cls.vip.level_ids.sorted("delay_days")
        cls.tag = cls.env["res.partner.category"].create({"name": "VIP"})
        cls.tag_rule = cls.env["dunning.scenario.rule"].create(
            {"scenario_id": cls.vip.id, "category_ids": [Command.set(cls.tag.ids)]}
        )
        cls.env["dunning.scenario.rule"].create(
            {
                "scenario_id": cls.vip.id,
                "country_ids": [Command.set(cls.env.ref("base.be").ids)],
            }
        )
        cls.tagged = cls._create_debtor(
            "Tagged SA", category_id=[Command.set(cls.tag.ids)]
        )
        cls.belgian = cls._create_debtor(
            "Belgian SA", country_id=cls.env.ref("base.be").id
        )

    def _done_reminder(self, partner, level, move, days_ago, state="done"):
        lines = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return self.env["dunning.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "scenario_id": level.scenario_id.id,
                "currency_id": self.company.currency_id.id,
                "date": self.today - timedelta(days=days_ago),
                "line_ids": [Command.set(lines.ids)],
                "state": state,
            }
        )

    def _shown(self, partner):
        """What each screen shows for partner: (scenario, level, collector)."""
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.Report.search(
            [("company_id", "=", self.company.id), ("partner_id", "=", partner.id)]
        )
        self.assertTrue(rows)
        kpis = self.Dashboard._dunning_kpis(self.company, today=self.today)
        top = next(row for row in kpis["top"] if row["partner"] == partner)
        form = partner.with_company(self.company)
        forecast = self.Forecast.search([("partner_id", "=", partner.id)])
        self.assertEqual(forecast.collector_id, rows.collector_id)
        return {
            "form": (
                form.dunning_effective_scenario_id,
                form.dunning_level_id,
                form.dunning_effective_collector_id,
            ),
            "analysis": (
                rows.scenario_id,
                rows.filtered("level_id").sorted("days_late")[-1:].level_id,
                rows.collector_id,
            ),
            "cockpit": (rows.scenario_id, top["level"], rows.collector_id),
        }

    def test_rule_matched_debtor_same_everywhere(self):
        # A tag rule and a country rule send both debtors to the VIP
        # scenario, whose default collector follows them; nothing forced.
        for partner in (self.tagged, self.belgian):
            move = self._invoice(partner, 500, self.today - timedelta(days=40))
            self._done_reminder(partner, self.gentle, move, 25)
            shown = self._shown(partner)
            expected = (self.vip, self.gentle, self.vip_collector)
            self.assertEqual(shown["form"], expected, partner.name)
            self.assertEqual(shown["analysis"], expected, partner.name)
            self.assertEqual(shown["cockpit"], expected, partner.name)
        # The cockpit filtered on the VIP scenario or its collector counts
        # them; the drill-down lists their lines.
        values = self.Dashboard._dunning_kpis(
            self.company, scenario=self.vip, today=self.today
        )
        self.assertEqual(values["total_receivable"], 1000)
        dashboard = self.Dashboard.create({"collector_id": self.vip_collector.id})
        action = dashboard.action_open_receivables()
        self.assertEqual(
            self.Report.search(action["domain"]).partner_id,
            self.tagged | self.belgian,
        )
        # The debtor of no rule stays in the default scenario.
        self._invoice(self.debtor, 100, self.today - timedelta(days=10))
        shown = self._shown(self.debtor)
        self.assertEqual(shown["analysis"][0], self.scenario)
        self.assertEqual(shown["form"][0], self.scenario)

    def test_views_follow_forced_values_without_planner(self):
        self._invoice(self.tagged, 500, self.today - timedelta(days=40))
        self.assertEqual(self._shown(self.tagged)["analysis"][0], self.vip)
        # Forced scenario: the analysis and the cockpit follow at once.
        self.tagged.with_company(self.company).dunning_scenario_id = self.scenario
        shown = self._shown(self.tagged)
        self.assertEqual(shown["analysis"][0], self.scenario)
        self.assertEqual(shown["form"][0], self.scenario)
        # The default scenario has no collector: the salesperson.
        self.assertEqual(shown["analysis"][2], self.env["res.users"])
        salesman = new_test_user(
            self.env,
            login="salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.tagged.user_id = salesman
        self.assertEqual(self._shown(self.tagged)["analysis"][2], salesman)
        # Forced collector.
        collector = new_test_user(
            self.env,
            login="forced_collector",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.tagged.dunning_collector_id = collector
        shown = self._shown(self.tagged)
        self.assertEqual(shown["analysis"][2], collector)
        self.assertEqual(shown["form"][2], collector)
        values = self.Dashboard._dunning_kpis(
            self.company, collector=collector, today=self.today
        )
        self.assertEqual(values["total_receivable"], 500)

    def test_rules_and_default_edits_follow(self):
        self._invoice(self.debtor, 100, self.today - timedelta(days=10))
        self.assertEqual(self._shown(self.debtor)["analysis"][0], self.scenario)
        # The debtor receives the tag of a rule.
        self.debtor.category_id = [Command.link(self.tag.id)]
        shown = self._shown(self.debtor)
        self.assertEqual(shown["analysis"][0], self.vip)
        self.assertEqual(shown["form"][0], self.vip)
        # The rule now asks for another tag, then for the debtor's again.
        other = self.env["res.partner.category"].create({"name": "Other"})
        self.tag_rule.category_ids = other
        self.assertEqual(self._shown(self.debtor)["analysis"][0], self.scenario)
        self.tag_rule.category_ids = self.tag
        self.assertEqual(self._shown(self.debtor)["analysis"][0], self.vip)
        # Another default scenario takes the debtors of no rule.
        self.debtor.category_id = [Command.clear()]
        other_default = self._create_scenario(
            "New default", [("Only", 15, self.tpl_first, {})]
        )
        self.scenario.is_default = False
        other_default.is_default = True
        shown = self._shown(self.debtor)
        self.assertEqual(shown["analysis"][0], other_default)
        self.assertEqual(shown["form"][0], other_default)
        # The VIP scenario archived: its debtors go to the default one.
        self.debtor.category_id = [Command.link(self.tag.id)]
        self.assertEqual(self._shown(self.debtor)["analysis"][0], self.vip)
        self.vip.active = False
        shown = self._shown(self.debtor)
        self.assertEqual(shown["analysis"][0], other_default)
        self.assertEqual(shown["form"][0], other_default)

    def test_draft_reminder_does_not_change_level(self):
        move = self._invoice(self.tagged, 500, self.today - timedelta(days=40))
        self._done_reminder(self.tagged, self.gentle, move, 25)
        # A newer reminder still to validate: not reached yet (as the planner).
        self._done_reminder(self.tagged, self.firm, move, 1, state="draft")
        shown = self._shown(self.tagged)
        self.assertEqual(shown["form"][1], self.gentle)
        self.assertEqual(shown["analysis"][1], self.gentle)
        self.assertEqual(shown["cockpit"][1], self.gentle)
        plan_lines = self.env["dunning.planner"]._fetch_lines(
            self.company, self.tagged.ids
        )
        self.assertEqual(
            [line.reached_level_id for line in plan_lines], [self.gentle.id]
        )
