# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pre-migrate: the receivables analysis and the cash-in forecast are no
longer stored SQL views but queries built at each read (``_table_query``):
drop the old views (account_dunning_score's grade column was part of the
receivables analysis' view, dropped with it)."""


def migrate(cr, version):
    if version:
        cr.execute("DROP VIEW IF EXISTS dunning_receivable_report CASCADE")
        cr.execute("DROP VIEW IF EXISTS dunning_forecast_report CASCADE")
