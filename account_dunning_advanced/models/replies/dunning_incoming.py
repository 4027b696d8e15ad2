# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, email_split, html2plaintext
from odoo.tools.mail import unfold_references

from ...engine import authentication, classifier
from .dunning_message_rule import MESSAGE_CLASSES

# Classes whose effect changes the chase: from an unverified sender, they are
# proposed to a collector instead of applied.
REVIEWED_CLASSES = ("promise", "dispute", "out_of_office")
AUTH_HEADER = "Authentication-Results"
AUTH_CONTEXT_KEY = "dunning_authentication_results"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Hand the Authentication-Results headers (topmost first) on.

        The parsed message has no such header; the collections records read
        them from the context to know whether the receiving server vouched
        for the sender.
        """
        headers = tuple(str(value) for value in message.get_all(AUTH_HEADER, ()))
        return super(
            MailThread, self.with_context(**{AUTH_CONTEXT_KEY: headers})
        )._message_route_process(message, message_dict, routes)


class DunningIncoming(models.Model):
    """An e-mail from a debtor: a reply to a reminder, or sent to the alias.

    Classified by the rules, corrected in one click by a collector, and acted
    upon: a promise pauses the chase, a dispute leaves the invoices out, an
    out-of-office reply writes to the next contact, a copy request prepares the
    documents to send.

    Only replies to a reminder we sent (found through our own Message-ID) and,
    when the company allows it, e-mails whose sender the receiving mail server
    authenticated act at once. Anybody can write to the alias with a debtor's
    address as sender: the effect of such an e-mail is only proposed, "to
    review", until a collector confirms or rejects it.
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
            ("to_review", "To review"),
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
    suggested_effect = fields.Text(
        readonly=True,
        help="What the e-mail would trigger once a collector confirms it.",
    )
    sender_check = fields.Selection(
        [
            ("reply", "Reply to a reminder"),
            ("authenticated", "Authenticated sender"),
            ("unverified", "Unverified sender"),
            ("page", "Payment page link"),
        ],
        string="Sender",
        default="unverified",
        required=True,
        readonly=True,
        help="Reply to a reminder: the e-mail answers a reminder we sent. "
        "Authenticated sender: the receiving mail server checked the domain "
        "of the sender (DKIM or SPF) and the company trusts it. Otherwise the "
        "sender can be anybody: the effect waits for a collector.",
    )
    authentication_results = fields.Char(
        readonly=True,
        help="The Authentication-Results header of the receiving mail server.",
    )
    resent_action_id = fields.Many2one(
        "dunning.action",
        string="Reminder sent again",
        readonly=True,
        index="btree_not_null",
        help="The reminder this out-of-office reply sent again to the next "
        "contacts: once per reminder.",
    )
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
        """A new e-mail to the collections alias: find the debtor, classify.

        Its effect is applied only when the sender is authenticated (and the
        company trusts that), else proposed to a collector.
        """
        values = self._prepare_from_message(msg_dict)
        values.update(
            {
                key: value
                for key, value in (custom_values or {}).items()
                if key not in ("sender_check", "authentication_results")
            }
        )
        incoming = self.create(values)
        incoming = incoming.with_company(incoming.company_id)
        incoming._classify()
        incoming._apply_effects()
        return incoming

    @api.model
    def _prepare_from_message(self, msg_dict):
        email = email_normalize(msg_dict.get("email_from") or "")
        action = self._dunning_replied_action(msg_dict)
        if action:
            # A reply to our reminder, even sent to the alias: the reminder
            # names the debtor and the company.
            partner, company = action.partner_id, action.company_id
            sender_check, header = "reply", None
        else:
            partner = self._dunning_match_partner(email)
            company = self._dunning_find_company(partner, msg_dict)
            sender_check, header = self._dunning_check_sender(email, company)
        return {
            "subject": msg_dict.get("subject") or "",
            "email_from": msg_dict.get("email_from"),
            "body": msg_dict.get("body"),
            "partner_id": partner.id,
            "company_id": company.id,
            "state": "new" if partner else "to_assign",
            "sender_check": sender_check,
            "authentication_results": header.raw if header else False,
        }

    @api.model
    def _dunning_replied_action(self, msg_dict):
        """Return the reminder the e-mail replies to, or an empty record.

        Found through the Message-ID of the reminder we sent (In-Reply-To or
        References): unguessable, so the sender did receive the reminder.
        """
        references = unfold_references(msg_dict.get("references") or "")
        references.append(msg_dict.get("in_reply_to") or "")
        references = [ref.strip() for ref in references if ref and ref.strip()]
        if not references:
            return self.env["dunning.action"]
        return (
            self.env["dunning.action"]
            .sudo()
            .search(
                [("message_id.message_id", "in", references[-32:])],
                order="id desc",
                limit=1,
            )
        )

    @api.model
    def _dunning_match_partner(self, email):
        """Return the debtor who owns the address email, or an empty record.

        Only a contact of a debtor (a commercial partner with receivables)
        matches; never the partner of an internal user nor one of our
        companies. Several debtors with the address: nobody, a collector
        assigns the message.
        """
        Partner = self.env["res.partner"].sudo()
        if not email:
            return Partner.browse()
        partners = Partner.search([("email_normalized", "=", email)])
        internal = partners.with_context(active_test=False).user_ids.filtered(
            lambda u: not u.share
        )
        # The partners of our own companies are never debtors.
        ours = Partner.sudo().search([("ref_company_ids", "!=", False)])
        commercial = (partners - internal.partner_id).commercial_partner_id - ours
        if not commercial:
            return Partner.browse()
        debtors = Partner.browse(
            [
                partner.id
                for [partner] in self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        *self.env["account.move.line"]._dunning_receivable_domain(),
                        ("partner_id", "in", commercial.ids),
                    ],
                    ["partner_id"],
                )
            ]
        )
        debtors = debtors.commercial_partner_id & commercial
        return debtors if len(debtors) == 1 else Partner.browse()

    @api.model
    def _dunning_find_company(self, partner, msg_dict):
        """Return the company the e-mail is about: never the gateway user's.

        The company holding the debtor's open receivables (the alias'
        company when several do); without any, the company of the alias
        domain the e-mail was sent to (or of the collections alias), else the
        debtor's, else the main one.
        """
        Company = self.env["res.company"].sudo()
        domains = {
            address.rsplit("@", 1)[-1].lower()
            for address in email_split(
                msg_dict.get("recipients") or msg_dict.get("to") or ""
            )
        }
        alias_companies = (
            self.env["mail.alias.domain"]
            .sudo()
            .search([("name", "in", list(domains))])
            .company_ids
            if domains
            else Company
        )
        if partner:
            groups = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        *self.env["account.move.line"]._dunning_collectible_domain(),
                        ("partner_id", "=", partner.id),
                    ],
                    ["company_id"],
                    ["amount_residual:sum"],
                    order="amount_residual:sum desc",
                )
            )
            open_companies = Company.browse([company.id for company, _sum in groups])
            if open_companies:
                return (open_companies & alias_companies)[:1] or open_companies[:1]
        if not alias_companies:
            # No known domain among the recipients: the collections alias'.
            alias_companies = (
                self.env["mail.alias"]
                .sudo()
                .search([("alias_model_id.model", "=", self._name)])
                .alias_domain_id.company_ids
            )
        return (
            alias_companies[:1]
            or partner.company_id
            or self.env.ref("base.main_company", raise_if_not_found=False)
            or Company.search([], limit=1)
        )

    @api.model
    def _dunning_check_sender(self, email, company):
        """Whether the receiving server authenticated the sender's domain.

        Reads the Authentication-Results headers the gateway put in the
        context: only the topmost one, or the topmost one written by the
        company's trusted authserv-id.

        :return: ("authenticated" or "unverified", the header believed or None)
        """
        headers = self.env.context.get(AUTH_CONTEXT_KEY) or ()
        header = authentication.select(headers, company.dunning_authserv_id)
        if company.dunning_trust_authenticated and authentication.is_authenticated(
            header, email
        ):
            return "authenticated", header
        return "unverified", header

    def _text(self):
        self.ensure_one()
        return "%s\n%s" % (self.subject or "", html2plaintext(self.body or ""))

    def _classify(self):
        """Apply the classification rules, find the date and invoices named."""
        rules = self.env["dunning.message.rule"].search([("active", "=", True)])
        specs = [(rule.id, rule.pattern) for rule in rules]
        today = fields.Date.context_today(self)
        texts = {incoming.id: incoming._text() for incoming in self}
        found = {
            incoming.id: rules.browse(classifier.classify(texts[incoming.id], specs))
            for incoming in self
        }
        decided = self._dunning_decide_class(texts, found)
        for incoming in self:
            text = texts[incoming.id]
            rule = found[incoming.id]
            moves = incoming._open_invoices()
            named = classifier.find_references(text, moves.mapped("name"))
            incoming.write(
                {
                    "rule_id": rule.id,
                    "class_by_rules": rule.message_class or "other",
                    **decided[incoming.id],
                    "promise_date": classifier.find_date(text, today),
                    "move_ids": [
                        Command.set(
                            moves.filtered(lambda m, names=named: m.name in names).ids
                        )
                    ],
                }
            )

    def _dunning_decide_class(self, texts, rules):
        """Return the values deciding the class of each message of self.

        The rules decide here; account_dunning_learn lets a model trained on
        the company's corrections decide when it is sure enough.

        :param texts: {incoming id: subject and text}
        :param rules: {incoming id: the rule that matched, or an empty record}
        :return: {incoming id: values to write, at least ``message_class``}
        """
        return {
            incoming.id: {"message_class": rules[incoming.id].message_class or "other"}
            for incoming in self
        }

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
    def _apply_effects(self, confirmed=False):
        """Act on each message according to its class, where the company wants.

        :param confirmed: a collector confirms the effect. Otherwise the
            effects that change the chase apply only to trusted senders
            (replies to a reminder, authenticated senders); for the others
            they are proposed: the message goes "to review".
        """
        for incoming in self.filtered(
            lambda i: i.partner_id and i.state in ("new", "to_review")
        ):
            incoming = incoming.with_company(incoming.company_id)
            company = incoming.company_id
            message_class = incoming.message_class
            handler = getattr(incoming, f"_effect_{message_class}", None)
            if not handler or not company[f"dunning_effect_{message_class}"]:
                if confirmed:
                    incoming.write(
                        {
                            "state": "done",
                            "effect": self.env._(
                                "Confirmed: no effect for this class."
                            ),
                        }
                    )
                continue
            if (
                not confirmed
                and message_class in REVIEWED_CLASSES
                and incoming.sender_check == "unverified"
            ):
                incoming.write(
                    {
                        "state": "to_review",
                        "suggested_effect": incoming._suggest_effect(),
                    }
                )
                continue
            effect = handler(confirmed=confirmed)
            if confirmed and incoming.state == "to_review":
                incoming.state = "done"
            if effect:
                incoming.write({"effect": effect})
        return True

    def _suggest_effect(self):
        """Describe what confirming the message would do."""
        self.ensure_one()
        if self.message_class == "promise":
            if not self.promise_date:
                return self.env._(
                    "Record a promise to pay: no date found, write it before "
                    "confirming."
                )
            text = self.env._(
                "Record a promise to pay by %(date)s: reminders paused until then.",
                date=self.promise_date,
            )
            if self.env["dunning.promise"]._dunning_beyond_cap(
                self.company_id, self.promise_date
            ):
                text += " " + self._promise_cap_message()
            return text
        if self.message_class == "dispute":
            if not self.move_ids:
                return self.env._(
                    "Open a dispute: no invoice named, choose them before confirming."
                )
            return self.env._(
                "Open a dispute on %(invoices)s.",
                invoices=", ".join(self.move_ids.mapped("name")),
            )
        if self.message_class == "out_of_office":
            return self.env._(
                "Send the last reminder again to the next contacts of the debtor."
            )
        return False

    def _promise_cap_message(self):
        return self.env._(
            "The date is more than %(days)s days away, the longest a debtor may "
            "promise alone: correct the date, or record the promise by hand on "
            "the debtor if you accept it.",
            days=self.company_id.dunning_promise_max_days,
        )

    def _notify_collector(self, summary):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        user = partner._dunning_get_collector()
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id, summary=summary
            )

    def _effect_promise(self, confirmed=False):
        if not self.promise_date:
            if confirmed:
                raise UserError(
                    self.env._("Write the promised date before confirming.")
                )
            self._notify_collector(self.env._("Promise to pay without a date"))
            return self.env._("Promise without a date: the collector is asked.")
        Promise = self.env["dunning.promise"]
        if Promise._dunning_beyond_cap(self.company_id, self.promise_date):
            if confirmed:
                raise UserError(self._promise_cap_message())
            self._notify_collector(self.env._("Promise to pay to review"))
            self.write(
                {"state": "to_review", "suggested_effect": self._suggest_effect()}
            )
            return self.env._(
                "Promise to pay by %(date)s beyond the longest promise: the "
                "collector is asked.",
                date=self.promise_date,
            )
        Promise.create(
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

    def _effect_dispute(self, confirmed=False):
        if not self.move_ids:
            if confirmed:
                raise UserError(
                    self.env._("Choose the disputed invoices before confirming.")
                )
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

    def _effect_out_of_office(self, confirmed=False):
        """Write the last reminder again to the next contacts by role.

        Once per reminder: the following out-of-office replies to the same
        reminder send nothing.
        """
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
        if self.search_count([("resent_action_id", "=", last.id)], limit=1):
            self.state = "done"
            return self.env._(
                "Out of office: the reminder was already sent again to the next "
                "contacts."
            )
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
        self.write({"state": "done", "resent_action_id": last.id})
        return self.env._(
            "Out of office: the reminder was sent again to %(contacts)s.",
            contacts=", ".join(contacts.mapped("email")),
        )

    def _effect_copy_request(self, confirmed=False):
        """Only asks the collector: safe whoever the sender is."""
        self._notify_collector(self.env._("Copy requested: check and send"))
        return self.env._("Copy requested: waiting for a collector to send it.")

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply the effect of the (corrected) class: a collector confirms it."""
        self._apply_effects(confirmed=True)
        return True

    def action_confirm(self):
        """Confirm the effect proposed for a message to review."""
        self.filtered(lambda i: i.state == "to_review")._apply_effects(confirmed=True)
        return True

    def action_reject(self):
        """Reject the effect proposed: the message is processed, nothing done."""
        self.filtered(lambda i: i.state == "to_review").write(
            {
                "state": "done",
                "effect": self.env._(
                    "Rejected by %(user)s: nothing applied.", user=self.env.user.name
                ),
            }
        )
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
