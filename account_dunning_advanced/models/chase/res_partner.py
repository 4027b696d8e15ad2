# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor in the chase: its collections fields and roles, its status
(scenario, level, next date, amounts; :meth:`_compute_dunning_status`), its
collector, "my collections today" and the forced level."""

import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

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
    dunning_action_ids = fields.One2many(
        "dunning.action",
        "partner_id",
        string="Collections history",
        groups=DUNNING_GROUP,
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
    dunning_arm = fields.Selection(
        [("champion", "Champion"), ("challenger", "Challenger")],
        string="Test arm",
        compute="_compute_dunning_arm",
        groups=DUNNING_GROUP,
        help="The debtor's arm in its scenario's champion/challenger test, as "
        "the last planner computation stored it.",
    )
    dunning_arm_since = fields.Date(
        string="In this arm since", compute="_compute_dunning_arm", groups=DUNNING_GROUP
    )
    dunning_champion_id = fields.Many2one(
        "dunning.scenario",
        string="Tested scenario (champion)",
        compute="_compute_dunning_arm",
        groups=DUNNING_GROUP,
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

    @api.depends_context("company")
    def _compute_dunning_arm(self):
        """The stored champion/challenger arm (one search for the records)."""
        statuses = (
            self.env["dunning.debtor.status"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                    ("arm", "!=", False),
                ]
            )
        )
        by_partner = {status.partner_id.id: status for status in statuses}
        for partner in self:
            status = by_partner.get(partner.commercial_partner_id.id)
            partner.dunning_arm = status.arm if status else False
            partner.dunning_arm_since = status.arm_since if status else False
            partner.dunning_champion_id = (
                status.champion_id.with_env(self.env) if status else False
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
        return self._dunning_force_level_action()

    def _dunning_force_level_action(self, moves=None):
        """Return the wizard forcing the level of this debtor (of ``moves``)."""
        self._dunning_check_group()
        context = {"default_partner_id": self.commercial_partner_id.id}
        if moves:
            context["default_move_ids"] = moves.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force the level"),
            "res_model": "dunning.force.level",
            "view_mode": "form",
            "target": "new",
            "context": context,
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

    @api.readonly
    def action_dunning_statement(self):
        """Open the account statement of this debtor (read-only: Odoo 18 may
        serve it from the replica, ``db_replica_host``)."""
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
