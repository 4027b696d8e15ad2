# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningHoldOverride(models.TransientModel):
    """Ask a collections manager why they lift a person's credit hold."""

    _name = "dunning.hold.override"
    _description = "Override the credit hold of a natural person"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    reason = fields.Text(
        required=True,
        help="Why the automated credit hold does not apply to this person; "
        "kept on the partner and in its chatter.",
    )

    def action_confirm(self):
        """Lift the hold (checked on the server: collections managers only)."""
        self.ensure_one()
        self.partner_id._dunning_override_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}
