# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_score_window_months = fields.Integer(
        related="company_id.dunning_score_window_months", readonly=False
    )
    dunning_score_min_invoices = fields.Integer(
        related="company_id.dunning_score_min_invoices", readonly=False
    )
    dunning_score_transfer_lag = fields.Integer(
        related="company_id.dunning_score_transfer_lag", readonly=False
    )
    dunning_score_half_life = fields.Integer(
        related="company_id.dunning_score_half_life", readonly=False
    )
    dunning_score_grade_a = fields.Integer(
        related="company_id.dunning_score_grade_a", readonly=False
    )
    dunning_score_grade_b = fields.Integer(
        related="company_id.dunning_score_grade_b", readonly=False
    )
    dunning_score_grade_c = fields.Integer(
        related="company_id.dunning_score_grade_c", readonly=False
    )
    dunning_score_grade_d = fields.Integer(
        related="company_id.dunning_score_grade_d", readonly=False
    )
    dunning_score_w_days_late = fields.Integer(
        related="company_id.dunning_score_w_days_late", readonly=False
    )
    dunning_score_w_late_share = fields.Integer(
        related="company_id.dunning_score_w_late_share", readonly=False
    )
    dunning_score_w_max_delay = fields.Integer(
        related="company_id.dunning_score_w_max_delay", readonly=False
    )
    dunning_score_w_overdue_ratio = fields.Integer(
        related="company_id.dunning_score_w_overdue_ratio", readonly=False
    )
    dunning_score_w_reminders = fields.Integer(
        related="company_id.dunning_score_w_reminders", readonly=False
    )
    dunning_score_w_disputes = fields.Integer(
        related="company_id.dunning_score_w_disputes", readonly=False
    )
    dunning_score_w_promises = fields.Integer(
        related="company_id.dunning_score_w_promises", readonly=False
    )
    dunning_score_w_dso = fields.Integer(
        related="company_id.dunning_score_w_dso", readonly=False
    )

    def action_dunning_compute_scores(self):
        """Recompute the payment scores of the current company now."""
        return self.env["dunning.partner.score"].action_compute_scores()
