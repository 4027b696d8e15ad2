# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningChannelLetter(models.AbstractModel):
    """Letter: the PDF letter (or formal notice), attached to the action to
    print and post."""

    _name = "dunning.channel.letter"
    _inherit = "dunning.channel"
    _description = "Collections channel: letter"
    _dunning_channel_key = "letter"
    _dunning_channel_sequence = 30
    _dunning_channel_level_field = "channel_letter"

    @api.model
    def _execute(self, action):
        """Produce the PDF letter and attach it to the action.

        Letters are printed together from the run ("Print letters"), or one by
        one from the action.
        """
        attachment = self._letter_attachment(action)
        action.message_post(
            body=self.env._(
                "%(kind)s produced, to post.", kind=self._letter_kind(action)
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {"attachment_id": attachment.id, "result": attachment.name}

    @api.model
    def _letter_kind(self, action):
        """Return what the letter of ``action`` is called: formal notice or letter."""
        return (
            self.env._("Formal notice")
            if action.level_id.level_type == "formal_notice"
            else self.env._("Letter")
        )

    @api.model
    def _letter_attachment(self, action):
        """Return the PDF letter of ``action``, rendered once.

        The letter channel, the registered letter channel and the e-mail of a
        formal notice share it: the debtor gets by e-mail the very letter that
        is posted, and a level ticking both "Letter" and "Registered letter"
        prints one letter. The attachment a paper channel of the action
        already recorded is reused, else the one of the same name.
        """
        done = action.channel_ids.filtered(
            lambda c: c.channel in ("letter", "registered_letter") and c.attachment_id
        )
        if done:
            return done[0].attachment_id.sudo()
        Attachment = self.env["ir.attachment"].sudo()
        name = "%s - %s - %s.pdf" % (
            self._letter_kind(action),
            action.partner_id.name,
            action.date,
        )
        existing = Attachment.search(
            [
                ("res_model", "=", "dunning.action"),
                ("res_id", "=", action.id),
                ("name", "=", name),
            ],
            limit=1,
        )
        if existing:
            return existing
        report = self.env.ref("account_dunning_advanced.action_report_dunning_letter")
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, action.ids
        )
        return Attachment.create(
            {
                "name": name,
                "raw": content,
                "res_model": "dunning.action",
                "res_id": action.id,
                "mimetype": "application/pdf",
            }
        )
