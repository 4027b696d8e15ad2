# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ...engine import channel_preferences
from ..chase.bulk_insert import ids_array


class ResPartner(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_channel_pref_ids = fields.One2many(
        "dunning.partner.channel",
        "partner_id",
        string="Channel preferences",
        help="Channels this debtor or contact prefers, and the ones to avoid: "
        "the reminders go through the preferred channels among those their "
        "level allows.",
    )
    dunning_no_sms = fields.Boolean(
        string="No SMS",
        tracking=True,
        help="No collections text message reaches this debtor.",
    )
    dunning_letter_only = fields.Boolean(
        string="Letter only",
        tracking=True,
        help="Reminders by letter (or registered letter) only.",
    )
    dunning_contact_hour_from = fields.Float(
        string="Contact from",
        tracking=True,
        help="Hours at which text messages and calls may reach the debtor, "
        "within the company's sending window (local time).",
    )
    dunning_contact_hour_to = fields.Float(string="Contact until", tracking=True)
    dunning_bounced_email = fields.Char(
        string="Bounced address",
        readonly=True,
        copy=False,
        help="The e-mail address whose bounced reminder switched this contact "
        "to letters (switched once per address).",
    )

    @api.constrains("dunning_contact_hour_from", "dunning_contact_hour_to")
    def _check_dunning_contact_hours(self):
        for partner in self:
            start = partner.dunning_contact_hour_from
            end = partner.dunning_contact_hour_to
            if not (0 <= start <= 24 and 0 <= end <= 24) or (end and end <= start):
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the contact hours run from one hour of the "
                        "day to a later one.",
                        partner=partner.display_name,
                    )
                )

    def write(self, vals):
        if "email" not in vals:
            return super().write(vals)
        bounced = self.filtered("dunning_bounced_email")
        result = super().write(vals)
        # A new address: the letters a bounce imposed are lifted.
        changed = bounced.filtered(
            lambda p: p.email_normalized != p.dunning_bounced_email
        )
        if changed:
            changed = changed.sudo()
            changed.dunning_channel_pref_ids.filtered(
                lambda p: p.source == "bounce"
            ).unlink()
            changed.dunning_bounced_email = False
        return result

    @api.model
    def _dunning_channel_preferences(self, partner_ids):
        """Return the channel preferences of ``partner_ids`` at once.

        One read of the partners' switches and one of their channel rows,
        whatever their number (the run asks for a whole batch of debtors).

        :return: ``{partner id: channel_preferences.Preferences}``; a partner
            who states nothing has an empty (false) ``Preferences``.
        """
        partner_ids = list({pid for pid in partner_ids if pid})
        if not partner_ids:
            return {}
        rows = (
            self.env["dunning.partner.channel"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partner_ids)],
                ["partner_id", "preference"],
                ["channel:array_agg"],
            )
        )
        stated = {}
        for partner, preference, channels in rows:
            stated.setdefault(partner.id, {})[preference] = frozenset(channels)
        # The two switches as plain rows (a run asks for thousands of
        # partners, most of whom state nothing: they share one empty value).
        self.flush_model(["dunning_no_sms", "dunning_letter_only"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, dunning_no_sms, dunning_letter_only FROM res_partner"
                " WHERE id = ANY(%s)",
                ids_array(partner_ids),
            )
        )
        empty = channel_preferences.Preferences()
        result = {}
        for partner_id, no_sms, letter_only in rows:
            own = stated.get(partner_id)
            result[partner_id] = (
                channel_preferences.Preferences(
                    preferred=own.get("preferred", frozenset()) if own else frozenset(),
                    avoid=own.get("avoid", frozenset()) if own else frozenset(),
                    no_sms=bool(no_sms),
                    letter_only=bool(letter_only),
                )
                if own or no_sms or letter_only
                else empty
            )
        return result

    def _dunning_set_channel_preference(self, channel, preference, source):
        """Set (or replace) this partner's preference for ``channel``."""
        self.ensure_one()
        Pref = self.env["dunning.partner.channel"].sudo()
        existing = Pref.search(
            [("partner_id", "=", self.id), ("channel", "=", channel)], limit=1
        )
        if existing:
            if existing.preference != preference:
                existing.write({"preference": preference, "source": source})
            return existing
        return Pref.create(
            {
                "partner_id": self.id,
                "channel": channel,
                "preference": preference,
                "source": source,
            }
        )
