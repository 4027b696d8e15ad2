# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL views of the reports (``_auto = False`` models)."""

from odoo import tools
from odoo.tools import SQL


def create_sql_view(model):
    """(Re)create the view of ``model`` (its ``init``) as its ``_query()``.

    The query is built with the context key ``dunning_sql_view``: a
    definition that would otherwise read values once for a runtime query
    (the receivable accounts of
    ``account.move.line._dunning_receivable_domain``) keeps them as a
    subquery, evaluated each time the view is read.
    """
    query = model.with_context(dunning_sql_view=True)._query()
    tools.drop_view_if_exists(model.env.cr, model._table)
    model.env.cr.execute(
        SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)",
            SQL.identifier(model._table),
            query,
        )
    )
