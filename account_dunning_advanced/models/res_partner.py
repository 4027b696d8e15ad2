# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import io
import logging
import zipfile
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext, is_html_empty

_logger = logging.getLogger(__name__)

DUNNING_GROUP = "account_dunning_advanced.group_dunning_user"


# What decides a debtor's scenario or collector, on the partner.
DUNNING_RESOLUTION_FIELDS = {
    "dunning_scenario_id",
    "dunning_collector_id",
    "user_id",
    "category_id",
    "country_id",
    "parent_id",
    "is_company",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_role_ids = fields.Many2many(
        "dunning.contact.role",
        "res_partner_dunning_role_rel",
        "partner_id",
        "role_id",
        string="Collections roles",
        help="What this contact is for the collections: accounts payable, "
        "decision maker... The levels of a scenario write to the contacts "
        "holding their roles.",
    )
    dunning_scenario_id = fields.Many2one(
        "dunning.scenario",
        string="Forced scenario",
        company_dependent=True,
        groups=DUNNING_GROUP,
        help="Always use this scenario for this debtor, whatever the rules say.",
    )
    dunning_paused_until = fields.Date(
        string="Reminders paused until",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
    )
    dunning_pause_reason = fields.Char(
        string="Pause reason", tracking=True, copy=False, groups=DUNNING_GROUP
    )
    dunning_opt_out = fields.Boolean(
        string="No reminders",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
        help="Never send reminders to this debtor.",
    )
    dunning_opt_out_reason = fields.Char(
        string="No-reminder reason", tracking=True, copy=False, groups=DUNNING_GROUP
    )
    dunning_collector_id = fields.Many2one(
        "res.users",
        string="Collector",
        tracking=True,
        groups=DUNNING_GROUP,
        help="Who follows this debtor: calls are scheduled for this user and "
        "letters are signed in this name. Default: the salesperson.",
    )
    dunning_effective_collector_id = fields.Many2one(
        "res.users",
        string="Responsible collector",
        compute="_compute_dunning_status",
        search="_search_dunning_effective_collector_id",
        groups=DUNNING_GROUP,
        help="The debtor's collector, else the scenario's default collector, else "
        "the salesperson.",
    )
    dunning_todo = fields.Char(
        string="To do today",
        compute="_compute_dunning_todo",
        search="_search_dunning_todo",
        groups=DUNNING_GROUP,
    )
    dunning_litigation = fields.Boolean(
        string="In litigation",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
        help="Handed to a collection agency or to court: every automation stops.",
    )
    dunning_agency_id = fields.Many2one(
        "res.partner",
        string="Collection agency",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
    )
    dunning_litigation_date = fields.Date(
        string="Litigation since", tracking=True, copy=False, groups=DUNNING_GROUP
    )
    dunning_agency_fee_rate = fields.Float(
        string="Agency fee (%)", copy=False, groups=DUNNING_GROUP
    )
    dunning_litigation_amount = fields.Monetary(
        string="Amount handed over",
        currency_field="dunning_currency_id",
        copy=False,
        groups=DUNNING_GROUP,
    )
    dunning_expected_recovery = fields.Monetary(
        string="Expected net recovery",
        compute="_compute_dunning_expected_recovery",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
        help="Amount handed over less the agency's fee.",
    )
    dunning_action_ids = fields.One2many(
        "dunning.action",
        "partner_id",
        string="Collections history",
        groups=DUNNING_GROUP,
    )
    dunning_dispute_ids = fields.One2many(
        "dunning.dispute", "partner_id", string="Disputes", groups=DUNNING_GROUP
    )
    dunning_incoming_ids = fields.One2many(
        "dunning.incoming",
        "partner_id",
        string="Incoming e-mails",
        groups=DUNNING_GROUP,
    )
    dunning_plan_ids = fields.One2many(
        "dunning.payment.plan",
        "partner_id",
        string="Payment plans",
        groups=DUNNING_GROUP,
    )
    dunning_promise_ids = fields.One2many(
        "dunning.promise", "partner_id", string="Promises", groups=DUNNING_GROUP
    )
    dunning_action_count = fields.Integer(
        compute="_compute_dunning_action_count", groups=DUNNING_GROUP
    )
    dunning_effective_scenario_id = fields.Many2one(
        "dunning.scenario",
        string="Scenario",
        compute="_compute_dunning_status",
        groups=DUNNING_GROUP,
        help="The scenario that applies: forced, else chosen by the rules, else "
        "the company default.",
    )
    dunning_level_id = fields.Many2one(
        "dunning.level",
        string="Current level",
        compute="_compute_dunning_status",
        groups=DUNNING_GROUP,
        help="Highest level reached by the debtor's open invoices.",
    )
    dunning_next_date = fields.Date(
        string="Next action",
        compute="_compute_dunning_status",
        groups=DUNNING_GROUP,
        help="First date on which a reminder is due, pauses and intervals included.",
    )
    dunning_due_amount = fields.Monetary(
        string="Receivable",
        compute="_compute_dunning_status",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
    )
    dunning_overdue_amount = fields.Monetary(
        string="Overdue amount",
        compute="_compute_dunning_status",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
    )
    dunning_currency_id = fields.Many2one(
        "res.currency", compute="_compute_dunning_status", groups=DUNNING_GROUP
    )
    dunning_has_overdue = fields.Boolean(
        string="Has overdue invoices",
        compute="_compute_dunning_status",
        search="_search_dunning_has_overdue",
        groups=DUNNING_GROUP,
    )

    def _compute_dunning_action_count(self):
        counts = dict(
            self.env["dunning.action"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dunning_action_count = counts.get(partner, 0)

    @api.depends_context("company")
    def _compute_dunning_status(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        commercials = self.commercial_partner_id.filtered("id")
        plan, lines = self.env["dunning.planner"]._compute_plan(
            company, today, commercials.ids
        )
        overdue = defaultdict(float)
        due = defaultdict(float)
        top = {}
        for line in lines:
            due[line.partner_id] += line.amount_company
            if line.amount_company > 0 and line.due_date < today:
                overdue[line.partner_id] += line.amount_company
            if line.reached and (
                line.partner_id not in top
                or (line.reached_delay, line.reached_date) > top[line.partner_id][:2]
            ):
                top[line.partner_id] = (
                    line.reached_delay,
                    line.reached_date,
                    line.reached_level_id,
                )
        # The resolution the planner just stored (the views read the same).
        status = self.env["dunning.debtor.status"]._dunning_status_of(
            company, commercials, overdue
        )
        Level = self.env["dunning.level"]
        for partner in self:
            commercial_id = partner.commercial_partner_id.id
            scenario, collector = status.get(commercial_id, (None, None))
            partner.dunning_effective_scenario_id = scenario
            partner.dunning_effective_collector_id = collector
            partner.dunning_level_id = Level.browse(
                top[commercial_id][2] if commercial_id in top else []
            )
            partner.dunning_next_date = plan.next_dates.get(commercial_id)
            partner.dunning_currency_id = company.currency_id
            partner.dunning_due_amount = due[commercial_id]
            partner.dunning_overdue_amount = overdue[commercial_id]
            partner.dunning_has_overdue = overdue[commercial_id] > 0

    @api.depends("dunning_litigation_amount", "dunning_agency_fee_rate")
    def _compute_dunning_expected_recovery(self):
        for partner in self:
            partner.dunning_expected_recovery = partner.dunning_litigation_amount * (
                1 - partner.dunning_agency_fee_rate / 100.0
            )

    def _search_dunning_has_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue invoices."))
        lines = self.env["account.move.line"]
        query = SQL(
            """(
            SELECT p.commercial_partner_id
              FROM account_move_line aml
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE %s
            )""",
            lines._dunning_overdue_sql(
                fields.Date.context_today(self), "aml", self.env.companies
            ),
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", query)]

    @api.model
    def _dunning_check_group(self, group=DUNNING_GROUP, message=None):
        """Check a button's group on the server, not only in the view.

        The collections buttons of the contact form are hidden from the users
        outside ``group`` (an xmlid); any internal user can still call them
        through RPC, so each one calls this first.

        :raise AccessError: the user is not in ``group``.
        """
        if self.env.su or self.env.user.has_group(group):
            return True
        raise AccessError(
            message or self.env._("This action is reserved to the collections users.")
        )

    def action_view_dunning_actions(self):
        """Open the collections history of this debtor."""
        self.ensure_one()
        self._dunning_check_group()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_action_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_dunning_force_level(self):
        """Open the wizard forcing this debtor's level."""
        self.ensure_one()
        self._dunning_check_group()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force the level"),
            "res_model": "dunning.force.level",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_view_dunning_ageing(self):
        """Open the ageing of this debtor's open items (receivables analysis)."""
        self.ensure_one()
        self._dunning_check_group()
        commercial = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ageing of %(debtor)s", debtor=commercial.display_name),
            "res_model": "dunning.receivable.report",
            "view_mode": "pivot,graph,list,form",
            "views": [
                (False, "pivot"),
                (False, "graph"),
                (False, "list"),
                (False, "form"),
            ],
            "domain": [
                ("partner_id", "=", commercial.id),
                ("company_id", "in", self.env.companies.ids),
            ],
            "context": {
                "search_default_group_ageing": 1,
                "pivot_column_groupby": [],
                "pivot_measures": ["amount_residual", "overdue_amount"],
                "create": False,
            },
        }

    def _dunning_new_record_action(self, model, name):
        self.ensure_one()
        self._dunning_check_group()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_new_dispute(self):
        """Open a new dispute for this debtor."""
        return self._dunning_new_record_action(
            "dunning.dispute", self.env._("New dispute")
        )

    def action_dunning_new_plan(self):
        """Open a new payment plan for this debtor."""
        return self._dunning_new_record_action(
            "dunning.payment.plan", self.env._("New payment plan")
        )

    def action_dunning_new_promise(self):
        """Open a new promise to pay for this debtor."""
        action = self._dunning_new_record_action(
            "dunning.promise", self.env._("New promise to pay")
        )
        action["context"]["default_source"] = "call"
        return action

    def action_dunning_schedule_call(self):
        """Schedule a collections call on this debtor, due today.

        For the debtor's collector (else the user), with the call script of
        its current level; it counts in "calls to make" of *My collections
        today* and shows in the chatter, where its date can be changed.
        """
        self.ensure_one()
        self._dunning_check_group()
        commercial = self.commercial_partner_id
        commercial.activity_schedule(
            "account_dunning_advanced.mail_activity_type_dunning_call",
            date_deadline=fields.Date.context_today(self),
            user_id=(commercial.dunning_effective_collector_id or self.env.user).id,
            note=commercial.dunning_level_id.phone_script or "",
        )
        return True

    def action_dunning_statement(self):
        """Open the account statement of this debtor."""
        self.ensure_one()
        self._dunning_check_group()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Account statement"),
            "res_model": "dunning.statement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _dunning_start_litigation(self, action):
        """Hand the debtor to the collection agency of the action's level.

        Stops every automation for the debtor and attaches the collection file
        (statement, invoices, history of the reminders) to the action.
        """
        self.ensure_one()
        level = action.level_id
        self.write(
            {
                "dunning_litigation": True,
                "dunning_agency_id": level.agency_id.id,
                "dunning_litigation_date": action.date,
                "dunning_agency_fee_rate": level.agency_fee_rate,
                "dunning_litigation_amount": action.company_id.currency_id.round(
                    sum(action._get_open_lines().mapped("amount_residual"))
                ),
            }
        )
        try:
            with self.env.cr.savepoint():
                attachment = self._dunning_collection_file(action.company_id, action)
        except Exception as error:  # noqa: BLE001 - the hand-off itself stands
            _logger.warning("Collection file of %s failed: %s", self.id, error)
            action.message_post(
                body=self.env._(
                    "Handed to the collection agency %(agency)s. The collection file "
                    "could not be built (%(error)s): build it again from the "
                    "debtor.",
                    agency=level.agency_id.display_name or "-",
                    error=error,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        action.message_post(
            body=self.env._(
                "Handed to the collection agency %(agency)s: the collection file is "
                "attached.",
                agency=level.agency_id.display_name or "-",
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _dunning_collection_file(
        self, company, action=None, include_disputed=None, include_penalties=None
    ):
        """Build the collection file (zip) for the agency and attach it.

        It holds the account statement, the PDF of every open invoice handed
        over, the history of every reminder (CSV: date, level, channels,
        status, recipients), the company's terms of sale (the default terms
        and conditions of its invoices) and the last formal notice sent to the
        debtor: what the agency needs to claim the debt.

        Invoices under an open dispute and late-payment penalty invoices stay
        with the company unless chosen: on the hand-off level, or with the
        context keys ``dunning_include_disputed`` and
        ``dunning_include_penalty_invoices`` for a file built by hand.

        :return: the ``ir.attachment`` of the zip.
        """
        self.ensure_one()
        level = action.level_id if action else self.env["dunning.level"]
        if include_disputed is None:
            include_disputed = bool(
                level.agency_include_disputed
                or self.env.context.get("dunning_include_disputed")
            )
        if include_penalties is None:
            include_penalties = bool(
                level.agency_include_penalty_invoices
                or self.env.context.get("dunning_include_penalty_invoices")
            )
        Report = self.env["ir.actions.report"]
        Line = self.env["account.move.line"]
        lines = Line.search(
            [
                *Line._dunning_collectible_domain(company),
                ("partner_id", "child_of", self.id),
            ]
        )
        if not include_penalties:
            lines = lines.filtered(lambda line: not line.move_id.dunning_is_penalty)
        if not include_disputed:
            disputed = (
                self.env["dunning.dispute"]
                .sudo()
                .search([("move_ids", "in", lines.move_id.ids), ("state", "=", "open")])
                .move_ids
            )
            lines = lines.filtered(lambda line: line.move_id not in disputed)
        terms = self._dunning_terms_of_sale(company)
        formal_notice = self._dunning_last_formal_notice(company)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            statement, _type = Report._render_qweb_pdf(
                "account_dunning_advanced.action_report_dunning_statement",
                self.ids,
                data={"company_id": company.id},
            )
            archive.writestr("statement.pdf", statement)
            for move in lines.move_id:
                content, _type = Report._render_qweb_pdf(
                    "account.account_invoices", move.ids
                )
                archive.writestr(
                    "invoices/%s.pdf" % (move.name or str(move.id)).replace("/", "_"),
                    content,
                )
            archive.writestr("reminders.csv", self._dunning_history_csv(company))
            if terms:
                archive.writestr("terms_of_sale.txt", terms.encode())
            if formal_notice:
                archive.writestr(
                    "formal_notice.pdf", formal_notice._dunning_letter_attachment().raw
                )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Collection file %(partner)s.zip", partner=self.name
                    ),
                    "raw": buffer.getvalue(),
                    "res_model": action._name if action else self._name,
                    "res_id": action.id if action else self.id,
                    "mimetype": "application/zip",
                }
            )
        )

    def _dunning_terms_of_sale(self, company):
        """Return the company's terms of sale as text, in the debtor's language.

        The default terms and conditions of the invoices (Accounting settings),
        as a note or as the web page text; empty when the company has none.
        """
        company = company.with_context(lang=self.lang or self.env.lang)
        if company.terms_type == "html" and not is_html_empty(
            company.invoice_terms_html
        ):
            return html2plaintext(company.invoice_terms_html)
        if not is_html_empty(company.invoice_terms):
            return html2plaintext(company.invoice_terms)
        return ""

    def _dunning_last_formal_notice(self, company):
        """Return the last formal notice sent to the debtor (an action), if any."""
        self.ensure_one()
        return self.env["dunning.action"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("level_id.level_type", "=", "formal_notice"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _dunning_history_csv(self, company):
        """Return the history of the reminders sent to the debtor, as CSV."""
        self.ensure_one()
        actions = self.env["dunning.action"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("state", "=", "done"),
            ],
            order="date, id",
        )
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(
            [
                self.env._("Date"),
                self.env._("Level"),
                self.env._("Type"),
                self.env._("Channels"),
                self.env._("Invoices"),
                self.env._("Amount due"),
                self.env._("Currency"),
                self.env._("Recipients"),
                self.env._("Note"),
            ]
        )
        for action in actions:
            writer.writerow(
                [
                    action.date,
                    action.level_id.name,
                    dict(action._fields["kind"]._description_selection(self.env))[
                        action.kind
                    ],
                    "; ".join(
                        "%s: %s" % (channel.channel, channel.result or channel.state)
                        for channel in action.channel_ids
                    ),
                    " ".join(action.line_ids.move_id.mapped("name")),
                    action.amount_due,
                    action.currency_id.name,
                    " ".join(action.partner_to_ids.mapped("email_formatted")),
                    action.note or "",
                ]
            )
        return output.getvalue().encode()

    def action_dunning_collection_file(self):
        """Download a fresh collection file for this debtor."""
        self.ensure_one()
        self._dunning_check_group()
        attachment = self._dunning_collection_file(self.env.company)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_dunning_end_litigation(self):
        """Take the debtor out of litigation: the automation starts again."""
        self._dunning_check_group()
        for partner in self:
            partner.write({"dunning_litigation": False})
            partner.message_post(
                body=self.env._(
                    "Out of litigation (agency %(agency)s): reminders start again.",
                    agency=partner.dunning_agency_id.display_name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def message_update(self, msg_dict, update_vals=None):
        """A reply to a collections reminder also becomes an incoming e-mail.

        The reply stays in the debtor's chatter with its attachments; the
        collections record classifies it and acts on it. It is found through
        the Message-ID of the reminder we sent, which nobody else knows: the
        sender is trusted (a promise still goes to review beyond the longest
        promise of the company).
        """
        result = super().message_update(msg_dict, update_vals=update_vals)
        parent_id = msg_dict.get("parent_id")
        if parent_id:
            action = (
                self.env["dunning.action"]
                .sudo()
                .search([("message_id", "=", parent_id)], limit=1)
            )
            if action:
                Incoming = self.env["dunning.incoming"].sudo()
                values = Incoming._prepare_from_message(msg_dict)
                values.update(
                    partner_id=action.partner_id.id,
                    company_id=action.company_id.id,
                    state="new",
                    sender_check="reply",
                )
                incoming = Incoming.with_company(action.company_id).create(values)
                incoming._classify()
                incoming._apply_effects()
        return result

    def write(self, vals):
        result = super().write(vals)
        if DUNNING_RESOLUTION_FIELDS.intersection(vals):
            # The stored scenario and collector (dunning.debtor.status) follow.
            Status = self.env["dunning.debtor.status"].sudo()
            Status._dunning_refresh_partners(self)
            if "parent_id" in vals or "is_company" in vals:
                Status._dunning_fill_missing(partners=self)
        return result

    def _dunning_resolve_collector(self, scenario):
        """Return the collector of this commercial partner under ``scenario``.

        THE collector rule: the debtor's own collector, else the scenario's
        default collector, else the salesperson. Stored with the scenario in
        ``dunning.debtor.status`` (the views read it from there).
        """
        self.ensure_one()
        return (
            self.dunning_collector_id or (scenario and scenario.user_id) or self.user_id
        )

    def _dunning_get_collector(self):
        """Return the debtor's collector: its own, the scenario's, the salesperson."""
        self.ensure_one()
        partner = self.commercial_partner_id
        status = self.env["dunning.debtor.status"]._dunning_status_of(
            self.env.company, partner
        )
        return status[partner.id][1]

    def _search_dunning_effective_collector_id(self, operator, value):
        """Debtors whose responsible collector is one of ``value``.

        Resolved like the field (own collector, scenario's, salesperson) over
        the debtors: customers with overdue invoices, a collections history or
        a collector of their own.
        """
        if operator not in ("=", "in"):
            raise UserError(self.env._("Unsupported search on the collector."))
        users = set(value if isinstance(value, list | tuple) else [value])
        debtors = self.search(
            [
                ("parent_id", "=", False),
                "|",
                "|",
                ("dunning_collector_id", "in", list(users)),
                ("dunning_has_overdue", "=", True),
                ("dunning_action_ids", "!=", False),
            ]
        )
        status = self.env["dunning.debtor.status"]._dunning_status_of(
            self.env.company, debtors
        )
        return [
            (
                "id",
                "in",
                [debtor.id for debtor in debtors if status[debtor.id][1].id in users],
            )
        ]

    @api.model
    def _dunning_todo_reasons(self, partner_ids=None):
        """Return ``{partner id: [reasons]}``: what needs a collector today.

        Reminders to validate, calls to make, promises falling due, broken
        promises, new replies to read, e-mails and promises from outside
        waiting for a collector's review, disputes open for more than
        ``account_dunning_advanced.dispute_days`` days (30).  A few grouped
        reads, whatever the number of debtors.
        """
        today = fields.Date.context_today(self)
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_advanced.dispute_days", 30)
        )
        scope = [("partner_id", "in", partner_ids)] if partner_ids is not None else []
        checks = [
            (
                "dunning.action",
                [("kind", "=", "reminder"), ("state", "in", ("draft", "error"))],
                self.env._("reminders to validate"),
            ),
            (
                "dunning.promise",
                [("state", "=", "open"), ("date", "<=", today)],
                self.env._("promises falling due"),
            ),
            (
                "dunning.promise",
                [("state", "=", "broken"), ("activity_ids", "!=", False)],
                self.env._("broken promises"),
            ),
            (
                "dunning.incoming",
                [("state", "in", ("new", "to_assign"))],
                self.env._("replies to read"),
            ),
            (
                "dunning.incoming",
                [("state", "=", "to_review")],
                self.env._("e-mails to review"),
            ),
            (
                "dunning.promise",
                [("state", "=", "to_review")],
                self.env._("promises to review"),
            ),
            (
                "dunning.dispute",
                [
                    ("state", "=", "open"),
                    ("create_date", "<", fields.Datetime.now() - timedelta(days=days)),
                ],
                self.env._("old disputes"),
            ),
        ]
        reasons = defaultdict(list)
        for model, domain, label in checks:
            for [partner] in self.env[model]._read_group(
                scope + domain, ["partner_id"]
            ):
                reasons[partner.id].append(label)
        calls = self.env["mail.activity"].search(
            [
                ("res_model", "in", ("dunning.action", "res.partner")),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "account_dunning_advanced.mail_activity_type_dunning_call"
                    ).id,
                ),
                ("date_deadline", "<=", today),
            ]
        )
        actions = self.env["dunning.action"].browse(
            calls.filtered(lambda a: a.res_model == "dunning.action").mapped("res_id")
        )
        called = (
            self.env["res.partner"]
            .browse(
                calls.filtered(lambda a: a.res_model == "res.partner").mapped("res_id")
            )
            .commercial_partner_id
        )
        for partner in actions.partner_id | called:
            if partner_ids is None or partner.id in partner_ids:
                reasons[partner.id].append(self.env._("calls to make"))
        return reasons

    def _compute_dunning_todo(self):
        reasons = self._dunning_todo_reasons(self.commercial_partner_id.ids)
        for partner in self:
            partner.dunning_todo = (
                ", ".join(reasons.get(partner.commercial_partner_id.id, [])) or False
            )

    def _search_dunning_todo(self, operator, value):
        if operator != "!=" or value is not False:
            raise UserError(self.env._("Unsupported search on the to-do list."))
        return [("id", "in", list(self._dunning_todo_reasons()))]

    @api.model
    def get_empty_list_help(self, help_message):
        """The empty list of the debtors to follow says what is missing."""
        help_message = super().get_empty_list_help(help_message)
        if not self.env.context.get("dunning_setup_help"):
            return help_message
        issues = self.env.company._dunning_setup_issues_html()
        if not issues:
            return help_message
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_setup_help",
            {"help_message": Markup(help_message or ""), "issues": issues},
        )

    # ------------------------------------------------------------------
    # Forced level (the wizard dunning.force.level asks)
    # ------------------------------------------------------------------
    def _dunning_force_level_lines(self, company, moves=None):
        """Return the lines a level forced on this debtor applies to.

        The debtor's collectible lines (the one definition) that it owes,
        limited to ``moves`` when given.
        """
        self.ensure_one()
        Line = self.env["account.move.line"]
        domain = [
            *Line._dunning_collectible_domain(company),
            ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
            ("amount_residual", ">", 0),
        ]
        if moves:
            domain.append(("move_id", "in", moves.ids))
        return Line.search(domain)

    def _dunning_force_level(
        self, company, level, date, reason, moves=None, scenario=None
    ):
        """Record ``level`` as reached on the debtor's open invoices.

        The automation continues from it: one done action of kind ``forced``
        per currency, the pending reminders of those lines cancelled as
        superseded, the reason posted on the debtor (and the invoices given).

        :return: the forced actions.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        lines = partner._dunning_force_level_lines(company, moves)
        if not lines:
            raise UserError(
                self.env._(
                    "%(partner)s has no open invoice to force to a level.",
                    partner=partner.display_name,
                )
            )
        if scenario is None:
            scenario = (
                self.env["dunning.scenario"]
                ._resolve_for_partners(partner, company)
                .get(partner.id)
            )
        Action = self.env["dunning.action"]
        pending = Action.search(
            [
                ("line_ids", "in", lines.ids),
                ("kind", "=", "reminder"),
                ("state", "in", ("draft", "error")),
            ]
        )
        pending.write(
            {"state": "cancel", "note": self.env._("Superseded by a forced level.")}
        )
        by_currency = defaultdict(lambda: self.env["account.move.line"])
        for line in lines:
            by_currency[line.currency_id] |= line
        actions = Action.create(
            [
                {
                    "kind": "forced",
                    "state": "done",
                    "company_id": company.id,
                    "date": date,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "level_id": level.id,
                    "scenario_id": scenario.id if scenario else False,
                    "line_ids": [Command.set(currency_lines.ids)],
                    "amount_due": sum(
                        currency_lines.mapped("amount_residual_currency")
                    ),
                    "amount_overdue": sum(
                        line.amount_residual_currency
                        for line in currency_lines
                        if line._dunning_due_date() < date
                    ),
                    "note": reason,
                    "executed_at": fields.Datetime.now(),
                    "executed_by_id": self.env.uid,
                }
                for currency, currency_lines in by_currency.items()
            ]
        )
        body = Markup("%s<br/>%s") % (
            self.env._(
                "Collections level forced to %(level)s on %(date)s for %(invoices)s.",
                level=level.display_name,
                date=date,
                invoices=", ".join(lines.move_id.mapped("name")),
            ),
            self.env._("Reason: %(reason)s", reason=reason),
        )
        partner.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        for move in moves or ():
            move.message_post(body=body, subtype_xmlid="mail.mt_note")
        return actions
