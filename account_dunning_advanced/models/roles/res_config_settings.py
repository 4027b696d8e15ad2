# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.config.settings"

    # Odoo's group option: checked, the accounting users' group implies the
    # viewer group; unchecked, the implication goes and so does the viewer
    # right of the users who had it only that way.
    group_dunning_viewer_invoice = fields.Boolean(
        string="Accounting users see collections",
        group="account.group_account_invoice",
        implied_group="account_dunning_advanced.group_dunning_viewer",
        help="The invoicing and accounting users see the collections tab of "
        "the customers and the Collections dashboard, read-only.",
    )
