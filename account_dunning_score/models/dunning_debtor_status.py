# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningDebtorStatus(models.Model):
    _inherit = "dunning.debtor.status"

    @api.model
    def _dunning_resolution_moves(self, company):
        """A rule on the payment grade: the grade moves with each scoring."""
        return super()._dunning_resolution_moves(company) or bool(
            self.env["dunning.scenario.rule"]
            .sudo()
            .search_count(
                [("company_id", "=", company.id), ("grade_ids", "!=", False)],
                limit=1,
            )
        )
