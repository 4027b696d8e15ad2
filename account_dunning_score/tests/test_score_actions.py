# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ScoreCommon


@tagged("post_install", "-at_install")
class TestScoreActions(ScoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strict = cls._create_scenario(
            "Strict", [("Immediate", 1, cls.tpl_final, {})]
        )
        cls.strict.rule_ids = [
            Command.create(
                {"grade_ids": [Command.set([cls.grades["D"].id, cls.grades["E"].id])]}
            )
        ]

    def _resolve(self, partners):
        return self.env["dunning.scenario"]._resolve_for_partners(
            partners, self.company
        )

    def test_scenario_by_grade(self):
        good = self._create_debtor("Good", with_contacts=False)
        self._history(good, [(100, "2026-05-31", 0)] * 3)
        self._score()
        partners = self.debtor | good
        result = self._resolve(partners)
        self.assertEqual(result[self.debtor.id], self.strict)  # grade D
        self.assertEqual(result[good.id], self.scenario)  # grade A: default
        # The grades are read once for all the debtors, not per debtor: as
        # many queries for 2 debtors as for 6.
        more = partners
        for index in range(4):
            more |= self._create_debtor(f"Other {index}", with_contacts=False)
        counts = []
        for group in (partners, more):
            self.env.invalidate_all()
            group = self.env["res.partner"].browse(group.ids)
            queries = self.env.cr.sql_log_count
            self._resolve(group)
            counts.append(self.env.cr.sql_log_count - queries)
        self.assertGreater(counts[0], 0)
        self.assertEqual(counts[0], counts[1])

    def test_scenario_follows_behaviour(self):
        self._score()
        self.assertEqual(self._resolve(self.debtor)[self.debtor.id], self.strict)
        self.company.dunning_score_grade_d = 10
        self.company.dunning_score_grade_c = 20
        self._score()
        self.env.invalidate_all()
        self.assertEqual(self.debtor.dunning_grade_id.code, "C")
        self.assertEqual(self._resolve(self.debtor)[self.debtor.id], self.scenario)

    def test_forced_scenario_wins(self):
        self._score()
        self.debtor.dunning_scenario_id = self.scenario
        self.assertEqual(self._resolve(self.debtor)[self.debtor.id], self.scenario)

    def _credit_rule(self, policy, codes, **vals):
        return self.env["dunning.credit.rule"].create(
            {
                "name": policy.title(),
                "policy": policy,
                "grade_ids": [Command.set([self.grades[c].id for c in codes])],
                **vals,
            }
        )

    def test_credit_rule_deposit_and_limit(self):
        self._credit_rule("deposit", "DE", deposit_percent=30, credit_limit_months=2)
        self._score()
        self.env.invalidate_all()
        debtor = self.debtor
        self.assertEqual(debtor.dunning_credit_policy, "deposit")
        self.assertIn("deposit of 30.0 %", debtor.dunning_credit_message)
        # 5000 sold over 12 months x 2 months
        self.assertAlmostEqual(
            debtor.dunning_credit_limit_suggested, 5000 / 12 * 2, places=2
        )
        invoice = Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        )
        invoice.partner_id = debtor
        self.assertIn("deposit of 30.0 %", invoice.dunning_credit_warning)

    def test_credit_rule_advance_hold_none(self):
        rule = self._credit_rule("advance", "D")
        self._score()
        self.env.invalidate_all()
        self.assertEqual(self.debtor.dunning_credit_policy, "advance")
        self.assertIn("pay in advance", self.debtor.dunning_credit_message)
        rule.policy = "hold"
        self.env.invalidate_all()
        self.assertIn("on hold", self.debtor.dunning_credit_message)
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.debtor.id}
        )
        self.assertIn("on hold", draft.dunning_credit_warning)
        self.assertFalse(self.i5.dunning_credit_warning)  # posted: no warning
        rule.policy = "none"
        self.env.invalidate_all()
        self.assertFalse(self.debtor.dunning_credit_message)
        # No rule for the grade: no policy.
        rule.grade_ids = self.grades["A"]
        self.env.invalidate_all()
        self.assertFalse(self.debtor.dunning_credit_rule_id)

    def test_cron_and_buttons(self):
        self.env["dunning.partner.score"]._cron_compute_scores()
        self.assertTrue(self.debtor.dunning_score_id)
        self.env["dunning.partner.score"].search([]).unlink()
        self.debtor.action_dunning_compute_score()
        self.assertEqual(
            self.debtor.dunning_grade_id.code,
            self.debtor.dunning_score_id.grade_id.code,
        )
        action = self.env["dunning.partner.score"].action_compute_scores()
        self.assertEqual(action["tag"], "display_notification")
        history = self.debtor.action_view_dunning_score_history()
        self.assertEqual(history["res_model"], "dunning.partner.score.history")
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "outsider",
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["dunning.partner.score"].with_user(
                outsider
            ).action_compute_scores()
