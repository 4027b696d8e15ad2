# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningPartnerScoreHistory(models.Model):
    """Monthly snapshot of a debtor's score, for the trend over periods."""

    _name = "dunning.partner.score.history"
    _description = "Payment behaviour score: monthly snapshot"
    _order = "month desc, partner_id"
    _rec_name = "partner_id"

    month = fields.Date(required=True, index=True, help="First day of the month.")
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    has_history = fields.Boolean(string="Enough history")
    score = fields.Integer(aggregator="avg")
    grade_id = fields.Many2one("dunning.score.grade")
    avg_days_late = fields.Float(string="Average days late", aggregator="avg")
    late_share = fields.Float(string="Share paid late (%)", aggregator="avg")
    overdue_amount = fields.Monetary(
        string="Overdue amount", currency_field="currency_id"
    )
    dso = fields.Float(string="DSO (days)", aggregator="avg")

    _sql_constraints = [
        (
            "month_partner_company_unique",
            "unique(month, partner_id, company_id)",
            "One snapshot per debtor, company and month.",
        ),
    ]
