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

    dunning_page_max_copies = fields.Integer(
        string="Payment page: copy requests per day",
        default=3,
        help="Copies a debtor may ask for in 24 hours from one payment page "
        "link (or, logged in, from the portal); beyond, nothing is recorded "
        "and the page asks to come back later.",
    )
    dunning_page_max_disputes = fields.Integer(
        string="Payment page: disputes per day",
        default=5,
        help="Disputes a debtor may file in 24 hours from one payment page "
        "link (or, logged in, from the portal).",
    )
    dunning_page_max_promises = fields.Integer(
        string="Payment page: promises per day",
        default=3,
        help="Promises to pay a debtor may make in 24 hours from one payment "
        "page link (or, logged in, from the portal).",
    )

    @api.constrains(
        "dunning_page_max_copies",
        "dunning_page_max_disputes",
        "dunning_page_max_promises",
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
                    company.dunning_page_max_copies,
                    company.dunning_page_max_disputes,
                    company.dunning_page_max_promises,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The payment page's link validity, payment plan "
                        "limits and daily limits cannot be negative."
                    )
                )
