# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import format_date, formatLang

from ..engine import penalties


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_terms_max_days = fields.Integer(
        related="company_id.dunning_terms_max_days", readonly=False
    )
    dunning_terms_max_eom_days = fields.Integer(
        related="company_id.dunning_terms_max_eom_days", readonly=False
    )
    dunning_forecast_method = fields.Selection(
        related="company_id.dunning_forecast_method", readonly=False
    )
    dunning_forecast_method_summary = fields.Char(
        string="Forecast method in use",
        compute="_compute_dunning_forecast_method_summary",
    )
    dunning_tolerance = fields.Monetary(
        related="company_id.dunning_tolerance", readonly=False
    )
    dunning_penalty_mode = fields.Selection(
        related="company_id.dunning_penalty_mode", readonly=False, required=True
    )
    dunning_penalty_rate = fields.Float(
        related="company_id.dunning_penalty_rate", readonly=False
    )
    dunning_indemnity_enabled = fields.Boolean(
        related="company_id.dunning_indemnity_enabled", readonly=False
    )
    dunning_indemnity_amount = fields.Monetary(
        related="company_id.dunning_indemnity_amount",
        currency_field="dunning_indemnity_currency_id",
        readonly=False,
    )
    dunning_indemnity_currency_id = fields.Many2one(
        related="company_id.dunning_indemnity_currency_id", readonly=False
    )
    dunning_penalty_product_id = fields.Many2one(
        related="company_id.dunning_penalty_product_id", readonly=False
    )
    dunning_penalty_account_id = fields.Many2one(
        related="company_id.dunning_penalty_account_id", readonly=False
    )
    dunning_indemnity_account_id = fields.Many2one(
        related="company_id.dunning_indemnity_account_id", readonly=False
    )
    dunning_doubtful_account_id = fields.Many2one(
        related="company_id.dunning_doubtful_account_id", readonly=False
    )
    dunning_provision_expense_account_id = fields.Many2one(
        related="company_id.dunning_provision_expense_account_id", readonly=False
    )
    dunning_provision_account_id = fields.Many2one(
        related="company_id.dunning_provision_account_id", readonly=False
    )
    dunning_provision_reversal_account_id = fields.Many2one(
        related="company_id.dunning_provision_reversal_account_id", readonly=False
    )
    dunning_bad_debt_account_id = fields.Many2one(
        related="company_id.dunning_bad_debt_account_id", readonly=False
    )
    dunning_bad_debt_recovery_account_id = fields.Many2one(
        related="company_id.dunning_bad_debt_recovery_account_id", readonly=False
    )
    dunning_doubtful_journal_id = fields.Many2one(
        related="company_id.dunning_doubtful_journal_id", readonly=False
    )
    dunning_rate_warning = fields.Char(
        string="Rate table warning", compute="_compute_dunning_penalty_warnings"
    )
    dunning_floor_warning = fields.Char(
        string="Contractual floor warning",
        compute="_compute_dunning_penalty_warnings",
    )

    @api.depends("company_id")
    def _compute_dunning_forecast_method_summary(self):
        # The settings are an administrator's, who may lack the collections
        # rights: the line of the company's own back-test only.
        Report = self.env["dunning.forecast.report"].sudo()
        for settings in self:
            company = settings.company_id
            settings.dunning_forecast_method_summary = (
                Report._dunning_forecast_method(company)["summary"]
                if company
                else False
            )

    @api.depends("dunning_penalty_mode", "dunning_penalty_rate")
    def _compute_dunning_penalty_warnings(self):
        Rate = self.env["dunning.interest.rate"]
        today = self.env["account.move"]._dunning_date()
        rate_warning = Rate._get_outdated_message(today)
        period, _stale = Rate._get_rate_table().period_for(today)
        for settings in self:
            settings.dunning_rate_warning = (
                rate_warning if settings.dunning_penalty_mode != "none" else False
            )
            settings.dunning_floor_warning = False
            if settings.dunning_penalty_mode != "contractual" or not period:
                continue
            rate, floored = penalties.applicable_rate(
                period, "contractual", settings.dunning_penalty_rate
            )
            if floored:
                settings.dunning_floor_warning = self.env._(
                    "%(rate)s %% is below the legal floor of the half-year of "
                    "%(date)s: 3 x %(legal)s %% = %(floor)s %% applies.",
                    rate=formatLang(self.env, settings.dunning_penalty_rate, digits=2),
                    date=format_date(self.env, period.date_from),
                    legal=formatLang(self.env, float(period.legal_rate), digits=2),
                    floor=formatLang(self.env, float(rate), digits=2),
                )

    dunning_setup_issues = fields.Html(
        string="Collections setup: what is missing",
        compute="_compute_dunning_setup_issues",
        sanitize=False,
    )

    @api.depends("company_id")
    def _compute_dunning_setup_issues(self):
        for settings in self:
            settings.dunning_setup_issues = (
                settings.company_id._dunning_setup_issues_html() or False
            )

    def action_dunning_interest_rates(self):
        """Open the table of the late-payment reference rates."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_interest_rate_action"
        )

    dunning_effect_promise = fields.Boolean(
        related="company_id.dunning_effect_promise", readonly=False
    )
    dunning_effect_dispute = fields.Boolean(
        related="company_id.dunning_effect_dispute", readonly=False
    )
    dunning_effect_out_of_office = fields.Boolean(
        related="company_id.dunning_effect_out_of_office", readonly=False
    )
    dunning_effect_copy_request = fields.Boolean(
        related="company_id.dunning_effect_copy_request", readonly=False
    )
    dunning_trust_authenticated = fields.Boolean(
        related="company_id.dunning_trust_authenticated", readonly=False
    )
    dunning_authserv_id = fields.Char(
        related="company_id.dunning_authserv_id", readonly=False
    )
    dunning_promise_max_days = fields.Integer(
        related="company_id.dunning_promise_max_days", readonly=False
    )
    dunning_allow_auto_formal_notice = fields.Boolean(
        related="company_id.dunning_allow_auto_formal_notice", readonly=False
    )
    dunning_send_hour_start = fields.Float(
        related="company_id.dunning_send_hour_start", readonly=False
    )
    dunning_send_hour_end = fields.Float(
        related="company_id.dunning_send_hour_end", readonly=False
    )
    dunning_send_tz = fields.Selection(
        related="company_id.dunning_send_tz", readonly=False
    )
