# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningForecastReport(models.Model):
    _inherit = "dunning.forecast.report"

    @api.model
    def _select_expected_date(self):
        """The predicted payment date of the invoice, else due date + lag."""
        return f"COALESCE(am.dunning_predicted_date, {super()._select_expected_date()})"
