# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import kpi

#: How many months the report covers, the current one included.
MONTHS = 12
#: How far back the DSO counts the sales (``dunning.cockpit.figures``).
DSO_MONTHS = 24
#: What the DSO of a group reads of each of its rows (``_read_group``).
ROW_AGGREGATES = (
    "date:array_agg",
    "company_id:array_agg",
    "partner_id:array_agg",
    "amount_residual:array_agg",
)


class DunningReceivableMonth(models.Model):
    """Receivables month by month: one row per debtor and month end.

    For each of the last 12 months (the current one up to today), per
    company and debtor: the receivables open at the end of the month and
    their overdue part, rebuilt from the reconciliations dated after it as
    the cockpit does for last month (``dunning.cockpit.figures.
    _dunning_stocks_at``), and the sales of the month (invoices less credit
    notes). A debtor has a row for a month when it owed something at its
    end or bought something in the 24 months before: the sales the DSO
    counts back through.

    The DSO of a group of rows (a month, a collector's debtors...) is the
    cockpit's: :func:`engine.kpi.dso_count_back` of the group's receivables
    at its last month end over the sales of the group's debtors, month by
    month (see :meth:`_read_group`); a single row carries none.
    """

    _name = "dunning.receivable.month"
    _description = "Collections: receivables month by month"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, id"

    date = fields.Date(string="Month end", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    scenario_id = fields.Many2one("dunning.scenario", readonly=True)
    amount_residual = fields.Monetary(string="Receivables", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    sales_amount = fields.Monetary(string="Sales of the month", readonly=True)
    dso = fields.Float(
        string="DSO (days)",
        readonly=True,
        aggregator="max",
        digits=(16, 1),
        help="Days sales outstanding at the month end, by the count-back "
        "method (as on the cockpit), for the debtors of the group.",
    )

    @property
    def _table_query(self):
        """Return the SQL of the report (built at each query, for today)."""
        # Every receivable line times 12 month ends: without JIT (it cost
        # as long as the query on 40,000 invoices) and with the cockpit's
        # sort memory, for the rest of this read-only transaction.
        self.env["dunning.cockpit.figures"]._dunning_no_jit()
        today = fields.Date.context_today(self)
        current = today.replace(day=1)
        first = current - relativedelta(months=MONTHS - 1)
        Line = self.env["account.move.line"]
        return SQL(
            """
            WITH month AS (
                SELECT start::date AS month,
                       LEAST((start + interval '1 month - 1 day')::date,
                             %(today)s::date) AS date
                  FROM generate_series(%(first)s::date, %(current)s::date,
                                       interval '1 month') AS start
            ),
            part AS (
                -- The reconciliations after the first month end: what a
                -- line still owed then that it does not owe today.
                SELECT part.debit_move_id AS line_id, part.amount, part.max_date
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(first_end)s
                UNION ALL
                SELECT part.credit_move_id, -part.amount, part.max_date
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(first_end)s
            ),
            line_id AS (
                -- Open today (the open lines' index), or reconciled since
                -- the first month end: a union, not an OR over every line.
                SELECT aml.id
                  FROM account_move_line aml
                 WHERE %(collectible)s
                UNION
                SELECT line_id FROM part
            ),
            line AS (
                SELECT aml.id, aml.company_id, aml.date, aml.amount_residual,
                       line_partner.commercial_partner_id AS partner_id,
                       %(due)s AS due
                  FROM line_id
                  JOIN account_move_line aml ON aml.id = line_id.id
                  JOIN res_partner line_partner
                    ON line_partner.id = aml.partner_id
                 WHERE %(receivable)s
                   AND aml.date <= %(today)s
            ),
            line_stock AS (
                SELECT month.date, line.company_id, line.partner_id, line.due,
                       line.amount_residual + COALESCE(SUM(part.amount), 0)
                           AS residual
                  FROM month
                  JOIN line ON line.date <= month.date
                  LEFT JOIN part
                    ON part.line_id = line.id AND part.max_date > month.date
                 GROUP BY month.date, line.id, line.company_id, line.partner_id,
                          line.due, line.amount_residual
            ),
            stock AS (
                SELECT date, company_id, partner_id,
                       SUM(residual) AS residual,
                       COALESCE(SUM(residual)
                           FILTER (WHERE residual > 0 AND due < date), 0)
                           AS overdue
                  FROM line_stock
                 GROUP BY date, company_id, partner_id
                HAVING BOOL_OR(residual != 0)
            ),
            sale AS (
                SELECT am.company_id, am.commercial_partner_id AS partner_id,
                       date_trunc('month', am.date)::date AS month,
                       SUM(am.amount_total_signed) AS amount
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund')
                   AND am.state = 'posted'
                   AND am.date >= %(sales_first)s
                   AND am.date <= %(today)s
                 GROUP BY 1, 2, 3
            ),
            debtor AS (
                SELECT month.month, month.date, stock.company_id, stock.partner_id
                  FROM month
                  JOIN stock ON stock.date = month.date
                UNION
                SELECT month.month, month.date, sale.company_id, sale.partner_id
                  FROM month
                  JOIN sale ON sale.month <= month.month
                   AND sale.month > month.month - make_interval(months => %(window)s)
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY debtor.date, debtor.company_id, debtor.partner_id
                   ) AS id,
                   debtor.date,
                   debtor.company_id,
                   company.currency_id,
                   debtor.partner_id,
                   status.collector_id,
                   status.scenario_id,
                   COALESCE(stock.residual, 0) AS amount_residual,
                   COALESCE(stock.overdue, 0) AS overdue_amount,
                   COALESCE(sale.amount, 0) AS sales_amount,
                   NULL::float AS dso
              FROM debtor
              JOIN res_company company ON company.id = debtor.company_id
              LEFT JOIN stock
                ON stock.date = debtor.date
               AND stock.company_id = debtor.company_id
               AND stock.partner_id = debtor.partner_id
              LEFT JOIN sale
                ON sale.month = debtor.month
               AND sale.company_id = debtor.company_id
               AND sale.partner_id = debtor.partner_id
              %(status)s
            """,
            today=today,
            first=first,
            current=current,
            first_end=first + relativedelta(months=1, days=-1),
            sales_first=first - relativedelta(months=DSO_MONTHS - 1),
            window=DSO_MONTHS,
            due=Line._dunning_due_date_sql("aml"),
            receivable=Line._dunning_receivable_sql("aml"),
            collectible=Line._dunning_collectible_sql("aml"),
            status=self.env["dunning.debtor.status"]._dunning_join_sql(
                SQL("debtor.partner_id"), SQL("debtor.company_id")
            ),
        )

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        """Compute the ``dso`` aggregate of each group (count-back).

        The DSO does not add up over debtors nor months: each group's is
        :func:`engine.kpi.dso_count_back` of its receivables at its last
        month end over the monthly sales of its debtors then
        (:meth:`_dunning_groups_dso`), whatever the aggregate asked.
        """
        dso_specs = {spec for spec in aggregates if spec.split(":")[0] == "dso"}
        if not dso_specs:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        others = [spec for spec in aggregates if spec not in dso_specs]
        if order and "dso" in order:
            order = None
        # The rows of each group in the same query (one evaluation of the
        # view): their month end, company, debtor and receivables.
        rows = super()._read_group(
            domain,
            groupby,
            [*others, *ROW_AGGREGATES],
            having,
            offset,
            limit,
            order,
        )
        width, extra = len(groupby), len(ROW_AGGREGATES)
        dsos = self._dunning_groups_dso(
            [list(zip(*row[-extra:], strict=True)) for row in rows]
        )
        result = []
        for row, dso in zip(rows, dsos, strict=True):
            values = iter(row[width:-extra])
            result.append(
                (
                    *row[:width],
                    *(
                        dso if spec in dso_specs else next(values)
                        for spec in aggregates
                    ),
                )
            )
        return result

    @api.model
    def _dunning_groups_dso(self, groups):
        """Return the DSO of each group of rows, in order.

        :param groups: lists of ``(month end, company id, debtor id,
            receivables)``, the rows of each group.

        One query whatever the number of groups: the monthly sales of the
        rows' debtors over the 24 months the DSO counts back through (as
        ``dunning.cockpit.figures._dunning_sales_covering``).
        """
        rows = [row for group in groups for row in group]
        sales = defaultdict(float)
        if rows:
            oldest = min(row[0] for row in rows).replace(day=1) - relativedelta(
                months=DSO_MONTHS - 1
            )
            for company_id, partner_id, month, amount in self.env.execute_query(
                SQL(
                    """
                    SELECT am.company_id, am.commercial_partner_id,
                           date_trunc('month', am.date)::date,
                           SUM(am.amount_total_signed)
                      FROM account_move am
                     WHERE am.move_type IN ('out_invoice', 'out_refund')
                       AND am.state = 'posted'
                       AND am.company_id = ANY(%s)
                       AND am.commercial_partner_id = ANY(%s)
                       AND am.date >= %s AND am.date <= %s
                     GROUP BY 1, 2, 3
                    """,
                    list({row[1] for row in rows}),
                    list({row[2] for row in rows}),
                    oldest,
                    max(row[0] for row in rows),
                )
            ):
                sales[company_id, partner_id, month] += amount
        Figures = self.env["dunning.cockpit.figures"]
        result = []
        for group in groups:
            if not group:
                result.append(0.0)
                continue
            end = max(row[0] for row in group)
            at_end = [row for row in group if row[0] == end]
            debtors = {(row[1], row[2]) for row in at_end}
            monthly = defaultdict(float)
            for (company_id, partner_id, month), amount in sales.items():
                if (company_id, partner_id) in debtors:
                    monthly[month] += amount
            result.append(
                kpi.dso_count_back(
                    sum(row[3] or 0.0 for row in at_end),
                    Figures._monthly_sales(monthly, end, months=DSO_MONTHS),
                )
            )
        return result
