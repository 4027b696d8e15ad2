# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, format_date

from ..engine import kpi


class DunningDashboard(models.TransientModel):
    """Collections cockpit: key figures of the current company in a form.

    Every figure comes from :meth:`_dunning_kpis`, a handful of aggregate SQL
    queries (seven with a collector, scenario or debtors filter, six without,
    whatever the number of debtors), with the trends: the amounts, the
    overdue share and the days delinquent against the end of last month, the
    promises due this week against those due last week, the promises broken
    this month against last month, the open disputes against the end of last
    month, the actions to validate against a week ago;
    the alerts from :meth:`_dunning_alerts` (one query). A collector without
    the manager rights always sees their own portfolio.
    """

    _name = "dunning.dashboard"
    _description = "Collections dashboard"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    collector_id = fields.Many2one(
        "res.users",
        default=lambda self: self._default_collector(),
        help="A collector (without the manager rights) always sees their own "
        "portfolio.",
    )
    scenario_id = fields.Many2one(
        "dunning.scenario",
        domain="[('company_id', '=', company_id)]",
    )
    total_receivable = fields.Monetary(string="Receivables", compute="_compute_kpis")
    overdue_amount = fields.Monetary(string="Overdue", compute="_compute_kpis")
    overdue_share = fields.Float(string="Overdue share (%)", compute="_compute_kpis")
    at_risk_amount = fields.Monetary(string="At risk (90+)", compute="_compute_kpis")
    dso = fields.Float(string="DSO (days)", compute="_compute_kpis")
    dso_previous = fields.Float(string="DSO last month", compute="_compute_kpis")
    avg_days_late = fields.Float(
        string="Average days delinquent",
        compute="_compute_kpis",
        help="Days late of the overdue amounts, weighted by amount.",
    )
    collected_month = fields.Monetary(
        string="Collected this month", compute="_compute_kpis"
    )
    collected_previous = fields.Monetary(
        string="Collected last month", compute="_compute_kpis"
    )
    promises_week = fields.Integer(
        string="Promises due this week", compute="_compute_kpis"
    )
    promises_broken = fields.Integer(string="Broken promises", compute="_compute_kpis")
    disputes_open = fields.Integer(string="Open disputes", compute="_compute_kpis")
    actions_today = fields.Integer(
        string="Actions to validate today", compute="_compute_kpis"
    )
    top_debtors = fields.Html(
        string="Top 10 debtors", compute="_compute_kpis", sanitize=False
    )
    total_receivable_previous = fields.Monetary(
        string="Receivables at the end of last month", compute="_compute_kpis"
    )
    overdue_amount_previous = fields.Monetary(
        string="Overdue at the end of last month", compute="_compute_kpis"
    )
    at_risk_amount_previous = fields.Monetary(
        string="At risk at the end of last month", compute="_compute_kpis"
    )
    total_receivable_trend = fields.Char(string="Trend", compute="_compute_kpis")
    overdue_amount_trend = fields.Char(string="Overdue trend", compute="_compute_kpis")
    at_risk_amount_trend = fields.Char(string="At risk trend", compute="_compute_kpis")
    dso_trend = fields.Char(string="DSO trend", compute="_compute_kpis")
    collected_trend = fields.Char(string="Collected trend", compute="_compute_kpis")
    overdue_share_previous = fields.Float(
        string="Overdue share at the end of last month (%)", compute="_compute_kpis"
    )
    avg_days_late_previous = fields.Float(
        string="Average days delinquent at the end of last month",
        compute="_compute_kpis",
    )
    promises_last_week = fields.Integer(
        string="Promises due last week",
        compute="_compute_kpis",
        help="Promises that fell due last week, kept, broken or still open.",
    )
    promises_broken_month = fields.Integer(
        string="Promises broken this month", compute="_compute_kpis"
    )
    promises_broken_previous = fields.Integer(
        string="Promises broken last month", compute="_compute_kpis"
    )
    disputes_open_previous = fields.Integer(
        string="Disputes open at the end of last month", compute="_compute_kpis"
    )
    actions_week_ago = fields.Integer(
        string="Actions to validate a week ago",
        compute="_compute_kpis",
        help="Actions dated a week ago or before that were still waiting for "
        "validation at the end of that day.",
    )
    overdue_share_trend = fields.Char(
        string="Overdue share trend", compute="_compute_kpis"
    )
    avg_days_late_trend = fields.Char(
        string="Days delinquent trend", compute="_compute_kpis"
    )
    promises_week_trend = fields.Char(
        string="Promises due trend",
        compute="_compute_kpis",
        help="Against the promises that fell due last week.",
    )
    promises_broken_trend = fields.Char(
        string="Broken promises trend",
        compute="_compute_kpis",
        help="Promises broken this month against last month.",
    )
    disputes_open_trend = fields.Char(
        string="Open disputes trend",
        compute="_compute_kpis",
        help="Against the disputes open at the end of last month.",
    )
    actions_today_trend = fields.Char(
        string="Actions to validate trend",
        compute="_compute_kpis",
        help="Against the actions that were waiting for validation a week ago.",
    )
    alerts = fields.Html(compute="_compute_kpis", sanitize=False)

    @api.model
    def _dunning_check_company(self, company, user=None):
        """Refuse the figures of a company the user may not see.

        The figures are computed in SQL, so the record rules do not protect
        them: every entry point (the figures, the alerts, the top debtors,
        the lists opened from the dashboard, the digests) calls this first.

        :param company: the company whose figures are asked.
        :param user: the user who will see them (default: the current user,
            checked against the companies of the request too). The
            superuser (trusted server code) is not checked unless ``user``
            is given.
        :raise AccessError: the user does not have access to ``company``.
        """
        company.ensure_one()
        if user is None:
            if self.env.su:
                return True
            user = self.env.user
            allowed = user.company_ids & self.env.companies
        else:
            allowed = user.company_ids if user.active else user.browse()
        if company not in allowed or not user.has_group(
            "account_dunning_advanced.group_dunning_user"
        ):
            raise AccessError(
                self.env._(
                    "%(user)s may not see the collections figures of "
                    "%(company)s: the company is not among the user's allowed "
                    "companies, or the user is not a collections user.",
                    user=user.name,
                    # Not the name of a company the user may not see.
                    company=company.sudo().name
                    if company in user.company_ids
                    else f"#{company.id}",
                )
            )
        return True

    @api.constrains("company_id")
    def _check_company_access(self):
        for dashboard in self:
            self._dunning_check_company(dashboard.company_id)

    @api.model
    def _default_collector(self):
        if self.env.user.has_group("account_dunning_advanced.group_dunning_manager"):
            return False
        return self.env.user

    def _effective_collector(self):
        """The collector filter: forced to the user for a non-manager."""
        self.ensure_one()
        return self._default_collector() or self.collector_id

    def _dunning_filters(self):
        """Return the filters of this dashboard, as keyword arguments of
        :meth:`_dunning_kpis`, :meth:`_dunning_alerts` and
        :meth:`_dunning_report_filter` (addons add theirs)."""
        self.ensure_one()
        return {
            "collector": self._effective_collector(),
            "scenario": self.scenario_id,
        }

    @api.model
    def _dunning_filter_fields(self):
        """The fields filtering the figures (addons add theirs)."""
        return ["company_id", "collector_id", "scenario_id"]

    @api.depends(lambda self: self._dunning_filter_fields())
    def _compute_kpis(self):
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            self._dunning_check_company(company)
            filters = dashboard._dunning_filters()
            values = self._dunning_kpis(company, **filters)
            for name in (
                "total_receivable",
                "overdue_amount",
                "overdue_share",
                "at_risk_amount",
                "dso",
                "dso_previous",
                "avg_days_late",
                "collected_month",
                "collected_previous",
                "promises_week",
                "promises_broken",
                "disputes_open",
                "actions_today",
                "total_receivable_previous",
                "overdue_amount_previous",
                "at_risk_amount_previous",
                "overdue_share_previous",
                "avg_days_late_previous",
                "promises_last_week",
                "promises_broken_month",
                "promises_broken_previous",
                "disputes_open_previous",
                "actions_week_ago",
            ):
                dashboard[name] = values[name]
            dashboard.top_debtors = dashboard._render_top_debtors(values["top"])
            trend = self._trend_label
            dashboard.total_receivable_trend = trend(
                values["total_receivable"], values["total_receivable_previous"]
            )
            dashboard.overdue_amount_trend = trend(
                values["overdue_amount"], values["overdue_amount_previous"]
            )
            dashboard.at_risk_amount_trend = trend(
                values["at_risk_amount"], values["at_risk_amount_previous"]
            )
            dashboard.dso_trend = trend(values["dso"], values["dso_previous"])
            dashboard.collected_trend = trend(
                values["collected_month"], values["collected_previous"]
            )
            dashboard.overdue_share_trend = trend(
                values["overdue_share"], values["overdue_share_previous"]
            )
            dashboard.avg_days_late_trend = trend(
                values["avg_days_late"], values["avg_days_late_previous"]
            )
            dashboard.promises_week_trend = trend(
                values["promises_week"], values["promises_last_week"]
            )
            dashboard.promises_broken_trend = trend(
                values["promises_broken_month"], values["promises_broken_previous"]
            )
            dashboard.disputes_open_trend = trend(
                values["disputes_open"], values["disputes_open_previous"]
            )
            dashboard.actions_today_trend = trend(
                values["actions_today"], values["actions_week_ago"]
            )
            dashboard.alerts = dashboard._render_alerts(
                self._dunning_alerts(company, **filters)
            )

    @api.model
    def _trend_label(self, current, previous):
        """Return an arrow and the change in percent, e.g. ``▲ +12.5 %``."""
        if not previous:
            return "▲" if current else "="
        change = kpi.trend(current, previous)
        if abs(change) < 0.05:
            return "= 0.0 %"
        return f"{'▲' if change > 0 else '▼'} {change:+.1f} %"

    def _render_top_debtors(self, top):
        """Return the top debtors as HTML, from the QWeb template
        ``account_dunning_advanced.dunning_dashboard_top_debtors``, with the
        extra columns of :meth:`_top_debtor_columns`.

        :param top: ``[{partner, overdue, level}]`` of :meth:`_dunning_kpis`.
        """
        columns = []
        if top:
            company = self.company_id or self.env.company
            self._dunning_check_company(company)
            columns = self._top_debtor_columns(top, company=company)
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_dashboard_top_debtors",
            {"rows": top, "columns": columns},
        )

    @api.model
    def _dunning_report_filter(
        self, alias, company, collector=None, scenario=None, partners=None, **filters
    ):
        """Return the SQL condition on the receivables analysis ``alias``.

        :param collector: the debtors of this collector (as shown in the
            receivables analysis).
        :param scenario: the debtors of this scenario.
        :param partners: these debtors (commercial partners).
        :param filters: the filters of other addons (e.g. the grade).
        """
        conditions = [SQL("%s.company_id = %s", SQL(alias), company.id)]
        if collector:
            conditions.append(SQL("%s.collector_id = %s", SQL(alias), collector.id))
        if scenario:
            conditions.append(SQL("%s.scenario_id = %s", SQL(alias), scenario.id))
        if partners is not None:
            conditions.append(
                SQL("%s.partner_id = ANY(%s)", SQL(alias), partners.ids or [0])
            )
        return SQL(" AND ").join(conditions)

    @api.model
    def _dunning_is_filtered(self, partners=None, **filters):
        """Whether the filters select some debtors rather than all."""
        return partners is not None or any(filters.values())

    @api.model
    def _dunning_kpis(self, company, today=None, **filters):
        """Return the cockpit figures of ``company`` as a dict.

        :param today: the reference date (default: today).
        :param filters: ``collector``, ``scenario``, ``partners`` and those of
            other addons, see :meth:`_dunning_report_filter`: every figure is
            restricted to the debtors they select.
        """
        self._dunning_check_company(company)
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        cr = self.env.cr
        month_start = today.replace(day=1)
        previous_start = month_start - relativedelta(months=1)
        monday = today - timedelta(days=today.weekday())

        where = self._dunning_report_filter("report", company, **filters)
        # 1. Open receivables, from the analysis view.
        cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(amount_residual), 0),
                       COALESCE(SUM(overdue_amount), 0),
                       COALESCE(SUM(at_risk_amount), 0),
                       COALESCE(SUM(overdue_amount * days_late)
                                / NULLIF(SUM(overdue_amount), 0), 0)
                  FROM dunning_receivable_report report
                 WHERE %s
                """,
                where,
            )
        )
        total, overdue, at_risk, avg_days = cr.fetchone()
        partner_ids = None
        if self._dunning_is_filtered(**filters):
            cr.execute(
                SQL(
                    "SELECT DISTINCT partner_id FROM dunning_receivable_report report "
                    "WHERE %s",
                    where,
                )
            )
            partner_ids = [row[0] for row in cr.fetchall()] or [0]

        def partner_filter(column):
            if partner_ids is None:
                return SQL("TRUE")
            return SQL("%s = ANY(%s)", SQL(column), partner_ids)

        # 2. Monthly sales over two years, for the DSO now and a month ago.
        cr.execute(
            SQL(
                """
                SELECT date_trunc('month', am.date)::date,
                       SUM(am.amount_total_signed)
                  FROM account_move am
                 WHERE am.move_type IN ('out_invoice', 'out_refund')
                   AND am.state = 'posted'
                   AND am.company_id = %s
                   AND am.date >= %s AND am.date <= %s
                   AND %s
                 GROUP BY 1
                """,
                company.id,
                month_start - relativedelta(months=24),
                today,
                partner_filter("am.commercial_partner_id"),
            )
        )
        sales = dict(cr.fetchall())
        # 3. Receivables balance at the end of last month, and cash collected
        # (credits of payments on receivable lines) this month and last month.
        cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(aml.balance)
                           FILTER (WHERE aml.date < %(month)s), 0),
                       COALESCE(SUM(aml.credit) FILTER (
                           WHERE am.move_type = 'entry'
                             AND aml.date >= %(month)s AND aml.date <= %(today)s
                       ), 0),
                       COALESCE(SUM(aml.credit) FILTER (
                           WHERE am.move_type = 'entry'
                             AND aml.date >= %(previous)s AND aml.date < %(month)s
                       ), 0)
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company)s
                   AND aml.date <= %(today)s
                   AND %(partners)s
                """,
                month=month_start,
                previous=previous_start,
                today=today,
                company=company.id,
                partners=partner_filter("partner.commercial_partner_id"),
            )
        )
        receivable_previous, collected, collected_previous = cr.fetchone()
        # 3b. The stocks at the end of last month, rebuilt from the receivable
        # lines dated up to then and the reconciliations dated up to then.
        previous_end = month_start - timedelta(days=1)
        total_prev, overdue_prev, at_risk_prev, avg_days_prev = self._dunning_stocks_at(
            company, previous_end, partner_filter("partner.commercial_partner_id")
        )
        # 4. Promises, disputes and actions waiting, now and in the period
        # they are compared with (one query).
        week_ago = today - timedelta(days=7)
        cr.execute(
            SQL(
                """
                SELECT promise.*, dispute.*, action.*
                  FROM (
                    SELECT COUNT(*) FILTER (
                               WHERE state = 'open'
                                 AND date >= %(monday)s AND date < %(next_monday)s),
                           COUNT(*) FILTER (
                               WHERE state != 'cancel'
                                 AND date >= %(last_monday)s AND date < %(monday)s),
                           COUNT(*) FILTER (WHERE state = 'broken'),
                           COUNT(*) FILTER (
                               WHERE state = 'broken'
                                 AND date_broken >= %(month)s
                                 AND date_broken <= %(today)s),
                           COUNT(*) FILTER (
                               WHERE state = 'broken'
                                 AND date_broken >= %(previous)s
                                 AND date_broken < %(month)s)
                      FROM dunning_promise
                     WHERE company_id = %(company)s AND %(partners)s
                  ) promise,
                  (
                    SELECT COUNT(*) FILTER (WHERE state = 'open'),
                           COUNT(*) FILTER (
                               WHERE create_date < %(month)s
                                 AND (state = 'open' OR date_closed >= %(month)s))
                      FROM dunning_dispute
                     WHERE company_id = %(company)s AND %(partners)s
                  ) dispute,
                  (
                    SELECT COUNT(*) FILTER (
                               WHERE state IN ('draft', 'error')
                                 AND date <= %(today)s),
                           COUNT(*) FILTER (
                               WHERE date <= %(week_ago)s
                                 AND create_date < %(week_ago_end)s
                                 AND (state IN ('draft', 'error')
                                      OR (state = 'done'
                                          AND executed_at >= %(week_ago_end)s)
                                      OR (state = 'cancel'
                                          AND write_date >= %(week_ago_end)s)))
                      FROM dunning_action
                     WHERE company_id = %(company)s AND %(partners)s
                  ) action
                """,
                company=company.id,
                monday=monday,
                next_monday=monday + timedelta(days=7),
                last_monday=monday - timedelta(days=7),
                month=month_start,
                previous=previous_start,
                today=today,
                week_ago=week_ago,
                week_ago_end=week_ago + timedelta(days=1),
                partners=partner_filter("partner_id"),
            )
        )
        (
            promises_week,
            promises_last_week,
            promises_broken,
            broken_month,
            broken_previous,
            disputes_open,
            disputes_previous,
            actions_today,
            actions_week_ago,
        ) = cr.fetchone()
        # 5. Top 10 debtors by overdue amount, with their highest level.
        cr.execute(
            SQL(
                """
                SELECT report.partner_id,
                       SUM(report.overdue_amount),
                       (ARRAY_AGG(report.level_id
                                  ORDER BY lvl.delay_days DESC NULLS LAST,
                                           report.level_date DESC NULLS LAST))[1]
                  FROM dunning_receivable_report report
                  LEFT JOIN dunning_level lvl ON lvl.id = report.level_id
                 WHERE %s
                 GROUP BY report.partner_id
                HAVING SUM(report.overdue_amount) > 0
                 ORDER BY 2 DESC, 1
                 LIMIT 10
                """,
                where,
            )
        )
        top = [
            {
                "partner": self.env["res.partner"].browse(partner_id),
                "overdue": amount,
                "level": self.env["dunning.level"].browse(level_id),
            }
            for partner_id, amount, level_id in cr.fetchall()
        ]
        return {
            "total_receivable": total,
            "overdue_amount": overdue,
            "overdue_share": overdue / total * 100.0 if total else 0.0,
            "at_risk_amount": at_risk,
            "avg_days_late": avg_days,
            "dso": kpi.dso_count_back(total, self._monthly_sales(sales, today)),
            "dso_previous": kpi.dso_count_back(
                receivable_previous,
                self._monthly_sales(sales, month_start - timedelta(days=1)),
            ),
            "collected_month": collected,
            "collected_previous": collected_previous,
            "promises_week": promises_week,
            "promises_broken": promises_broken,
            "disputes_open": disputes_open,
            "actions_today": actions_today,
            "promises_last_week": promises_last_week,
            "promises_broken_month": broken_month,
            "promises_broken_previous": broken_previous,
            "disputes_open_previous": disputes_previous,
            "actions_week_ago": actions_week_ago,
            "avg_days_late_previous": avg_days_prev,
            "overdue_share_previous": (
                overdue_prev / total_prev * 100.0 if total_prev else 0.0
            ),
            "top": top,
            "total_receivable_previous": total_prev,
            "overdue_amount_previous": overdue_prev,
            "at_risk_amount_previous": at_risk_prev,
        }

    @api.model
    def _dunning_stocks_at(self, company, date, partner_filter):
        """Return the receivables, overdue and at-risk amounts at ``date``.

        And the average days delinquent then (days late of the overdue
        amounts, weighted by amount).

        The open amount of a line at ``date``: its balance less the partial
        reconciliations dated up to ``date`` (lines reconciled since then
        were still open). One query: the lines still open then are read
        once (materialized), their reconciliations joined and summed in one
        pass (no subquery per line).
        """
        self.env.cr.execute(
            SQL(
                """
                WITH line AS MATERIALIZED (
                    SELECT aml.id,
                           COALESCE(aml.date_maturity, aml.date) AS due,
                           aml.balance
                      FROM account_move_line aml
                      JOIN account_account acc ON acc.id = aml.account_id
                      JOIN res_partner partner ON partner.id = aml.partner_id
                     WHERE acc.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND aml.company_id = %(company)s
                       AND aml.date <= %(date)s
                       AND (NOT aml.reconciled OR aml.id IN (
                            SELECT later.debit_move_id
                              FROM account_partial_reconcile later
                             WHERE later.max_date > %(date)s
                            UNION ALL
                            SELECT later.credit_move_id
                              FROM account_partial_reconcile later
                             WHERE later.max_date > %(date)s))
                       AND %(partners)s
                ),
                part AS (
                    SELECT part.debit_move_id AS line_id, part.amount
                      FROM account_partial_reconcile part
                      JOIN line ON line.id = part.debit_move_id
                     WHERE part.max_date <= %(date)s
                    UNION ALL
                    SELECT part.credit_move_id, -part.amount
                      FROM account_partial_reconcile part
                      JOIN line ON line.id = part.credit_move_id
                     WHERE part.max_date <= %(date)s
                ),
                paid AS (
                    SELECT line_id, SUM(amount) AS amount
                      FROM part
                     GROUP BY line_id
                ),
                open_line AS (
                    SELECT line.due,
                           line.balance - COALESCE(paid.amount, 0) AS residual
                      FROM line
                      LEFT JOIN paid ON paid.line_id = line.id
                )
                SELECT COALESCE(SUM(residual), 0),
                       COALESCE(SUM(residual)
                           FILTER (WHERE residual > 0 AND due < %(date)s), 0),
                       COALESCE(SUM(residual)
                           FILTER (WHERE residual > 0 AND %(date)s - due > 90), 0),
                       COALESCE(SUM(residual * (%(date)s - due))
                           FILTER (WHERE residual > 0 AND due < %(date)s)
                           / NULLIF(SUM(residual)
                               FILTER (WHERE residual > 0 AND due < %(date)s), 0),
                           0)
                  FROM open_line
                """,
                date=date,
                company=company.id,
                partners=partner_filter,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _dunning_alert_kinds(self):
        return {
            "over_90": self.env._("Newly more than 90 days late"),
            "promise_broken": self.env._("Promise broken"),
            "bounced": self.env._("E-mail bounced"),
            "lapsing": self.env._("Claims about to lapse"),
        }

    @api.model
    def _dunning_alerts(self, company, today=None, **filters):
        """Return the alerts of the last 7 days as ``[(kind, partner)]``.

        Kinds (see :meth:`_dunning_alert_kinds`): ``over_90`` an open invoice
        crossed 90 days late, ``promise_broken`` a promise broken,
        ``bounced`` the debtor's address bounces or a reminder e-mail failed,
        ``lapsing`` an open invoice's claim lapses within three months (see
        ``account.move._dunning_limitation_alert_date``).
        Restricted to the debtors selected by ``filters`` (see
        :meth:`_dunning_report_filter`) when given.
        """
        self._dunning_check_company(company)
        today = today or fields.Date.context_today(self)
        week_ago = today - timedelta(days=6)
        self.env.flush_all()
        portfolio = self._dunning_portfolio(company, **filters)
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT 'over_90', report.partner_id
                  FROM dunning_receivable_report report
                  JOIN res_partner partner ON partner.id = report.partner_id
                 WHERE report.company_id = %(company)s
                   AND report.amount_residual > 0
                   AND report.date_due BETWEEN %(over_from)s AND %(over_to)s
                   AND %(portfolio)s
                UNION
                SELECT DISTINCT 'promise_broken', partner.id
                  FROM dunning_promise promise
                  JOIN res_partner partner ON partner.id = promise.partner_id
                 WHERE promise.company_id = %(company)s
                   AND promise.state = 'broken'
                   AND promise.date_broken BETWEEN %(week_ago)s AND %(today)s
                   AND %(portfolio)s
                UNION
                SELECT DISTINCT 'bounced', partner.id
                  FROM res_partner partner
                 WHERE partner.message_bounce > 0
                   AND partner.id IN (SELECT partner_id
                                        FROM dunning_receivable_report
                                       WHERE company_id = %(company)s)
                   AND %(portfolio)s
                UNION
                SELECT DISTINCT 'bounced', partner.id
                  FROM dunning_action action
                  JOIN mail_mail mail
                    ON mail.mail_message_id = action.message_id
                  JOIN res_partner partner ON partner.id = action.partner_id
                 WHERE action.company_id = %(company)s
                   AND mail.state = 'exception'
                   AND action.date BETWEEN %(week_ago)s AND %(today)s
                   AND %(portfolio)s
                UNION
                SELECT DISTINCT 'lapsing', partner.id
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.commercial_partner_id
                 WHERE move.company_id = %(company)s
                   AND move.state = 'posted'
                   AND move.payment_state IN ('not_paid', 'partial')
                   AND move.dunning_limitation_date BETWEEN %(today)s AND %(lapse_to)s
                   AND %(portfolio)s
                """,
                company=company.id,
                over_from=today - timedelta(days=97),
                over_to=today - timedelta(days=91),
                week_ago=week_ago,
                today=today,
                portfolio=portfolio,
                lapse_to=self.env["account.move"]._dunning_limitation_alert_date(today),
            )
        )
        rows = self.env.cr.fetchall()
        # One recordset: the names are read in one query (prefetch).
        partners = {
            p.id: p for p in self.env["res.partner"].browse({r[1] for r in rows})
        }
        return sorted(
            ((kind, partners[partner_id]) for kind, partner_id in rows),
            key=lambda item: (item[1].display_name or "", item[0]),
        )

    @api.model
    def _dunning_portfolio(self, company, **filters):
        """Return the SQL condition on ``partner.id``: the debtors selected."""
        if not self._dunning_is_filtered(**filters):
            return SQL("TRUE")
        return SQL(
            "partner.id IN (SELECT report.partner_id "
            "FROM dunning_receivable_report report WHERE %s)",
            self._dunning_report_filter("report", company, **filters),
        )

    @api.model
    def _dunning_setup_alerts(self, company, today=None):
        """Return the warnings about the setup, shown above the alerts.

        A half-year without rates, from ten days before it starts.
        """
        return [
            self.env._(
                "No rate for the half-year starting on %(date)s: enter the "
                "late-payment reference rates.",
                date=format_date(self.env, date_from),
            )
            for date_from in self.env["dunning.interest.rate"]
            .with_company(company)
            ._get_missing_half_years(today)
        ]

    def _render_alerts(self, alerts):
        """Return the alerts as HTML, under the setup warnings of the
        dashboard's company, from the QWeb template
        ``account_dunning_advanced.dunning_dashboard_alerts``.

        :param alerts: ``[(kind, partner)]`` of :meth:`_dunning_alerts`.
        """
        company = self[:1].company_id or self.env.company
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_dashboard_alerts",
            {
                "setup_warnings": self._dunning_setup_alerts(company),
                "alerts": alerts,
                "kinds": self._dunning_alert_kinds() if alerts else {},
            },
        )

    @api.model
    def _top_debtor_columns(self, top, company=None):
        """Extra columns of the top debtors: ``[(header, {partner_id: text})]``.

        Data only: the template ``dunning_dashboard_top_debtors`` adds a
        header cell and a cell per debtor for each column (texts escaped).

        :param company: the dashboard's company (default: the current one);
            every column shows the figures of this company.
        """
        return []

    @api.model
    def _monthly_sales(self, sales, end, months=24):
        """Return ``[(sales, days)]`` newest first, from the month of ``end``."""
        result = []
        start = end.replace(day=1)
        for index in range(months):
            month = start - relativedelta(months=index)
            days = (
                end.day
                if index == 0
                else ((month + relativedelta(months=1)) - month).days
            )
            result.append((sales.get(month, 0.0), days))
        return result

    # Drill-downs
    def _dunning_report_domain(self):
        """Return the domain of this dashboard's filters on the analysis."""
        self.ensure_one()
        domain = []
        collector = self._effective_collector()
        if collector:
            domain.append(("collector_id", "=", collector.id))
        if self.scenario_id:
            domain.append(("scenario_id", "=", self.scenario_id.id))
        return domain

    def _report_action(self, name, domain, model="dunning.receivable.report"):
        self.ensure_one()
        self._dunning_check_company(self.company_id)
        domain = [("company_id", "=", self.company_id.id)] + domain
        filters = self._dunning_report_domain()
        if model == "dunning.receivable.report":
            domain += filters
        elif filters:
            # The debtors the figure counted: those of the analysis.
            groups = self.env["dunning.receivable.report"]._read_group(
                [("company_id", "=", self.company_id.id)] + filters, ["partner_id"]
            )
            domain.append(("partner_id", "in", [partner.id for [partner] in groups]))
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    def action_open_receivables(self):
        return self._report_action(self.env._("Receivables"), [])

    def action_open_overdue(self):
        return self._report_action(
            self.env._("Overdue receivables"), [("is_overdue", "=", True)]
        )

    def action_open_at_risk(self):
        return self._report_action(
            self.env._("Receivables at risk"), [("is_at_risk", "=", True)]
        )

    def action_open_promises_week(self):
        monday = fields.Date.context_today(self) - timedelta(
            days=fields.Date.context_today(self).weekday()
        )
        return self._report_action(
            self.env._("Promises due this week"),
            [
                ("state", "=", "open"),
                ("date", ">=", monday),
                ("date", "<", monday + timedelta(days=7)),
            ],
            model="dunning.promise",
        )

    def action_open_promises_broken(self):
        return self._report_action(
            self.env._("Broken promises"),
            [("state", "=", "broken")],
            model="dunning.promise",
        )

    def action_open_disputes(self):
        return self._report_action(
            self.env._("Open disputes"),
            [("state", "=", "open")],
            model="dunning.dispute",
        )

    def action_open_actions_today(self):
        return self._report_action(
            self.env._("Actions to validate"),
            [
                ("state", "in", ("draft", "error")),
                ("date", "<=", fields.Date.context_today(self)),
            ],
            model="dunning.action",
        )
