# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..engine import scoring
from .dunning_credit_rule import CREDIT_POLICIES
from .dunning_partner_score import TRENDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_score_id = fields.Many2one(
        "dunning.partner.score",
        string="Payment score record",
        compute="_compute_dunning_score",
    )
    dunning_grade_id = fields.Many2one(
        "dunning.score.grade",
        string="Payment grade",
        compute="_compute_dunning_score",
        help="Grade of the commercial partner in the current company; "
        '"not enough history" until it has enough invoices.',
    )
    dunning_score = fields.Integer(
        string="Payment score", compute="_compute_dunning_score"
    )
    dunning_score_graded = fields.Boolean(
        string="Graded", compute="_compute_dunning_score"
    )
    dunning_score_trend = fields.Selection(
        TRENDS, string="Payment trend", compute="_compute_dunning_score"
    )
    dunning_score_explanation = fields.Text(
        string="Score explanation", compute="_compute_dunning_score"
    )
    dunning_credit_rule_id = fields.Many2one(
        "dunning.credit.rule", string="Credit rule", compute="_compute_dunning_score"
    )
    dunning_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit policy",
        compute="_compute_dunning_score",
    )
    dunning_credit_limit_suggested = fields.Monetary(
        string="Suggested credit limit",
        compute="_compute_dunning_score",
        currency_field="dunning_score_currency_id",
    )
    dunning_score_currency_id = fields.Many2one(
        "res.currency", string="Score currency", compute="_compute_dunning_score"
    )
    dunning_credit_message = fields.Char(
        string="Credit warning", compute="_compute_dunning_score"
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_dunning_score(self):
        """Read the score rows of the current company for all of self at once."""
        company = self.env.company
        commercial = self.commercial_partner_id
        scores = {
            score.partner_id.id: score
            for score in self.env["dunning.partner.score"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                ]
            )
        }
        no_history = (
            self.env["dunning.score.grade"].sudo()._by_code().get(scoring.NO_HISTORY)
        )
        rules = self.env["dunning.credit.rule"].sudo()._rules_by_grade(company)
        for partner in self:
            score = scores.get(partner.commercial_partner_id.id)
            grade = score.grade_id if score else no_history
            rule = rules.get(grade.id) if grade else None
            partner.dunning_score_id = score
            partner.dunning_grade_id = grade
            partner.dunning_score = score.score if score else 0
            partner.dunning_score_graded = bool(score and score.has_history)
            partner.dunning_score_trend = score.trend if score else False
            partner.dunning_score_explanation = (
                score.explanation
                if score
                else self.env._("Not enough history: no invoice in this company.")
            )
            partner.dunning_credit_rule_id = rule
            partner.dunning_credit_policy = rule.policy if rule else False
            partner.dunning_score_currency_id = company.currency_id
            partner.dunning_credit_limit_suggested = (
                score.credit_limit_suggested if score else 0.0
            )
            partner.dunning_credit_message = (
                rule.with_env(self.env)._get_message(partner)
                if rule and rule.policy != "none"
                else False
            )

    def action_dunning_compute_score(self):
        """Recompute the payment score of this debtor in the current company."""
        self.ensure_one()
        self.env["dunning.partner.score"].sudo()._compute_scores(
            self.env.company, partner_ids=self.commercial_partner_id.ids
        )
        self.invalidate_recordset()
        return True

    def action_view_dunning_score_history(self):
        """Open the monthly snapshots of this debtor's score."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_score.dunning_partner_score_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"graph_mode": "line"}
        return action
