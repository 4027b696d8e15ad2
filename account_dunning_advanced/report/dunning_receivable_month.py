# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import kpi
from ..models.cockpit.dunning_month_end import DSO_MONTHS, month_ends

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
    their overdue part, and the sales of the month (invoices less credit
    notes): the month-end figures (``dunning.month.end``), stored each
    night for the closed months, rebuilt live for the month under way. A
    debtor has a row for a month when it owed something at its end or
    bought something in the 24 months before: the sales the DSO counts back
    through.

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
        """Return the SQL of the report (built at each query, for today).

        The closed month ends stored by the nightly job
        (``dunning.month.end``) are read from their table; the month under
        way and a month end not stored (yet, or again after a change dated
        in it, see ``dunning.month.end``) are rebuilt live by the same
        definition (:meth:`dunning.month.end._dunning_month_end_sql`).
        """
        MonthEnd = self.env["dunning.month.end"]
        today = fields.Date.context_today(self)
        months = month_ends(today)
        closed = [date for _month, date in months[:-1]]
        # The month ends stored for every company: the others live.
        company_count = self.env.execute_query(SQL("SELECT count(*) FROM res_company"))[
            0
        ][0]
        complete = {
            date
            for (date,) in self.env.execute_query(
                SQL(
                    """
                    SELECT date FROM dunning_month_end_snapshot
                     WHERE date = ANY(%s)
                     GROUP BY date HAVING count(*) >= %s
                    """,
                    closed,
                    company_count,
                )
            )
        }
        live = [(month, date) for month, date in months if date not in complete]
        # The open lines times the month ends rebuilt: without JIT (it cost
        # as long as the query on 40,000 invoices) and with the cockpit's
        # sort memory, for the rest of this read-only transaction.
        self.env["dunning.cockpit.figures"]._dunning_no_jit()
        return SQL(
            """
            WITH figure AS (
                SELECT stored.id, stored.date, stored.company_id,
                       stored.partner_id,
                       stored.amount_residual, stored.overdue_amount,
                       stored.sales_amount
                  FROM dunning_month_end stored
                  JOIN dunning_month_end_snapshot snap
                    ON snap.company_id = stored.company_id
                   AND snap.date = stored.date
                 WHERE stored.date = ANY(%(closed)s)
                UNION ALL
                -- Negative ids: never those of the stored rows.
                SELECT -ROW_NUMBER() OVER (
                           ORDER BY live.date, live.company_id, live.partner_id
                       ),
                       live.date, live.company_id, live.partner_id,
                       live.amount_residual, live.overdue_amount,
                       live.sales_amount
                  FROM (%(live)s) live
                 WHERE NOT EXISTS (
                        SELECT 1 FROM dunning_month_end_snapshot snap
                         WHERE snap.company_id = live.company_id
                           AND snap.date = live.date)
            )
            SELECT figure.id,
                   figure.date,
                   figure.company_id,
                   company.currency_id,
                   figure.partner_id,
                   status.collector_id,
                   status.scenario_id,
                   figure.amount_residual,
                   figure.overdue_amount,
                   figure.sales_amount,
                   NULL::float AS dso
              FROM figure
              JOIN res_company company ON company.id = figure.company_id
              %(status)s
            """,
            closed=closed,
            # Never empty: the month under way is always rebuilt live.
            live=MonthEnd._dunning_month_end_sql(live),
            status=self.env["dunning.debtor.status"]._dunning_join_sql(
                SQL("figure.partner_id"), SQL("figure.company_id")
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
