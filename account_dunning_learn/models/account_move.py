# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_learned_date = fields.Date(
        string="Learned payment date",
        readonly=True,
        copy=False,
        help="Date the company's learned model expects the invoice to be "
        "paid (written when the model is trained).",
    )
