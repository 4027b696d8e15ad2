# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Online Payment",
    "summary": "Let customers pay overdue invoices online from dunning letters",
    "version": "18.0.2.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": [
        "account_dunning_advanced",
        "portal",
        "payment",
        "account_payment",
        "account_qr_code_sepa",
    ],
    "data": [
        "security/dunning_payment_security.xml",
        "security/ir.model.access.csv",
        "views/collections_templates.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/collections_contact_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_payment/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
