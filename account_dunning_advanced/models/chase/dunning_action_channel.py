# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .bulk_insert import insert_rows

_logger = logging.getLogger(__name__)


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
        [
            ("todo", "To do"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="todo",
    )
    error_message = fields.Text(readonly=True)
    done_at = fields.Datetime(readonly=True)
    result = fields.Char(readonly=True, help="What was sent, and to whom.")
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)
    scheduled_at = fields.Datetime(
        string="Waits until",
        readonly=True,
        index="btree_not_null",
        help="A text message due outside the sending window (evenings, "
        "weekends, public holidays) goes out at this opening.",
    )

    _sql_constraints = [
        (
            "channel_unique",
            "unique(action_id, channel)",
            "An action has each channel once.",
        ),
    ]

    @api.model
    def _dunning_create_channels(self, vals_list):
        """Create the channel rows ``vals_list`` of new actions in a few
        statements (``bulk_insert``), through the ORM when a value is not a
        plain column."""
        if vals_list and insert_rows(self, vals_list) is None:
            self.create(vals_list)

    def _selection_channel(self):
        # The tracked channels of the registry (the dunning.channel.* models).
        return self.env["dunning.channel"]._get_channel_selection()

    def _dunning_send(self, action=None, savepoint=True):
        """Run this channel of its action now and record its status.

        In its own savepoint: done with the channel's result (or still to do
        when it waits for the sending window), else failed with the message.

        :param action: the action in the environment to send with (default:
            ``action_id``).
        :param savepoint: ``False`` in the savepoint of a whole batch
            (``dunning.action._dunning_send_batch``): a failure raises, and
            the batch sends this action again alone.
        :return: the failure message, or ``False`` when it did not fail.
        """
        self.ensure_one()
        action = action or self.action_id
        part = action.env["dunning.channel"]._get_channel_part(self.channel)
        if not savepoint:
            self._dunning_mark_done(part._execute(action))
            return False
        try:
            with self.env.cr.savepoint():
                self._dunning_mark_done(part._execute(action))
        except Exception as error:  # noqa: BLE001 - isolate each channel
            _logger.info(
                "Collections action %s, channel %s failed: %s",
                action.id,
                self.channel,
                error,
            )
            message = (
                error.args[0]
                if isinstance(error, UserError) and error.args
                else repr(error)
            )
            self.write({"state": "failed", "error_message": message})
            return message
        return False

    def _dunning_mark_done(self, result):
        """Record the channel as done with the channel's ``result`` values."""
        self.write(
            {
                "state": "done",
                "done_at": fields.Datetime.now(),
                "error_message": False,
                "scheduled_at": False,
                **(result or {}),
            }
        )

    @api.model
    def _cron_send_scheduled(self):
        """Send the text messages that waited for the sending window to open.

        Each channel in its own savepoint; one whose invoices were paid
        meanwhile is cancelled. Run often (hourly) by a scheduled action.
        """
        channels = self.search(
            [
                ("state", "=", "todo"),
                ("scheduled_at", "!=", False),
                ("scheduled_at", "<=", fields.Datetime.now()),
                ("action_id.state", "in", ("done", "error")),
            ]
        )
        for channel in channels:
            channel._send_scheduled()
            if self.env.context.get("dunning_auto_commit"):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    def _send_scheduled(self):
        """Send this waiting channel now (it waits again if still outside)."""
        self.ensure_one()
        action = self.action_id.with_company(self.company_id)
        if not action._get_open_lines():
            self.write(
                {
                    "state": "cancel",
                    "result": self.env._("Not sent: paid before the window opened."),
                }
            )
            return
        message = self._dunning_send(action)
        if message:
            action.write({"state": "error", "error_message": message})
