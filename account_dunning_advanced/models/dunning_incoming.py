# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, html2plaintext

from ..engine import classifier
from .dunning_message_rule import MESSAGE_CLASSES


class DunningIncoming(models.Model):
    """An e-mail from a debtor: a reply to a reminder, or sent to the alias.

    Classified by the rules, corrected in one click by a collector, and acted
    upon: a promise pauses the chase, a dispute leaves the invoices out, an
    out-of-office reply writes to the next contact, a copy request prepares the
    documents to send.
    """

    _name = "dunning.incoming"
    _description = "Collections incoming e-mail"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "subject"

    subject = fields.Char()
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    email_from = fields.Char(string="From")
    body = fields.Html(sanitize=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Debtor", index=True)
    state = fields.Selection(
        [
            ("to_assign", "To assign"),
            ("new", "To process"),
            ("done", "Processed"),
        ],
        default="new",
        required=True,
        index=True,
    )
    message_class = fields.Selection(
        MESSAGE_CLASSES, string="Class", tracking=True, default="other"
    )
    class_by_rules = fields.Selection(
        MESSAGE_CLASSES,
        readonly=True,
        help="The class the rules gave; kept when a collector corrects it.",
    )
    rule_id = fields.Many2one("dunning.message.rule", readonly=True)
    corrected = fields.Boolean(compute="_compute_corrected", store=True)
    promise_date = fields.Date(help="The payment date written in the e-mail.")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices named",
        domain="[('commercial_partner_id', '=', partner_id), ('state', '=', 'posted')]",
    )
    effect = fields.Text(readonly=True, help="What the e-mail triggered.")
    reply_message_id = fields.Many2one(
        "mail.message",
        readonly=True,
        help="The reply as received in the debtor's chatter.",
    )

    @api.depends("message_class", "class_by_rules")
    def _compute_corrected(self):
        for incoming in self:
            incoming.corrected = bool(
                incoming.class_by_rules
                and incoming.message_class != incoming.class_by_rules
            )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new e-mail to the collections alias: find the debtor, classify."""
        values = self._prepare_from_message(msg_dict)
        values.update(custom_values or {})
        incoming = self.create(values)
        incoming._classify()
        incoming._apply_effects()
        return incoming

    @api.model
    def _prepare_from_message(self, msg_dict):
        email = email_normalize(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"]
        if email:
            partner = partner.search([("email_normalized", "=", email)], limit=1)
        return {
            "subject": msg_dict.get("subject") or "",
            "email_from": msg_dict.get("email_from"),
            "body": msg_dict.get("body"),
            "partner_id": partner.commercial_partner_id.id,
            "state": "new" if partner else "to_assign",
        }

    def _text(self):
        self.ensure_one()
        return "%s\n%s" % (self.subject or "", html2plaintext(self.body or ""))

    def _classify(self):
        """Apply the classification rules, find the date and invoices named."""
        rules = self.env["dunning.message.rule"].search([])
        specs = [(rule.id, rule.pattern) for rule in rules]
        today = fields.Date.context_today(self)
        for incoming in self:
            text = incoming._text()
            rule = rules.browse(classifier.classify(text, specs))
            moves = incoming._open_invoices()
            named = classifier.find_references(text, moves.mapped("name"))
            incoming.write(
                {
                    "rule_id": rule.id,
                    "class_by_rules": rule.message_class or "other",
                    "message_class": rule.message_class or "other",
                    "promise_date": classifier.find_date(text, today),
                    "move_ids": [
                        Command.set(
                            moves.filtered(lambda m, names=named: m.name in names).ids
                        )
                    ],
                }
            )

    def _open_invoices(self):
        self.ensure_one()
        if not self.partner_id:
            return self.env["account.move"]
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "not in", ("paid", "in_payment", "reversed")),
            ]
        )

    # ------------------------------------------------------------------
    # Effects
    # ------------------------------------------------------------------
    def _apply_effects(self):
        """Act on each message according to its class, where the company wants."""
        for incoming in self.filtered(lambda i: i.partner_id and i.state == "new"):
            company = incoming.company_id
            handler = getattr(incoming, f"_effect_{incoming.message_class}", None)
            if handler and company[f"dunning_effect_{incoming.message_class}"]:
                effect = handler()
                if effect:
                    incoming.write({"effect": effect})
        return True

    def _notify_collector(self, summary):
        self.ensure_one()
        partner = self.partner_id
        user = partner._dunning_get_collector()
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id, summary=summary
            )

    def _effect_promise(self):
        if not self.promise_date:
            self._notify_collector(self.env._("Promise to pay without a date"))
            return self.env._("Promise without a date: the collector is asked.")
        self.env["dunning.promise"].create(
            {
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "date": self.promise_date,
                "move_ids": [Command.set(self.move_ids.ids)],
                "source": "email",
                "note": self.subject,
            }
        )
        self.state = "done"
        return self.env._(
            "Promise to pay by %(date)s recorded: reminders paused until then.",
            date=self.promise_date,
        )

    def _effect_dispute(self):
        if not self.move_ids:
            self._notify_collector(self.env._("Dispute: which invoices?"))
            return self.env._(
                "Dispute without an invoice named: the collector is asked."
            )
        dispute = self.env["dunning.dispute"].create(
            {
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "move_ids": [Command.set(self.move_ids.ids)],
                "reason_id": self.env.ref(
                    "account_dunning_advanced.dunning_dispute_reason_other"
                ).id,
                "description": self.body,
            }
        )
        self.state = "done"
        return self.env._("Dispute %(name)s opened.", name=dispute.name)

    def _effect_out_of_office(self):
        """Write the last reminder again to the next contacts by role."""
        Action = self.env["dunning.action"]
        last = Action.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("kind", "=", "reminder"),
                ("state", "=", "done"),
                ("level_id.mail_template_id", "!=", False),
            ],
            limit=1,
            order="date desc, id desc",
        )
        if not last:
            return False
        absent = self.env["res.partner"].search(
            [("email_normalized", "=", email_normalize(self.email_from or ""))]
        )
        already = last.partner_to_ids | absent
        roles = last.level_id.cc_role_ids | self.env.ref(
            "account_dunning_advanced.dunning_contact_role_management"
        )
        contacts = (self.partner_id | self.partner_id.child_ids).filtered(
            lambda c: c.email and c.dunning_role_ids & roles and c not in already
        )
        if not contacts:
            self._notify_collector(self.env._("Out of office: nobody else to write to"))
            return self.env._("Out of office: no other contact holds a role.")
        Action._dunning_queue_email(
            last.level_id.mail_template_id,
            last,
            self.partner_id,
            contacts,
            self.env["res.partner"],
            self.env["ir.attachment"],
        )
        self.state = "done"
        return self.env._(
            "Out of office: the reminder was sent again to %(contacts)s.",
            contacts=", ".join(contacts.mapped("email")),
        )

    def _effect_copy_request(self):
        self._notify_collector(self.env._("Copy requested: check and send"))
        return self.env._("Copy requested: waiting for a collector to send it.")

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply the effect of the (corrected) class."""
        self._apply_effects()
        return True

    def action_done(self):
        """Mark the messages processed."""
        self.write({"state": "done"})
        return True

    def action_send_copies(self):
        """Send the invoices named (or all open ones) and the statement."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Assign the message to a debtor first."))
        moves = self.move_ids or self._open_invoices()
        Report = self.env["ir.actions.report"]
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment
        for move in moves:
            content, _type = Report._render_qweb_pdf(
                "account.account_invoices", move.ids
            )
            attachments |= Attachment.create(
                {
                    "name": "%s.pdf" % move.name.replace("/", "_"),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        content, _type = Report._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_statement",
            self.partner_id.ids,
            data={"company_id": self.company_id.id},
        )
        attachments |= Attachment.create(
            {
                "name": self.env._("Statement.pdf"),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Please find the documents you asked for attached."),
            subject=self.env._("Re: %(subject)s", subject=self.subject or ""),
            partner_ids=self.env["res.partner"]
            .search([("email_normalized", "=", email_normalize(self.email_from))])
            .ids[:1],
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.write(
            {
                "state": "done",
                "effect": self.env._(
                    "Copies sent: %(documents)s",
                    documents=", ".join(attachments.mapped("name")),
                ),
            }
        )
        return True
