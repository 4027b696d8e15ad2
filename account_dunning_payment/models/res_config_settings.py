# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_payment_link_validity = fields.Integer(
        related="company_id.dunning_payment_link_validity", readonly=False
    )
    dunning_plan_max_instalments = fields.Integer(
        related="company_id.dunning_plan_max_instalments", readonly=False
    )
    dunning_plan_max_months = fields.Integer(
        related="company_id.dunning_plan_max_months", readonly=False
    )
    dunning_payment_allow_partial = fields.Boolean(
        related="company_id.dunning_payment_allow_partial", readonly=False
    )
    dunning_page_max_copies = fields.Integer(
        related="company_id.dunning_page_max_copies", readonly=False
    )
    dunning_page_max_disputes = fields.Integer(
        related="company_id.dunning_page_max_disputes", readonly=False
    )
    dunning_page_max_promises = fields.Integer(
        related="company_id.dunning_page_max_promises", readonly=False
    )
