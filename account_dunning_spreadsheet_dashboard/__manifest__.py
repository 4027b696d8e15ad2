# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Collections Dashboard",
    "summary": "A Collections dashboard in the Dashboards app: ageing, overdue "
    "and DSO by month, cash-in forecast, cash collected, top debtors",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": [
        "spreadsheet_dashboard",
        "account_dunning_advanced",
        "account_dunning_score",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "account_dunning_spreadsheet_dashboard/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "auto_install": True,
}
