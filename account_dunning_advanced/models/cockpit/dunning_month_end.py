# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The month-end figures per debtor, stored by the nightly job."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)

#: How many months the month by month report covers, the current one included
#: (``dunning.receivable.month``): the closed month ends before it are stored.
MONTHS = 12
#: How far back the DSO counts the sales: a debtor who bought in these months
#: has a row at a month end, even with nothing owed (its sales count).
DSO_MONTHS = 24


def month_ends(today, months=MONTHS):
    """Return ``[(first day, month end)]`` of the ``months`` months up to
    ``today``'s, oldest first; the current month ends ``today``."""
    current = today.replace(day=1)
    result = []
    for index in range(months - 1, -1, -1):
        start = current - relativedelta(months=index)
        result.append((start, min(start + relativedelta(months=1, days=-1), today)))
    return result


class DunningMonthEnd(models.Model):
    """Receivables, overdue, at risk and sales of a debtor at a month end.

    One row per company, debtor and closed month end, written set-based by
    the nightly job (:meth:`_cron_store_month_ends`) from the one definition
    of the month-end figures, :meth:`_dunning_month_end_sql`; a month end of
    a company is stored when its ``dunning.month.end.snapshot`` exists.
    The month by month report (``dunning.receivable.month``) and the
    cockpit's trends (stocks at the end of last month, sales of the DSO)
    read the stored month ends and rebuild live the others (the current
    month, a month end not stored yet).

    A closed month end changes when an entry dated in it or before is
    posted or cancelled, a reconciliation dated in it or before is made or
    undone, or a receivable line's due date, debtor or account changes: the
    snapshots of that company from that date on are then dropped (:meth:
    `_dunning_invalidate`; the figures are rebuilt live until the next night
    stores them again). Writes outside the ORM are not seen: the nightly job
    re-stores the last closed month end every night anyway.
    """

    _name = "dunning.month.end"
    _description = "Collections: month-end figures of a debtor"
    _order = "date desc, company_id, partner_id"
    _rec_name = "partner_id"

    date = fields.Date(string="Month end", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, readonly=True, ondelete="cascade"
    )
    amount_residual = fields.Monetary(string="Receivables", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    at_risk_amount = fields.Monetary(string="At risk (90+)", readonly=True)
    late_amount = fields.Float(
        string="Overdue x days late",
        readonly=True,
        help="The overdue amounts times their days late at the month end: "
        "divided by the overdue amount, the average days delinquent.",
    )
    sales_amount = fields.Monetary(string="Sales of the month", readonly=True)

    def init(self):
        create_index(
            self.env.cr,
            "dunning_month_end_company_date_partner_idx",
            self._table,
            ["company_id", "date", "partner_id"],
        )

    @api.model
    def _dunning_month_end_sql(self, months, companies=None, stock_only=False):
        """Return the SQL of the month-end figures: THE definition.

        :param months: ``[(first day of the month, date)]``: the dates
            (month ends, or today for the month under way) to compute.
        :param companies: restrict to these companies (None: all).
        :param stock_only: only the debtors who owed something at the date
            (the cockpit's stocks), without the sales.

        Rows ``date, month, company_id, partner_id, amount_residual,
        overdue_amount, at_risk_amount, late_amount, sales_amount``: for each
        date, per company and debtor (commercial partner), the receivables
        open then, rebuilt from the receivable lines dated up to then that
        are open today or were reconciled after it (their open amount today
        plus the partial reconciliations dated after the date), their
        overdue part (due before the date), at-risk part (more than 90 days
        late) and overdue amount times days late; and the sales of the
        month (invoices less credit notes, posted). A debtor has a row for
        a date when it owed something then or bought something in the
        :data:`DSO_MONTHS` months up to it (the sales the DSO counts back).
        """
        Line = self.env["account.move.line"]
        first_end = min(date for _month, date in months)
        last = max(date for _month, date in months)
        company_ids = companies.ids if companies is not None else None
        company_moves = (
            SQL("am.company_id = ANY(%s)", company_ids)
            if company_ids is not None
            else SQL("TRUE")
        )
        ctes = SQL(
            """
            month AS (
                SELECT *
                  FROM unnest(%(starts)s::date[], %(dates)s::date[])
                       AS month(month, date)
            ),
            part AS (
                -- The reconciliations after the first date: what a line
                -- still owed then that it does not owe today.
                SELECT part.debit_move_id AS line_id, part.amount, part.max_date
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(first_end)s
                UNION ALL
                SELECT part.credit_move_id, -part.amount, part.max_date
                  FROM account_partial_reconcile part
                 WHERE part.max_date > %(first_end)s
            ),
            later AS (
                -- What each line had still to be reconciled at each date:
                -- a few rows (the lines reconciled since the first date),
                -- summed per line and date before meeting the open lines.
                SELECT part.line_id, month.date, SUM(part.amount) AS amount
                  FROM part
                  JOIN month ON part.max_date > month.date
                 GROUP BY part.line_id, month.date
            ),
            line_id AS (
                -- Open today (the open lines' index), or reconciled since
                -- the first date: a union, not an OR over every line.
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
                   AND aml.date <= %(last)s
            ),
            line_stock AS (
                SELECT month.date, line.company_id, line.partner_id, line.due,
                       line.amount_residual + COALESCE(later.amount, 0)
                           AS residual
                  FROM month
                  JOIN line ON line.date <= month.date
                  LEFT JOIN later
                    ON later.line_id = line.id AND later.date = month.date
            ),
            stock AS (
                SELECT date, company_id, partner_id,
                       SUM(residual) AS residual,
                       COALESCE(SUM(residual)
                           FILTER (WHERE residual > 0 AND due < date), 0)
                           AS overdue,
                       COALESCE(SUM(residual)
                           FILTER (WHERE residual > 0 AND date - due > 90), 0)
                           AS at_risk,
                       COALESCE(SUM(residual * (date - due))
                           FILTER (WHERE residual > 0 AND due < date), 0)
                           AS late
                  FROM line_stock
                 GROUP BY date, company_id, partner_id
                HAVING BOOL_OR(residual != 0)
            )
            """,
            starts=[month for month, _date in months],
            dates=[date for _month, date in months],
            first_end=first_end,
            last=last,
            due=Line._dunning_due_date_sql("aml"),
            receivable=Line._dunning_receivable_sql("aml", companies),
            collectible=Line._dunning_collectible_sql("aml", companies),
        )
        if stock_only:
            return SQL(
                """
                WITH %(ctes)s
                SELECT stock.date, month.month, stock.company_id,
                       stock.partner_id,
                       stock.residual AS amount_residual,
                       stock.overdue AS overdue_amount,
                       stock.at_risk AS at_risk_amount,
                       stock.late AS late_amount,
                       0.0 AS sales_amount
                  FROM stock
                  JOIN month ON month.date = stock.date
                """,
                ctes=ctes,
            )
        return SQL(
            """
            WITH %(ctes)s,
            sale AS (
                SELECT am.company_id, am.commercial_partner_id AS partner_id,
                       date_trunc('month', am.date)::date AS month,
                       SUM(am.amount_total_signed) AS amount
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund')
                   AND am.state = 'posted'
                   AND am.date >= %(sales_first)s
                   AND am.date <= %(last)s
                   AND %(company_moves)s
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
            SELECT debtor.date, debtor.month, debtor.company_id, debtor.partner_id,
                   COALESCE(stock.residual, 0) AS amount_residual,
                   COALESCE(stock.overdue, 0) AS overdue_amount,
                   COALESCE(stock.at_risk, 0) AS at_risk_amount,
                   COALESCE(stock.late, 0) AS late_amount,
                   COALESCE(sale.amount, 0) AS sales_amount
              FROM debtor
              LEFT JOIN stock
                ON stock.date = debtor.date
               AND stock.company_id = debtor.company_id
               AND stock.partner_id = debtor.partner_id
              LEFT JOIN sale
                ON sale.month = debtor.month
               AND sale.company_id = debtor.company_id
               AND sale.partner_id = debtor.partner_id
            """,
            ctes=ctes,
            sales_first=min(month for month, _date in months)
            - relativedelta(months=DSO_MONTHS - 1),
            last=last,
            company_moves=company_moves,
            window=DSO_MONTHS,
        )

    @api.model
    def _dunning_stored_dates(self, company, dates):
        """Return the set of ``dates`` stored for ``company``."""
        if not dates:
            return set()
        rows = self.env.execute_query(
            SQL(
                "SELECT date FROM dunning_month_end_snapshot "
                "WHERE company_id = %s AND date = ANY(%s)",
                company.id,
                list(dates),
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _dunning_store(self, companies, date):
        """Store the figures of the month ending ``date`` of ``companies``.

        Set-based: the month end's rows deleted, the definition's rows
        inserted (``INSERT ... SELECT``), the snapshots written.
        """
        if not companies:
            return
        self.env["dunning.cockpit.figures"]._dunning_no_jit()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM dunning_month_end WHERE company_id = ANY(%s) "
                "AND date = %s",
                companies.ids,
                date,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO dunning_month_end (
                    date, company_id, currency_id, partner_id, amount_residual,
                    overdue_amount, at_risk_amount, late_amount, sales_amount,
                    create_uid, write_uid, create_date, write_date)
                SELECT figure.date, figure.company_id, company.currency_id,
                       figure.partner_id, figure.amount_residual,
                       figure.overdue_amount, figure.at_risk_amount,
                       figure.late_amount, figure.sales_amount,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM (%(figures)s) figure
                  JOIN res_company company ON company.id = figure.company_id
                """,
                uid=self.env.uid,
                figures=self._dunning_month_end_sql(
                    [(date.replace(day=1), date)], companies
                ),
            )
        )
        rows = cr.rowcount
        cr.execute(
            SQL(
                """
                INSERT INTO dunning_month_end_snapshot (
                    company_id, date, computed_at, create_uid, write_uid,
                    create_date, write_date)
                SELECT company_id, %(date)s, now() AT TIME ZONE 'UTC', %(uid)s,
                       %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM unnest(%(companies)s::int[]) AS company_id
                ON CONFLICT (company_id, date) DO UPDATE
                   SET computed_at = EXCLUDED.computed_at,
                       write_date = EXCLUDED.write_date,
                       write_uid = EXCLUDED.write_uid
                """,
                date=date,
                uid=self.env.uid,
                companies=companies.ids,
            )
        )
        self.env.invalidate_all()
        _logger.info(
            "Collections: month end %s stored for %s companies (%s rows)",
            date,
            len(companies),
            rows,
        )

    @api.model
    def _dunning_store_missing(self, today=None, restore_last=True):
        """Store the closed month ends of the report not stored yet.

        The :data:`MONTHS` months up to ``today``'s, less the month under
        way; with ``restore_last``, the last closed month end is stored
        again even if stored (writes outside the ORM, see the class). One
        ``INSERT ... SELECT`` per month end, for the companies missing it.
        """
        today = today or fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([])
        closed = [date for _month, date in month_ends(today)[:-1]]
        stored = {}
        for company_id, date in self.env.execute_query(
            SQL(
                "SELECT company_id, date FROM dunning_month_end_snapshot "
                "WHERE date = ANY(%s)",
                closed,
            )
        ):
            stored.setdefault(date, set()).add(company_id)
        # The latest first (the cockpit's last month); with
        # ``dunning_auto_commit`` (the nightly job's) each month end is
        # committed on its own: on a large ledger a night that runs out of
        # time keeps what it stored, the next night goes on.
        auto_commit = self.env.context.get("dunning_auto_commit")
        for index, date in enumerate(reversed(closed)):
            missing = companies.filtered(
                lambda company, date=date: company.id not in stored.get(date, ())
            )
            if restore_last and date == closed[-1]:
                missing = companies
            self._dunning_store(missing, date)
            if auto_commit:
                self.env["ir.cron"]._notify_progress(
                    done=index + 1, remaining=len(closed) - index - 1
                )
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _cron_store_month_ends(self):
        """Nightly: store the closed month ends missing (see the class),
        then the open receivables of the day per debtor
        (``dunning.open.figure``)."""
        self._dunning_store_missing()
        self.env["dunning.open.figure"]._dunning_store_open()
        if self.env.context.get("dunning_auto_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _dunning_invalidate(self, company_dates):
        """Drop the snapshots of month ends from a changed date on.

        :param company_dates: ``{company id: the oldest date changed}``.
        One ``DELETE`` of the few snapshot rows (not of the figures, left
        for the next store to replace): those month ends are rebuilt live.
        """
        company_dates = {
            company_id: date
            for company_id, date in company_dates.items()
            if company_id and date
        }
        if not company_dates:
            return
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM dunning_month_end_snapshot snap
                 USING unnest(%s::int[], %s::date[]) AS changed(company_id, date)
                 WHERE snap.company_id = changed.company_id
                   AND snap.date >= changed.date
                """,
                list(company_dates),
                list(company_dates.values()),
            )
        )

    @api.model
    def _dunning_oldest(self, pairs):
        """Return ``{company id: oldest date}`` of ``(company id, date)``."""
        result = {}
        for company_id, date in pairs:
            if (
                company_id
                and date
                and (company_id not in result or date < result[company_id])
            ):
                result[company_id] = date
        return result


class DunningMonthEndSnapshot(models.Model):
    """A company's month end stored (``dunning.month.end``), and when."""

    _name = "dunning.month.end.snapshot"
    _description = "Collections: month end stored"
    _order = "date desc, company_id"
    _rec_name = "date"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    date = fields.Date(string="Month end", required=True, readonly=True)
    computed_at = fields.Datetime(string="Stored on", readonly=True)

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique(company_id, date)",
            "A month end is stored once per company.",
        )
    ]
