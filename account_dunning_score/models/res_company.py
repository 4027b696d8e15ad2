# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import scoring

W = scoring.DEFAULT_WEIGHTS
T = scoring.DEFAULT_THRESHOLDS


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_score_window_months = fields.Integer(
        string="Scoring window (months)",
        default=12,
        help="Invoices due in this many past months make the payment history.",
    )
    dunning_score_min_invoices = fields.Integer(
        string="Minimum invoices to grade",
        default=3,
        help="With fewer invoices due in the window, a debtor gets the "
        '"not enough history" state instead of a grade.',
    )
    dunning_score_transfer_lag = fields.Integer(
        string="Transfer lag (days)",
        default=3,
        help="Days between the payment by the debtor and the money on the "
        "bank account, added to the predicted payment dates.",
    )
    dunning_score_half_life = fields.Integer(
        string="Recency half-life (days)",
        default=90,
        help="In the predicted payment dates, an invoice due this many days "
        "ago weighs half as much as one due today.",
    )
    dunning_score_grade_a = fields.Integer(
        string="Lowest score of grade A", default=T[0]
    )
    dunning_score_grade_b = fields.Integer(
        string="Lowest score of grade B", default=T[1]
    )
    dunning_score_grade_c = fields.Integer(
        string="Lowest score of grade C", default=T[2]
    )
    dunning_score_grade_d = fields.Integer(
        string="Lowest score of grade D", default=T[3]
    )
    dunning_score_w_days_late = fields.Integer(
        string="Weight: average days late", default=W["days_late"]
    )
    dunning_score_w_late_share = fields.Integer(
        string="Weight: share paid late", default=W["late_share"]
    )
    dunning_score_w_max_delay = fields.Integer(
        string="Weight: longest delay", default=W["max_delay"]
    )
    dunning_score_w_overdue_ratio = fields.Integer(
        string="Weight: overdue ratio", default=W["overdue_ratio"]
    )
    dunning_score_w_reminders = fields.Integer(
        string="Weight: reminders per invoice", default=W["reminders"]
    )
    dunning_score_w_disputes = fields.Integer(
        string="Weight: disputes", default=W["disputes"]
    )
    dunning_score_w_promises = fields.Integer(
        string="Weight: broken promises", default=W["promises"]
    )
    dunning_score_w_dso = fields.Integer(string="Weight: DSO", default=W["dso"])

    @api.constrains(
        "dunning_score_grade_a",
        "dunning_score_grade_b",
        "dunning_score_grade_c",
        "dunning_score_grade_d",
        "dunning_score_window_months",
    )
    def _check_dunning_score_settings(self):
        for company in self:
            thresholds = company._get_dunning_score_thresholds()
            if list(thresholds) != sorted(thresholds, reverse=True) or not all(
                0 <= value <= 100 for value in thresholds
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the lowest scores of the grades must go "
                        "down from A to D, between 0 and 100.",
                        company=company.display_name,
                    )
                )
            if company.dunning_score_window_months < 1:
                raise ValidationError(
                    self.env._("The scoring window is at least one month.")
                )

    def _get_dunning_score_thresholds(self):
        """Return the lowest scores of grades A, B, C and D."""
        self.ensure_one()
        return (
            self.dunning_score_grade_a,
            self.dunning_score_grade_b,
            self.dunning_score_grade_c,
            self.dunning_score_grade_d,
        )

    def _get_dunning_score_weights(self):
        """Return the dict factor key -> maximum points lost."""
        self.ensure_one()
        return {key: self[f"dunning_score_w_{key}"] for key in scoring.FACTORS}
