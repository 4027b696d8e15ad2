# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_payment_link_validity = fields.Integer(
        string="Payment link validity (days)",
        default=90,
        help="Days a payment page link sent in a reminder stays valid; "
        "0: until the debtor's links are regenerated.",
    )
