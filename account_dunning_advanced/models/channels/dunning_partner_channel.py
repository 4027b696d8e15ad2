# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class DunningPartnerChannel(models.Model):
    """A channel a debtor (or one of its contacts) prefers, or wants avoided."""

    _name = "dunning.partner.channel"
    _description = "Collections channel preference"
    _order = "partner_id, preference desc, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor or contact",
        required=True,
        ondelete="cascade",
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    channel = fields.Selection(selection="_selection_channel", required=True)
    preference = fields.Selection(
        [("preferred", "Preferred"), ("avoid", "Avoid")],
        required=True,
        default="preferred",
    )
    source = fields.Selection(
        [
            ("collector", "Collector"),
            ("debtor", "Debtor (payment page)"),
            ("bounce", "Bounced e-mail"),
        ],
        required=True,
        default="collector",
        readonly=True,
        help="Who set the preference.",
    )

    _sql_constraints = [
        (
            "partner_channel_unique",
            "unique(partner_id, channel)",
            "A debtor or contact states one preference per channel.",
        ),
    ]

    def _selection_channel(self):
        # The tracked channels of the registry (the dunning.channel.* models).
        return self.env["dunning.channel"]._get_channel_selection()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._dunning_log(self.env._("Channel preference set"))
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"channel", "preference", "partner_id"} & set(vals):
            self._dunning_log(self.env._("Channel preference changed"))
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_log(self):
        self._dunning_log(self.env._("Channel preference removed"))

    def _dunning_describe(self):
        """Return the preference in a sentence: "E-mail: avoid"."""
        self.ensure_one()
        channels = dict(self._fields["channel"]._description_selection(self.env))
        preferences = dict(self._fields["preference"]._description_selection(self.env))
        return self.env._(
            "%(channel)s: %(preference)s",
            channel=channels.get(self.channel, self.channel),
            preference=preferences.get(self.preference, self.preference),
        )

    def _dunning_log(self, title):
        """Log the preferences in their partner's chatter (collections
        history: who changed how the debtor is reached)."""
        for partner in self.partner_id:
            lines = [
                record._dunning_describe()
                for record in self.filtered(lambda r, p=partner: r.partner_id == p)
            ]
            partner.sudo().message_post(
                body=self.env._(
                    "%(title)s: %(lines)s", title=title, lines=", ".join(lines)
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
