# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

from ..engine import ageing as buckets


class DunningReceivableReport(models.Model):
    """Receivables analysis: one row per open receivable line (a query).

    The collector and the scenario are those the planner resolved for the
    debtor (``dunning.debtor.status``: forced scenario, assignment rules,
    default scenario), the level the one of the last done reminder of the
    line (:meth:`dunning.planner._reached_level_sql`): the debtor's form shows
    the same.
    """

    _name = "dunning.receivable.report"
    _description = "Collections receivables analysis"
    _auto = False
    _rec_name = "move_id"
    _order = "days_late desc, id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    scenario_id = fields.Many2one("dunning.scenario", readonly=True)
    level_id = fields.Many2one("dunning.level", string="Current level", readonly=True)
    level_date = fields.Date(string="Level reached on", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    ageing = fields.Selection(buckets.selection(), readonly=True)
    amount_residual = fields.Monetary(string="Open amount", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    at_risk_amount = fields.Monetary(
        string="At risk", readonly=True, help="Open amount more than 90 days late."
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    is_at_risk = fields.Boolean(string="At risk (90+)", readonly=True)

    def _select(self):
        """Return the SELECT list of the view as SQL (extend it in other addons)."""
        due = self.env["account.move.line"]._dunning_due_date_sql("aml")
        days = SQL("(CURRENT_DATE - %s)", due)
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.move_id AS move_id,
                   aml.company_id AS company_id,
                   company.currency_id AS currency_id,
                   line_partner.commercial_partner_id AS partner_id,
                   status.collector_id AS collector_id,
                   status.scenario_id AS scenario_id,
                   last.level_id AS level_id,
                   last.date AS level_date,
                   aml.invoice_date AS invoice_date,
                   %(due)s AS date_due,
                   GREATEST(%(days)s, 0) AS days_late,
                   %(ageing)s AS ageing,
                   aml.amount_residual AS amount_residual,
                   CASE WHEN aml.amount_residual > 0 AND %(due)s < CURRENT_DATE
                        THEN aml.amount_residual ELSE 0 END AS overdue_amount,
                   CASE WHEN aml.amount_residual > 0 AND %(days)s > 90
                        THEN aml.amount_residual ELSE 0 END AS at_risk_amount,
                   (aml.amount_residual > 0 AND %(due)s < CURRENT_DATE)
                       AS is_overdue,
                   (aml.amount_residual > 0 AND %(days)s > 90) AS is_at_risk
            """,
            due=due,
            days=days,
            ageing=buckets.case_sql(days),
        )

    def _from(self):
        """Return the FROM clause of the view as SQL (extend it in other addons).

        The debtor's scenario and collector: the stored resolution of the
        planner (``dunning.debtor.status``); the line's level: the planner's
        :meth:`dunning.planner._reached_levels_sql`, joined by line.

        The line's partner (``line_partner``), the invoice (``am``), the
        company and the debtor (``partner``) are LEFT JOINs on their primary
        keys (every line with a partner has them; :meth:`_where` keeps those
        lines only): the same rows as inner joins, and PostgreSQL drops those
        a query does not read (the totals and the ageing read the line only:
        at 100,000 open lines the inner join of the line's partner was half
        of the ageing's time, probed once per line). Other addons join on
        ``partner.id`` or ``am.id`` as before.
        """
        return SQL(
            """
            FROM account_move_line aml
            LEFT JOIN res_partner line_partner ON line_partner.id = aml.partner_id
            LEFT JOIN account_move am ON am.id = aml.move_id
            LEFT JOIN res_company company ON company.id = aml.company_id
            LEFT JOIN res_partner partner
                ON partner.id = line_partner.commercial_partner_id
            %(status)s
            LEFT JOIN %(reached)s last ON last.move_line_id = aml.id
            """,
            status=self.env["dunning.debtor.status"]._dunning_join_sql(
                SQL("line_partner.commercial_partner_id"), SQL("aml.company_id")
            ),
            reached=self.env["dunning.planner"]._reached_levels_sql(),
        )

    def _where(self):
        """Return the WHERE clause of the view as SQL: open receivable lines
        with a partner (the debtor)."""
        return SQL(
            "WHERE %s AND aml.partner_id IS NOT NULL",
            self.env["account.move.line"]._dunning_collectible_sql("aml"),
        )

    @property
    def _table_query(self):
        """Return the SQL of the analysis: ``_select``, ``_from``, ``_where``.

        Built at each query (no stored view): the receivable accounts are
        read first and passed as their ids, so PostgreSQL estimates the
        open lines from its statistics (see
        ``account.move.line._dunning_receivable_domain``). Raw SQL reads it
        as ``FROM %s report`` with :attr:`_table_sql`.
        """
        return SQL("%s %s %s", self._select(), self._from(), self._where())
