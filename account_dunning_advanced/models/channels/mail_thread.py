# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class MailThread(models.AbstractModel):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounced reminder e-mail switches its contact to letters.

        Only a bounce of one of our reminders (its message found by the
        references of the bounce, see ``dunning.action._dunning_on_bounce``).
        """
        result = super()._routing_handle_bounce(email_message, message_dict)
        bounced_message = message_dict.get("bounced_message")
        if message_dict.get("bounced_email") and bounced_message:
            self.env["dunning.action"].sudo()._dunning_on_bounce(
                bounced_message, message_dict["bounced_email"]
            )
        return result
