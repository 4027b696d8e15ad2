# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Odoo's group option: checked, the salespeople's group implies the
    # collections viewer group; unchecked, both go.
    group_dunning_viewer_sale = fields.Boolean(
        string="Salespeople see collections",
        group="sales_team.group_sale_salesman",
        implied_group="account_dunning_advanced.group_dunning_viewer",
        help="The salespeople see the collections tab of their customers and "
        "the customer's collections on the quotation, read-only.",
    )
