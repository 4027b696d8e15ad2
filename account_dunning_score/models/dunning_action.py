# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class DunningAction(models.Model):
    _inherit = "dunning.action"

    grade_id = fields.Many2one(
        "dunning.score.grade",
        compute="_compute_grade_id",
        store=True,
        index=True,
        help="The debtor's payment grade in the company when the action was "
        "made (the lists of actions filter and group by it).",
    )

    @api.depends("partner_id", "company_id")
    def _compute_grade_id(self):
        """Read the score rows of the actions' debtors at once (one query)."""
        scores = (
            self.env["dunning.partner.score"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["partner_id", "company_id", "grade_id"],
            )
        )
        grades = {
            (partner.id, company.id): grade.sudo(False)
            for partner, company, grade in scores
        }
        empty = self.env["dunning.score.grade"]
        for action in self:
            action.grade_id = grades.get(
                (action.partner_id.commercial_partner_id.id, action.company_id.id),
                empty,
            )
