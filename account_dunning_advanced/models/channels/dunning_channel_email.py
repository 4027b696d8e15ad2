# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..chase.bulk_insert import ids_array, insert_messages, insert_or_create


def role_holders(candidates, role_ids):
    """Return the ids of the ``candidates`` holding one of ``role_ids``.

    The rule of a reminder's recipients, for one reminder
    (``_select_recipients``) as for a batch (``_prepare_recipients_vals``).

    :param candidates: ``[(contact id, set of its role ids)]``, the debtor's
        contacts with an e-mail address, in their order.
    :param role_ids: the level's "To" or "Cc" role ids.
    """
    if not role_ids:
        return []
    role_ids = set(role_ids)
    return [cid for cid, roles in candidates if not role_ids.isdisjoint(roles)]


class DunningChannelEmail(models.AbstractModel):
    """E-mail: the level's template, to the contacts holding its roles.

    Also the one place where the collections e-mails are rendered, signed and
    queued: the promises, plans, replies and digests use ``_queue_email``.
    """

    _name = "dunning.channel.email"
    _inherit = "dunning.channel"
    _description = "Collections channel: e-mail"
    _dunning_channel_key = "email"
    _dunning_channel_sequence = 10
    _dunning_channel_level_field = "channel_email"

    # ------------------------------------------------------------------
    # Recipients
    # ------------------------------------------------------------------
    @api.model
    def _recipients(self, action):
        """Return ``(to, cc)``: the action's recipients that have an e-mail."""
        to = action.partner_to_ids.filtered("email")
        cc = (action.partner_cc_ids - to).filtered("email")
        return to, cc

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
        Partner = self.env["res.partner"]
        candidates = [
            (contact.id, set(contact.dunning_role_ids.ids))
            for contact in partner | partner.child_ids
            if contact.email
        ]
        to = Partner.browse(role_holders(candidates, level.to_role_ids.ids))
        cc = Partner.browse(role_holders(candidates, level.cc_role_ids.ids)) - to
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

        The same choice as ``_select_recipients``, with the contacts, their
        roles and the invoice addresses read for the whole batch in a few
        queries instead of a few per action.

        :param vals_list: ``dunning.action`` values with ``partner_id``,
            ``level_id`` and ``line_ids`` (a ``Command.set``); completed in place.
        """
        # Only the fields the choice reads (``fetch``), not every column of
        # the lines, invoices and partners of the batch.
        partners = self.env["res.partner"].browse({v["partner_id"] for v in vals_list})
        partners.fetch(["child_ids"])
        contacts = partners | partners.child_ids
        contacts.fetch(["email", "dunning_role_ids"])
        levels = self.env["dunning.level"].browse({v["level_id"] for v in vals_list})
        levels.fetch(["to_role_ids", "cc_role_ids"])
        # The common case from the values read above, with the rule of
        # ``_select_recipients`` (``role_holders``): the contacts with an
        # e-mail holding the level's "To" roles, copied to those holding its
        # "Cc" roles. Without any "To", the choice and its note are
        # ``_select_recipients``'s (the fallbacks below).
        holders = {
            partner.id: [
                (contact.id, set(contact.dunning_role_ids.ids))
                for contact in partner | partner.child_ids
                if contact.email
            ]
            for partner in partners
        }
        roles = {
            level.id: (set(level.to_role_ids.ids), set(level.cc_role_ids.ids))
            for level in levels
        }
        fallbacks = []
        for vals in vals_list:
            to_roles, cc_roles = roles[vals["level_id"]]
            candidates = holders[vals["partner_id"]]
            to_ids = role_holders(candidates, to_roles)
            if not to_ids:
                fallbacks.append(vals)
                continue
            vals["partner_to_ids"] = [Command.set(to_ids)]
            vals["partner_cc_ids"] = [
                Command.set(
                    [
                        contact_id
                        for contact_id in role_holders(candidates, cc_roles)
                        if contact_id not in to_ids
                    ]
                )
            ]
            vals["recipient_note"] = False
        if fallbacks:
            self._prepare_recipients_fallback_vals(fallbacks)
        return vals_list

    @api.model
    def _prepare_recipients_fallback_vals(self, vals_list):
        """Add the recipients to the values of the reminders that no contact
        holding a "To" role reaches: ``_select_recipients``, with the invoice
        addresses of their lines read at once."""
        # The invoice address of each listed line, in one query (not a
        # recordset traversal per action); each invoice read by its key, never
        # a scan of the ledger's invoices.
        line_ids = list({i for v in vals_list for i in v["line_ids"][0][2]})
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["account.move"].flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.id,
                       (SELECT am.partner_id
                          FROM account_move am
                         WHERE am.id = aml.move_id)
                  FROM account_move_line aml
                 WHERE aml.id = ANY(%s)
                """,
                ids_array(line_ids),
            )
        )
        address_of = dict(self.env.cr.fetchall())
        Partner = self.env["res.partner"]
        Partner.browse(
            {partner_id for partner_id in address_of.values() if partner_id}
        ).fetch(["email"])
        for vals in vals_list:
            to, cc, note = self._select_recipients(
                Partner.browse(vals["partner_id"]),
                self.env["dunning.level"].browse(vals["level_id"]),
                Partner.browse(
                    dict.fromkeys(
                        address_of[line_id]
                        for line_id in vals["line_ids"][0][2]
                        if address_of.get(line_id)
                    )
                ),
            )
            vals["partner_to_ids"] = [Command.set(to.ids)]
            vals["partner_cc_ids"] = [Command.set(cc.ids)]
            vals["recipient_note"] = note or False
        return vals_list

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _prepare_batch(self, actions):
        """Read the collectors, render the e-mails and the invoice PDFs of
        ``actions`` at once.

        One template render per template and signatory (the debtor's
        language is chosen per record by ``_generate_template``); each
        invoice PDF rendered once (``_invoice_pdfs``). A render that fails is
        left to ``_execute``, which fails that action alone.
        """
        batch = self._batch()
        collectors = self.env["dunning.debtor.status"]._dunning_status_of(
            self.env.company, actions.partner_id
        )
        batch["collectors"] = {
            partner_id: collector for partner_id, (_s, collector) in collectors.items()
        }
        emailed = actions.filtered(
            lambda a: self._applies(a)
            and a.level_id.mail_template_id
            and any(c.channel == "email" and c.state != "done" for c in a.channel_ids)
        )
        if not emailed:
            return
        # The recipients of every action, read at once (``_recipients``).
        emailed.fetch(["partner_to_ids", "partner_cc_ids"])
        (emailed.partner_to_ids | emailed.partner_cc_ids).fetch(
            ["email", "email_formatted"]
        )
        # Before any savepoint: a render rolled back keeps its links.
        emailed._dunning_prepare_links()
        open_lines = emailed.line_ids._dunning_collectible()
        batch["open_lines"] = open_lines
        with_invoices = emailed.filtered(lambda a: a.level_id.attach_invoices)
        if with_invoices:
            batch["invoice_pdfs"] = self._invoice_pdfs(
                (with_invoices.line_ids & open_lines).move_id
            )
        rendered = batch.setdefault("rendered", {})
        groups = defaultdict(lambda: self.env["dunning.action"])
        for action in emailed:
            groups[action.level_id.mail_template_id, action.partner_id] |= action
        by_signatory = defaultdict(lambda: self.env["dunning.action"])
        for (template, partner), group in groups.items():
            by_signatory[template, self._get_signatory(partner)] |= group
        for (template, signatory), group in by_signatory.items():
            try:
                with self.env.cr.savepoint(flush=False):
                    rendered.update(
                        self._render_emails(template, group, signatory=signatory)
                    )
            except Exception:  # noqa: BLE001 - left to each action's savepoint
                continue

    @api.model
    def _flush_batch(self):
        """Queue the e-mails of the batch and log them in the actions' chatter
        in a few statements."""
        batch = self._batch()
        pending = batch.pop("pending", [])
        if not pending:
            return
        messages = self._create_emails(pending)
        Action = self.env["dunning.action"]
        actions = Action.browse([item["record"].id for item in pending])
        # Each action's message, written by the flush in one statement (as
        # ``write`` does, without a ``write`` per action).
        actions.modified(["message_id"], before=True)
        self.env.cache.update(
            actions, Action._fields["message_id"], messages.ids, dirty=True
        )
        actions.modified(["message_id"])
        formatted = self._email_formatted(pending)
        notes = {
            item["record"].id: Markup("%s<br/>%s")
            % (
                self.env._(
                    "Reminder e-mailed: %(subject)s",
                    subject=item["values"].get("subject") or "",
                ),
                self._dunning_recipients_text(
                    [formatted[partner.id] for partner in item["to"]],
                    [formatted[partner.id] for partner in item["cc"]],
                ),
            )
            for item in pending
        }
        # The note is the body of the message tracking the action's new state
        # when there is one (one message, not two), else a note of its own.
        tracked = self._tracked_at_flush(actions)
        for action in tracked:
            action._track_set_log_message(notes.pop(action.id))
        if notes:
            actions.browse(list(notes))._message_log_batch(bodies=notes)

    @api.model
    def _tracked_at_flush(self, actions):
        """Return the ``actions`` whose tracked fields changed since their
        tracking was prepared: the next flush logs a tracking message on
        each (``mail.thread._track_finalize``), whose body can be set
        (``_track_set_log_message``)."""
        initial = self.env.cr.precommit.data.get(f"mail.tracking.{actions._name}") or {}
        return actions.filtered(
            lambda action: initial.get(action.id)
            and any(action[name] != value for name, value in initial[action.id].items())
        )

    @api.model
    def _discard_batch(self, actions):
        """Forget the e-mails queued for ``actions`` (rolled back)."""
        batch = self._batch()
        if batch and batch.get("pending"):
            ids = set(actions.ids)
            batch["pending"] = [
                item
                for item in batch["pending"]
                if item["record"]._name != "dunning.action"
                or item["record"].id not in ids
            ]

    @api.model
    def _execute(self, action):
        """Render the level's template and queue the e-mail.

        The message is logged in the debtor's chatter and sent through the
        mail queue with real To and Cc headers; the action's chatter records
        who was written to. In a batch (``dunning.action._execute``), the
        render comes from ``_prepare_batch`` and the messages are written by
        ``_flush_batch``.
        """
        level = action.level_id
        template = level.mail_template_id
        if not template:
            raise UserError(
                self.env._(
                    "The level %(level)s has no e-mail template.",
                    level=level.display_name,
                )
            )
        to, cc = self._recipients(action)
        if not to:
            raise UserError(
                action.recipient_note
                or self.env._("Nobody to send the reminder to: add a recipient.")
            )
        attachments = (
            self._invoice_attachments(action)
            if level.attach_invoices
            else self.env["ir.attachment"]
        )
        if level.attach_statement:
            attachments |= self._statement_attachment(action)
        if level.level_type == "formal_notice":
            # The e-mail says the formal notice letter is attached: it is.
            attachments |= self.env["dunning.channel.letter"]._letter_attachment(action)
        batch = self._batch()
        values = (batch or {}).get("rendered", {}).get(action.id)
        if values is None:
            values = self._render_emails(template, action)[action.id]
        item = {
            "record": action,
            "thread": action.partner_id,
            "to": to,
            "cc": cc,
            "attachments": attachments,
            "values": values,
        }
        if batch is not None:
            batch.setdefault("pending", []).append(item)
        else:
            message = self._create_emails([item])
            action.message_id = message
            action._message_log_batch(
                bodies={
                    action.id: Markup("%s<br/>%s")
                    % (
                        self.env._(
                            "Reminder e-mailed: %(subject)s",
                            subject=message.subject or "",
                        ),
                        self._dunning_recipients_text(
                            to.mapped("email_formatted"),
                            cc.mapped("email_formatted"),
                        ),
                    )
                }
            )
        return {
            "result": self._dunning_recipients_text(
                to.mapped("email"), cc.mapped("email")
            )
        }

    @api.model
    def _dunning_recipients_text(self, to, cc):
        """Return "To: ... - Cc: ..." for the history, without a Cc part
        when nobody is in copy."""
        if not cc:
            return self.env._("To: %(to)s", to=", ".join(to))
        return self.env._("To: %(to)s - Cc: %(cc)s", to=", ".join(to), cc=", ".join(cc))

    @api.model
    def _preview(self, action):
        """Return the e-mail of ``action`` as the debtor would read it, or False."""
        template = action.level_id.mail_template_id
        if action.kind != "reminder" or not template or not isinstance(action.id, int):
            return False
        values = self._render_context(template, action.partner_id)._generate_template(
            action.ids, ("subject", "body_html")
        )[action.id]
        return Markup("<h4>%s</h4>%s") % (
            values.get("subject") or "",
            Markup(values.get("body_html") or ""),
        )

    @api.model
    def _invoice_attachments(self, action):
        """Return the PDF of each listed invoice still open (``_invoice_pdfs``).

        In a batch, the PDFs of all the batch's invoices were made at once.
        """
        batch = self._batch() or {}
        if "open_lines" in batch:
            moves = (action.line_ids & batch["open_lines"]).move_id
        else:
            moves = action._get_open_lines().move_id
        pdfs = batch.get("invoice_pdfs") or {}
        missing = moves.filtered(lambda m: m.id not in pdfs)
        if missing:
            pdfs = {**pdfs, **self._invoice_pdfs(missing)}
        for move in moves.filtered(lambda m: m.id not in pdfs):
            # Odoo's own render raises what is wrong.
            self.env["ir.actions.report"]._render_qweb_pdf(
                "account.account_invoices", move.ids
            )
            raise UserError(
                self.env._(
                    "The PDF of the invoice %(invoice)s could not be rendered.",
                    invoice=move.display_name,
                )
            )
        return self.env["ir.attachment"].sudo().union(*(pdfs[m.id] for m in moves))

    @api.model
    def _invoice_pdf_name(self, move):
        """Return the name of the invoice PDF kept for the reminders."""
        return "%s.pdf" % (move.name or "invoice").replace("/", "_")

    @api.model
    def _invoice_pdfs(self, moves):
        """Return ``{move id: attachment}``: the PDF of each invoice, rendered
        once.

        The invoice's own PDF (``invoice_pdf_report_id``: the one Odoo sent,
        printed or kept before) when it has one, never rendered again; else,
        for a posted invoice, its PDF rendered now with the missing ones of
        the batch in one report call per report and company
        (``_render_pdfs``) and kept as the invoice's PDF the way Odoo's
        sending keeps it (``_store_invoice_pdfs``), which Odoo and the next
        reminders reuse. Another move (no legal PDF) gets a PDF kept on it
        by the reminders while it is not modified.
        """
        Attachment = self.env["ir.attachment"].sudo()
        moves = moves.sudo()
        result = {
            move.id: move.invoice_pdf_report_id
            for move in moves
            if move.invoice_pdf_report_id
        }
        legal = moves.filtered(
            lambda m: m.id not in result
            and m.state == "posted"
            and m.is_invoice(include_receipts=True)
        )
        if legal:
            result.update(self._store_invoice_pdfs(legal))
        others = moves.filtered(lambda m: m.id not in result and m not in legal)
        if not others:
            return result
        names = {move.id: self._invoice_pdf_name(move) for move in others}
        kept = Attachment.search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", others.ids),
                ("name", "in", list(set(names.values()))),
            ],
            order="id desc",
        )
        for attachment in kept:
            move = others.browse(attachment.res_id)
            if (
                move.id not in result
                and attachment.name == names[move.id]
                and attachment.create_date >= move.write_date
            ):
                result[move.id] = attachment
        to_render = others.filtered(lambda m: m.id not in result)
        if to_render:
            result.update(
                self._render_pdf_attachments(
                    "account.account_invoices", to_render, names
                )
            )
        return result

    @api.model
    def _store_invoice_pdfs(self, moves):
        """Render the PDF of the posted invoices ``moves`` and keep each as
        the invoice's PDF (``invoice_pdf_report_file``), as
        ``account.move.send`` does; return ``{move id: attachment}``.

        One report call per report (the debtor's invoice layout, else
        Odoo's invoice) and company; an invoice that failed is missing
        (its reminder renders it alone, and fails alone).
        """
        Send = self.env["account.move.send"]
        groups = moves.grouped(
            lambda m: (Send._get_default_pdf_report_id(m).sudo(), m.company_id)
        )
        vals_list = []
        for (report, company), group in groups.items():
            contents, _type = self.with_company(company)._render_pdfs(
                report.report_name, group
            )
            vals_list += [
                {
                    "name": move._get_invoice_report_filename(),
                    "raw": contents[move.id],
                    "mimetype": "application/pdf",
                    "res_model": move._name,
                    "res_id": move.id,
                    "res_field": "invoice_pdf_report_file",
                }
                for move in group
                if move.id in contents
            ]
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        moves.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        return {attachment.res_id: attachment for attachment in attachments}

    @api.model
    def _statement_attachment(self, action):
        """Return the debtor's account statement as a PDF attachment."""
        content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_statement",
            action.partner_id.ids,
            data={"company_id": action.company_id.id, "date_to": str(action.date)},
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Statement %(partner)s %(date)s.pdf",
                        partner=action.partner_id.name,
                        date=action.date,
                    ),
                    "raw": content,
                    "res_model": "dunning.action",
                    "res_id": action.id,
                    "mimetype": "application/pdf",
                }
            )
        )

    # ------------------------------------------------------------------
    # Rendering, signature and queue (every collections e-mail)
    # ------------------------------------------------------------------
    @api.model
    def _get_collector(self, partner):
        """Return the debtor's collector (read once per batch in a batch)."""
        partner = partner.commercial_partner_id
        collectors = (self._batch() or {}).get("collectors")
        if collectors is not None and partner.id in collectors:
            return collectors[partner.id]
        return partner._dunning_get_collector()

    @api.model
    def _get_signatory(self, partner):
        """Return the user who signs the e-mails to the debtor ``partner``.

        The debtor's collector, else the user sending when a person sends
        (never the technical user of the daily job, OdooBot): empty means
        the company signs.
        """
        collector = self._get_collector(partner)
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
    def _render_context(self, template, partner, extra=None, signatory=None):
        """Return ``template`` with the signature of the e-mails to ``partner``.

        The templates sign with ``ctx['dunning_signatory_name']`` (the
        collector; the company when empty), never with the rendering user.
        """
        if signatory is None:
            signatory = self._get_signatory(partner)
        return template.with_context(
            dunning_signatory_id=signatory.id,
            dunning_signatory_name=signatory.name or "",
            **(extra or {}),
        )

    @api.model
    def _email_partner(self, record, thread):
        """Return the debtor an e-mail on ``record`` (in ``thread``) goes to."""
        return (
            record.partner_id if "partner_id" in record else thread
        ).commercial_partner_id

    @api.model
    def _prefetch_render(self, records):
        """Read at once for all ``records`` what the templates read of each:
        the penalties of the listed invoices at the reminder's date (computed
        per action otherwise)."""
        if records._name != "dunning.action":
            return
        for date in set(records.mapped("date")):
            records.filtered(lambda r, d=date: r.date == d).line_ids.filtered(
                "amount_residual"
            ).move_id.with_context(dunning_date=date).mapped("dunning_penalty_total")

    @api.model
    def _render_emails(self, template, records, render_context=None, signatory=None):
        """Render ``template`` on ``records`` signed by ``signatory``.

        One render per field for all the records (each in its debtor's
        language, the template's ``lang``); the links of the actions are
        added to the body.

        :param signatory: the ``res.users`` signing (default: the one of the
            first record's debtor: give it when the records have different
            debtors).
        :return: ``{record id: {subject, body_html, email_from, reply_to}}``.
        """
        if signatory is None:
            signatory = self._get_signatory(self._email_partner(records[:1], records))
        self._prefetch_render(records)
        values = (
            self._render_context(template, None, render_context, signatory=signatory)
            .with_context(dunning_render_once=True)
            ._generate_template(
                records.ids, ("subject", "body_html", "email_from", "reply_to")
            )
        )
        if records._name == "dunning.action":
            records._dunning_prepare_links()
            for record in records:
                body = Markup(values[record.id].get("body_html") or "")
                for link in record._dunning_get_links():
                    body += Markup('<p><a href="%s">%s</a></p>') % (
                        link["url"],
                        link["label"],
                    )
                values[record.id]["body_html"] = body
        return values

    @api.model
    def _queue_email(
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
        values = self._render_emails(
            template,
            record,
            render_context,
            signatory=self._get_signatory(self._email_partner(record, thread)),
        )[record.id]
        return self._create_emails(
            [
                {
                    "record": record,
                    "thread": thread,
                    "to": to,
                    "cc": cc,
                    "attachments": attachments,
                    "values": values,
                }
            ]
        )

    @api.model
    def _create_messages(self, vals_list):
        """Create the ``mail.message`` of ``vals_list``, each body sanitized once.

        In a few statements for the batch (``bulk_insert.insert_messages``:
        what ``mail.message.create`` does, without its work per record);
        else through the ORM:
        The ORM sanitizes an HTML value twice when it creates a record (for
        its cache, then for its column): the bodies are set afterwards in one
        statement, cleaned once by the field itself. A body holding inline
        images goes through ``create``, which turns them into attachments.
        """
        messages = insert_messages(self.env, vals_list)
        if messages is not None:
            return messages
        Message = self.env["mail.message"].sudo()
        field = Message._fields["body"]
        bodies = {}
        values_list = []
        for index, vals in enumerate(vals_list):
            body = vals.get("body")
            if body and "data:image" not in body:
                bodies[index] = body
                vals = {key: value for key, value in vals.items() if key != "body"}
            values_list.append(vals)
        messages = Message.create(values_list)
        if not bodies:
            return messages
        cleaned = {
            messages[index]: field.convert_to_cache(body, messages[index])
            for index, body in bodies.items()
        }
        self.env.cr.execute(
            SQL(
                "UPDATE mail_message m SET body = v.body"
                " FROM (VALUES %s) AS v(id, body) WHERE m.id = v.id",
                SQL(", ").join(
                    SQL("(%s, %s::text)", message.id, str(body) if body else None)
                    for message, body in cleaned.items()
                ),
            )
        )
        records = Message.browse([message.id for message in cleaned])
        self.env.cache.update(records, field, list(cleaned.values()))
        records.modified(["body"])
        return messages

    @api.model
    def _email_formatted(self, items):
        """Return ``{partner id: "Name" <e-mail>}`` of the recipients of
        ``items`` (dicts with ``to`` and ``cc``), computed at once rather
        than recipient by recipient."""
        partners = self.env["res.partner"].union(
            *(item["to"] | item["cc"] for item in items)
        )
        return dict(zip(partners.ids, partners.mapped("email_formatted"), strict=True))

    @api.model
    def _create_emails(self, items):
        """Log and queue rendered e-mails, in a few statements for all.

        Each e-mail is an outgoing message in its thread's chatter (as the
        system, authored by the debtor's collector, else the company) and a
        ``mail.mail`` in the queue with real To and Cc headers.

        :param items: dicts with ``record``, ``thread``, ``to``, ``cc``,
            ``attachments`` and the rendered ``values``.
        :return: the ``mail.message`` records, in the order of ``items``.
        """
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        senders = []
        for item in items:
            record, thread = item["record"], item["thread"]
            signatory = self._get_signatory(self._email_partner(record, thread))
            company = record.company_id if "company_id" in record else self.env.company
            email_from = item["values"].get("email_from") or company.email_formatted
            senders.append((signatory.partner_id or company.partner_id, email_from))
        groups = defaultdict(set)
        for item, (_author, email_from) in zip(items, senders, strict=True):
            groups[item["thread"]._name, email_from].add(item["thread"].id)
        extras = {}
        for (model, email_from), ids in groups.items():
            threads = self.env[model].browse(sorted(ids)).sudo()
            domains = threads._mail_get_alias_domains(default_company=self.env.company)
            companies = threads._mail_get_companies(default=self.env.company)
            reply_tos = threads._notify_get_reply_to(default=email_from)
            for thread in threads:
                extras[model, thread.id, email_from] = {
                    "record_name": thread.display_name,
                    "record_alias_domain_id": domains[thread.id].id,
                    "record_company_id": companies[thread.id].id,
                    "reply_to": reply_tos[thread.id],
                }
        message_vals = []
        for item, (author, email_from) in zip(items, senders, strict=True):
            thread, values = item["thread"], item["values"]
            extra = extras[thread._name, thread.id, email_from]
            message_vals.append(
                {
                    "author_id": author.id,
                    "email_from": email_from,
                    "model": thread._name,
                    "res_id": thread.id,
                    "body": Markup(values.get("body_html") or ""),
                    "subject": values.get("subject") or False,
                    "message_type": "email_outgoing",
                    "subtype_id": subtype_id,
                    "email_add_signature": True,
                    "attachment_ids": [Command.set(item["attachments"].ids)],
                    **extra,
                    "reply_to": values.get("reply_to") or extra["reply_to"],
                }
            )
        messages = self._create_messages(message_vals)
        formatted = self._email_formatted(items)
        # The sender and reply-to of each e-mail are its message's (the
        # parent record of the mail.mail): given there, written once.
        insert_or_create(
            self.env["mail.mail"].sudo(),
            [
                {
                    "mail_message_id": message.id,
                    "body_html": vals["body"],
                    "email_to": ",".join(formatted[p.id] for p in item["to"]),
                    "email_cc": ",".join(formatted[p.id] for p in item["cc"]),
                    "auto_delete": False,
                    # Deleting the e-mail from the queue keeps the chatter message.
                    "is_notification": True,
                    "state": "outgoing",
                }
                for item, vals, message in zip(
                    items, message_vals, messages, strict=True
                )
            ],
        )
        # As message_post: whoever sends (else the author) follows the answers.
        user = self.env.user
        followers = defaultdict(set)
        for item, (author, _email_from) in zip(items, senders, strict=True):
            follower = user.partner_id if user.active else author
            if follower.active:
                followers[item["thread"]._name, follower.id].add(item["thread"].id)
        for (model, partner_id), ids in followers.items():
            self.env[model].browse(list(ids)).sudo()._message_subscribe(
                partner_ids=[partner_id]
            )
        return messages
