# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Learning",
    "summary": "Learn from the company's own history: a reply classifier "
    "trained on its corrections, payment dates learned from its ledger",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["account_dunning_score"],
    "external_dependencies": {"python": ["scikit-learn"]},
    "data": [
        "security/ir.model.access.csv",
        "security/dunning_learn_security.xml",
        "data/ir_cron_data.xml",
        "views/dunning_reply_classifier_views.xml",
        "views/dunning_payment_model_views.xml",
    ],
    "demo": ["demo/dunning_reply_classifier_demo.xml"],
    "installable": True,
}
