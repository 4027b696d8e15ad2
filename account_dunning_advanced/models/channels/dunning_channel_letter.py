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
    def _needs_letter(self, action):
        """Return whether executing ``action`` produces its letter: a paper
        channel still to do, or the e-mail of a formal notice (which attaches
        the letter)."""
        wanted = ("letter", "registered_letter")
        if action.level_id.level_type == "formal_notice":
            wanted += ("email",)
        return any(
            c.channel in wanted and c.state != "done" for c in action.channel_ids
        )

    @api.model
    def _letter_name(self, action):
        """Return the file name of the letter of ``action``."""
        return "%s - %s - %s.pdf" % (
            self._letter_kind(action),
            action.partner_id.name,
            action.date,
        )

    @api.model
    def _prepare_batch(self, actions):
        """Render the letters of the batch at once: one report render over all
        the actions needing one, split per action (the report's own split by
        record), one attachment per action created at once.

        A letter that fails to render is rendered again by the action alone
        (``_letter_attachment``), which fails alone.
        """
        actions = actions.filtered(self._needs_letter)
        if not actions:
            return
        batch = self._batch()
        letters = batch.setdefault("letters", {})
        for action in actions:
            done = action.channel_ids.filtered(
                lambda c: c.channel in ("letter", "registered_letter")
                and c.attachment_id
            )
            if done:
                letters[action.id] = done[0].attachment_id.sudo()
        actions = actions.filtered(lambda a: a.id not in letters)
        if not actions:
            return
        Attachment = self.env["ir.attachment"].sudo()
        names = {action.id: self._letter_name(action) for action in actions}
        for attachment in Attachment.search(
            [
                ("res_model", "=", "dunning.action"),
                ("res_id", "in", actions.ids),
                ("name", "in", list(set(names.values()))),
            ]
        ):
            if attachment.name == names[attachment.res_id]:
                letters.setdefault(attachment.res_id, attachment)
        actions = actions.filtered(lambda a: a.id not in letters)
        if not actions:
            return
        report = self.env.ref("account_dunning_advanced.action_report_dunning_letter")
        letters.update(self._render_pdf_attachments(report, actions, names))

    @api.model
    def _letter_attachment(self, action):
        """Return the PDF letter of ``action``, rendered once.

        In a batch, the letter rendered with the others (``_prepare_batch``).

        The letter channel, the registered letter channel and the e-mail of a
        formal notice share it: the debtor gets by e-mail the very letter that
        is posted, and a level ticking both "Letter" and "Registered letter"
        prints one letter. The attachment a paper channel of the action
        already recorded is reused, else the one of the same name.
        """
        letters = (self._batch() or {}).get("letters") or {}
        if action.id in letters:
            return letters[action.id]
        done = action.channel_ids.filtered(
            lambda c: c.channel in ("letter", "registered_letter") and c.attachment_id
        )
        if done:
            return done[0].attachment_id.sudo()
        Attachment = self.env["ir.attachment"].sudo()
        name = self._letter_name(action)
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
