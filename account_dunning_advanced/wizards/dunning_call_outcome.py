# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..models.channels.dunning_channel_phone import OUTCOMES


class DunningCallOutcome(models.TransientModel):
    """Log the outcome of a collections call; the outcome drives the next step."""

    _name = "dunning.call.outcome"
    _description = "Collections call outcome"

    action_id = fields.Many2one("dunning.action", required=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    outcome = fields.Selection(OUTCOMES, required=True)
    promise_date = fields.Date(string="Promised payment date")
    promise_amount = fields.Monetary(
        string="Promised amount", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="action_id.company_id.currency_id")
    reason_id = fields.Many2one("dunning.dispute.reason", string="Dispute reason")
    move_ids = fields.Many2many(
        "account.move",
        string="Disputed invoices",
        domain="[('id', 'in', available_move_ids)]",
    )
    available_move_ids = fields.Many2many(
        "account.move", compute="_compute_available_move_ids"
    )
    note = fields.Text()

    @api.depends("action_id")
    def _compute_available_move_ids(self):
        for wizard in self:
            wizard.available_move_ids = wizard.action_id.line_ids.move_id

    def _outcome_label(self):
        return dict(self._fields["outcome"]._description_selection(self.env))[
            self.outcome
        ]

    def action_confirm(self):
        """Record the call (the rule: the phone channel)."""
        self.ensure_one()
        return self.env["dunning.channel.phone"]._record_outcome(
            self.action_id,
            self.outcome,
            self._outcome_label(),
            note=self.note,
            promise_date=self.promise_date,
            promise_amount=self.promise_amount,
            moves=self.move_ids,
            reason=self.reason_id,
        )
