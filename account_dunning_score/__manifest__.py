# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Customer Risk Score",
    "summary": "Payment behaviour scores and grades, credit rules by grade and "
    "predicted payment dates",
    "version": "18.0.2.2.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": [
        "account_dunning_advanced",
    ],
    "data": [
        # Security
        "security/dunning_score_security.xml",
        "security/ir.model.access.csv",
        # Data
        "data/dunning_score_grade_data.xml",
        "data/ir_cron_data.xml",
        # Views
        "views/dunning_partner_score_views.xml",
        "views/dunning_partner_score_history_views.xml",
        "views/dunning_credit_rule_views.xml",
        "views/dunning_scenario_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/dunning_receivable_report_views.xml",
        "views/dunning_dashboard_views.xml",
        "views/dunning_score_menus.xml",
        "wizards/dunning_hold_override_views.xml",
        "views/res_config_settings_privacy_views.xml",
        "views/dunning_data_issue_views.xml",
        "views/res_partner_roles_views.xml",
        "views/dunning_action_grade_views.xml",
        "views/res_partner_debtor_grade_views.xml",
    ],
    "demo": ["demo/dunning_score_demo.xml"],
    "installable": True,
}
