# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models


class DunningRegisteredLetterReceipt(models.TransientModel):
    """Record the receipt of a registered letter, with its proof."""

    _name = "dunning.registered.letter.receipt"
    _description = "Collections: receipt of a registered letter"

    letter_id = fields.Many2one("dunning.registered.letter", required=True)
    outcome = fields.Selection(
        [
            ("received", "Received"),
            ("not_claimed", "Not claimed"),
            ("returned", "Returned undelivered"),
        ],
        required=True,
        default="received",
    )
    date = fields.Date(
        help="Received: the date on the acknowledgement. Not claimed: the date of "
        "the first presentation (notice of passage)."
    )
    proof = fields.Binary(string="Proof (scan)")
    proof_name = fields.Char()

    def action_confirm(self):
        """Record the receipt (the rule: the registered letter)."""
        self.ensure_one()
        self.letter_id._dunning_record_receipt(
            self.outcome,
            self.date,
            proof=self.proof
            and base64.b64decode(self.with_context(bin_size=False).proof),
            proof_name=self.proof_name,
        )
        return {"type": "ir.actions.act_window_close"}
