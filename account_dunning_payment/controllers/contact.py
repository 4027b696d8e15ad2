# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's page: "how would you like to be contacted"."""

from odoo.http import request

from .access import debtor_route
from .main import DunningCollectionsPortal


class DunningCollectionsContact(DunningCollectionsPortal):
    def _dunning_page_values(self, access, today=None):
        values = super()._dunning_page_values(access, today=today)
        partner = access.partner_id
        values.update(
            {
                "contact_channels": partner._dunning_portal_channels(),
                "contact_channel": partner._dunning_portal_preferred_channel(),
                "contact_hour_from": partner.dunning_contact_hour_to
                and partner._dunning_format_hour(partner.dunning_contact_hour_from),
                "contact_hour_to": partner.dunning_contact_hour_to
                and partner._dunning_format_hour(partner.dunning_contact_hour_to),
            }
        )
        return values

    def _dunning_messages(self):
        messages = super()._dunning_messages()
        messages["contact"] = request.env._(
            "Thank you: we will contact you as you asked."
        )
        return messages

    @debtor_route(["/contact"], methods=["POST"])
    def dunning_contact(
        self, access, channel=None, hour_from=None, hour_to=None, **post
    ):
        """Record how the debtor wants to be contacted (checked by the model)."""
        request.env["res.partner"]._dunning_contact_from_portal(
            access.partner_id,
            access.company_id,
            channel=channel,
            no_sms=bool(post.get("no_sms")),
            hour_from=hour_from,
            hour_to=hour_to,
            token=access.token,
        )
        return self._dunning_back(access, "contact")
