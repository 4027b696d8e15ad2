# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import datetime

import pytz

from odoo import api, fields, models

from ...engine import channel_preferences, sending_window

#: Key of the batches being executed in ``cr.cache`` (a stack: one per
#: ``dunning.action._execute`` in progress on the cursor).
BATCH_KEY = "dunning_send_batch"


class DunningChannel(models.AbstractModel):
    """A channel of the collections actions, and the registry of the channels.

    Each channel is an abstract model ``dunning.channel.<key>`` inheriting this
    one, in its own file: the registry is the set of the models inheriting
    ``dunning.channel`` in the database, so that an addon adds a channel by
    adding one model (``_name = "dunning.channel.whatsapp"``,
    ``_inherit = "dunning.channel"``) and extends one the Odoo way
    (``_inherit = "dunning.channel.email"``). Only the channels of the addons
    installed in a database exist in it.

    The interface, on the channel's model (private: not callable over RPC):

    - ``_applies(action)``: whether the action goes out through the channel;
    - ``_recipients(action)``: who the channel reaches for the action;
    - ``_execute(action)``: send; return the values of the channel's status
      (``result``, ``attachment_id``...; ``state``/``scheduled_at`` to wait),
      raise (a ``UserError`` says why) when it fails;
    - ``_status(action)``: where the action stands on the channel.

    A *tracked* channel (the default) gets a ``dunning.action.channel`` record
    on each action it applies to: its status, retried alone when it failed.
    A hand-off (``_dunning_channel_tracked = False``, the collection agency)
    runs once every tracked channel of the action is done.
    """

    _name = "dunning.channel"
    _description = "Collections channel"

    #: Key stored in ``dunning.action.channel.channel`` (never rename it).
    _dunning_channel_key = False
    #: Sending order among the channels of an action.
    _dunning_channel_sequence = 100
    #: Boolean field of ``dunning.level`` switching the channel on, if any.
    _dunning_channel_level_field = False
    #: Whether each action keeps the channel's status (else: a hand-off).
    _dunning_channel_tracked = True

    # ------------------------------------------------------------------
    # Registry
    # ------------------------------------------------------------------
    @api.model
    def _get_channel_parts(self, tracked=None):
        """Return the channels of this database, in sending order.

        :param tracked: ``True``/``False`` for the tracked channels or the
            hand-offs only; ``None`` for all.
        :return: a list of (empty) channel models.
        """
        names = self.env.registry.descendants(["dunning.channel"], "_inherit")
        parts = [
            self.env[name]
            for name in names
            if self.env[name]._dunning_channel_key
            and (tracked is None or self.env[name]._dunning_channel_tracked == tracked)
        ]
        return sorted(
            parts, key=lambda p: (p._dunning_channel_sequence, p._dunning_channel_key)
        )

    @api.model
    def _get_channel_part(self, key):
        """Return the channel model whose key is ``key``."""
        for part in self._get_channel_parts():
            if part._dunning_channel_key == key:
                return part
        raise KeyError(key)

    @api.model
    def _get_channel_selection(self):
        """Return the tracked channels as a selection: (key, label)."""
        return [
            (part._dunning_channel_key, part._get_label())
            for part in self._get_channel_parts(tracked=True)
        ]

    # ------------------------------------------------------------------
    # Interface
    # ------------------------------------------------------------------
    @api.model
    def _get_label(self, translate=True):
        """Return the channel's name: its level field's label, else the model's."""
        field = self.env["dunning.level"]._fields.get(
            self._dunning_channel_level_field or ""
        )
        if field:
            return (
                field.get_description(self.env)["string"] if translate else field.string
            )
        return self._description

    @api.model
    def _applies_to_level(self, level):
        """Return whether the actions at ``level`` go out through the channel."""
        field = self._dunning_channel_level_field
        return bool(field and level[field])

    @api.model
    def _applies(self, action):
        """Return whether ``action`` goes out through the channel."""
        return self._applies_to_level(action.level_id)

    @api.model
    def _recipients(self, action):
        """Return who the channel reaches for ``action`` (default: the debtor)."""
        return action.partner_id

    @api.model
    def _execute(self, action):
        """Send ``action`` through the channel; return the status values.

        Raise to fail: the action's channel record is marked failed with the
        message (the one of a ``UserError``), the other channels go on.
        """
        raise NotImplementedError(self._name)

    @api.model
    def _prepare_batch(self, actions):
        """Prepare the sending of ``actions`` through the channel at once.

        Called once per batch executed by ``dunning.action._execute``, before
        the actions' channels run one by one: render what can be rendered for
        many records at once and keep it in ``_batch()``, which ``_execute``
        then reads. Whatever fails here is left to ``_execute`` (in the
        action's savepoint), so that one failure never stops the others.
        Default: nothing.
        """
        return

    @api.model
    def _flush_batch(self):
        """Write at once what ``_execute`` left in ``_batch()`` (messages, mails).

        Called once per batch after every action ran. Default: nothing.
        """
        return

    @api.model
    def _discard_batch(self, actions):
        """Forget what ``_execute`` left in ``_batch()`` for ``actions``: the
        savepoint of their batch was rolled back, they are sent again.

        Default: nothing (a channel keeping nothing per action in the batch).
        """
        return

    @api.model
    def _dunning_discard_batch(self, actions):
        """Have every channel forget what it queued for ``actions``
        (``_discard_batch``)."""
        for part in self._get_channel_parts():
            part._discard_batch(actions)

    @api.model
    def _dunning_flush_batch(self):
        """Have every channel write at once what it queued (``_flush_batch``).

        Called in the savepoint of the batch, before its flush: the messages
        are rolled back with the batch, and the state changes they follow are
        still to be tracked (the e-mail's note becomes the tracking message).
        Called again when the batch ends, for the actions sent alone.
        """
        for part in self._get_channel_parts():
            part._flush_batch()

    @api.model
    def _batch(self):
        """Return this channel's data of the batch being executed (a dict), or
        ``None`` outside a batch."""
        stack = self.env.cr.cache.get(BATCH_KEY)
        if not stack:
            return None
        return stack[-1].setdefault(self._dunning_channel_key or self._name, {})

    @api.model
    @contextmanager
    def _dunning_batch(self, actions):
        """Execute ``actions`` as one batch: every channel prepares them at once
        (``_prepare_batch``) and writes what they queued at once at the end
        (``_flush_batch``)."""
        stack = self.env.cr.cache.setdefault(BATCH_KEY, [])
        stack.append({})
        try:
            parts = self._get_channel_parts()
            for part in parts:
                part._prepare_batch(actions)
            yield
            self._dunning_flush_batch()
        finally:
            stack.pop()

    @api.model
    def _render_pdfs(self, report, records):
        """Render ``report`` for ``records`` in one call, split per record.

        :return: ``({record id: content}, report type)``; ``pdf``, or
            ``html`` where Odoo renders reports as HTML (tests). A record
            missing from the result failed: its caller renders it alone, and
            fails alone.

        An unpatched wkhtmltopdf (which prints one document per call) prints
        the records as one document, split by pages when each record is one
        page (``ir.actions.report._run_wkhtmltopdf``). When the result cannot
        be split, or the call fails, each record is rendered alone.
        """
        Report = self.env["ir.actions.report"].with_context(dunning_merge_bodies=True)
        try:
            with self.env.cr.savepoint(flush=False):
                content, report_type = Report._pre_render_qweb_pdf(report, records.ids)
                result = Report._get_splitted_report(report, content, report_type)
        except Exception:  # noqa: BLE001 - rendered one by one below
            result, report_type = {}, "pdf"
        result = {
            record_id: value
            for record_id, value in result.items()
            if record_id in records._ids
        }
        if len(records) > 1 and len(result) < len(records):
            for record in records.filtered(lambda r: r.id not in result):
                contents, report_type = self._render_pdfs(report, record)
                result.update(contents)
        return result, report_type

    @api.model
    def _render_pdf_attachments(self, report, records, names):
        """Render ``report`` for ``records`` (``_render_pdfs``) and keep each
        PDF as an attachment of its record, named ``names[record id]``.

        :return: ``{record id: ir.attachment}`` of the records rendered; the
            others failed (their callers render them alone, and fail alone).
        """
        contents, _type = self._render_pdfs(report, records)
        records = records.filtered(lambda record: record.id in contents)
        created = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": names[record.id],
                        "raw": contents[record.id],
                        "res_model": records._name,
                        "res_id": record.id,
                        "mimetype": "application/pdf",
                    }
                    for record in records
                ]
            )
        )
        return dict(zip(records.ids, created, strict=True))

    @api.model
    def _status(self, action):
        """Return where ``action`` stands on the channel: todo, done, failed,
        cancel, or ``False`` when the channel is not one of the action's."""
        record = action.channel_ids.filtered(
            lambda c: c.channel == self._dunning_channel_key
        )[:1]
        return record.state or False

    # ------------------------------------------------------------------
    # Shared by the channels reaching people (SMS, calls)
    # ------------------------------------------------------------------
    @api.model
    def _next_opening(self, action, moment=None):
        """Return the next opening of the company's sending window (UTC, naive).

        ``moment`` (UTC, naive; default now) itself when the window is open
        then. SMS and calls reach the debtor on working days (Monday to
        Friday, French public holidays excluded) within the company's hours,
        narrowed to the debtor's contact hours when it states some.
        """
        company = action.company_id
        tz = company._dunning_sending_tz()
        moment = moment or fields.Datetime.now()
        local = pytz.utc.localize(moment).astimezone(tz).replace(tzinfo=None)
        debtor = action.partner_id.commercial_partner_id
        start, end = channel_preferences.contact_window(
            company.dunning_send_hour_start,
            company.dunning_send_hour_end,
            debtor.dunning_contact_hour_from,
            debtor.dunning_contact_hour_to,
        )
        opening = sending_window.next_opening(local, start, end)
        if opening == local:
            return moment
        return tz.localize(opening).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _first_opening_day(self, action):
        """Return the local day of the first opening on or after the action's
        date: the action's date, or the next working day of the window."""
        tz = action.company_id._dunning_sending_tz()
        start = max(
            fields.Datetime.now(),
            tz.localize(datetime.combine(action.date, datetime.min.time()))
            .astimezone(pytz.utc)
            .replace(tzinfo=None),
        )
        opening = self._next_opening(action, start)
        return pytz.utc.localize(opening).astimezone(tz).date()
