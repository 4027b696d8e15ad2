# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, models
from odoo.tools import format_amount, format_date


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
        invoices = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s: %(amount)s, due %(due)s",
                invoice=line.move_id.name,
                amount=format_amount(
                    self.env, line.amount_residual_currency, line.currency_id
                ),
                due=format_date(self.env, line.date_maturity),
            )
            for line in action._get_open_lines()
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
            note=Markup("%s%s") % (action.level_id.phone_script or "", invoices),
        )
        return {
            "activity_id": activity.id,
            "result": self.env._("Call scheduled for %(user)s", user=collector.name),
        }
