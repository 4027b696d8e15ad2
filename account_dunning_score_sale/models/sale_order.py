# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import format_date

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
            warnings = [partner.dunning_credit_message] if partner else []
            # Insolvency proceedings: a new sale is a later debt, paid normally
            # (L622-17), but the customer is at risk.
            if partner.sudo().dunning_in_proceedings:
                warnings.insert(
                    0,
                    self.env._(
                        "Customer under insolvency proceedings since %(date)s: "
                        "ask for payment on order.",
                        date=format_date(
                            self.env, partner.sudo().dunning_proceeding_date
                        ),
                    ),
                )
            order.dunning_credit_warning = (
                " ".join(filter(None, warnings))
                if order.state in ("draft", "sent")
                else False
            ) or False

    def _dunning_credit_blocked(self):
        """Return the orders that the customer's credit rule blocks.

        Hold: always blocked, unless a collections manager overrode the hold
        of a natural person. Payment in advance or deposit: blocked unless a
        collections manager waived the rule on the order.
        """
        blocked = self.browse()
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            policy = partner.dunning_credit_policy
            if (policy == "hold" and not partner.dunning_credit_hold_overridden) or (
                policy in ("advance", "deposit") and not order.dunning_credit_approved
            ):
                blocked |= order
        return blocked

    def _dunning_check_credit_rule(self):
        """Refuse to confirm orders that the customer's credit rule blocks.

        The message names the payment grade only to the users allowed to
        read it (accounting and collections).
        """
        for order in self._dunning_credit_blocked():
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            message = partner.dunning_credit_message
            if partner.dunning_credit_policy != "hold":
                message = self.env._(
                    "%(message)s\nA collections manager can waive the rule "
                    'on the order ("Waive the credit rule").',
                    message=message,
                )
            elif partner.dunning_natural_person:
                message = self.env._(
                    "%(message)s\nA collections manager can override the hold "
                    "of this person, with a reason, on the contact.",
                    message=message,
                )
            raise UserError(message)

    def _dunning_hold_for_review(self):
        """Keep these orders, accepted by the customer, for the salesperson.

        The customer only reads a generic message; the salesperson gets an
        internal note and a to-do activity with the credit rule (never the
        payment grade: the salesperson may not be allowed to read it).
        """
        for order in self.sudo():
            partner = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            rule = partner.sudo().dunning_credit_rule_id
            # Never the grade: the note is read by every salesperson.
            details = rule._get_message(partner, with_grade=False) if rule else ""
            order.message_post(
                body=self.env._(
                    "Thank you for your acceptance. Our team will confirm your "
                    "order shortly."
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            note = self.env._(
                "The customer accepted the quotation online, but it was not "
                "confirmed: %(details)s",
                details=details,
            )
            order._message_log(body=note)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Credit rule: confirm or refuse the order"),
                note=note,
                user_id=(order.user_id or self.env.ref("base.user_admin")).id,
            )

    @api.model
    def _dunning_confirmed_by_customer(self):
        """Whether a customer confirms (portal acceptance, online payment).

        The portal runs the confirmation as the superuser: the user of the
        request tells who the customer is.
        """
        return bool(request) and not request.env.user._is_internal()

    def action_confirm(self):
        if self._dunning_confirmed_by_customer():
            # A customer accepting on the portal (or paying online): no
            # credit detail for them, the salesperson decides.
            blocked = self._dunning_credit_blocked()
            blocked._dunning_hold_for_review()
            if not self - blocked:
                return True
            return super(SaleOrder, self - blocked).action_confirm()
        self._dunning_check_credit_rule()
        return super().action_confirm()

    def action_dunning_credit_approve(self):
        """Waive the deposit / payment in advance rule for these orders."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only collections managers can waive a credit rule.")
            )
        # The manager may not have the sales rights: the waiver flag only,
        # on orders they can see.
        self.check_access("read")
        self.sudo().dunning_credit_approved = True
        return True
