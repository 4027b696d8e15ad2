# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError


class DunningInterestRateImport(models.TransientModel):
    """Upload the ECB's published main refinancing rates (CSV)."""

    _name = "dunning.interest.rate.import"
    _description = "Import of the ECB refinancing rates"

    file = fields.Binary(string="CSV file", required=True, attachment=False)
    filename = fields.Char()
    date_from = fields.Date(
        string="From",
        help="First half-year to set. Empty: from the earliest half-year of the "
        "table.",
    )

    def action_import(self):
        """Set the ECB rate of each half-year from the file; open the table."""
        self.ensure_one()
        try:
            content = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The file could not be read.")) from error
        rows = self.env["dunning.interest.rate"]._import_ecb_rates(
            content, date_from=self.date_from, filename=self.filename
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_interest_rate_action"
        )
        action["domain"] = [("id", "in", rows.ids)]
        return action
