# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

USER_GROUP = "account_dunning_advanced.group_dunning_user"


class DunningDispute(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.dispute"

    def _log_on_invoices(self, template):
        # The legal team closes disputes without access to the invoicing: the
        # note on the dispute's own invoices is the dispute's log, posted in
        # the name of who closed it.
        return super(DunningDispute, self.sudo())._log_on_invoices(template)

    def _dunning_post_answer_on_debtor(
        self, user, summary, feedback=False, reply=False
    ):
        """Post a colleague's answer to a question on this dispute in its
        debtor's chatter: ``feedback`` (text of the done To-Do) or ``reply``
        (their message in the dispute's chatter, HTML sanitized by mail)."""
        self.ensure_one()
        self.sudo().partner_id.commercial_partner_id.message_post(
            body=self.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_ask_colleague_answer",
                {
                    "dispute": self.sudo(),
                    "user": user,
                    "summary": summary,
                    "feedback": feedback,
                    "reply": reply,
                },
            ),
            subtype_xmlid="mail.mt_note",
            author_id=user.partner_id.id,
        )

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # The colleague asked about the dispute replies in its chatter: the
        # answer goes to the debtor's chatter too.
        if len(self) == 1 and message.message_type == "comment" and message.body:
            asked = self.sudo().activity_ids.filtered(
                lambda a: a.dunning_question and a.user_id == self.env.user
            )
            if asked:
                self._dunning_post_answer_on_debtor(
                    self.env.user, asked[0].summary, reply=message.body
                )
        return message

    def action_dunning_ask_colleague(self):
        """Open the wizard asking a colleague (sales, legal) about the dispute."""
        self.ensure_one()
        self.partner_id._dunning_check_group(USER_GROUP)
        return self.env["dunning.ask.colleague"]._dunning_open_for(self)
