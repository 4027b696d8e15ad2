# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

CREDIT_POLICIES = [
    ("none", "No restriction"),
    ("deposit", "Deposit required"),
    ("advance", "Payment in advance only"),
    ("hold", "Hold new orders"),
]


class DunningCreditRule(models.Model):
    """What a company grants the debtors of some grades: limit, deposit..."""

    _name = "dunning.credit.rule"
    _description = "Credit rule by payment grade"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    grade_ids = fields.Many2many(
        "dunning.score.grade",
        "dunning_credit_rule_score_grade_rel",
        "rule_id",
        "grade_id",
        string="Grades",
        required=True,
        help="The rule applies to the debtors having one of these grades.",
    )
    policy = fields.Selection(
        CREDIT_POLICIES,
        required=True,
        default="none",
    )
    deposit_percent = fields.Float(
        string="Deposit (%)", help="Share of the order to be paid as a deposit."
    )
    credit_limit_months = fields.Float(
        string="Credit limit (months of sales)",
        help="Suggested credit limit: the debtor's average monthly sales over "
        "the scoring window times this. 0: no suggestion.",
    )

    @api.constrains("deposit_percent", "credit_limit_months")
    def _check_values(self):
        for rule in self:
            if not 0 <= rule.deposit_percent <= 100 or rule.credit_limit_months < 0:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: the deposit is a percentage from 0 to 100 and "
                        "the credit limit cannot be negative.",
                        rule=rule.display_name,
                    )
                )

    @api.model
    def _rules_by_grade(self, company):
        """Return a dict grade id -> first active rule of company (by sequence)."""
        result = {}
        for rule in self.search([("company_id", "=", company.id)]):
            for grade in rule.grade_ids:
                result.setdefault(grade.id, rule)
        return result

    def _get_message(self, partner, amount=None, with_grade=None):
        """Return the warning shown to the sales and invoicing users.

        The payment grade is only named to the users who may read it
        (accounting and collections, see ``res.partner``
        ``_dunning_can_read_score``), never to a salesman or a customer.

        :param with_grade: name the grade (default: if the user may read it).
        """
        self.ensure_one()
        values = {"rule": self.name, "partner": partner.display_name}
        if partner.dunning_credit_hold_overridden and self.policy == "hold":
            return self.env._(
                "Credit rule %(rule)s: the hold of %(partner)s was overridden "
                "by a collections manager.",
                **values,
            )
        if with_grade is None:
            with_grade = partner._dunning_can_read_score()
        if with_grade:
            values["grade"] = partner.dunning_grade_id.name or ""
            if self.policy == "hold":
                return self.env._(
                    "Credit rule %(rule)s: new orders of %(partner)s are on hold "
                    "(payment grade %(grade)s).",
                    **values,
                )
            if self.policy == "advance":
                return self.env._(
                    "Credit rule %(rule)s: %(partner)s must pay in advance "
                    "(payment grade %(grade)s).",
                    **values,
                )
            if self.policy == "deposit":
                return self.env._(
                    "Credit rule %(rule)s: %(partner)s must pay a deposit of "
                    "%(percent)s %% (payment grade %(grade)s).",
                    percent=round(self.deposit_percent, 2),
                    **values,
                )
            return ""
        if self.policy == "hold":
            return self.env._(
                "Credit rule %(rule)s: new orders of %(partner)s are on hold.",
                **values,
            )
        if self.policy == "advance":
            return self.env._(
                "Credit rule %(rule)s: %(partner)s must pay in advance.", **values
            )
        if self.policy == "deposit":
            return self.env._(
                "Credit rule %(rule)s: %(partner)s must pay a deposit of "
                "%(percent)s %%.",
                percent=round(self.deposit_percent, 2),
                **values,
            )
        return ""
