# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's collector stored on the records the collectors work on, so
that their lists filter and group by it."""

from odoo import fields, models


class DunningAction(models.Model):
    _inherit = "dunning.action"

    collector_id = fields.Many2one(
        related="partner_id.dunning_collector_id", store=True, index=True
    )


class DunningPromise(models.Model):
    _inherit = "dunning.promise"

    collector_id = fields.Many2one(
        related="partner_id.commercial_partner_id.dunning_collector_id",
        store=True,
        index=True,
    )


class DunningDispute(models.Model):
    _inherit = "dunning.dispute"

    collector_id = fields.Many2one(
        related="partner_id.commercial_partner_id.dunning_collector_id",
        store=True,
        index=True,
    )
