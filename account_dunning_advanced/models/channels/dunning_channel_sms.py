# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ...engine import sms


class DunningChannelSms(models.AbstractModel):
    """SMS: the level's text message to the mobiles of the contacts by role,
    within the company's sending window."""

    _name = "dunning.channel.sms"
    _inherit = "dunning.channel"
    _description = "Collections channel: SMS"
    _dunning_channel_key = "sms"
    _dunning_channel_sequence = 20
    _dunning_channel_level_field = "channel_sms"

    @api.model
    def _recipients(self, action):
        """Return ``{partner: number}``: the contacts holding the level's roles
        that have a mobile (or phone) number, else the debtor itself."""
        roles = action.level_id.to_role_ids | action.level_id.cc_role_ids
        debtor = action.partner_id
        contacts = (debtor | debtor.child_ids).filtered(
            lambda c: (c.dunning_role_ids & roles) and (c.mobile or c.phone)
        )
        if not contacts and (debtor.mobile or debtor.phone):
            contacts = debtor
        return {
            contact: contact.phone_sanitized or contact.mobile or contact.phone
            for contact in contacts
        }

    @api.model
    def _prepare_batch(self, actions):
        """Render the text messages of the batch at once: one render per
        template over all its actions, each in its debtor's language."""
        actions = actions.filtered(
            lambda a: a.level_id.sms_template_id
            and any(c.channel == "sms" and c.state != "done" for c in a.channel_ids)
        )
        bodies = self._batch().setdefault("bodies", {})
        for template in actions.level_id.sms_template_id:
            group = actions.filtered(
                lambda a, t=template: a.level_id.sms_template_id == t
            )
            try:
                with self.env.cr.savepoint(flush=False):
                    bodies.update(
                        template._render_field("body", group.ids, compute_lang=True)
                    )
            except Exception:  # noqa: BLE001 - each action renders its own, alone
                continue

    @api.model
    def _execute(self, action):
        """Queue the level's text message to the numbers by role.

        The SMS goes through Odoo's SMS queue (IAP), logged in the debtor's
        chatter with its delivery status. Outside the sending window it waits
        (``scheduled_at``) for the scheduled action sending at the opening.
        """
        opening = self._next_opening(action)
        if opening > fields.Datetime.now():
            return {
                "state": "todo",
                "done_at": False,
                "scheduled_at": opening,
                "result": self.env._(
                    "Outside the sending window: waits until %(when)s",
                    when=format_datetime(
                        self.env,
                        opening,
                        tz=action.company_id._dunning_sending_tz().zone,
                    ),
                ),
            }
        template = action.level_id.sms_template_id
        recipients = self._recipients(action)
        if not recipients:
            raise UserError(
                self.env._(
                    "Nobody at %(partner)s has a mobile or phone number: no SMS "
                    "can be sent.",
                    partner=action.partner_id.display_name,
                )
            )
        body = ((self._batch() or {}).get("bodies") or {}).get(action.id)
        if body is None:
            body = template._render_field("body", action.ids, compute_lang=True)[
                action.id
            ]
        for link in action._dunning_get_links():
            body += " %s" % (link.get("short_url") or link["url"])
        # The spaces and quotes of the French formats would make it Unicode
        # (70 characters per SMS instead of 160).
        body = sms.gsm7_clean(body)
        signatory = self.env["dunning.channel.email"]._get_signatory(action.partner_id)
        action.partner_id.sudo()._message_sms(
            body,
            partner_ids=[partner.id for partner in recipients],
            sms_pid_to_number={
                partner.id: number for partner, number in recipients.items()
            },
            author_id=(signatory.partner_id or action.company_id.partner_id).id,
            put_in_queue=True,
        )
        return {
            "result": self.env._(
                "SMS to %(numbers)s", numbers=", ".join(recipients.values())
            )
        }
