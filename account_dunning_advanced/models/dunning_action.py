# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import datetime

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date, format_datetime

from ..engine import sending_window, sms

_logger = logging.getLogger(__name__)


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

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
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

    @api.depends("level_id")
    def _compute_channels(self):
        labels = {
            name: self.env["dunning.level"]
            ._fields[f"channel_{name}"]
            .get_description(self.env)["string"]
            for name in self.env["dunning.level"]._get_channel_names()
        }
        for action in self:
            names = action.level_id._get_channels() if action.level_id else []
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
        for action in self:
            template = action.level_id.mail_template_id
            if (
                action.kind != "reminder"
                or not template
                or not isinstance(action.id, int)
            ):
                action.email_preview = False
                continue
            values = action._dunning_render_context(
                template, action.partner_id
            )._generate_template(action.ids, ("subject", "body_html"))[action.id]
            action.email_preview = Markup("<h4>%s</h4>%s") % (
                values.get("subject") or "",
                Markup(values.get("body_html") or ""),
            )

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
    # Business
    # ------------------------------------------------------------------
    def _get_default_recipients(self):
        """Return ``(to, cc, note)``: who receives this reminder, and why."""
        self.ensure_one()
        return self._select_recipients(
            self.partner_id, self.level_id, self.line_ids.move_id.partner_id
        )

    @api.model
    def _select_recipients(self, partner, level, invoice_addresses):
        """Choose the recipients of a reminder at ``level`` for the debtor.

        The debtor's contacts holding one of the level's "To" roles, copied to
        those holding a "Cc" role.  Without any, the invoice addresses of the
        listed invoices, then the debtor itself; the note says so.

        :param partner: the debtor (commercial partner).
        :param level: the ``dunning.level``.
        :param invoice_addresses: the partners the listed invoices are
            addressed to.
        :return: ``(to, cc, note)``, two ``res.partner`` recordsets and a text.
        """
        contacts = partner | partner.child_ids

        def holding(roles):
            if not roles:
                return self.env["res.partner"]
            return contacts.filtered(lambda c: c.email and c.dunning_role_ids & roles)

        to = holding(level.to_role_ids)
        cc = holding(level.cc_role_ids) - to
        notes = []
        if not to:
            if level.to_role_ids:
                notes.append(
                    self.env._(
                        "No contact of %(partner)s holding the role %(roles)s has "
                        "an e-mail address.",
                        partner=partner.display_name,
                        roles=", ".join(level.to_role_ids.mapped("name")),
                    )
                )
            invoice_addresses = (invoice_addresses - partner).filtered("email")
            if invoice_addresses:
                to = invoice_addresses
                notes.append(self.env._("Sent to the invoice address instead."))
            elif partner.email:
                to = partner
                notes.append(
                    self.env._("Sent to the e-mail address of the company instead.")
                )
            else:
                notes.append(
                    self.env._(
                        "Nobody at %(partner)s has an e-mail address: the reminder "
                        "cannot be e-mailed.",
                        partner=partner.display_name,
                    )
                )
        return to, cc, "\n".join(notes)

    @api.model
    def _prepare_recipients_vals(self, vals_list):
        """Add the recipients to the values of many reminders at once.

        The same choice as the compute, with the contacts, their roles and the
        invoice addresses read for the whole batch in a few queries instead of
        a few per action.

        :param vals_list: ``dunning.action`` values with ``partner_id``,
            ``level_id`` and ``line_ids`` (a ``Command.set``); completed in place.
        """
        partners = self.env["res.partner"].browse({v["partner_id"] for v in vals_list})
        contacts = partners | partners.child_ids
        contacts.mapped("email")
        contacts.mapped("dunning_role_ids")
        levels = self.env["dunning.level"].browse({v["level_id"] for v in vals_list})
        levels.mapped("to_role_ids")
        levels.mapped("cc_role_ids")
        line_ids = {i for v in vals_list for i in v["line_ids"][0][2]}
        lines = self.env["account.move.line"].browse(line_ids)
        lines.mapped("move_id.partner_id.email")
        for vals in vals_list:
            to, cc, note = self._select_recipients(
                self.env["res.partner"].browse(vals["partner_id"]),
                self.env["dunning.level"].browse(vals["level_id"]),
                lines.browse(vals["line_ids"][0][2]).move_id.partner_id,
            )
            vals["partner_to_ids"] = [Command.set(to.ids)]
            vals["partner_cc_ids"] = [Command.set(cc.ids)]
            vals["recipient_note"] = note or False
        return vals_list

    def _get_open_lines(self):
        """Return the listed lines that are still open (not paid meanwhile)."""
        self.ensure_one()
        return self.line_ids._dunning_collectible()

    def _ensure_channels(self):
        """Create the missing channel records of the actions (one per channel)."""
        vals_list = []
        for action in self:
            existing = set(action.channel_ids.mapped("channel"))
            vals_list += [
                {"action_id": action.id, "channel": name, "sequence": index}
                for index, name in enumerate(action.level_id._get_channels())
                if name not in existing
            ]
        if vals_list:
            self.env["dunning.action.channel"].create(vals_list)

    def _execute(self):
        """Execute every channel of each action; one failure never stops the rest.

        Each channel runs in its own savepoint and keeps its own status: a
        failed SMS never hides a sent e-mail, and sending again only retries
        what failed.  An action whose invoices were all paid meanwhile is
        cancelled; the others go on whatever happens to one of them.
        """
        self._ensure_channels()
        labels = dict(
            self.env["dunning.action.channel"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        for action in self:
            if not action._get_open_lines():
                action.write(
                    {
                        "state": "cancel",
                        "note": self.env._("Paid before the reminder was sent."),
                    }
                )
                continue
            failures = []
            for channel in action.channel_ids.filtered(lambda c: c.state != "done"):
                try:
                    with self.env.cr.savepoint():
                        result = getattr(
                            action, f"_dunning_{channel.channel}_execute"
                        )()
                        channel.write(
                            {
                                "state": "done",
                                "done_at": fields.Datetime.now(),
                                "error_message": False,
                                **(result or {}),
                            }
                        )
                except Exception as error:  # noqa: BLE001 - isolate each channel
                    _logger.info(
                        "Collections action %s, channel %s failed: %s",
                        action.id,
                        channel.channel,
                        error,
                    )
                    message = (
                        error.args[0]
                        if isinstance(error, UserError) and error.args
                        else repr(error)
                    )
                    channel.write({"state": "failed", "error_message": message})
                    failures.append(f"{labels[channel.channel]}: {message}")
            if failures:
                action.write({"state": "error", "error_message": "\n".join(failures)})
                continue
            action.write(
                {
                    "state": "done",
                    "executed_at": fields.Datetime.now(),
                    "executed_by_id": self.env.uid,
                    "error_message": False,
                }
            )
            action._dunning_after_execute()
        return True

    def _dunning_after_execute(self):
        """Hook run once all the channels of the action are done.

        The collection agency hand-off puts the debtor in litigation.
        """
        self.ensure_one()
        partner = self.partner_id
        # Sales and the collector follow the debtor: they discuss it in its
        # chatter (Discuss), with mentions.
        watchers = (partner.user_id | partner._dunning_get_collector()).partner_id
        if watchers - partner.sudo().message_partner_ids:
            partner.sudo().message_subscribe(partner_ids=watchers.ids)
        if self.level_id.level_type == "agency":
            self.partner_id._dunning_start_litigation(self)

    def _dunning_email_attachments(self):
        """Return the PDF of each listed invoice, rendered once per invoice.

        The invoice's own PDF when Odoo already stored it, else a PDF rendered
        and kept on the invoice, reused by the next reminders.
        """
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment
        for move in self._get_open_lines().move_id:
            if move.invoice_pdf_report_id:
                attachments |= move.invoice_pdf_report_id
                continue
            name = "%s.pdf" % (move.name or "invoice").replace("/", "_")
            existing = Attachment.search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", move.id),
                    ("name", "=", name),
                ],
                limit=1,
            )
            if existing:
                attachments |= existing
                continue
            content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                "account.account_invoices", move.ids
            )
            attachments |= Attachment.create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": "account.move",
                    "res_id": move.id,
                    "mimetype": "application/pdf",
                }
            )
        return attachments

    def _dunning_email_execute(self):
        """E-mail channel: render the level's template and queue the e-mail.

        The message is logged in the debtor's chatter and sent through the
        mail queue with real To and Cc headers; the action's chatter records
        who was written to.
        """
        self.ensure_one()
        template = self.level_id.mail_template_id
        if not template:
            raise UserError(
                self.env._(
                    "The level %(level)s has no e-mail template.",
                    level=self.level_id.display_name,
                )
            )
        to = self.partner_to_ids.filtered("email")
        if not to:
            raise UserError(
                self.recipient_note
                or self.env._("Nobody to send the reminder to: add a recipient.")
            )
        cc = (self.partner_cc_ids - to).filtered("email")
        attachments = (
            self._dunning_email_attachments()
            if self.level_id.attach_invoices
            else self.env["ir.attachment"]
        )
        if self.level_id.attach_statement:
            attachments |= self._dunning_statement_attachment()
        if self.level_id.level_type == "formal_notice":
            # The e-mail says the formal notice letter is attached: it is.
            attachments |= self._dunning_letter_attachment()
        message = self._dunning_queue_email(
            template, self, self.partner_id, to, cc, attachments
        )
        self.message_id = message
        self.message_post(
            body=Markup("%s<br/>%s")
            % (
                self.env._(
                    "Reminder e-mailed: %(subject)s",
                    subject=message.subject or "",
                ),
                self.env._(
                    "To: %(to)s - Cc: %(cc)s",
                    to=", ".join(to.mapped("email_formatted")),
                    cc=", ".join(cc.mapped("email_formatted")) or "-",
                ),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "result": self.env._(
                "To: %(to)s - Cc: %(cc)s",
                to=", ".join(to.mapped("email")),
                cc=", ".join(cc.mapped("email")) or "-",
            )
        }

    def _dunning_get_links(self):
        """Return the links every message of this action carries.

        Extension point for other addons (the debtor's payment page): a list of
        dicts ``{"label": str, "url": str}``, added to the e-mails, the SMS and
        the letters; an optional ``short_url`` replaces ``url`` where the
        length counts (the SMS, the printed letters).
        """
        self.ensure_one()
        return []

    @api.model
    def _dunning_get_email_signatory(self, partner):
        """Return the user who signs the e-mails to the debtor ``partner``.

        The debtor's collector, else the user sending when a person sends
        (never the technical user of the daily job, OdooBot): empty means
        the company signs.
        """
        collector = partner.commercial_partner_id._dunning_get_collector()
        if collector:
            return collector
        user = self.env.user
        if (
            user._is_superuser()
            or user._is_public()
            or user.share
            or user == self.env.ref("base.user_root", raise_if_not_found=False)
        ):
            return self.env["res.users"]
        return user

    @api.model
    def _dunning_render_context(self, template, partner, extra=None):
        """Return ``template`` with the signature of the e-mails to ``partner``.

        The templates sign with ``ctx['dunning_signatory_name']`` (the
        collector; the company when empty), never with the rendering user.
        """
        signatory = self._dunning_get_email_signatory(partner)
        return template.with_context(
            dunning_signatory_id=signatory.id,
            dunning_signatory_name=signatory.name or "",
            **(extra or {}),
        )

    @api.model
    def _dunning_queue_email(
        self, template, record, thread, to, cc, attachments, render_context=None
    ):
        """Render ``template`` on ``record`` and queue it with real To/Cc headers.

        The e-mail is logged as an outgoing e-mail in the chatter of ``thread``
        (the debtor, an invoice), as the system, authored by the debtor's
        collector (else the company: never the technical user of the daily
        job), since collectors may not edit customers, and goes out through
        the mail queue from the company's address.

        :param render_context: extra context keys the template reads in ``ctx``.
        :return: the ``mail.message`` logged.
        """
        partner = (
            record.partner_id if "partner_id" in record else thread
        ).commercial_partner_id
        signatory = self._dunning_get_email_signatory(partner)
        values = self._dunning_render_context(
            template, partner, render_context
        )._generate_template(
            record.ids, ("subject", "body_html", "email_from", "reply_to")
        )[record.id]
        body = Markup(values.get("body_html") or "")
        if record._name == "dunning.action":
            for link in record._dunning_get_links():
                body += Markup('<p><a href="%s">%s</a></p>') % (
                    link["url"],
                    link["label"],
                )
        company = record.company_id if "company_id" in record else self.env.company
        email_from = values.get("email_from") or company.email_formatted
        author = signatory.partner_id or company.partner_id
        message = thread.sudo().message_post(
            author_id=author.id,
            body=body,
            subject=values.get("subject"),
            message_type="email_outgoing",
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachments.ids,
            email_from=email_from,
        )
        self.env["mail.mail"].sudo().create(
            {
                "mail_message_id": message.id,
                "body_html": body,
                "email_to": ",".join(to.mapped("email_formatted")),
                "email_cc": ",".join(cc.mapped("email_formatted")),
                "email_from": email_from,
                "reply_to": values.get("reply_to") or message.reply_to,
                "auto_delete": False,
                # Deleting the e-mail from the queue keeps the chatter message.
                "is_notification": True,
                "state": "outgoing",
            }
        )
        return message

    def _dunning_statement_attachment(self):
        """Return the debtor's account statement as a PDF attachment."""
        self.ensure_one()
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_statement",
            self.partner_id.ids,
            data={"company_id": self.company_id.id, "date_to": str(self.date)},
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Statement %(partner)s %(date)s.pdf",
                        partner=self.partner_id.name,
                        date=self.date,
                    ),
                    "raw": content,
                    "res_model": "dunning.action",
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )

    def _get_sms_recipients(self):
        """Return ``{partner: number}``: the contacts holding the level's roles
        that have a mobile (or phone) number, else the debtor itself."""
        self.ensure_one()
        roles = self.level_id.to_role_ids | self.level_id.cc_role_ids
        contacts = (self.partner_id | self.partner_id.child_ids).filtered(
            lambda c: (c.dunning_role_ids & roles) and (c.mobile or c.phone)
        )
        if not contacts and (self.partner_id.mobile or self.partner_id.phone):
            contacts = self.partner_id
        return {
            contact: contact.phone_sanitized or contact.mobile or contact.phone
            for contact in contacts
        }

    def _dunning_sms_execute(self):
        """SMS channel: queue the level's text message to the numbers by role.

        The SMS goes through Odoo's SMS queue (IAP), logged in the debtor's
        chatter with its delivery status.
        """
        self.ensure_one()
        opening = self._dunning_next_opening()
        if opening > fields.Datetime.now():
            return {
                "state": "todo",
                "done_at": False,
                "scheduled_at": opening,
                "result": self.env._(
                    "Outside the sending window: waits until %(when)s",
                    when=format_datetime(
                        self.env,
                        opening,
                        tz=self.company_id._dunning_sending_tz().zone,
                    ),
                ),
            }
        template = self.level_id.sms_template_id
        recipients = self._get_sms_recipients()
        if not recipients:
            raise UserError(
                self.env._(
                    "Nobody at %(partner)s has a mobile or phone number: no SMS "
                    "can be sent.",
                    partner=self.partner_id.display_name,
                )
            )
        body = template._render_field("body", self.ids, compute_lang=True)[self.id]
        for link in self._dunning_get_links():
            body += " %s" % (link.get("short_url") or link["url"])
        # The spaces and quotes of the French formats would make it Unicode
        # (70 characters per SMS instead of 160).
        body = sms.gsm7_clean(body)
        self.partner_id.sudo()._message_sms(
            body,
            partner_ids=[partner.id for partner in recipients],
            sms_pid_to_number={
                partner.id: number for partner, number in recipients.items()
            },
            author_id=(
                self._dunning_get_email_signatory(self.partner_id).partner_id
                or self.company_id.partner_id
            ).id,
            put_in_queue=True,
        )
        return {
            "result": self.env._(
                "SMS to %(numbers)s", numbers=", ".join(recipients.values())
            )
        }

    def _dunning_letter_execute(self):
        """Letter channel: produce the PDF letter and attach it to the action.

        Letters are printed together from the run ("Print letters"), or one by
        one from the action.
        """
        self.ensure_one()
        kind = self._dunning_letter_kind()
        attachment = self._dunning_letter_attachment()
        self.message_post(
            body=self.env._("%(kind)s produced, to post.", kind=kind),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {"attachment_id": attachment.id, "result": attachment.name}

    def _dunning_letter_kind(self):
        self.ensure_one()
        return (
            self.env._("Formal notice")
            if self.level_id.level_type == "formal_notice"
            else self.env._("Letter")
        )

    def _dunning_letter_attachment(self):
        """Return the PDF letter of this action, rendered once.

        The letter channel and the e-mail of a formal notice share it: the
        debtor gets by e-mail the very letter that is posted.
        """
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        name = "%s - %s - %s.pdf" % (
            self._dunning_letter_kind(),
            self.partner_id.name,
            self.date,
        )
        existing = Attachment.search(
            [
                ("res_model", "=", "dunning.action"),
                ("res_id", "=", self.id),
                ("name", "=", name),
            ],
            limit=1,
        )
        if existing:
            return existing
        report = self.env.ref("account_dunning_advanced.action_report_dunning_letter")
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, self.ids
        )
        return Attachment.create(
            {
                "name": name,
                "raw": content,
                "res_model": "dunning.action",
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )

    def _dunning_next_opening(self, moment=None):
        """Return the next opening of the company's sending window (UTC, naive).

        ``moment`` (UTC, naive; default now) itself when the window is open
        then. SMS and calls reach the debtor on working days (Monday to
        Friday, French public holidays excluded) within the company's hours.
        """
        self.ensure_one()
        company = self.company_id
        tz = company._dunning_sending_tz()
        moment = moment or fields.Datetime.now()
        local = pytz.utc.localize(moment).astimezone(tz).replace(tzinfo=None)
        opening = sending_window.next_opening(
            local, company.dunning_send_hour_start, company.dunning_send_hour_end
        )
        if opening == local:
            return moment
        return tz.localize(opening).astimezone(pytz.utc).replace(tzinfo=None)

    def _dunning_call_deadline(self):
        """Return the day a collections call is due: the action's date, or the
        next working day of the sending window when the window is closed."""
        self.ensure_one()
        tz = self.company_id._dunning_sending_tz()
        start = max(
            fields.Datetime.now(),
            tz.localize(datetime.combine(self.date, datetime.min.time()))
            .astimezone(pytz.utc)
            .replace(tzinfo=None),
        )
        opening = self._dunning_next_opening(start)
        return pytz.utc.localize(opening).astimezone(tz).date()

    def _dunning_phone_execute(self):
        """Phone channel: schedule a call for the debtor's collector.

        The activity carries the call script and the invoices to talk about;
        the collector logs the outcome with "Log the call".
        """
        self.ensure_one()
        partner = self.partner_id
        collector = partner._dunning_get_collector() or self.env.user
        lines = self._get_open_lines()
        invoices = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s: %(amount)s, due %(due)s",
                invoice=line.move_id.name,
                amount=format_amount(
                    self.env, line.amount_residual_currency, line.currency_id
                ),
                due=format_date(self.env, line.date_maturity),
            )
            for line in lines
        )
        activity = self.activity_schedule(
            "account_dunning_advanced.mail_activity_type_dunning_call",
            date_deadline=self._dunning_call_deadline(),
            user_id=collector.id,
            summary=self.env._(
                "Call %(partner)s (%(level)s)",
                partner=partner.name,
                level=self.level_id.name,
            ),
            note=Markup("%s%s") % (self.level_id.phone_script or "", invoices),
        )
        return {
            "activity_id": activity.id,
            "result": self.env._("Call scheduled for %(user)s", user=collector.name),
        }

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
