# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import backtest, forecast

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
    predicted payment date). Each company's forecast uses the method of
    :meth:`_dunning_forecast_method` (its setting, by default the best of
    its last back-test): the source of its dates and whether the recovery
    curve spreads them.
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
    scenario_id = fields.Many2one("dunning.scenario", readonly=True)
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
    forecast_method_id = fields.Many2one(
        "dunning.forecast.backtest.method",
        string="Forecast method",
        readonly=True,
        help="The method forecasting the company's cash-in and its figures in "
        "the last back-test (Settings, Collections: Cash-in forecast method).",
    )

    @api.model
    def _transfer_lag(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_advanced.forecast_transfer_lag", 3)
        )

    @api.model
    def _select_expected_date(self, dates=None):
        """Return the SQL expression of the expected payment date.

        :param dates: the source of the dates, ``dates`` of a method of
            :meth:`_backtest_methods`: ``lag`` (the due date + the transfer
            lag) here; other addons add theirs (``predicted``, ``learned``),
            each falling back on the one it extends. None: the richest.
        """
        return SQL("(am.invoice_date_due + %s)", self._transfer_lag())

    # ------------------------------------------------------------------
    # The method of each company (setting, else best of the back-test)
    # ------------------------------------------------------------------
    @api.model
    def _dunning_forecast_backtests(self, companies):
        """Return the totals of the last back-test of ``companies`` (one
        read): dict company id -> ``dunning.forecast.backtest.method``."""
        rows = self.env["dunning.forecast.backtest.method"].search_fetch(
            [("company_id", "in", companies.ids)],
            ["company_id", "key", "name", "weeks", "collected", "wape", "bias", "date"],
        )
        grouped = rows.grouped("company_id")
        return {
            company.id: grouped.get(company, rows.browse()) for company in companies
        }

    @api.model
    def _dunning_forecast_method(self, company, backtests=None):
        """Return the method the forecast of ``company`` uses.

        The company's setting (``dunning_forecast_method``); "best": the
        method of its last back-test with the lowest WAPE among those whose
        bias is within 10 % (``engine.backtest.best_method``), without a
        back-test the curve from the richest dates (the last method of
        :meth:`_backtest_methods` using the curve).

        :param backtests: its back-test rows when already read (see
            :meth:`_dunning_forecast_backtests`).
        :return: a dict of :meth:`_backtest_methods` with ``backtest`` (the
            method's row of the last back-test, or an empty recordset) and
            ``summary`` (the line the forecast and the cockpit show).
        """
        if backtests is None:
            backtests = self._dunning_forecast_backtests(company)[company.id]
        methods = self._backtest_methods()
        by_key = {method["key"]: method for method in methods}
        # Rows written before the key was stored: matched by their label.
        keys = {method["label"]: method["key"] for method in methods}
        rows = {row.key or keys.get(row.name): row for row in backtests}
        key = company.dunning_forecast_method
        if key not in by_key:
            key = backtest.best_method(
                [
                    {
                        "key": row_key,
                        "wape": row.wape,
                        "bias": row.bias,
                        "collected": row.collected,
                    }
                    for row_key, row in rows.items()
                    if row_key in by_key
                ]
            )
        if key not in by_key:
            key = [method for method in methods if method["curve"]][-1]["key"]
        method = dict(by_key[key], backtest=rows.get(key, backtests.browse()))
        method["summary"] = (
            method["backtest"]._dunning_summary()
            if method["backtest"]
            else self.env._("%(method)s — not back-tested yet", method=method["label"])
        )
        return method

    @api.model
    def _dunning_forecast_methods(self):
        """Return the method of each allowed company: dict company id ->
        :meth:`_dunning_forecast_method` (one read of the back-tests)."""
        companies = self.env.companies
        backtests = self._dunning_forecast_backtests(companies)
        return {
            company.id: self._dunning_forecast_method(company, backtests[company.id])
            for company in companies
        }

    @api.model
    def _dunning_expected_date_sql(self, methods):
        """Return the expected date of the companies' methods: the one
        expression of their dates, else a CASE on ``am.company_id``.

        :param methods: see :meth:`_dunning_forecast_methods`.
        """
        sources = {method["dates"] for method in methods.values()}
        if len(sources) <= 1:
            return self._select_expected_date(dates=next(iter(sources), None))
        expressions = {
            dates: self._select_expected_date(dates=dates) for dates in sources
        }
        return SQL(
            "(CASE am.company_id %s END)",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", company_id, expressions[method["dates"]])
                for company_id, method in methods.items()
            ),
        )

    def _select(self):
        """Return the SELECT list of the view as SQL (extend it in other addons).

        The collector and the scenario are the ones the planner resolved for
        the debtor (``dunning.debtor.status``), as in the receivables
        analysis. The
        expected date is the one of the company's method
        (:meth:`_dunning_expected_date_sql`).
        """
        methods = self._dunning_forecast_methods()
        return SQL(
            """
            SELECT am.id AS id,
                   am.id AS move_id,
                   am.company_id AS company_id,
                   company.currency_id AS currency_id,
                   am.commercial_partner_id AS partner_id,
                   status.collector_id AS collector_id,
                   status.scenario_id AS scenario_id,
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
                   (%(expected)s < CURRENT_DATE) AS is_late,
                   %(method)s AS forecast_method_id
            """,
            expected=self._dunning_expected_date_sql(methods),
            method=SQL(
                "(CASE am.company_id %s ELSE NULL END)::int",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", company_id, method["backtest"].id)
                    for company_id, method in methods.items()
                    if method["backtest"]
                ),
            )
            if any(method["backtest"] for method in methods.values())
            else SQL("NULL::int"),
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

    def _parts_sql(self):
        """Return the SQL of the expected payments (``move_id``, ``part``,
        ``date``, ``amount``) of the invoices of ``base`` (``_select``):
        the open instalments of a running payment plan (the invoice's open
        amount split in their proportion, on their dates); else the promise
        kept alive (open) for the invoice (listing it, or listing none and
        made when the invoice was overdue): the promised amount (its share
        pro rata of the open amounts, all of it without an amount) on the
        promised date, the rest on the expected date; else the open amount
        on the expected date. ``engine.forecast.expected_parts`` in SQL.
        ``by_curve``: the parts on the expected date, spread by the curve.
        """
        return SQL(
            """
            plan_part AS (
                SELECT base.move_id, line.id AS part, line.date,
                       base.amount_residual * (line.amount
                           - COALESCE(line.paid_amount, 0))
                       / SUM(line.amount - COALESCE(line.paid_amount, 0))
                             OVER (PARTITION BY base.move_id) AS amount
                  FROM base
                  JOIN dunning_payment_plan_move_rel prel
                    ON prel.move_id = base.move_id
                  JOIN dunning_payment_plan plan
                    ON plan.id = prel.plan_id AND plan.state = 'running'
                  JOIN dunning_payment_plan_line line
                    ON line.plan_id = plan.id
                   AND line.amount > COALESCE(line.paid_amount, 0)
            ),
            promise_of AS (
                SELECT DISTINCT ON (base.move_id)
                       base.move_id, promise.id AS promise_id, promise.date,
                       promise.amount AS promised
                  FROM base
                  JOIN dunning_promise promise
                    ON promise.partner_id = base.partner_id
                   AND promise.company_id = base.company_id
                   AND promise.state = 'open'
                 WHERE NOT EXISTS (SELECT 1 FROM plan_part
                                    WHERE plan_part.move_id = base.move_id)
                   AND (EXISTS (SELECT 1 FROM dunning_promise_move_rel rel
                                 WHERE rel.promise_id = promise.id
                                   AND rel.move_id = base.move_id)
                        OR (NOT EXISTS (SELECT 1 FROM dunning_promise_move_rel rel
                                         WHERE rel.promise_id = promise.id)
                            AND base.date_due < promise.date_made))
                 ORDER BY base.move_id, promise.date_made DESC, promise.id DESC
            ),
            promise_part AS (
                SELECT promise_of.move_id, promise_of.date,
                       CASE WHEN COALESCE(promise_of.promised, 0) <= 0
                            THEN base.amount_residual
                            ELSE LEAST(base.amount_residual,
                                       promise_of.promised * base.amount_residual
                                       / SUM(base.amount_residual) OVER (
                                           PARTITION BY promise_of.promise_id))
                       END AS amount,
                       base.amount_residual, base.expected_date
                  FROM promise_of
                  JOIN base ON base.move_id = promise_of.move_id
            ),
            parts AS (
                SELECT move_id, part, date, amount, FALSE AS by_curve
                  FROM plan_part
                UNION ALL
                SELECT move_id, 0, date, amount, FALSE FROM promise_part
                UNION ALL
                SELECT move_id, 1, expected_date, amount_residual - amount, TRUE
                  FROM promise_part WHERE amount_residual - amount > 0.005
                UNION ALL
                SELECT base.move_id, 0, base.expected_date, base.amount_residual,
                       TRUE
                  FROM base
                 WHERE NOT EXISTS (SELECT 1 FROM plan_part
                                    WHERE plan_part.move_id = base.move_id)
                   AND NOT EXISTS (SELECT 1 FROM promise_of
                                    WHERE promise_of.move_id = base.move_id)
            )
            """
        )

    def _curve_values_sql(self):
        """Return the SQL rows ``(company_id, bucket, week, share)`` of the
        recovery curves of the allowed companies whose forecast method uses
        the curve (:meth:`_dunning_forecast_method`), as known today; the
        share not expected within the curve's weeks has ``week`` NULL."""
        today = fields.Date.context_today(self)
        values = []
        methods = self._dunning_forecast_methods()
        for company in self.env.companies:
            if not methods[company.id]["curve"]:
                continue
            curve = self._dunning_recovery_curve(company, today)
            for index, entry in curve.items():
                shares = entry["shares"]
                values += [
                    SQL("(%s, %s, %s, %s)", company.id, index, week, share)
                    for week, share in enumerate(shares)
                    if share
                ]
                rest = 1 - sum(shares)
                if rest > 0:
                    values.append(
                        SQL("(%s, %s, NULL::int, %s)", company.id, index, rest)
                    )
        if not values:
            return SQL(
                "SELECT NULL::int AS company_id, NULL::int AS bucket, "
                "NULL::int AS week, NULL::float AS share WHERE FALSE"
            )
        return SQL(
            "SELECT * FROM (VALUES %s) AS v(company_id, bucket, week, share)",
            SQL(", ").join(values),
        )

    @property
    def _table_query(self):
        """Return the SQL of the forecast, built at each query (no stored
        view; see the receivables analysis): the open invoices
        (``_select``, ``_from``, ``_where``), their expected payments
        (``_parts_sql``), spread over the coming weeks by the recovery curve
        (``_dunning_recovery_curve``): the amounts neither promised nor in a
        plan (``by_curve``) by their days past the expected date less the
        transfer lag (the due date, or the debtor's own with the score or
        the learned date), the promised or planned amounts whose date is
        past by their days past due. The share the curve does not expect
        within 13 weeks stays on its past date when late (the "already
        late" amounts), else goes after the 13 weeks. Without a curve (no
        history) each part stays on its date."""
        return SQL(
            """
            WITH base AS (%(base)s),
            %(parts)s,
            curve AS (%(curve)s),
            spread AS (
                SELECT parts.move_id, parts.part, curve.week,
                       parts.date < CURRENT_DATE AS is_late,
                       CASE WHEN curve.share IS NULL
                              OR (curve.week IS NULL AND parts.date < CURRENT_DATE)
                            THEN parts.date
                            WHEN curve.week IS NULL
                            THEN GREATEST(parts.date,
                                          date_trunc('week', CURRENT_DATE)::date
                                          + 7 * %(weeks)s)
                            ELSE GREATEST(CURRENT_DATE,
                                          date_trunc('week', CURRENT_DATE)::date
                                          + 7 * curve.week)
                       END AS expected_date,
                       parts.amount * COALESCE(curve.share, 1) AS amount
                  FROM parts
                  JOIN base ON base.move_id = parts.move_id
                  LEFT JOIN curve
                    ON (parts.by_curve OR parts.date < CURRENT_DATE)
                   AND curve.company_id = base.company_id
                   AND curve.bucket = width_bucket(
                       CASE WHEN parts.by_curve
                            THEN CURRENT_DATE - (parts.date - %(lag)s)
                            ELSE CURRENT_DATE - base.date_due END,
                                                   %(bounds)s::int[])
            )
            SELECT row_number() OVER (
                       ORDER BY spread.move_id, spread.part, spread.week
                   ) AS id,
                   base.move_id, base.company_id, base.currency_id,
                   base.partner_id, base.collector_id, base.scenario_id,
                   base.date_due,
                   spread.expected_date,
                   date_trunc('week', spread.expected_date)::date AS expected_week,
                   date_trunc('month', spread.expected_date)::date
                       AS expected_month,
                   base.category,
                   spread.amount AS amount_residual,
                   CASE WHEN spread.is_late THEN spread.amount ELSE 0 END
                       AS late_amount,
                   spread.is_late,
                   base.forecast_method_id
              FROM spread
              JOIN base ON base.move_id = spread.move_id
            """,
            base=SQL("%s %s %s", self._select(), self._from(), self._where()),
            parts=self._parts_sql(),
            curve=self._curve_values_sql(),
            bounds=list(forecast.BOUNDS),
            lag=self._transfer_lag(),
            weeks=forecast.WEEKS,
        )

    # ------------------------------------------------------------------
    # The recovery curve (one definition: the report and the back-test)
    # ------------------------------------------------------------------
    @api.model
    def _dunning_recovery_curve(self, company, on_date, history_weeks=26):
        """Return the company's recovery curve as known on ``on_date``.

        Snapshots: each customer invoice open on each Monday of the
        ``history_weeks`` weeks before ``on_date`` (its total less the
        reconciliations dated before the Monday), in the bucket of its days
        past due then (``engine.forecast.BOUNDS``); for each of the 13
        following weeks already past on ``on_date``, what was reconciled
        with it in that week over what was open. Only what was known on
        ``on_date`` (reconciliations dated before it). One query.

        :return: see ``engine.forecast.curve_from_sums``.
        """
        monday = on_date - timedelta(days=on_date.weekday())
        first = monday - timedelta(weeks=history_weeks)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH inv AS (
                    SELECT am.id, am.date, am.invoice_date_due AS due,
                           am.amount_total_signed AS total
                      FROM account_move am
                     WHERE am.move_type = 'out_invoice'
                       AND am.state = 'posted'
                       AND am.company_id = %(company)s
                       AND am.invoice_date_due IS NOT NULL
                       AND am.date < %(on_date)s
                       AND am.amount_total_signed > 0
                ),
                pay AS (
                    SELECT debit.move_id, part.max_date AS day,
                           SUM(part.amount) AS amount
                      FROM account_partial_reconcile part
                      JOIN account_move_line debit
                        ON debit.id = part.debit_move_id
                      JOIN inv ON inv.id = debit.move_id
                     WHERE part.max_date < %(on_date)s
                     GROUP BY 1, 2
                ),
                settled AS (
                    -- The day each invoice was paid off, if it was (before
                    -- on_date): it is in no snapshot from the next Monday.
                    SELECT running.move_id AS id, MIN(running.day) AS day
                      FROM (
                        SELECT pay.move_id, pay.day,
                               SUM(pay.amount) OVER (
                                   PARTITION BY pay.move_id ORDER BY pay.day
                               ) AS paid
                          FROM pay
                      ) running
                      JOIN inv ON inv.id = running.move_id
                     WHERE running.paid >= inv.total
                     GROUP BY running.move_id
                ),
                snap AS (
                    -- Only the Mondays each invoice was open on: on a ledger
                    -- of years, most invoices were paid long before.
                    SELECT week.monday::date AS monday, inv.id,
                           width_bucket(week.monday::date - inv.due,
                                        %(bounds)s::int[]) AS bucket,
                           inv.total - COALESCE(SUM(pay.amount), 0) AS open_amount
                      FROM generate_series(%(first)s::date, %(last)s::date,
                                           interval '7 days') AS week(monday)
                      JOIN inv ON inv.date < week.monday
                      LEFT JOIN settled ON settled.id = inv.id
                      LEFT JOIN pay
                        ON pay.move_id = inv.id AND pay.day < week.monday
                     WHERE settled.day IS NULL OR settled.day >= week.monday
                     GROUP BY week.monday, inv.id, inv.due, inv.total
                ),
                paid AS (
                    SELECT snap.bucket, (pay.day - snap.monday) / 7 AS week,
                           SUM(pay.amount) AS amount
                      FROM snap
                      JOIN pay
                        ON pay.move_id = snap.id
                       AND pay.day >= snap.monday
                       AND pay.day < snap.monday + 7 * %(weeks)s
                     WHERE snap.open_amount > 0
                       AND snap.monday + 7 * ((pay.day - snap.monday) / 7) + 7
                           <= %(on_date)s
                     GROUP BY 1, 2
                ),
                base AS (
                    SELECT snap.bucket, k.week, SUM(snap.open_amount) AS amount,
                           COUNT(*) AS count
                      FROM snap
                     CROSS JOIN generate_series(0, %(weeks)s - 1) AS k(week)
                     WHERE snap.open_amount > 0
                       AND snap.monday + 7 * k.week + 7 <= %(on_date)s
                     GROUP BY 1, 2
                )
                SELECT base.bucket, base.week, base.amount,
                       COALESCE(paid.amount, 0), base.count
                  FROM base
                  LEFT JOIN paid
                    ON paid.bucket = base.bucket AND paid.week = base.week
                """,
                company=company.id,
                on_date=on_date,
                first=first,
                last=monday - timedelta(weeks=1),
                bounds=list(forecast.BOUNDS),
                weeks=forecast.WEEKS,
            )
        )
        return forecast.curve_from_sums(rows)

    @api.model
    def _backtest_methods(self):
        """Return the forecasts the back-test compares: list of dicts ``key``,
        ``label``, ``dates`` (the expected dates' method, see
        :meth:`_backtest_expected_dates`) and ``curve``: as the report does,
        promises and payment plans date their amounts, the rest is spread
        by the recovery curve from the expected date less the transfer lag;
        without it, each invoice on its expected date and the late money
        left apart (the forecast before the recovery curve)."""
        return [
            {
                "key": "lag",
                "label": self.env._("Due date + transfer lag"),
                "dates": "lag",
                "curve": False,
            },
            {
                "key": "curve",
                "label": self.env._(
                    "Recovery curve from the due date, promises, plans"
                ),
                "dates": "lag",
                "curve": True,
            },
        ]

    @api.model
    def _backtest(self, weeks=8, today=None, company=None, method=None):
        """Compare, for past weeks, the forecast made on Monday with the cash.

        For each of the ``weeks`` weeks before the current one: the invoices
        open on the Monday (posted before it, not fully paid by then: their
        total less the reconciliations dated before the Monday) whose expected
        date falls in that week, against the credits of payments on
        receivable lines dated that week. The expected date is the one the
        forecast would have shown on that Monday, see
        :meth:`_backtest_expected_dates`. With a ``method`` whose ``curve``
        is set (see :meth:`_backtest_methods`), as the report does today:
        what the collector knew on the Monday (the promises alive then and
        the running plans' instalments from then on, see
        :meth:`_backtest_known`), the rest spread by the recovery curve
        known then (``_dunning_recovery_curve``). From
        ``odoo shell``::

            env["dunning.forecast.report"]._backtest(weeks=12)

        :param method: a dict of :meth:`_backtest_methods`; default: the
            expected dates of the context, late money apart.
        :return: list of dicts, oldest week first: ``week`` (Monday),
            ``forecast``, ``collected``, and ``late`` (open on the Monday
            with an expected date already past: left out of the forecast, or
            spread by the curve with ``curve``; ``late_forecast`` is the part
            of the forecast that came from it).
        """
        today = today or fields.Date.context_today(self)
        company = company or self.env.company
        self.env.flush_all()
        monday = today - timedelta(days=today.weekday())
        mondays = [monday - timedelta(weeks=index) for index in range(weeks, 0, -1)]
        if not mondays:
            return []
        known = bool(method and method.get("curve"))
        Report = self
        if method:
            Report = self.with_context(dunning_backtest_method=method["dates"])
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
        expected = Report._backtest_expected_dates(company, rows)
        figures = {
            start: {"forecast": 0.0, "late": 0.0, "late_forecast": 0.0}
            for start in mondays
        }
        known_parts = self._backtest_known(company, rows, expected) if known else {}
        lag = timedelta(days=self._transfer_lag())
        curves = {}

        def spread(start, amount, days, late):
            if start not in curves:
                curves[start] = self._dunning_recovery_curve(company, start)
            for week, share in forecast.spread(amount, days, curves[start], start):
                if week == start:
                    figures[start]["forecast"] += share
                    if late:
                        figures[start]["late_forecast"] += share

        for start, move_id, _partner_id, due, amount in rows:
            date = expected[(start, move_id)]
            parts = known_parts.get((start, move_id))
            if known and not parts:
                # Nothing promised nor planned: spread by the curve from the
                # date the method expects less the transfer lag (the due
                # date, or the debtor's own).
                if date < start:
                    figures[start]["late"] += amount
                spread(start, amount, (start - (date - lag)).days, date < start)
                continue
            for day, value in parts or [(date, amount)]:
                if day >= start:
                    if day < start + timedelta(days=7):
                        figures[start]["forecast"] += value
                    continue
                figures[start]["late"] += value
                if known:
                    spread(start, value, (start - due).days, True)
        # 2. The cash collected each week.
        collected = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT date_trunc('week', collected.date)::date,
                           COALESCE(SUM(collected.amount), 0)
                      FROM (%(collected)s) collected
                     WHERE collected.date >= %(first)s
                       AND collected.date < %(end)s
                     GROUP BY 1
                    """,
                    first=mondays[0],
                    end=monday,
                    collected=self.env[
                        "dunning.collected.report"
                    ]._dunning_collected_sql(company),
                )
            )
        )
        return [
            {
                "week": start,
                "forecast": figures[start]["forecast"],
                "collected": collected.get(start, 0.0),
                "late": figures[start]["late"],
                "late_forecast": figures[start]["late_forecast"],
            }
            for start in mondays
        ]

    @api.model
    def _backtest_known(self, company, rows, expected):
        """Return what the collector knew of the invoices open on Mondays.

        A promise was alive on a Monday when made before it and due on or
        after it (settled, kept or broken, only after its date; a cancelled
        one is left out: when it was cancelled is not kept); a payment plan
        ran on a Monday when accepted (else created) before it, its
        instalments from the Monday on at their full amounts (what was paid
        on each and when is not kept). Two queries.

        :param rows: see :meth:`_backtest_expected_dates`.
        :param expected: its result (the rest of a partial promise).
        :return: dict ``(monday, move id)`` -> ``[(date, amount)]`` for the
            invoices under a promise or a plan (``engine.forecast.
            expected_parts``), the others absent.
        """
        if not rows:
            return {}
        first = min(row[0] for row in rows)
        promises = self.env.execute_query(
            SQL(
                """
                SELECT p.partner_id, p.date_made, p.date, p.amount,
                       ARRAY(SELECT rel.move_id FROM dunning_promise_move_rel rel
                              WHERE rel.promise_id = p.id)
                  FROM dunning_promise p
                 WHERE p.company_id = %s AND p.state IN ('open', 'kept', 'broken')
                   AND p.date >= %s
                 ORDER BY p.date_made, p.id
                """,
                company.id,
                first,
            )
        )
        plans = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(plan.dunning_accepted_date, plan.create_date)::date,
                       ARRAY(SELECT rel.move_id
                               FROM dunning_payment_plan_move_rel rel
                              WHERE rel.plan_id = plan.id),
                       ARRAY(SELECT ARRAY[line.date::text, line.amount::text]
                               FROM dunning_payment_plan_line line
                              WHERE line.plan_id = plan.id
                              ORDER BY line.date, line.id)
                  FROM dunning_payment_plan plan
                 WHERE plan.company_id = %s
                   AND plan.state IN ('running', 'done', 'broken')
                """,
                company.id,
            )
        )
        plan_lines = [
            (
                started,
                set(move_ids),
                [(fields.Date.to_date(day), float(value)) for day, value in lines],
            )
            for started, move_ids, lines in plans
        ]
        open_amounts = defaultdict(float)
        for start, _move_id, partner_id, _due, amount in rows:
            open_amounts[(start, partner_id)] += amount
        result = {}
        for start, move_id, partner_id, due, amount in rows:
            instalments = []
            for started, move_ids, lines in plan_lines:
                if move_id in move_ids and started < start:
                    instalments = [line for line in lines if line[0] >= start]
            promise = None
            for p_partner, made, date, promised, move_ids in promises:
                if p_partner != partner_id or not made < start <= date:
                    continue
                if move_ids and move_id not in move_ids:
                    continue
                if not move_ids and due >= made:
                    continue
                share = (
                    promised and promised * amount / open_amounts[(start, partner_id)]
                )
                promise = (date, share)
            if instalments or promise:
                result[(start, move_id)] = forecast.expected_parts(
                    amount, expected[(start, move_id)], promise, instalments
                )
        return result

    @api.model
    def _backtest_expected_dates(self, company, rows):
        """Return the expected dates the forecast showed on past Mondays.

        :param rows: tuples ``(monday, move id, commercial partner id, due
            date, open amount)``.
        :return: dict ``(monday, move id)`` -> expected date; here the due
            date + the transfer lag (the lag of today's setting). The context
            key ``dunning_backtest_method`` names the method (``lag`` here;
            other addons add theirs and fall back on this one).
        """
        lag = timedelta(days=self._transfer_lag())
        return {(row[0], row[1]): row[3] + lag for row in rows}
