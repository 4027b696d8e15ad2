# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models

from ...engine import kpi


class DunningDashboard(models.TransientModel):
    """Collections cockpit: key figures of the current company in a form.

    Every figure comes from :meth:`_dunning_kpis`, a handful of aggregate SQL
    queries (five, and one more per six months of sales the DSO counts back
    beyond the last three, whatever the number of debtors, after ``SET LOCAL
    jit = off``), with the trends: the amounts, the overdue share and the days
    delinquent against the end of last month, the promises due this week
    against those due last week, the promises broken this month against last
    month, the open disputes against the end of last month, the actions to
    validate against a week ago. The alerts (per kind the debtors with the most
    open receivables, :meth:`_dunning_alert_summary`) come from the same read:
    ``_compute_kpis`` passes their query to :meth:`_dunning_kpis`, which sums
    the open lines per debtor once for the figures, the top debtors and the
    alerts' amounts. A collector without the manager rights always sees their
    own portfolio.

    Read-only (``api.readonly``): opening or refreshing it (``onchange``) and
    its drill-downs (``action_open_*``) write nothing, so that Odoo 18 serves
    them from the read-only replica when ``db_replica_host`` is set.
    """

    _name = "dunning.dashboard"
    _description = "Collections dashboard"
    _inherit = ["dunning.cockpit.alerts", "dunning.cockpit.figures"]

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
    dso_previous = fields.Float(
        string="DSO last month",
        compute="_compute_kpis",
        help="At the end of last month. The figures of last month (and of "
        "each month of the month by month report) are stored every night; a "
        "payment reconciled or an invoice posted later but dated in a stored "
        "month drops that month and the following ones, rebuilt from the "
        "ledger until the next night stores them again. Today's figures are "
        "always read live.",
    )
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
    forecast_method_summary = fields.Char(
        string="Cash-in forecast",
        compute="_compute_forecast_method_summary",
        help="The method the cash-in forecast uses and its figures in the "
        "last back-test (forecast made each Monday against the cash collected).",
    )

    @api.constrains("company_id")
    def _check_company_access(self):
        for dashboard in self:
            self._dunning_check_company(dashboard.company_id)

    @api.depends("company_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # Saved by a button of the form: the breadcrumb names the screen, not
        # the record ("dunning.dashboard,2").
        for dashboard in self:
            dashboard.display_name = self.env._(
                "Cockpit of %(company)s", company=dashboard.company_id.name or ""
            )

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
            # One read of the figures and the alerts: the open lines are
            # summed per debtor once, for both (the alerts' amounts at
            # stake are the debtors' open receivables).
            values = self._dunning_kpis(
                company,
                alerts=self._dunning_alerts_sql(company, **filters),
                alert_limit=self._dunning_alert_limit(),
                **filters,
            )
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
            dashboard.alerts = dashboard._render_alerts(
                self._dunning_alert_entries(values["alert_rows"])
            )
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

    @api.depends("company_id")
    def _compute_forecast_method_summary(self):
        """The forecast's method and its back-test figures: one read of the
        company's stored back-test rows."""
        Report = self.env["dunning.forecast.report"]
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            dashboard.forecast_method_summary = Report._dunning_forecast_method(
                company
            )["summary"]

    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        """Open or refresh the dashboard: the figures are computed on a new
        record, nothing is written, so that Odoo 18 may serve the request
        from a read-only replica (``db_replica_host``)."""
        return super().onchange(values, field_names, fields_spec)

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
            {"rows": top, "columns": columns, "money": self._dunning_money},
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

    @api.readonly
    def action_open_forecast_backtest(self):
        """The back-test chart of the dashboard's company."""
        self.ensure_one()
        company = self.company_id or self.env.company
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_forecast_backtest_action"
        )
        action["domain"] = [("company_id", "=", company.id)]
        return action

    @api.readonly
    def action_open_receivables(self):
        return self._report_action(self.env._("Receivables"), [])

    @api.readonly
    def action_open_overdue(self):
        return self._report_action(
            self.env._("Overdue receivables"), [("is_overdue", "=", True)]
        )

    @api.readonly
    def action_open_at_risk(self):
        return self._report_action(
            self.env._("Receivables at risk"), [("is_at_risk", "=", True)]
        )

    @api.readonly
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

    @api.readonly
    def action_open_promises_broken(self):
        return self._report_action(
            self.env._("Broken promises"),
            [("state", "=", "broken")],
            model="dunning.promise",
        )

    @api.readonly
    def action_open_disputes(self):
        return self._report_action(
            self.env._("Open disputes"),
            [("state", "=", "open")],
            model="dunning.dispute",
        )

    @api.readonly
    def action_open_actions_today(self):
        return self._report_action(
            self.env._("Actions to validate"),
            [
                ("state", "in", ("draft", "error")),
                ("date", "<=", fields.Date.context_today(self)),
            ],
            model="dunning.action",
        )
