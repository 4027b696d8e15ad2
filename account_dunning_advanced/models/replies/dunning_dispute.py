# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class DunningDispute(models.Model):
    """A dispute (litige) on one or several invoices of a debtor.

    While it is open its invoices are left out of every reminder; rejected,
    they come back at the level they had reached.
    """

    _name = "dunning.dispute"
    _description = "Collections dispute"
    _inherit = "dunning.debtor.record"
    move_ids = fields.Many2many(
        "account.move",
        "dunning_dispute_move_rel",
        "dispute_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    reason_id = fields.Many2one("dunning.dispute.reason", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who solves the dispute.",
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("resolved", "Resolved"),
            ("credit_note", "Credit note issued"),
            ("rejected", "Rejected"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    description = fields.Html()
    amount = fields.Monetary(
        string="Disputed amount",
        compute="_compute_amount",
        currency_field="currency_id",
        help="Open amount of the disputed invoices (company currency).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_closed = fields.Date(readonly=True, copy=False)

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount(self):
        for dispute in self:
            dispute.amount = sum(dispute.move_ids.mapped("amount_residual_signed"))

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        disputes._log_on_invoices(self.env._("Dispute %(name)s opened: %(reason)s"))
        return disputes

    def _log_on_invoices(self, template):
        for dispute in self:
            body = template % {
                "name": dispute.name,
                "reason": dispute.reason_id.name,
                "state": dict(self._fields["state"]._description_selection(self.env))[
                    dispute.state
                ],
            }
            for move in dispute.move_ids:
                move.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _close(self, state):
        if any(dispute.state != "open" for dispute in self):
            raise UserError(self.env._("Only an open dispute can be closed."))
        self.write({"state": state, "date_closed": fields.Date.context_today(self)})
        self._log_on_invoices(self.env._("Dispute %(name)s closed: %(state)s"))
        return True

    def action_resolve(self):
        """The dispute is settled in the debtor's favour without credit note."""
        return self._close("resolved")

    def action_credit_note(self):
        """A credit note settles the dispute."""
        return self._close("credit_note")

    def action_reject(self):
        """The claim is rejected: the invoices are chased again."""
        return self._close("rejected")

    def action_reopen(self):
        """Open the dispute again."""
        self.write({"state": "open", "date_closed": False})
        return True
