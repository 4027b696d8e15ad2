# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningChannelRegisteredLetter(models.AbstractModel):
    """Registered letter with acknowledgement of receipt (lettre recommandée
    avec accusé de réception): the letter PDF of the letter channel, and a
    ``dunning.registered.letter`` to follow its posting and its receipt.

    The collector posts it and records the posting number and date, then the
    acknowledgement (or "not claimed") with the scan of the proof. Odoo's
    snailmail is not used: its registered-mail option is not available in
    every country and the proof must come back in any case.
    """

    _name = "dunning.channel.registered_letter"
    _inherit = "dunning.channel"
    _description = "Collections channel: registered letter"
    _dunning_channel_key = "registered_letter"
    _dunning_channel_sequence = 31
    _dunning_channel_level_field = "channel_registered_letter"

    @api.model
    def _execute(self, action):
        """Produce the letter PDF (the letter channel's, rendered once) and the
        registered letter to post, attached to the action."""
        attachment = self.env["dunning.channel.letter"]._letter_attachment(action)
        letter = action.registered_letter_ids[:1] or self.env[
            "dunning.registered.letter"
        ].create({"action_id": action.id})
        action.message_post(
            body=self.env._(
                "%(kind)s produced, to post by registered letter with "
                "acknowledgement of receipt: record the posting number.",
                kind=self.env["dunning.channel.letter"]._letter_kind(action),
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {"attachment_id": attachment.id, "result": letter.display_name}
