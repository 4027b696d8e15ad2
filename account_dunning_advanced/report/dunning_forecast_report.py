# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .dunning_receivable_report import scenario_join

CATEGORIES = [
    ("not_due", "Not due"),
    ("overdue", "Overdue"),
    ("promised", "Promised"),
    ("plan", "Payment plan"),
]


class DunningForecastReport(models.Model):
    """Cash-in forecast: one row per open customer invoice (SQL view).

    The expected date is the due date plus the transfer lag (system parameter
    ``account_dunning_advanced.forecast_transfer_lag``, 3 days; taken when the
    view is created, i.e. at the module update). Addons refine it by
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
        return f"(am.invoice_date_due + {self._transfer_lag():d})"

    def _select(self):
        expected = self._select_expected_date()
        return f"""
            am.id AS id,
            am.id AS move_id,
            am.company_id AS company_id,
            company.currency_id AS currency_id,
            am.commercial_partner_id AS partner_id,
            COALESCE(partner.dunning_collector_id, scenario.user_id, partner.user_id)
                AS collector_id,
            am.invoice_date_due AS date_due,
            {expected} AS expected_date,
            date_trunc('week', {expected})::date AS expected_week,
            date_trunc('month', {expected})::date AS expected_month,
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
            CASE WHEN {expected} < CURRENT_DATE
                 THEN am.amount_residual_signed ELSE 0 END AS late_amount,
            ({expected} < CURRENT_DATE) AS is_late
        """

    def _from(self):
        return (
            """
            account_move am
            JOIN res_company company ON company.id = am.company_id
            JOIN res_partner partner ON partner.id = am.commercial_partner_id
"""
            + scenario_join("am.company_id")
            + """
        """
        )

    def _where(self):
        return """
            am.move_type = 'out_invoice'
            AND am.state = 'posted'
            AND am.payment_state IN ('not_paid', 'partial')
            AND am.invoice_date_due IS NOT NULL
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s WHERE %s)",
                SQL.identifier(self._table),
                SQL(self._select()),
                SQL(self._from()),
                SQL(self._where()),
            )
        )

    @api.model
    def _backtest(self, weeks=8, today=None, company=None):
        """Compare, for past weeks, the forecast made on Monday with the cash.

        For each of the ``weeks`` weeks before the current one: the invoices
        open on the Monday (posted before it, not fully paid by then) whose
        due date + transfer lag falls in that week, against the credits on
        receivable lines dated that week. From ``odoo shell``::

            env["dunning.forecast.report"]._backtest(weeks=12)

        :return: list of dicts ``week`` (Monday), ``forecast``, ``collected``.
        """
        today = today or fields.Date.context_today(self)
        company = company or self.env.company
        lag = self._transfer_lag()
        self.env.flush_all()
        monday = today - timedelta(days=today.weekday())
        result = []
        for index in range(weeks, 0, -1):
            start = monday - timedelta(weeks=index)
            end = start + timedelta(days=7)
            self.env.cr.execute(
                SQL(
                    """
                    SELECT COALESCE(SUM(
                               am.amount_total_signed - COALESCE((
                                   SELECT SUM(part.amount)
                                     FROM account_partial_reconcile part
                                     JOIN account_move_line debit
                                       ON debit.id = part.debit_move_id
                                    WHERE debit.move_id = am.id
                                      AND part.max_date < %(start)s
                               ), 0)
                           ), 0)
                      FROM account_move am
                     WHERE am.move_type = 'out_invoice'
                       AND am.state = 'posted'
                       AND am.company_id = %(company)s
                       AND am.date < %(start)s
                       AND am.invoice_date_due + %(lag)s >= %(start)s
                       AND am.invoice_date_due + %(lag)s < %(end)s
                    """,
                    start=start,
                    end=end,
                    lag=lag,
                    company=company.id,
                )
            )
            forecast = self.env.cr.fetchone()[0]
            self.env.cr.execute(
                SQL(
                    """
                    SELECT COALESCE(SUM(aml.credit), 0)
                      FROM account_move_line aml
                      JOIN account_account acc ON acc.id = aml.account_id
                      JOIN account_move am ON am.id = aml.move_id
                     WHERE acc.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND am.move_type = 'entry'
                       AND aml.company_id = %(company)s
                       AND aml.date >= %(start)s AND aml.date < %(end)s
                    """,
                    start=start,
                    end=end,
                    company=company.id,
                )
            )
            collected = self.env.cr.fetchone()[0]
            result.append({"week": start, "forecast": forecast, "collected": collected})
        return result
