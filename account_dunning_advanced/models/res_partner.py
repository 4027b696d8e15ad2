# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

DUNNING_GROUP = "account_dunning_advanced.group_dunning_user"


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
        help="First date on which a reminder is due, pauses and intervals " "included.",
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
        scenarios = self.env["dunning.scenario"]._resolve_for_partners(
            commercials, company, overdue
        )
        Level = self.env["dunning.level"]
        for partner in self:
            commercial_id = partner.commercial_partner_id.id
            partner.dunning_effective_scenario_id = scenarios.get(commercial_id)
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
        query = SQL(
            """(
            SELECT p.commercial_partner_id
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.company_id = ANY(%s)
               AND acc.account_type = 'asset_receivable'
               AND aml.parent_state = 'posted'
               AND NOT aml.reconciled
               AND aml.amount_residual > 0
               AND COALESCE(aml.date_maturity, aml.date) < %s
            )""",
            self.env.companies.ids,
            fields.Date.context_today(self),
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", query)]

    def action_view_dunning_actions(self):
        """Open the collections history of this debtor."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_action_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_dunning_force_level(self):
        """Open the wizard forcing this debtor's level."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force the level"),
            "res_model": "dunning.force.level",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
