# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""post-migrate: install the Collections dashboard on existing databases.

``account_dunning_spreadsheet_dashboard`` is auto-installed with the
dashboards app, but ``auto_install`` only plays when a module is installed:
a database that had the dashboards app before the addon existed would never
get it. As Odoo's own upgrade scripts do (``force_install_module``), mark it
``to install`` when, like ``auto_install``, all its dependencies are
installed: ``-u`` then installs it in the same run (``load_modules`` loads
the modules marked ``to install`` after those it upgrades).

The month-end figures (``dunning.month.end``) are not stored here: on a large
ledger it takes minutes per month end; the nightly job stores them, the
reports rebuild the month ends not stored yet live until then.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

DASHBOARD = "account_dunning_spreadsheet_dashboard"
INSTALLED = {"installed", "to install", "to upgrade"}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    dashboard = env["ir.module.module"].search(
        [("name", "=", DASHBOARD), ("state", "=", "uninstalled")]
    )
    if not dashboard:
        return
    missing = dashboard.dependencies_id.filtered(lambda dep: dep.state not in INSTALLED)
    if missing:
        _logger.info(
            "%s not installed: %s not installed",
            DASHBOARD,
            ", ".join(missing.mapped("name")),
        )
        return
    _logger.info("%s marked to install (the Collections dashboard)", DASHBOARD)
    dashboard.button_install()
