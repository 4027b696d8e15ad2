# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_action_ids = fields.Many2many(
        "dunning.action",
        "dunning_action_move_line_rel",
        "move_line_id",
        "action_id",
        string="Collections actions",
        copy=False,
        groups="account_dunning_advanced.group_dunning_user",
    )

    def action_dunning_invoice_pdf(self):
        """Download the PDF of this line's invoice, from the collections screens."""
        self.ensure_one()
        return self.env.ref("account.account_invoices").report_action(self.move_id)
