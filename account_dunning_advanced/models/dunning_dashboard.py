# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import kpi


class DunningDashboard(models.TransientModel):
    """Collections cockpit: key figures of the current company in a form.

    Every figure comes from :meth:`_dunning_kpis`, a handful of aggregate SQL
    queries (six with a collector, scenario or debtors filter, five without).
    """

    _name = "dunning.dashboard"
    _description = "Collections dashboard"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    collector_id = fields.Many2one("res.users")
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

    @api.depends("company_id", "collector_id", "scenario_id")
    def _compute_kpis(self):
        for dashboard in self:
            values = self._dunning_kpis(
                dashboard.company_id or self.env.company,
                collector=dashboard.collector_id,
                scenario=dashboard.scenario_id,
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
            ):
                dashboard[name] = values[name]
            dashboard.top_debtors = dashboard._render_top_debtors(values["top"])

    def _render_top_debtors(self, top):
        if not top:
            return Markup("<p>%s</p>") % self.env._("No overdue debtor.")
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td><td>%s</td></tr>")
            % (
                row["partner"].display_name,
                f"{row['overdue']:,.2f}",
                row["level"].display_name or "",
            )
            for row in top
        )
        return Markup(
            "<table class='table table-sm o_dunning_top_debtors'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th>%s</th></tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (
            escape(self.env._("Debtor")),
            escape(self.env._("Overdue")),
            escape(self.env._("Current level")),
            rows,
        )

    @api.model
    def _dunning_kpis(
        self, company, collector=None, scenario=None, today=None, partners=None
    ):
        """Return the cockpit figures of ``company`` as a dict.

        :param collector: restrict to the debtors of this collector (as shown
            in the receivables analysis).
        :param scenario: restrict to the debtors of this scenario.
        :param today: the reference date (default: today).
        :param partners: restrict to these debtors (commercial partners).
        """
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        cr = self.env.cr
        month_start = today.replace(day=1)
        previous_start = month_start - relativedelta(months=1)
        monday = today - timedelta(days=today.weekday())

        def report_filter(alias):
            filters = [SQL("%s.company_id = %s", SQL(alias), company.id)]
            if collector:
                filters.append(SQL("%s.collector_id = %s", SQL(alias), collector.id))
            if scenario:
                filters.append(SQL("%s.scenario_id = %s", SQL(alias), scenario.id))
            if partners is not None:
                filters.append(
                    SQL("%s.partner_id = ANY(%s)", SQL(alias), partners.ids or [0])
                )
            return SQL(" AND ").join(filters)

        where = report_filter("report")
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
        if collector or scenario or partners is not None:
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
        # 4. Promises, disputes and actions waiting.
        cr.execute(
            SQL(
                """
                SELECT
                    (SELECT COUNT(*) FROM dunning_promise
                      WHERE company_id = %(company)s AND state = 'open'
                        AND date >= %(monday)s AND date < %(next_monday)s
                        AND %(partners)s),
                    (SELECT COUNT(*) FROM dunning_promise
                      WHERE company_id = %(company)s AND state = 'broken'
                        AND %(partners)s),
                    (SELECT COUNT(*) FROM dunning_dispute
                      WHERE company_id = %(company)s AND state = 'open'
                        AND %(partners)s),
                    (SELECT COUNT(*) FROM dunning_action
                      WHERE company_id = %(company)s
                        AND state IN ('draft', 'error') AND date <= %(today)s
                        AND %(partners)s)
                """,
                company=company.id,
                monday=monday,
                next_monday=monday + timedelta(days=7),
                today=today,
                partners=partner_filter("partner_id"),
            )
        )
        promises_week, promises_broken, disputes_open, actions_today = cr.fetchone()
        # 5. Top 10 debtors by overdue amount, with their highest level.
        cr.execute(
            SQL(
                """
                SELECT report.partner_id,
                       SUM(report.overdue_amount),
                       (ARRAY_AGG(report.level_id
                                  ORDER BY lvl.delay_days DESC NULLS LAST))[1]
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
            "top": top,
        }

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
    def _report_action(self, name, domain, model="dunning.receivable.report"):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)] + domain
        if model == "dunning.receivable.report":
            if self.collector_id:
                domain.append(("collector_id", "=", self.collector_id.id))
            if self.scenario_id:
                domain.append(("scenario_id", "=", self.scenario_id.id))
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
