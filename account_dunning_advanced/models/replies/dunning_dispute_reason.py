# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningDisputeReason(models.Model):
    """Why a debtor disputes an invoice: price, quantity, quality..."""

    _name = "dunning.dispute.reason"
    _description = "Collections dispute reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
