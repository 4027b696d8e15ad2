# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL views of the reports (``_auto = False`` models)."""

from odoo import tools
from odoo.tools import SQL


def create_sql_view(model, query):
    """(Re)create the view of ``model`` (its ``init``) as ``query`` (SQL)."""
    tools.drop_view_if_exists(model.env.cr, model._table)
    model.env.cr.execute(
        SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)",
            SQL.identifier(model._table),
            query,
        )
    )
