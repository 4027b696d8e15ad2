# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import UserError


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
        line_ids = {i for v in vals_list for i in v["line_ids"][0][2]}
        lines = self.env["account.move.line"].browse(line_ids)
        lines.fetch(["move_id"])
        lines.move_id.fetch(["partner_id"])
        lines.move_id.partner_id.fetch(["email"])
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

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _execute(self, action):
        """Render the level's template and queue the e-mail.

        The message is logged in the debtor's chatter and sent through the
        mail queue with real To and Cc headers; the action's chatter records
        who was written to.
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
        message = self._queue_email(
            template, action, action.partner_id, to, cc, attachments
        )
        action.message_id = message
        action.message_post(
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
        """Return the PDF of each listed invoice, rendered once per invoice.

        The invoice's own PDF when Odoo already stored it, else a PDF rendered
        and kept on the invoice, reused by the next reminders.
        """
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment
        for move in action._get_open_lines().move_id:
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
    def _get_signatory(self, partner):
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
    def _render_context(self, template, partner, extra=None):
        """Return ``template`` with the signature of the e-mails to ``partner``.

        The templates sign with ``ctx['dunning_signatory_name']`` (the
        collector; the company when empty), never with the rendering user.
        """
        signatory = self._get_signatory(partner)
        return template.with_context(
            dunning_signatory_id=signatory.id,
            dunning_signatory_name=signatory.name or "",
            **(extra or {}),
        )

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
        partner = (
            record.partner_id if "partner_id" in record else thread
        ).commercial_partner_id
        signatory = self._get_signatory(partner)
        values = self._render_context(
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
