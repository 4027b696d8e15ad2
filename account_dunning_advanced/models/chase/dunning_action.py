# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from markupsafe import escape

from odoo import Command, api, fields, models
from odoo.exceptions import MissingError, UserError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .bulk_insert import insert_messages, insert_or_create, insert_rows

_logger = logging.getLogger(__name__)


class _ActionFailedError(Exception):
    """An action failed in the savepoint of its batch."""

    def __init__(self, action):
        super().__init__(action)
        self.action = action


class DunningAction(models.Model):
    """A reminder for one debtor, level, currency and run (or a forced level)."""

    _name = "dunning.action"
    _description = "Collections action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    run_id = fields.Many2one("dunning.run", index=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [("reminder", "Reminder"), ("forced", "Forced level")],
        required=True,
        default="reminder",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("draft", "To validate"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
            ("error", "Error"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    level_id = fields.Many2one("dunning.level", required=True, index=True)
    scenario_id = fields.Many2one("dunning.scenario", index=True)
    line_ids = fields.Many2many(
        "account.move.line",
        "dunning_action_move_line_rel",
        "action_id",
        "move_line_id",
        string="Receivable lines",
    )
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids"
    )
    amount_due = fields.Monetary(
        string="Amount due", help="Open amount of the listed invoices."
    )
    amount_overdue = fields.Monetary(
        string="Overdue", help="Part of the amount due that is past its due date."
    )
    partner_to_ids = fields.Many2many(
        "res.partner",
        "dunning_action_partner_to_rel",
        "action_id",
        "partner_id",
        string="To",
        compute="_compute_recipients",
        store=True,
        readonly=False,
    )
    partner_cc_ids = fields.Many2many(
        "res.partner",
        "dunning_action_partner_cc_rel",
        "action_id",
        "partner_id",
        string="Cc",
        compute="_compute_recipients",
        store=True,
        readonly=False,
    )
    recipient_note = fields.Text(
        compute="_compute_recipients",
        store=True,
        help="Why the recipients are not the contacts holding the level's roles.",
    )
    channels = fields.Char(string="Channels used", compute="_compute_channels")
    channels_list = fields.Char(
        compute="_compute_channels", help="Technical names of the channels."
    )
    email_preview = fields.Html(compute="_compute_email_preview", sanitize=False)
    channel_ids = fields.One2many(
        "dunning.action.channel", "action_id", string="Channels", readonly=True
    )
    message_id = fields.Many2one(
        "mail.message",
        string="Message sent",
        readonly=True,
        copy=False,
        # Replies are matched to their reminder through it.
        index="btree_not_null",
    )
    executed_at = fields.Datetime(readonly=True, copy=False)
    executed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    error_message = fields.Text(readonly=True, copy=False)
    note = fields.Text(help="Reason of a forced level, or a collector's note.")
    registered_letter_ids = fields.One2many(
        "dunning.registered.letter", "action_id", string="Registered letters"
    )
    payment_deadline = fields.Date(
        string="Deadline to pay",
        compute="_compute_payment_deadline",
        help="Formal notice by registered letter: the deadline to pay, counted "
        "from the receipt of the letter.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("registered_letter_ids.payment_deadline")
    def _compute_payment_deadline(self):
        for action in self:
            action.payment_deadline = action.registered_letter_ids[:1].payment_deadline

    @api.depends("level_id", "partner_id", "date")
    def _compute_display_name(self):
        for action in self:
            action.display_name = self.env._(
                "%(level)s - %(partner)s (%(date)s)",
                level=action.level_id.with_context(dunning_short=True).display_name
                or "",
                partner=action.partner_id.display_name or "",
                date=action.date or "",
            )

    @api.depends("line_ids")
    def _compute_move_ids(self):
        for action in self:
            action.move_ids = action.line_ids.move_id

    @api.depends("level_id", "channel_ids.channel")
    def _compute_channels(self):
        labels = {
            part._dunning_channel_key: part._get_label()
            for part in self.env["dunning.channel"]._get_channel_parts(tracked=True)
        }
        for action in self:
            # The action's own channels once chosen (the debtor's preferences
            # among the level's), else the level's.
            names = action.channel_ids.sorted("sequence").mapped("channel") or (
                action.level_id._get_channels() if action.level_id else []
            )
            action.channels = ", ".join(labels[name] for name in names) or False
            action.channels_list = ",".join(names) or ""

    @api.depends("partner_id", "level_id", "kind")
    def _compute_recipients(self):
        for action in self:
            if action.kind != "reminder" or not action.partner_id:
                action.partner_to_ids = False
                action.partner_cc_ids = False
                action.recipient_note = False
                continue
            to, cc, note = action._get_default_recipients()
            action.partner_to_ids = to
            action.partner_cc_ids = cc
            action.recipient_note = note or False

    @api.depends("level_id", "line_ids", "partner_to_ids")
    def _compute_email_preview(self):
        email = self.env["dunning.channel.email"]
        for action in self:
            action.email_preview = email._preview(action)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def init(self):
        # "Run twice on the same date = nothing new" is a property of the
        # data, not of luck: one live reminder per debtor, level, currency
        # and date.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS dunning_action_reminder_unique
                    ON dunning_action (partner_id, level_id, currency_id, date)
                 WHERE kind = 'reminder' AND state != 'cancel'
                """
            )
        )

    def _message_track(self, fields_iter, initial_values_dict):
        """Log the tracking messages of many actions in one statement.

        The messages of ``mail.thread._message_track`` (one per action whose
        tracked fields changed, as ``_message_log`` writes them), created at
        once: a batch of reminders changes the state of hundreds of actions
        in one flush. Mail's own way when a change has a subtype to post.
        """
        if len(self) < 2 or not fields_iter:
            return super()._message_track(fields_iter, initial_values_dict)
        tracked_fields = self.fields_get(
            fields_iter, attributes=("string", "type", "selection", "currency_field")
        )
        tracking = {}
        for record in self:
            try:
                tracking[record.id] = record._mail_track(
                    tracked_fields, initial_values_dict[record.id]
                )
            except MissingError:
                continue
        for record in self:
            changed = tracking.get(record.id, (None, None))[0]
            if changed and record._track_subtype(
                {name: initial_values_dict[record.id][name] for name in changed}
            ):
                return super()._message_track(fields_iter, initial_values_dict)
        data = self.env.cr.precommit.data
        bodies = data.pop(f"mail.tracking.message.{self._name}", {})
        authors = data.pop(f"mail.tracking.author.{self._name}", {})
        base_values = {}
        values_list = []
        for record in self:
            changed, tracking_value_ids = tracking.get(record.id, (None, None))
            if not changed or not tracking_value_ids:
                continue
            author = authors[record.id].id if record.id in authors else None
            if author not in base_values:
                author_id, email_from = self._message_compute_author(
                    author, None, raise_on_email=False
                )
                base_values[author] = {
                    "author_id": author_id,
                    "email_from": email_from,
                    "model": self._name,
                    "record_alias_domain_id": False,
                    "record_company_id": False,
                    "record_name": False,
                    "attachment_ids": False,
                    "message_type": "notification",
                    "is_internal": True,
                    "subject": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_note"
                    ),
                    "email_add_signature": False,
                    "partner_ids": False,
                    "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                        default=email_from
                    )[False],
                }
            body = (
                bodies[record.id]
                if record.id in bodies
                else record._track_get_default_log_message(changed)
            )
            values_list.append(
                dict(
                    base_values[author],
                    res_id=record.id,
                    body=escape(body),
                    message_id=generate_tracking_message_id("message-notify"),
                    tracking_value_ids=tracking_value_ids,
                )
            )
        if not values_list:
            return tracking
        # The tracking values of all the messages in one create (mail creates
        # them message by message).
        creates = []
        for values in values_list:
            commands = values["tracking_value_ids"]
            if all(len(c) == 3 and c[0] == Command.CREATE for c in commands):
                creates.append([command[2] for command in commands])
                del values["tracking_value_ids"]
            else:  # other commands: mail writes them
                creates.append([])
        # The messages and their values in a few statements (bulk_insert),
        # through the ORM when they cannot.
        messages = insert_messages(self.env, values_list)
        if messages is None:
            messages = self.sudo()._message_create(values_list)
        insert_or_create(
            self.env["mail.tracking.value"].sudo(),
            [
                dict(vals, mail_message_id=message.id)
                for message, vals_list in zip(messages, creates, strict=True)
                for vals in vals_list
            ],
        )
        return tracking

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(action.state == "done" for action in self):
            raise UserError(
                self.env._(
                    "A done collections action is part of the debtor's history "
                    "and cannot be deleted."
                )
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_execute(self):
        """Send the reminders (validate them)."""
        to_send = self.filtered(lambda a: a.state in ("draft", "error"))
        if not to_send:
            raise UserError(
                self.env._("There is no reminder to send in the selection.")
            )
        to_send._execute()
        return True

    def action_cancel(self):
        """Cancel the reminders: their invoices will be proposed again."""
        self.filtered(lambda a: a.state in ("draft", "error")).write(
            {"state": "cancel"}
        )
        return True

    def action_reset_to_draft(self):
        """Put cancelled or failed reminders back to validate."""
        self.filtered(lambda a: a.state in ("cancel", "error")).write(
            {"state": "draft", "error_message": False}
        )
        return True

    def action_recompute_recipients(self):
        """Choose the recipients again from the contacts' current roles."""
        self._compute_recipients()
        return True

    # ------------------------------------------------------------------
    # Recipients (chosen by the e-mail channel, stored on the action)
    # ------------------------------------------------------------------
    def _get_default_recipients(self):
        """Return ``(to, cc, note)``: who receives this reminder, and why."""
        self.ensure_one()
        return self._select_recipients(
            self.partner_id, self.level_id, self.line_ids.move_id.partner_id
        )

    @api.model
    def _select_recipients(self, partner, level, invoice_addresses):
        """Choose the recipients of a reminder: see the e-mail channel."""
        return self.env["dunning.channel.email"]._select_recipients(
            partner, level, invoice_addresses
        )

    @api.model
    def _prepare_recipients_vals(self, vals_list):
        """Add the recipients to the values of many reminders at once: see the
        e-mail channel."""
        return self.env["dunning.channel.email"]._prepare_recipients_vals(vals_list)

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _get_open_lines(self):
        """Return the listed lines that are still open (not paid meanwhile)."""
        self.ensure_one()
        return self.line_ids._dunning_collectible()

    def _ensure_channels(self):
        """Create the missing channel records of the actions (one per channel)."""
        vals_list = []
        # The level's channels narrowed by the debtor's preferences, for all
        # the actions at once (models/channels/dunning_action.py).
        resolved = self._dunning_resolve_channels(
            [(a.partner_id.id, a.level_id.id, a.partner_to_ids.ids) for a in self],
            [a.company_id.id for a in self],
        )
        notes = {}
        for action, (names, note) in zip(self, resolved, strict=True):
            existing = set(action.channel_ids.mapped("channel"))
            if not existing and note != action.channel_note:
                notes.setdefault(note, []).append(action.id)
            vals_list += [
                {
                    "action_id": action.id,
                    # The related stored field, known here: no recompute.
                    "company_id": action.company_id.id,
                    "channel": name,
                    "sequence": index,
                }
                for index, name in enumerate(names)
                if name not in existing
            ]
        for note, action_ids in notes.items():
            self.browse(action_ids).write({"channel_note": note})
        # In a few statements, as the run creates them with the actions.
        self.env["dunning.action.channel"]._dunning_create_channels(vals_list)

    @api.model
    def _dunning_create_reminders(self, vals_list):
        """Create the reminders ``vals_list`` of a run with their channels.

        In a few statements whatever their number (``bulk_insert``): the
        actions, their lines and recipients, then one channel row per channel
        of their level (as ``_ensure_channels``). A reminder that already
        exists for the debtor, level, currency and date (the unique index
        ``dunning_action_reminder_unique``) is skipped: a run started twice
        creates nothing new. Values that are not plain columns (an extension
        adding a non-stored field or an x2many command) go through the ORM.

        :param vals_list: values of ``create``, recipients included
            (``_prepare_recipients_vals``).
        :return: the actions created.
        """
        # The channels of each reminder (the debtor's preferences among the
        # level's), and why, read for the whole batch at once.
        vals_list = [dict(vals) for vals in vals_list]
        resolved = self._dunning_resolve_vals(vals_list)
        computed = self._dunning_reminder_computed_vals(vals_list)
        ids = insert_rows(
            self,
            [
                {**extra, **vals}
                for vals, extra in zip(vals_list, computed, strict=True)
            ],
            conflict=SQL(
                "(partner_id, level_id, currency_id, date) "
                "WHERE kind = 'reminder' AND state != 'cancel'"
            ),
        )
        if ids is None:
            actions = self.create(vals_list)
            actions._ensure_channels()
            return actions
        actions = self.browse([action_id for action_id in ids if action_id])
        channel_vals = []
        for action_id, vals, names in zip(ids, vals_list, resolved, strict=True):
            if not action_id:
                continue
            channel_vals += [
                {
                    "action_id": action_id,
                    # The related stored field, known here: no recompute.
                    "company_id": vals.get("company_id") or self.env.company.id,
                    "channel": name,
                    "sequence": index,
                }
                for index, name in enumerate(names)
            ]
        self.env["dunning.action.channel"]._dunning_create_channels(channel_vals)
        return actions

    @api.model
    def _dunning_reminder_computed_vals(self, vals_list):
        """Return the values of the stored computed fields of the reminders
        ``vals_list``, known for the whole batch at once (one query each):
        inserted with them, they are not computed again per reminder at the
        flush. The debtor's collector here; an extension adds its own fields
        (e.g. account_dunning_score's grade).

        Only for the insert in SQL (``_dunning_create_reminders``): through
        ``create`` a related field given would be written on the debtor.

        :return: a list of dicts, in the order of ``vals_list``.
        """
        partners = (
            self.env["res.partner"].sudo().browse({v["partner_id"] for v in vals_list})
        )
        partners.fetch(["dunning_collector_id"])
        collectors = {
            partner.id: partner.dunning_collector_id.id for partner in partners
        }
        return [{"collector_id": collectors[v["partner_id"]]} for v in vals_list]

    def _execute(self):
        """Execute every channel of each action; one failure never stops the rest.

        Each channel (``dunning.channel.*``) runs in its own savepoint and
        keeps its own status: a failed SMS never hides a sent e-mail, and
        sending again only retries what failed.  An action whose invoices were
        all paid meanwhile is cancelled; the others go on whatever happens to
        one of them.
        """
        self._ensure_channels()
        labels = dict(
            self.env["dunning.action.channel"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        # One query for all the actions, not one per action.
        open_lines = self.line_ids._dunning_collectible()
        paid = self.filtered(lambda action: not action.line_ids & open_lines)
        if paid:
            paid.write(
                {
                    "state": "cancel",
                    "note": self.env._("Paid before the reminder was sent."),
                }
            )
        to_send = self - paid
        if not to_send:
            return True
        # Every channel renders the batch at once (templates, letters,
        # invoice PDFs) and writes its messages at once at the end; the
        # actions are sent in one savepoint (``_dunning_send_batch``).
        with self.env["dunning.channel"]._dunning_batch(to_send):
            to_send._dunning_send_batch(labels)
        return True

    #: Savepoints of the whole batch tried before each remaining action's
    #: channels get their own (``_dunning_send_batch``).
    _dunning_batch_attempts = 5

    def _dunning_send_batch(self, labels):
        """Send the channels of the actions of a batch, in one savepoint.

        One savepoint (and one flush: the statuses and states written in a
        few grouped statements) for the whole batch. When an action fails in
        it, the batch is rolled back, that action is sent alone with each
        channel in its own savepoint (``_dunning_send_one``, where it fails
        alone and keeps its message), and the others are sent again in one
        savepoint. After ``_dunning_batch_attempts`` failed savepoints, or a
        failure that no action can be blamed for (the flush), every remaining
        action is sent alone. The per-channel status guard (a channel done is
        never sent again) holds in every case: nothing goes twice.

        :param labels: ``{channel key: label}`` of the failure messages.
        """
        Channel = self.env["dunning.channel"]
        remaining = self
        for _attempt in range(self._dunning_batch_attempts):
            if not remaining:
                return
            # What the actions sent alone queued is written outside the
            # savepoint of the others, which may still roll back.
            Channel._dunning_flush_batch()
            try:
                with self.env.cr.savepoint():
                    for action in remaining:
                        try:
                            action._dunning_send_channels(labels, isolate=False)
                        except Exception as error:
                            raise _ActionFailedError(action) from error
                    # Every channel of each action is done: one write for all.
                    remaining._dunning_mark_executed()
                    for action in remaining:
                        try:
                            action._dunning_after_execute()
                        except Exception as error:
                            raise _ActionFailedError(action) from error
                    # The messages of the batch, before its flush tracks the
                    # states (a failure here: each action alone, below).
                    Channel._dunning_flush_batch()
                return
            except _ActionFailedError as failure:
                # Rolled back: forget what the batch queued for them.
                Channel._dunning_discard_batch(remaining)
                failure.action._dunning_send_one(labels)
                remaining -= failure.action
            except Exception:  # noqa: BLE001 - the flush: each action alone
                _logger.info(
                    "Collections batch of %s actions failed: sending each alone",
                    len(remaining),
                    exc_info=True,
                )
                Channel._dunning_discard_batch(remaining)
                break
        for action in remaining:
            action._dunning_send_one(labels)

    def _dunning_send_one(self, labels, isolate=True):
        """Send the channels of this action that are not done yet.

        :param isolate: each channel in its own savepoint, failing alone
            (its status and the action's error say why); else a failure
            raises (the caller's savepoint rolls back).
        """
        self.ensure_one()
        failures = self._dunning_send_channels(labels, isolate=isolate)
        if failures:
            self.write({"state": "error", "error_message": "\n".join(failures)})
            return
        self._dunning_mark_executed()
        self._dunning_after_execute()

    def _dunning_send_channels(self, labels, isolate=True):
        """Send the channels of this action that are not done yet.

        :param isolate: see ``_dunning_send_one``.
        :return: the failure messages, one per failed channel.
        """
        self.ensure_one()
        failures = []
        for channel in self.channel_ids.filtered(lambda c: c.state != "done"):
            message = channel._dunning_send(savepoint=isolate)
            if message:
                failures.append(f"{labels[channel.channel]}: {message}")
        return failures

    def _dunning_mark_executed(self):
        """Mark the actions done: every channel of each went out."""
        self.write(
            {
                "state": "done",
                "executed_at": fields.Datetime.now(),
                "executed_by_id": self.env.uid,
                "error_message": False,
            }
        )

    def _dunning_after_execute(self):
        """Hook run once all the channels of the action are done.

        The collectors follow the debtor, then the hand-offs (the collection
        agency, which puts the debtor in litigation) run.
        """
        self.ensure_one()
        partner = self.partner_id
        # Sales and the collector follow the debtor: they discuss it in its
        # chatter (Discuss), with mentions.
        collector = self.env["dunning.channel.email"]._get_collector(partner)
        watchers = (partner.user_id | collector).partner_id
        if watchers and watchers - partner.sudo().message_partner_ids:
            partner.sudo().message_subscribe(partner_ids=watchers.ids)
        for part in self.env["dunning.channel"]._get_channel_parts(tracked=False):
            if part._applies(self):
                part._execute(self)

    # ------------------------------------------------------------------
    # What every channel of the action shares
    # ------------------------------------------------------------------
    def _dunning_get_links(self):
        """Return the links every message of this action carries.

        Extension point for other addons (the debtor's payment page): a list of
        dicts ``{"label": str, "url": str}``, added to the e-mails, the SMS and
        the letters; an optional ``short_url`` replaces ``url`` where the
        length counts (the SMS, the printed letters).
        """
        self.ensure_one()
        return []

    def _dunning_prepare_links(self):
        """Prepare at once what ``_dunning_get_links`` needs for these actions
        (called before their messages are rendered together).

        Extension point, next to ``_dunning_get_links``: the payment page
        creates the links of a whole batch in one statement. Default: nothing.
        """
        return

    @api.model
    def _dunning_get_email_signatory(self, partner):
        """Return the user who signs the e-mails to ``partner``: see the
        e-mail channel."""
        return self.env["dunning.channel.email"]._get_signatory(partner)

    @api.model
    def _dunning_render_context(self, template, partner, extra=None):
        """Return ``template`` signed for ``partner``: see the e-mail channel."""
        return self.env["dunning.channel.email"]._render_context(
            template, partner, extra
        )

    @api.model
    def _dunning_queue_email(
        self, template, record, thread, to, cc, attachments, render_context=None
    ):
        """Render and queue a collections e-mail: see the e-mail channel.

        :return: the ``mail.message`` logged.
        """
        return self.env["dunning.channel.email"]._queue_email(
            template, record, thread, to, cc, attachments, render_context
        )

    def _dunning_letter_attachment(self):
        """Return the PDF letter of this action: see the letter channel."""
        self.ensure_one()
        return self.env["dunning.channel.letter"]._letter_attachment(self)

    def _dunning_next_opening(self, moment=None):
        """Return the next opening of the company's sending window (UTC,
        naive): see ``dunning.channel._next_opening``."""
        self.ensure_one()
        return self.env["dunning.channel"]._next_opening(self, moment)

    # ------------------------------------------------------------------
    # Buttons of the channels
    # ------------------------------------------------------------------
    def action_log_call(self):
        """Open the wizard logging the outcome of the call."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log the call"),
            "res_model": "dunning.call.outcome",
            "view_mode": "form",
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    def action_print_letter(self):
        """Print the letter of this action."""
        return self.env.ref(
            "account_dunning_advanced.action_report_dunning_letter"
        ).report_action(self)

    def action_statement(self):
        """Open the debtor's account statement."""
        self.ensure_one()
        return self.partner_id.action_dunning_statement()
