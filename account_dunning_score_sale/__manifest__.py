# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Customer Risk Score - Sales",
    "summary": "Check the credit rule of the customer's payment grade when a "
    "quotation is confirmed",
    "version": "18.0.2.1.0",
    "category": "Sales/Sales",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["account_dunning_score", "sale"],
    "data": [
        "views/sale_order_views.xml",
        "views/sale_order_collections_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
