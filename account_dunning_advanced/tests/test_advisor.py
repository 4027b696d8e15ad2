# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scenario advisor on the database: the history read in one query, the
figures on the scenario, "Create this scenario" and a scenario without
history."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestAdvisor(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advised = cls._create_scenario(
            "Advised",
            [("L1", 5, cls.tpl_first, {}), ("L2", 20, cls.tpl_second, {})],
        )
        cls.lvl_a1, cls.lvl_a2 = cls.advised.level_ids.sorted("delay_days")
        cls.payer = cls._create_debtor("Payer SARL", dunning_scenario_id=cls.advised.id)

    def _history(self):
        """The engine test's hand-built history, through real runs: i1 paid
        3 days after its due date, before any reminder; i2 3 days after the
        first reminder; i3 2 days after the second; i4 open after both;
        i5 due 2026-06-20, reminded on 06-25, open."""
        due = "2026-03-01"
        i1, i2, i3, i4 = (self._invoice(self.payer, 100, due) for _i in range(4))
        i5 = self._invoice(self.payer, 100, "2026-06-20")
        self._pay(i1, on=d("2026-03-04"))
        self._run("2026-03-06")
        self._pay(i2, on=d("2026-03-09"))
        self._run("2026-03-21")
        self._pay(i3, on=d("2026-03-23"))
        self._run("2026-06-25")
        return i1, i2, i3, i4, i5

    def _analyse(self, on="2026-06-30"):
        self.env["dunning.scenario.analysis"]._dunning_analyse(self.company, d(on))
        return self.advised.advisor_analysis_id

    def test_figures_on_the_scenario(self):
        self._history()
        # Two actions of the first level (one per run) for four invoices:
        # the figures count the invoices reminded.
        first_actions = self._actions(self.payer, level_id=self.lvl_a1.id)
        self.assertEqual(len(first_actions), 2)
        self.assertEqual(len(first_actions.line_ids), 4)
        analysis = self._analyse()
        self.assertEqual(analysis.date, d("2026-06-30"))
        self.assertEqual(analysis.date_from, d("2025-06-30"))
        self.assertEqual(
            (analysis.invoice_count, analysis.paid_count, analysis.open_count),
            (5, 3, 2),
        )
        self.assertEqual(analysis.reminder_count, 6)
        self.assertEqual(analysis.median_days, 22)
        self.assertEqual(
            [(p.day, round(p.unpaid, 2), p.at_risk) for p in analysis.point_ids],
            [(3, 80.0, 5), (8, 60.0, 4), (22, 30.0, 2)],
        )
        first, second = analysis.level_stat_ids.sorted("level_sequence")
        self.assertEqual(first.level_id, self.lvl_a1)
        self.assertEqual(first.reminder_count, 4)
        self.assertAlmostEqual(first.paid_7, 25.0)
        self.assertAlmostEqual(first.paid_30, 62.5)
        self.assertAlmostEqual(first.amount_paid_30, 200 / 3)
        self.assertAlmostEqual(first.before_7, 20.0)
        self.assertEqual(first.median_days, 17)
        self.assertEqual(second.reminder_count, 2)
        self.assertAlmostEqual(second.paid_7, 50.0)
        self.assertAlmostEqual(second.before_15, 25.0)
        self.assertEqual(second.median_days, 2)
        self.assertFalse(analysis.suggestion_ids, "4 reminders: too few to judge")
        self.assertIn("<polyline", analysis.curve_svg)
        # The other scenarios are analysed too, without this history.
        self.assertEqual(self.scenario.advisor_analysis_id.invoice_count, 0)
        # Analysing again replaces the snapshot.
        again = self._analyse()
        self.assertFalse(analysis.exists())
        self.assertEqual(again.invoice_count, 5)

    def test_history_is_one_query(self):
        self._history()
        self.env.flush_all()
        Analysis = self.env["dunning.scenario.analysis"]
        # The history, and the debtors' segments when an addon splits them
        # (the score's grades: one query).
        with self.assertQueryCount(2):
            history = Analysis._dunning_history(
                self.company, d("2025-06-30"), d("2026-06-30")
            )
        self.assertEqual(len(history[self.advised.id]), 5)

    def test_no_history(self):
        form = Form(self.advised)
        self.assertFalse(form.advisor_analysis_id)
        analysis = self._analyse()
        self.assertEqual(analysis.invoice_count, 0)
        self.assertFalse(analysis.point_ids)
        self.assertFalse(analysis.level_stat_ids)
        self.assertFalse(analysis.curve_svg)
        form = Form(self.advised)
        self.assertEqual(form.advisor_invoice_count, 0)

    def _suggestion(self, kind, level, **vals):
        analysis = self._analyse()
        return self.env["dunning.scenario.suggestion"].create(
            {"analysis_id": analysis.id, "kind": kind, "level_id": level.id, **vals}
        )

    def _draft(self, suggestion):
        action = suggestion.action_create_scenario()
        draft = self.env["dunning.scenario"].browse(action["res_id"])
        self.assertEqual(suggestion.draft_scenario_id, draft)
        self.assertFalse(draft.active, "a draft: archived")
        self.assertFalse(draft.is_default)
        self.assertFalse(draft.rule_ids)
        self.assertEqual(len(self.advised.level_ids), 2, "the original is intact")
        resolved = self.env["dunning.scenario"]._resolve_for_partners(
            self.payer | self.debtor, self.company
        )
        self.assertEqual(resolved[self.payer.id], self.advised, "nobody assigned")
        self.assertNotIn(draft, list(resolved.values()))
        return draft

    def test_create_scenario_drop(self):
        self.advised.rule_ids = [Command.create({"sequence": 1})]
        draft = self._draft(self._suggestion("drop", self.lvl_a1))
        self.assertEqual(draft.level_ids.mapped("name"), ["L2"])
        self.assertEqual(draft.level_ids.delay_days, 20)
        self.assertEqual(draft.level_ids.mail_template_id, self.tpl_second)

    def test_create_scenario_shorten(self):
        draft = self._draft(self._suggestion("shorten", self.lvl_a2, new_delay=12))
        self.assertEqual(
            [(lvl.name, lvl.delay_days) for lvl in draft.level_ids],
            [("L1", 5), ("L2", 12)],
        )

    def test_create_scenario_channel(self):
        suggestion = self._suggestion("channel", self.lvl_a2, channel="phone")
        draft = self._draft(suggestion)
        second = draft.level_ids.filtered(lambda lvl: lvl.name == "L2")
        self.assertTrue(second.channel_phone)
        self.assertTrue(second.channel_email)
        self.assertFalse(draft.level_ids.filtered(lambda lvl: lvl.name == "L1")
                         .channel_phone)  # fmt: skip
        self.assertIn("phone call", suggestion.description)


@tagged("post_install", "-at_install")
class TestAdvisorCron(DunningCommon):
    def test_cron_analyses_every_company(self):
        other = self.env["res.company"].create({"name": "Advisor Cron SA"})
        other_scenario = self.env["dunning.scenario"].search(
            [("company_id", "=", other.id)]
        )
        self.assertEqual(len(other_scenario), 1, "the new company's default one")
        debtor = self._create_debtor("Cron Payer", dunning_scenario_id=self.scenario.id)
        self._pay(self._invoice(debtor, 100, "2026-06-01"), on=d("2026-06-04"))
        self.assertFalse(self.scenario.advisor_analysis_id)
        with freeze_time("2026-06-30"):
            self.env["dunning.scenario.analysis"]._cron_analyse()
        for scenario in self.scenario | other_scenario:
            self.assertEqual(scenario.advisor_date, d("2026-06-30"), scenario.name)
        self.assertEqual(self.scenario.advisor_analysis_id.invoice_count, 1)
        self.assertEqual(self.scenario.advisor_analysis_id.median_days, 3)
        self.assertEqual(other_scenario.advisor_analysis_id.invoice_count, 0)
        cron = self.env.ref(
            "account_dunning_advanced.ir_cron_dunning_scenario_analysis"
        )
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
