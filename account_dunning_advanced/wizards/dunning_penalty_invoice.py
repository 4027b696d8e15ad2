# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class DunningPenaltyInvoice(models.TransientModel):
    """Invoice the late-payment penalties not invoiced yet.

    A thin form: the invoices to consider, the preview and the invoicing are
    account.move's (``_dunning_penalty_candidates``,
    ``_dunning_penalty_to_invoice``, ``_dunning_invoice_penalties``).
    """

    _name = "dunning.penalty.invoice"
    _description = "Invoice late-payment penalties"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Compute up to",
        required=True,
        default=fields.Date.context_today,
        help="Interest is computed up to this date (included); it is also the "
        "date of the penalty invoices.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Debtors",
        domain=[("parent_id", "=", False)],
        help="Leave empty, with no invoice either, for every debtor.",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('dunning_is_penalty', '=', False), ('company_id', '=', company_id)]",
        help="Leave empty for every late invoice of the debtors.",
    )
    include_paid = fields.Boolean(
        string="Include invoices paid late",
        help="Also claim the penalties of invoices already paid, late. Disputed "
        "invoices (excluded from reminders) are left out unless selected.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        active_ids = context.get("active_ids") or []
        if context.get("active_model") == "account.move" and "move_ids" in fields_list:
            moves = self.env["account.move"].browse(active_ids)
            values["move_ids"] = [Command.set(moves.ids)]
            if len(moves.company_id) == 1:
                values["company_id"] = moves.company_id.id
        elif (
            context.get("active_model") == "res.partner"
            and "partner_ids" in fields_list
        ):
            partners = self.env["res.partner"].browse(active_ids)
            values["partner_ids"] = [Command.set(partners.commercial_partner_id.ids)]
        return values

    @api.depends("company_id", "date", "partner_ids", "move_ids", "include_paid")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = (
                self.env["account.move"]._dunning_penalty_preview(
                    wizard._compute_penalty_lines()
                )
                if wizard.company_id and wizard.date
                else False
            )

    # ------------------------------------------------------------------
    # The rules live on account.move: the wizard gathers and asks
    # ------------------------------------------------------------------
    def _get_moves(self):
        """Return the invoices whose penalties are to be invoiced."""
        self.ensure_one()
        if self.move_ids:
            moves = self.move_ids._origin._dunning_penalty_moves()
            if moves.company_id - self.company_id:
                raise UserError(
                    self.env._(
                        "Invoice the penalties of one company at a time: "
                        "%(invoices)s belong to another company.",
                        invoices=", ".join(
                            moves.filtered(
                                lambda move: move.company_id != self.company_id
                            ).mapped("name")
                        ),
                    )
                )
            return moves
        return self.env["account.move"]._dunning_penalty_candidates(
            self.company_id, self.date, self.partner_ids._origin, self.include_paid
        )

    def _compute_penalty_lines(self):
        """Return what is left to invoice (see account.move)."""
        self.ensure_one()
        return self._get_moves()._dunning_penalty_to_invoice(self.date)

    def action_confirm(self):
        """Create the penalty invoices (drafts) and record what they claim."""
        self.ensure_one()
        invoices = self.env["account.move"]._dunning_invoice_penalties(
            self.company_id, self.date, self._compute_penalty_lines()
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalty invoices"),
            "res_model": "account.move",
            "context": {"default_move_type": "out_invoice"},
        }
        if len(invoices) == 1:
            action.update(view_mode="form", res_id=invoices.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", invoices.ids)])
        return action
