# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    def action_view_dunning_timeline(self):
        """Open the timeline of this debtor in the current company."""
        self.ensure_one()
        self._dunning_check_group("account_dunning_advanced.group_dunning_viewer")
        return self.env["dunning.debtor.timeline"]._dunning_action_for(self)
