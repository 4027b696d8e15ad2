# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# Days the chase waits after "already paid" or "invoice not received", the
# time to check the bank or to send the copy.
CHECK_DAYS = 7


class DunningCallOutcome(models.TransientModel):
    """Log the outcome of a collections call; the outcome drives the next step."""

    _name = "dunning.call.outcome"
    _description = "Collections call outcome"

    action_id = fields.Many2one("dunning.action", required=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    outcome = fields.Selection(
        [
            ("no_answer", "No answer"),
            ("voicemail", "Voicemail left"),
            ("promise", "Promised to pay on a date"),
            ("dispute", "Dispute"),
            ("not_received", "Invoice not received"),
            ("paid", "Already paid"),
        ],
        required=True,
    )
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
        """Record the call and apply its consequence to the chase."""
        self.ensure_one()
        action = self.action_id
        partner = action.partner_id
        today = fields.Date.context_today(self)
        consequence = False
        if self.outcome == "promise":
            if not self.promise_date or self.promise_date < today:
                raise UserError(
                    self.env._("Give the promised payment date (today or later).")
                )
            self.env["dunning.promise"].create(
                {
                    "company_id": action.company_id.id,
                    "partner_id": partner.id,
                    "date": self.promise_date,
                    "amount": self.promise_amount,
                    "move_ids": [Command.set(action.line_ids.move_id.ids)],
                    "source": "call",
                    "note": self.note,
                }
            )
            consequence = self.env._(
                "Promise to pay by %(date)s recorded: reminders paused until then.",
                date=self.promise_date,
            )
        elif self.outcome == "dispute":
            if not self.move_ids:
                raise UserError(self.env._("Choose the disputed invoices."))
            if not self.reason_id:
                raise UserError(self.env._("Choose the reason of the dispute."))
            self.env["dunning.dispute"].create(
                {
                    "company_id": action.company_id.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(self.move_ids.ids)],
                    "reason_id": self.reason_id.id,
                    "description": self.note,
                }
            )
            consequence = self.env._(
                "Excluded from reminders: %(invoices)s.",
                invoices=", ".join(self.move_ids.mapped("name")),
            )
        elif self.outcome in ("paid", "not_received"):
            partner.write(
                {
                    "dunning_paused_until": today + timedelta(days=CHECK_DAYS),
                    "dunning_pause_reason": self._outcome_label(),
                }
            )
            consequence = self.env._(
                "Reminders paused for %(days)s days to check.", days=CHECK_DAYS
            )
        feedback = Markup("<b>%s</b>") % self._outcome_label()
        if self.note:
            feedback += Markup("<br/>%s") % self.note
        if consequence:
            feedback += Markup("<br/>%s") % consequence
        activities = action.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("account_dunning_advanced.mail_activity_type_dunning_call")
        )
        if activities:
            activities.action_feedback(feedback=feedback)
        else:
            action.message_post(body=feedback, subtype_xmlid="mail.mt_note")
        partner.message_post(
            body=Markup("%s: %s") % (self.env._("Collections call"), feedback),
            subtype_xmlid="mail.mt_note",
        )
        return True
