# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def get_empty_list_help(self, help_message):
        """The empty list of the debtors to follow says what is missing."""
        help_message = super().get_empty_list_help(help_message)
        if not self.env.context.get("dunning_setup_help"):
            return help_message
        issues = self.env.company._dunning_setup_issues_html()
        if not issues:
            return help_message
        return Markup("%s<div class='alert alert-warning text-start mt16'>%s%s</div>") % (
            Markup(help_message or ""),
            Markup("<p><b>%s</b></p>")
            % self.env._("Before the first reminders, complete the setup:"),
            issues,
        )
