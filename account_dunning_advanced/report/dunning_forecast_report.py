# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CATEGORIES = [
    ("not_due", "Not due"),
    ("overdue", "Overdue"),
    ("promised", "Promised"),
    ("plan", "Payment plan"),
]


class DunningForecastReport(models.Model):
    """Cash-in forecast: one row per open customer invoice (a query).

    The expected date is the due date plus the transfer lag (system parameter
    ``account_dunning_advanced.forecast_transfer_lag``, 3 days; read at each
    query). Addons refine it by
    overriding :meth:`_select_expected_date` (account_dunning_score uses the
    predicted payment date).
    """

    _name = "dunning.forecast.report"
    _description = "Collections cash-in forecast"
    _auto = False
    _rec_name = "move_id"
    _order = "expected_date, id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    date_due = fields.Date(string="Due date", readonly=True)
    expected_date = fields.Date(readonly=True)
    expected_week = fields.Date(
        string="Expected week", readonly=True, help="Monday of the expected week."
    )
    expected_month = fields.Date(string="Expected month", readonly=True)
    category = fields.Selection(CATEGORIES, readonly=True)
    amount_residual = fields.Monetary(string="Expected amount", readonly=True)
    late_amount = fields.Monetary(
        string="Already late",
        readonly=True,
        help="Part of the open amount whose expected date is already past.",
    )
    is_late = fields.Boolean(string="Expected date past", readonly=True)

    @api.model
    def _transfer_lag(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_advanced.forecast_transfer_lag", 3)
        )

    @api.model
    def _select_expected_date(self):
        """Return the SQL expression of the expected payment date."""
        return SQL("(am.invoice_date_due + %s)", self._transfer_lag())

    def _select(self):
        """Return the SELECT list of the view as SQL (extend it in other addons).

        The collector is the one the planner resolved for the debtor
        (``dunning.debtor.status``), as in the receivables analysis.
        """
        return SQL(
            """
            SELECT am.id AS id,
                   am.id AS move_id,
                   am.company_id AS company_id,
                   company.currency_id AS currency_id,
                   am.commercial_partner_id AS partner_id,
                   status.collector_id AS collector_id,
                   am.invoice_date_due AS date_due,
                   %(expected)s AS expected_date,
                   date_trunc('week', %(expected)s)::date AS expected_week,
                   date_trunc('month', %(expected)s)::date AS expected_month,
                   CASE
                       WHEN EXISTS (
                           SELECT 1
                             FROM dunning_payment_plan_move_rel prel
                             JOIN dunning_payment_plan plan ON plan.id = prel.plan_id
                            WHERE prel.move_id = am.id AND plan.state = 'running'
                       ) THEN 'plan'
                       WHEN EXISTS (
                           SELECT 1
                             FROM dunning_promise promise
                            WHERE promise.partner_id = am.commercial_partner_id
                              AND promise.company_id = am.company_id
                              AND promise.state = 'open'
                       ) THEN 'promised'
                       WHEN am.invoice_date_due < CURRENT_DATE THEN 'overdue'
                       ELSE 'not_due'
                   END AS category,
                   am.amount_residual_signed AS amount_residual,
                   CASE WHEN %(expected)s < CURRENT_DATE
                        THEN am.amount_residual_signed ELSE 0 END AS late_amount,
                   (%(expected)s < CURRENT_DATE) AS is_late
            """,
            expected=self._select_expected_date(),
        )

    def _from(self):
        """Return the FROM clause of the view as SQL (extend it in other addons)."""
        return SQL(
            """
            FROM account_move am
            JOIN res_company company ON company.id = am.company_id
            %s
            """,
            self.env["dunning.debtor.status"]._dunning_join_sql(
                SQL("am.commercial_partner_id"), SQL("am.company_id")
            ),
        )

    def _where(self):
        """Return the WHERE clause of the view as SQL: open customer invoices
        (holding a collectible line: the one definition)."""
        return SQL(
            """
            WHERE am.move_type = 'out_invoice'
              AND am.state = 'posted'
              AND am.invoice_date_due IS NOT NULL
              AND EXISTS (
                  SELECT 1
                    FROM account_move_line aml
                   WHERE aml.move_id = am.id
                     AND %s
              )
            """,
            self.env["account.move.line"]._dunning_collectible_sql("aml"),
        )

    @property
    def _table_query(self):
        """Return the SQL of the forecast: ``_select``, ``_from``, ``_where``,
        built at each query (no stored view; see the receivables analysis)."""
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _backtest(self, weeks=8, today=None, company=None):
        """Compare, for past weeks, the forecast made on Monday with the cash.

        For each of the ``weeks`` weeks before the current one: the invoices
        open on the Monday (posted before it, not fully paid by then: their
        total less the reconciliations dated before the Monday) whose expected
        date falls in that week, against the credits of payments on
        receivable lines dated that week. The expected date is the one the
        forecast would have shown on that Monday, see
        :meth:`_backtest_expected_dates` (here: due date + transfer lag).
        Three queries whatever the number of weeks. From ``odoo shell``::

            env["dunning.forecast.report"]._backtest(weeks=12)

        :return: list of dicts, oldest week first: ``week`` (Monday),
            ``forecast``, ``collected``, and ``late`` (open on the Monday
            with an expected date already past: not in the forecast).
        """
        today = today or fields.Date.context_today(self)
        company = company or self.env.company
        self.env.flush_all()
        monday = today - timedelta(days=today.weekday())
        mondays = [monday - timedelta(weeks=index) for index in range(weeks, 0, -1)]
        if not mondays:
            return []
        # 1. The invoices open on each Monday, with their open amount then.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT * FROM (
                    SELECT week.monday::date, am.id, am.commercial_partner_id,
                           am.invoice_date_due,
                           am.amount_total_signed - COALESCE((
                               SELECT SUM(part.amount)
                                 FROM account_partial_reconcile part
                                 JOIN account_move_line debit
                                   ON debit.id = part.debit_move_id
                                WHERE debit.move_id = am.id
                                  AND part.max_date < week.monday
                           ), 0) AS open_amount
                      FROM generate_series(%(first)s::date, %(last)s::date,
                                           interval '7 days') AS week(monday)
                      JOIN account_move am
                        ON am.date < week.monday
                     WHERE am.move_type = 'out_invoice'
                       AND am.state = 'posted'
                       AND am.company_id = %(company)s
                       AND am.invoice_date_due IS NOT NULL
                       -- paid before the first Monday: never open in the test
                       AND (am.payment_state IN ('not_paid', 'partial')
                            OR EXISTS (
                                SELECT 1
                                  FROM account_partial_reconcile later
                                  JOIN account_move_line debit
                                    ON debit.id = later.debit_move_id
                                 WHERE debit.move_id = am.id
                                   AND later.max_date >= %(first)s))
                ) invoice
                 WHERE open_amount > 0
                """,
                first=mondays[0],
                last=mondays[-1],
                company=company.id,
            )
        )
        expected = self._backtest_expected_dates(company, rows)
        figures = {start: {"forecast": 0.0, "late": 0.0} for start in mondays}
        for start, move_id, _partner_id, _due, amount in rows:
            date = expected[(start, move_id)]
            if date < start:
                figures[start]["late"] += amount
            elif date < start + timedelta(days=7):
                figures[start]["forecast"] += amount
        # 2. The cash collected each week.
        collected = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT date_trunc('week', aml.date)::date,
                           COALESCE(SUM(aml.credit), 0)
                      FROM account_move_line aml
                      JOIN account_move am ON am.id = aml.move_id
                     WHERE %(receivable)s
                       AND am.move_type = 'entry'
                       AND aml.date >= %(first)s AND aml.date < %(end)s
                     GROUP BY 1
                    """,
                    first=mondays[0],
                    end=monday,
                    receivable=self.env["account.move.line"]._dunning_receivable_sql(
                        "aml", company
                    ),
                )
            )
        )
        return [
            {
                "week": start,
                "forecast": figures[start]["forecast"],
                "collected": collected.get(start, 0.0),
                "late": figures[start]["late"],
            }
            for start in mondays
        ]

    @api.model
    def _backtest_expected_dates(self, company, rows):
        """Return the expected dates the forecast showed on past Mondays.

        :param rows: tuples ``(monday, move id, commercial partner id, due
            date, open amount)``.
        :return: dict ``(monday, move id)`` -> expected date; here the due
            date + the transfer lag (the lag of today's setting).
        """
        lag = timedelta(days=self._transfer_lag())
        return {(row[0], row[1]): row[3] + lag for row in rows}
