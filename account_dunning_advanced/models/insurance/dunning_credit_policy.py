# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's credit insurance policy with an insurer (assurance-crédit)."""

from odoo import fields, models


class DunningCreditPolicy(models.Model):
    _name = "dunning.credit.policy"
    _description = "Collections: credit insurance policy"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(string="Policy number", required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    insurer_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    declaration_days = fields.Integer(
        string="Declaration deadline (days)",
        default=60,
        required=True,
        help="The policy's deadline to declare an overdue debt to the insurer, "
        "in days after the invoice's original due date. Past it, the insurer "
        "may refuse to cover the debt.",
    )
    notice_days = fields.Integer(
        string="Notice (days)",
        default=7,
        required=True,
        help="The declaration activity is due this many days before the " "deadline.",
    )
    limit_ids = fields.One2many(
        "dunning.credit.limit", "policy_id", string="Insured limits"
    )

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(declaration_days > 0 AND notice_days >= 0)",
            "The declaration deadline must be positive and the notice not negative.",
        )
    ]
