# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    # One extension per concern folder (readme/DEVELOP.md).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.config.settings"

    dunning_retention_enabled = fields.Boolean(
        related="company_id.dunning_retention_enabled", readonly=False
    )
    dunning_retention_commercial_years = fields.Integer(
        related="company_id.dunning_retention_commercial_years", readonly=False
    )
    dunning_retention_consumer_years = fields.Integer(
        related="company_id.dunning_retention_consumer_years", readonly=False
    )

    def action_dunning_retention_preview(self):
        """Open what the next purge of the company would touch."""
        self.ensure_one()
        self.env["res.partner"]._dunning_check_group(
            "account_dunning_advanced.group_dunning_manager"
        )
        return self.env["dunning.retention.preview"]._dunning_open(self.company_id)
