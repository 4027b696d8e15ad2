# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_payment_link_validity = fields.Integer(
        string="Payment link validity (days)",
        default=90,
        help="Days a payment page link sent in a reminder stays valid; "
        "0: until the debtor's links are regenerated.",
    )
    dunning_plan_max_instalments = fields.Integer(
        string="Payment page: maximum instalments",
        default=3,
        help="A payment plan asked for on the payment page with at most this "
        "many monthly instalments starts at once; beyond, it waits as a draft "
        "for the collector.",
    )
    dunning_plan_max_months = fields.Integer(
        string="Payment page: maximum months",
        default=6,
        help="The last instalment of a payment plan asked for on the payment "
        "page must fall within this many months for the plan to start at once.",
    )
    dunning_payment_allow_partial = fields.Boolean(
        string="Payment page: partial payments",
        help="Let the debtor pay a part of one invoice online; the rest stays "
        "due and chased.",
    )

    @api.constrains(
        "dunning_payment_link_validity",
        "dunning_plan_max_instalments",
        "dunning_plan_max_months",
    )
    def _check_dunning_payment_limits(self):
        for company in self:
            if (
                min(
                    company.dunning_payment_link_validity,
                    company.dunning_plan_max_instalments,
                    company.dunning_plan_max_months,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The payment page's link validity and payment plan "
                        "limits cannot be negative."
                    )
                )
