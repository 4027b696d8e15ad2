# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_tolerance = fields.Monetary(
        string="Collections tolerance",
        currency_field="currency_id",
        default=1.0,
        help="Open amounts below this (company currency) are not chased: "
        "rounding leftovers, small differences.",
    )
