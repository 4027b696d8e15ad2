# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""post-migrate: store the month-end figures (``dunning.month.end``) of the
closed months of the month by month report, as a fresh install does: the
dashboard and the cockpit read them from the first day, not the next
night."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if version:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["dunning.month.end"]._dunning_store_missing()
