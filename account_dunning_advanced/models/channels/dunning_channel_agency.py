# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class DunningChannelAgency(models.AbstractModel):
    """Collection agency hand-off: the debtor goes to litigation.

    A hand-off, not a message: it runs once every tracked channel of the action
    is done (the action is done), and its status is the debtor's litigation.
    """

    _name = "dunning.channel.agency"
    _inherit = "dunning.channel"
    _description = "Collection agency hand-off"
    _dunning_channel_key = "agency"
    _dunning_channel_sequence = 1000
    _dunning_channel_tracked = False

    @api.model
    def _applies_to_level(self, level):
        return level.level_type == "agency"

    @api.model
    def _recipients(self, action):
        """Return the agency the debtor is handed to."""
        return action.level_id.agency_id

    @api.model
    def _execute(self, action):
        """Hand the debtor to the agency: litigation and the collection file."""
        action.partner_id._dunning_start_litigation(action)
        return {
            "result": self.env._(
                "Handed to %(agency)s",
                agency=action.level_id.agency_id.display_name or "-",
            )
        }

    @api.model
    def _status(self, action):
        if not self._applies(action):
            return False
        if action.state == "cancel":
            return "cancel"
        debtor = action.partner_id
        handed = (
            action.state == "done"
            and debtor.dunning_litigation
            and debtor.dunning_agency_id == action.level_id.agency_id
        )
        return "done" if handed else "todo"
