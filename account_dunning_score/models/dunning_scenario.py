# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.account_dunning_advanced.models.advisor.dunning_scenario import (
    SEGMENT_SEPARATOR,
)

#: The grade's part of an advisor segment key (``grade:<id>``, ``grade:none``).
GRADE_PREFIX = "grade:"


class DunningScenario(models.Model):
    """The advisor's segments: the debtors' payment grade."""

    _inherit = "dunning.scenario"

    @api.model
    def _dunning_advisor_segments(self, partner_ids, company):
        """Split the advisor's figures by the debtors' payment grade in
        company (one query for all of them): key ``grade:<id>``, or
        ``grade:none`` for a debtor without a score row ("Not graded")."""
        segments = super()._dunning_advisor_segments(partner_ids, company)
        if not partner_ids:
            return segments
        self.env["dunning.partner.score"].flush_model(
            ["partner_id", "company_id", "grade_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, grade_id
                  FROM dunning_partner_score
                 WHERE company_id = %(company)s
                   AND grade_id IS NOT NULL
                   AND partner_id = ANY(%(partners)s)
                """,
                company=company.id,
                partners=list(partner_ids),
            )
        )
        graded = dict(rows)
        for partner_id in partner_ids:
            grade_id = graded.get(partner_id)
            grade = f"{GRADE_PREFIX}{grade_id or 'none'}"
            other = segments.get(partner_id)
            segments[partner_id] = (
                f"{other}{SEGMENT_SEPARATOR}{grade}" if other else grade
            )
        return segments

    @api.model
    def _dunning_advisor_segment_part_labels(self, parts):
        """Name the grades' parts in the reader's language (one read)."""
        labels = super()._dunning_advisor_segment_part_labels(parts)
        ids = {
            part: part[len(GRADE_PREFIX) :]
            for part in parts
            if part.startswith(GRADE_PREFIX)
        }
        grades = (
            self.env["dunning.score.grade"]
            .sudo()
            .browse(int(i) for i in ids.values() if i.isdigit())
            .exists()
        )
        names = {str(grade.id): grade.name for grade in grades}
        for part, grade_id in ids.items():
            labels[part] = names.get(grade_id) or self.env._("Not graded")
        return labels
