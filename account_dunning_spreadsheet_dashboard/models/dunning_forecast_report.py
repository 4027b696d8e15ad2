# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL


class DunningForecastReport(models.Model):
    _inherit = "dunning.forecast.report"

    is_upcoming = fields.Boolean(
        string="Expected from today on",
        readonly=True,
        help="The cash expected today or in the coming weeks (late amounts the "
        "recovery curve expects again included), not the amounts left on their "
        "past date.",
    )

    @property
    def _table_query(self):
        """Add ``is_upcoming``: the dashboard's chart of the coming weeks reads
        it, as a dashboard's domain cannot hold today's date."""
        return SQL(
            # CURRENT_DATE, as the forecast's own dates and ``is_late``.
            "SELECT forecast.*, forecast.expected_date >= CURRENT_DATE "
            "AS is_upcoming FROM (%s) forecast",
            super()._table_query,
        )
