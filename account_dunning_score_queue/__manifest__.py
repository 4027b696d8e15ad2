# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Customer Risk Score - Job Queue",
    "summary": "Compute the nightly payment scores as jobs, one per batch of "
    "debtors",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["account_dunning_queue", "account_dunning_score"],
    "data": ["data/queue_job_data.xml"],
    "installable": True,
    "auto_install": True,
}
