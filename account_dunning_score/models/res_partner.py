# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import scoring
from .dunning_credit_rule import CREDIT_POLICIES
from .dunning_partner_score import TRENDS

#: Who reads the scores, grades and explanations: accounting and collections.
SCORE_GROUPS = (
    "account.group_account_invoice,account_dunning_advanced.group_dunning_user,"
    "account_dunning_advanced.group_dunning_viewer"
)
COLLECTIONS_GROUP = "account_dunning_advanced.group_dunning_user"
MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"
OVERRIDE_FIELDS = (
    "dunning_hold_override",
    "dunning_hold_override_reason",
    "dunning_hold_override_user_id",
    "dunning_hold_override_date",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_score_id = fields.Many2one(
        "dunning.partner.score",
        string="Payment score record",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
    )
    dunning_grade_id = fields.Many2one(
        "dunning.score.grade",
        string="Payment grade",
        compute="_compute_dunning_score",
        help="Grade of the commercial partner in the current company; "
        '"not enough history" until it has enough invoices.',
        groups=SCORE_GROUPS,
    )
    dunning_score = fields.Integer(
        string="Payment score",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
    )
    dunning_score_graded = fields.Boolean(
        string="Graded",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
    )
    dunning_score_trend = fields.Selection(
        TRENDS,
        string="Payment trend",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
    )
    dunning_score_explanation = fields.Text(
        string="Score explanation",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
    )
    dunning_credit_rule_id = fields.Many2one(
        "dunning.credit.rule",
        string="Credit rule",
        compute="_compute_dunning_score",
        groups=SCORE_GROUPS,
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
        groups=SCORE_GROUPS,
    )
    dunning_score_currency_id = fields.Many2one(
        "res.currency", string="Score currency", compute="_compute_dunning_score"
    )
    dunning_credit_message = fields.Char(
        string="Credit warning",
        compute="_compute_dunning_score",
        help="Shown to the sales and invoicing users; the payment grade is "
        "only named to the accounting and collections users.",
    )
    dunning_hold_override = fields.Boolean(
        string="Credit hold overridden",
        copy=False,
        tracking=True,
        groups=SCORE_GROUPS,
        help="A collections manager lifted the credit hold of this natural "
        "person (automated decision, GDPR article 22). Set with the "
        '"Override the credit hold" button, which asks for the reason.',
    )
    dunning_hold_override_reason = fields.Text(
        string="Credit hold override reason",
        copy=False,
        tracking=True,
        groups=SCORE_GROUPS,
    )
    dunning_hold_override_user_id = fields.Many2one(
        "res.users",
        string="Credit hold overridden by",
        copy=False,
        tracking=True,
        groups=SCORE_GROUPS,
    )
    dunning_hold_override_date = fields.Datetime(
        string="Credit hold overridden on", copy=False, groups=SCORE_GROUPS
    )
    dunning_credit_hold_overridden = fields.Boolean(
        string="Credit hold lifted",
        compute="_compute_dunning_score",
        help="The credit rule puts the orders on hold, but a collections "
        "manager overrode the hold of this natural person.",
    )

    # ------------------------------------------------------------------
    # The score, the grade and the credit rule of the current company
    # ------------------------------------------------------------------
    @api.model
    def _dunning_can_read_score(self):
        """Whether the current user may read grades, scores and explanations."""
        user = self.env.user
        return user._is_internal() and any(
            user.has_group(group) for group in SCORE_GROUPS.split(",")
        )

    @api.depends(
        "commercial_partner_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "commercial_partner_id.dunning_hold_override",
        "commercial_partner_id.dunning_natural_person",
    )
    @api.depends_context("company", "uid")
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
        # The override fields are for accounting and collections users only;
        # the computed flag tells the others (sales) that the hold is lifted.
        overridden = set(
            self.commercial_partner_id.sudo()
            .filtered("dunning_hold_override")
            .filtered("dunning_natural_person")
            .ids
        )
        people_allowed = company.dunning_score_people
        for partner in self:
            person = partner.commercial_partner_id.dunning_natural_person
            if person and not people_allowed:
                partner._dunning_set_not_scored(company)
                continue
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
                else self.env._(
                    "Not scored yet in this company: the nightly scoring grades "
                    "the debtors with invoices (Recompute the score to grade it "
                    "now)."
                )
            )
            partner.dunning_credit_rule_id = rule
            partner.dunning_credit_policy = rule.policy if rule else False
            partner.dunning_credit_hold_overridden = bool(
                rule
                and rule.policy == "hold"
                and partner.commercial_partner_id.id in overridden
            )
            partner.dunning_score_currency_id = company.currency_id
            partner.dunning_credit_limit_suggested = (
                score.credit_limit_suggested if score else 0.0
            )
            partner.dunning_credit_message = (
                rule.with_env(self.env)._get_message(partner)
                if rule and rule.policy != "none"
                else False
            )

    def _dunning_set_not_scored(self, company):
        """A person while the company does not score people: no score, no
        grade, no credit rule, and the reason for a manager to read."""
        self.dunning_score_id = False
        self.dunning_grade_id = False
        self.dunning_score = 0
        self.dunning_score_graded = False
        self.dunning_score_trend = False
        self.dunning_score_explanation = self.env._(
            "Not scored: this debtor is a person (no company, no VAT number) "
            'and %(company)s does not score people (setting "Score people '
            '(consumers)", GDPR art. 22: automated decision on a person).',
            company=company.name,
        )
        self.dunning_credit_rule_id = False
        self.dunning_credit_policy = False
        self.dunning_credit_hold_overridden = False
        self.dunning_score_currency_id = company.currency_id
        self.dunning_credit_limit_suggested = 0.0
        self.dunning_credit_message = False

    # ------------------------------------------------------------------
    # The override of a credit hold on a natural person (GDPR article 22)
    # ------------------------------------------------------------------
    def _dunning_check_hold_override_access(self):
        """Refuse unless the user is a collections manager."""
        self._dunning_check_group(
            MANAGER_GROUP,
            self.env._("Only a collections manager can override a credit hold."),
        )

    def write(self, vals):
        """Only a collections manager overrides a credit hold."""
        if any(name in vals for name in OVERRIDE_FIELDS):
            self._dunning_check_hold_override_access()
        return super().write(vals)

    def _dunning_override_hold(self, reason):
        """Lift the credit hold of these natural persons, for ``reason``.

        A credit hold on a person is an automated decision (GDPR article 22):
        a collections manager can always override it. The reason, the
        manager and the date are kept and tracked in the chatter.
        """
        self._dunning_check_hold_override_access()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the override."))
        partners = self.commercial_partner_id
        companies = partners.filtered(lambda p: not p.dunning_natural_person)
        if companies:
            raise UserError(
                self.env._(
                    "%(partners)s: only the credit hold of a natural person (no "
                    "company, no VAT number) can be overridden.",
                    partners=", ".join(companies.mapped("display_name")),
                )
            )
        partners.write(
            {
                "dunning_hold_override": True,
                "dunning_hold_override_reason": reason,
                "dunning_hold_override_user_id": self.env.user.id,
                "dunning_hold_override_date": fields.Datetime.now(),
            }
        )
        for partner in partners:
            partner.message_post(
                body=self.env._(
                    "Credit hold overridden by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_dunning_override_hold(self):
        """Open the wizard asking the reason of the override."""
        self.ensure_one()
        self._dunning_check_hold_override_access()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the credit hold"),
            "res_model": "dunning.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_cancel_hold_override(self):
        """Put the credit rule back in force for these persons."""
        self._dunning_check_hold_override_access()
        partners = self.commercial_partner_id
        partners.write(
            {
                "dunning_hold_override": False,
                "dunning_hold_override_reason": False,
                "dunning_hold_override_user_id": False,
                "dunning_hold_override_date": False,
            }
        )
        for partner in partners:
            partner.message_post(
                body=self.env._(
                    "Credit hold override cancelled by %(user)s.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Score buttons
    # ------------------------------------------------------------------
    def action_dunning_compute_score(self):
        """Recompute the payment score of this debtor in the current company."""
        self.ensure_one()
        self._dunning_check_group(COLLECTIONS_GROUP)
        self.env["dunning.partner.score"].sudo()._compute_scores(
            self.env.company, partner_ids=self.commercial_partner_id.ids
        )
        self.invalidate_recordset()
        return True

    def action_view_dunning_score_history(self):
        """Open the monthly snapshots of this debtor's score."""
        self.ensure_one()
        self._dunning_check_group(COLLECTIONS_GROUP)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_score.dunning_partner_score_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"graph_mode": "line"}
        return action
