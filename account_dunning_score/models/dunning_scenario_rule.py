# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningScenarioRule(models.Model):
    _inherit = "dunning.scenario.rule"

    grade_ids = fields.Many2many(
        "dunning.score.grade",
        "dunning_scenario_rule_score_grade_rel",
        "rule_id",
        "grade_id",
        string="Payment grades",
        help="The debtor has one of these payment grades in the company of "
        "the scenario.",
    )

    def _matches(self, partner, overdue_amount):
        # partner.dunning_grade_id is computed for the whole prefetch set of
        # partners at its first read: one query, then cache lookups.
        if not super()._matches(partner, overdue_amount):
            return False
        if self.grade_ids and partner.dunning_grade_id not in self.grade_ids:
            return False
        return True
