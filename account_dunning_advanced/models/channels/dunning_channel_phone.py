# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

#: What a collections call can end with (the call outcome form's choices).
OUTCOMES = [
    ("no_answer", "No answer"),
    ("voicemail", "Voicemail left"),
    ("promise", "Promised to pay on a date"),
    ("dispute", "Dispute"),
    ("not_received", "Invoice not received"),
    ("paid", "Already paid"),
]

# Days the chase waits after "already paid" or "invoice not received", the
# time to check the bank or to send the copy.
CHECK_DAYS = 7


class DunningChannelPhone(models.AbstractModel):
    """Phone call: an activity for the debtor's collector, with the script and
    the invoices to talk about; the outcome is logged with "Log the call"."""

    _name = "dunning.channel.phone"
    _inherit = "dunning.channel"
    _description = "Collections channel: phone call"
    _dunning_channel_key = "phone"
    _dunning_channel_sequence = 40
    _dunning_channel_level_field = "channel_phone"

    @api.model
    def _caller(self, action):
        """Return the user who calls: the debtor's collector, else the sender."""
        return action.partner_id._dunning_get_collector() or self.env.user

    @api.model
    def _call_deadline(self, action):
        """Return the day the call is due: the action's date, or the next
        working day of the sending window when the window is closed."""
        return self._first_opening_day(action)

    @api.model
    def _execute(self, action):
        """Schedule the call for the debtor's collector."""
        partner = action.partner_id
        collector = self._caller(action)
        invoices = [
            self.env._(
                "%(invoice)s: %(amount)s, due %(due)s",
                invoice=line.move_id.name,
                amount=format_amount(
                    self.env, line.amount_residual_currency, line.currency_id
                ),
                due=format_date(self.env, line.date_maturity),
            )
            for line in action._get_open_lines()
        ]
        note = self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_call_note",
            {"script": action.level_id.phone_script, "invoices": invoices},
        )
        activity = action.activity_schedule(
            "account_dunning_advanced.mail_activity_type_dunning_call",
            date_deadline=self._call_deadline(action),
            user_id=collector.id,
            summary=self.env._(
                "Call %(partner)s (%(level)s)",
                partner=partner.name,
                level=action.level_id.name,
            ),
            note=note,
        )
        return {
            "activity_id": activity.id,
            "result": self.env._("Call scheduled for %(user)s", user=collector.name),
        }

    @api.model
    def _record_outcome(
        self,
        action,
        outcome,
        outcome_label,
        note=False,
        promise_date=False,
        promise_amount=0.0,
        moves=None,
        reason=None,
    ):
        """Record the outcome of the call of action; it drives the next step.

        A promise pauses the chase until its date, a dispute excludes the
        invoices, "already paid" and "not received" pause it CHECK_DAYS days
        to check; the call activity is marked done with the feedback, which
        is also logged on the debtor.

        :param outcome: a key of OUTCOMES; ``outcome_label`` its label.
        """
        partner = action.partner_id
        today = fields.Date.context_today(self)
        consequence = False
        if outcome == "promise":
            if not promise_date or promise_date < today:
                raise UserError(
                    self.env._("Give the promised payment date (today or later).")
                )
            self.env["dunning.promise"].create(
                {
                    "company_id": action.company_id.id,
                    "partner_id": partner.id,
                    "date": promise_date,
                    "amount": promise_amount,
                    "move_ids": [Command.set(action.line_ids.move_id.ids)],
                    "source": "call",
                    "note": note,
                }
            )
            consequence = self.env._(
                "Promise to pay by %(date)s recorded: reminders paused until then.",
                date=promise_date,
            )
        elif outcome == "dispute":
            if not moves:
                raise UserError(self.env._("Choose the disputed invoices."))
            if not reason:
                raise UserError(self.env._("Choose the reason of the dispute."))
            self.env["dunning.dispute"].create(
                {
                    "company_id": action.company_id.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(moves.ids)],
                    "reason_id": reason.id,
                    "description": note,
                }
            )
            consequence = self.env._(
                "Excluded from reminders: %(invoices)s.",
                invoices=", ".join(moves.mapped("name")),
            )
        elif outcome in ("paid", "not_received"):
            partner.write(
                {
                    "dunning_paused_until": today + timedelta(days=CHECK_DAYS),
                    "dunning_pause_reason": outcome_label,
                }
            )
            consequence = self.env._(
                "Reminders paused for %(days)s days to check.", days=CHECK_DAYS
            )
        feedback = Markup("<b>%s</b>") % outcome_label
        if note:
            feedback += Markup("<br/>%s") % note
        if consequence:
            feedback += Markup("<br/>%s") % consequence
        call_type = self.env.ref(
            "account_dunning_advanced.mail_activity_type_dunning_call"
        )
        activities = action.activity_ids.filtered(
            lambda activity: activity.activity_type_id == call_type
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
