# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The declaration of overdue debt to the credit insurer: the figures come
from ``dunning.credit.limit._dunning_declaration_values``."""

from odoo import api, fields, models


class ReportDunningCreditDeclaration(models.AbstractModel):
    _name = "report.account_dunning_advanced.report_credit_declaration"
    _description = "Collections: declaration of overdue debt to the insurer"

    @api.model
    def _get_report_values(self, docids, data=None):
        limits = self.env["dunning.credit.limit"].browse(docids)
        on_date = fields.Date.to_date((data or {}).get("date"))
        return {
            "doc_ids": docids,
            "doc_model": "dunning.credit.limit",
            "docs": limits,
            "declarations": {
                limit.id: limit._dunning_declaration_values(on_date) for limit in limits
            },
        }
