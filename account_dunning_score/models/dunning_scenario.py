# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.tools import SQL


class DunningScenario(models.Model):
    """The advisor's segments: the debtors' payment grade."""

    _inherit = "dunning.scenario"

    @api.model
    def _dunning_advisor_segments(self, partner_ids, company):
        """Split the advisor's figures by the debtors' payment grade in
        company (one query for all of them); a debtor without a score row
        is "Not graded"."""
        segments = super()._dunning_advisor_segments(partner_ids, company)
        if not partner_ids:
            return segments
        Grade = self.env["dunning.score.grade"].sudo()
        self.env["dunning.partner.score"].flush_model(
            ["partner_id", "company_id", "grade_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT score.partner_id, %(grade)s
                  FROM dunning_partner_score score
                  JOIN dunning_score_grade grade ON grade.id = score.grade_id
                 WHERE score.company_id = %(company)s
                   AND score.partner_id = ANY(%(partners)s)
                """,
                grade=Grade._field_to_sql("grade", "name"),
                company=company.id,
                partners=list(partner_ids),
            )
        )
        graded = dict(rows)
        not_graded = self.env._("Not graded")
        for partner_id in partner_ids:
            grade = graded.get(partner_id) or not_graded
            other = segments.get(partner_id)
            segments[partner_id] = f"{other} / {grade}" if other else grade
        return segments
