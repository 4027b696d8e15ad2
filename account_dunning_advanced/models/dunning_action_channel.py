# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningActionChannel(models.Model):
    """The status of one channel of an action: a failed SMS never hides a letter."""

    _name = "dunning.action.channel"
    _description = "Collections action channel"
    _order = "action_id, sequence, id"

    action_id = fields.Many2one(
        "dunning.action", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="action_id.company_id", store=True)
    sequence = fields.Integer()
    channel = fields.Selection(
        selection="_selection_channel",
        required=True,
    )
    state = fields.Selection(
        [("todo", "To do"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="todo",
    )
    error_message = fields.Text(readonly=True)
    done_at = fields.Datetime(readonly=True)
    result = fields.Char(readonly=True, help="What was sent, and to whom.")
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)

    _sql_constraints = [
        (
            "channel_unique",
            "unique(action_id, channel)",
            "An action has each channel once.",
        ),
    ]

    def _selection_channel(self):
        return self.env["dunning.level"]._get_channel_selection()
