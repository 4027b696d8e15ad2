# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

USER_GROUP = "account_dunning_advanced.group_dunning_user"


class DunningDispute(models.Model):
    _inherit = "dunning.dispute"

    def _log_on_invoices(self, template):
        # The legal team closes disputes without access to the invoicing: the
        # note on the dispute's own invoices is the dispute's log, posted in
        # the name of who closed it.
        return super(DunningDispute, self.sudo())._log_on_invoices(template)

    def action_dunning_ask_colleague(self):
        """Open the wizard asking a colleague (sales, legal) about the dispute."""
        self.ensure_one()
        self.partner_id._dunning_check_group(USER_GROUP)
        return self.env["dunning.ask.colleague"]._dunning_open_for(self)
