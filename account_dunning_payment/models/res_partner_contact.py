# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import api, models
from odoo.exceptions import ValidationError

#: The channels a debtor may choose on the page (a registered letter, a legal
#: act, is never the debtor's choice).
PORTAL_CHANNELS = ("email", "sms", "letter", "phone")
_HOUR = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ResPartner(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    @api.model
    def _dunning_portal_channels(self):
        """Return the channels the page offers as ``[(key, label)]``."""
        selection = self.env["dunning.channel"]._get_channel_selection()
        return [(key, label) for key, label in selection if key in PORTAL_CHANNELS]

    def _dunning_portal_preferred_channel(self):
        """Return the channel this debtor chose on the page, if any."""
        self.ensure_one()
        pref = self.sudo().dunning_channel_pref_ids.filtered(
            lambda p: p.source == "debtor" and p.preference == "preferred"
        )
        return pref[:1].channel or ""

    @api.model
    def _dunning_parse_hour(self, value):
        """Return ``"HH:MM"`` as a float hour, ``0.0`` when empty.

        :raise ValidationError: for anything else.
        """
        value = (value or "").strip()
        if not value:
            return 0.0
        match = _HOUR.match(value[:5])
        if not match or len(value) > 8:
            raise ValidationError(self.env._("Write the hours as 09:30."))
        return int(match.group(1)) + int(match.group(2)) / 60.0

    @api.model
    def _dunning_format_hour(self, hour):
        """Return a float hour as ``"HH:MM"``."""
        minutes = round(hour * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    @api.model
    def _dunning_contact_from_portal(
        self,
        partner,
        company,
        channel=None,
        no_sms=False,
        hour_from=None,
        hour_to=None,
        token=None,
    ):
        """Record how the debtor wants to be contacted, as said on the page.

        The preferred channel replaces the one chosen on the page before
        (the collector's own settings stay); "no SMS" and the contact hours
        are the debtor's. Logged on the debtor, the collector gets an
        activity; counted in the page's daily quota.

        :param partner: the debtor (commercial partner, sudoed).
        :param channel: a key of ``_dunning_portal_channels`` or nothing.
        :param hour_from: ``"HH:MM"`` or nothing, with ``hour_to``.
        :raise ValidationError: for a value the page does not offer.
        :raise DunningQuotaReached: beyond the day's number of changes.
        """
        Request = self.env["dunning.payment.page.request"]
        channel = channel or ""
        offered = dict(self._dunning_portal_channels())
        if channel and channel not in offered:
            raise ValidationError(self.env._("Choose one of the channels offered."))
        if channel == "sms" and no_sms:
            raise ValidationError(
                self.env._("Text messages cannot be both preferred and refused.")
            )
        start = self._dunning_parse_hour(hour_from)
        end = self._dunning_parse_hour(hour_to)
        if bool(start or hour_from) != bool(end or hour_to) or (end and end <= start):
            raise ValidationError(
                self.env._("Give the contact hours as a start and a later end.")
            )
        Request._dunning_check_quota("contact", partner, company, token)
        partner = partner.sudo()
        partner.write(
            {
                "dunning_no_sms": bool(no_sms),
                "dunning_contact_hour_from": start,
                "dunning_contact_hour_to": end,
            }
        )
        previous = partner.dunning_channel_pref_ids.filtered(
            lambda p: p.source == "debtor"
            and p.preference == "preferred"
            and p.channel != channel
        )
        previous.unlink()
        if channel:
            partner._dunning_set_channel_preference(channel, "preferred", "debtor")
        summary = self.env._(
            "Contact preferences set on the payment page: preferred channel "
            "%(channel)s, SMS %(sms)s, hours %(hours)s.",
            channel=offered.get(channel) or self.env._("none"),
            sms=self.env._("refused") if no_sms else self.env._("accepted"),
            hours=(
                f"{self._dunning_format_hour(start)}-{self._dunning_format_hour(end)}"
                if end
                else self.env._("any")
            ),
        )
        partner._dunning_note(summary)
        collector = partner.with_company(company)._dunning_get_collector()
        if collector:
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=collector.id,
                summary=self.env._("The debtor changed how to be contacted"),
                note=summary,
            )
        Request._dunning_record("contact", partner, company, token)
        return partner
