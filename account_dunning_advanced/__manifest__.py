# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Advanced Dunning (Collections)",
    "summary": "Multi-level reminder scenarios, forced levels and contact roles "
    "to collect overdue customer invoices",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["account", "mail", "sms"],
    "data": [
        # Security
        "security/dunning_security.xml",
        "security/ir.model.access.csv",
        # Data
        "data/dunning_contact_role_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_acknowledgement_data.xml",
        "data/sms_template_data.xml",
        "data/mail_activity_type_data.xml",
        "data/dunning_dispute_data.xml",
        "data/dunning_message_rule_data.xml",
        "data/ir_cron_data.xml",
        "data/dunning_interest_rate_data.xml",
        "report/dunning_letter_report.xml",
        "report/dunning_statement_report.xml",
        # Wizards
        "wizards/dunning_force_level_views.xml",
        "wizards/dunning_statement_wizard_views.xml",
        "wizards/dunning_call_outcome_views.xml",
        # Views
        "views/dunning_contact_role_views.xml",
        "views/dunning_scenario_views.xml",
        "views/dunning_level_views.xml",
        "views/dunning_action_views.xml",
        "views/dunning_run_views.xml",
        "views/dunning_dispute_views.xml",
        "views/dunning_incoming_views.xml",
        "views/dunning_payment_plan_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/account_move_limitation_views.xml",
        "views/res_config_settings_views.xml",
        "report/dunning_receivable_report_views.xml",
        "report/dunning_forecast_report_views.xml",
        "views/dunning_dashboard_views.xml",
        "views/dunning_digest_subscription_views.xml",
        "data/dunning_digest_data.xml",
        "views/dunning_menus.xml",
        "views/dunning_interest_rate_views.xml",
        "wizards/dunning_penalty_invoice_views.xml",
    ],
    "demo": [
        "demo/dunning_scenario_demo.xml",
        "demo/dunning_demo_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_advanced/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
