# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.config.settings"

    dunning_score_people = fields.Boolean(
        related="company_id.dunning_score_people", readonly=False
    )
