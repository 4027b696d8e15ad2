# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The proof of claim (déclaration de créance, Code de commerce L622-24,
R622-23): the figures come from ``dunning.proceeding._dunning_claim_values``."""

from odoo import api, models


class ReportDunningClaim(models.AbstractModel):
    _name = "report.account_dunning_advanced.report_dunning_claim"
    _description = "Collections: proof of claim"

    @api.model
    def _get_report_values(self, docids, data=None):
        proceedings = self.env["dunning.proceeding"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "dunning.proceeding",
            "docs": proceedings,
            "claims": {
                proceeding.id: proceeding._dunning_claim_values()
                for proceeding in proceedings
            },
        }
