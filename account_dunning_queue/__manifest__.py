# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Dunning: Job Queue",
    "summary": "Run the collections run and the digests as jobs of OCA's "
    "queue_job, spread over many workers and servers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/dunning-advanced/odoo-collections",
    "author": "Dunning Advanced Contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": [
        "account_dunning_advanced",
        "queue_job",
    ],
    "data": [
        "data/queue_job_data.xml",
        "views/dunning_run_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
