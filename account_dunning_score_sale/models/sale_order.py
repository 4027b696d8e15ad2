# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_credit_warning = fields.Char(
        string="Credit warning", compute="_compute_dunning_credit_warning"
    )
    dunning_credit_policy = fields.Selection(
        related="partner_id.commercial_partner_id.dunning_credit_policy",
        string="Credit policy",
    )
    dunning_credit_approved = fields.Boolean(
        string="Credit rule waived",
        copy=False,
        readonly=True,
        tracking=True,
        help="A collections manager accepted this order despite the deposit "
        "or payment in advance required by the customer's credit rule.",
    )

    @api.depends("partner_id", "company_id", "state")
    def _compute_dunning_credit_warning(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            order.dunning_credit_warning = (
                partner.dunning_credit_message
                if partner and order.state in ("draft", "sent")
                else False
            )

    def _dunning_check_credit_rule(self):
        """Refuse to confirm orders that the customer's credit rule blocks.

        Hold: always refused. Payment in advance or deposit: refused unless a
        collections manager waived the rule on the order.
        """
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            policy = partner.dunning_credit_policy
            if policy == "hold" or (
                policy in ("advance", "deposit") and not order.dunning_credit_approved
            ):
                message = partner.dunning_credit_message
                if policy != "hold":
                    message = self.env._(
                        "%(message)s\nA collections manager can waive the rule "
                        'on the order ("Waive the credit rule").',
                        message=message,
                    )
                raise UserError(message)

    def action_confirm(self):
        self._dunning_check_credit_rule()
        return super().action_confirm()

    def action_dunning_credit_approve(self):
        """Waive the deposit / payment in advance rule for these orders."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only collections managers can waive a credit rule.")
            )
        self.sudo().dunning_credit_approved = True
        return True
