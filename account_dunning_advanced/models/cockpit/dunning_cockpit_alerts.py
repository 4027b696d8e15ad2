# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cockpit's alerts: what changed and needs a look."""

from datetime import timedelta
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, formatLang

# The queries of the alerts, one per source, each selecting rows (kind,
# partner_id); their parameters: dunning.cockpit.alerts._dunning_alert_queries.
ALERT_QUERIES = (
    """
    SELECT DISTINCT 'over_90', report.partner_id
      FROM %(report)s report
      JOIN res_partner partner ON partner.id = report.partner_id
     WHERE report.company_id = %(company)s
       AND report.amount_residual > 0
       AND report.date_due BETWEEN %(over_from)s AND %(over_to)s
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'promise_broken', partner.id
      FROM dunning_promise promise
      JOIN res_partner partner ON partner.id = promise.partner_id
     WHERE promise.company_id = %(company)s
       AND promise.state = 'broken'
       AND promise.date_broken BETWEEN %(week_ago)s AND %(today)s
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'bounced', partner.id
      FROM res_partner partner
     WHERE partner.message_bounce > 0
       AND partner.id IN (SELECT partner_id
                            FROM %(report)s report
                           WHERE report.company_id = %(company)s)
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'bounced', partner.id
      FROM dunning_action action
      JOIN mail_mail mail
        ON mail.mail_message_id = action.message_id
      JOIN res_partner partner ON partner.id = action.partner_id
     WHERE action.company_id = %(company)s
       AND mail.state = 'exception'
       AND action.date BETWEEN %(week_ago)s AND %(today)s
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'lapsing', partner.id
      FROM account_move move
      JOIN res_partner partner ON partner.id = move.commercial_partner_id
     WHERE move.company_id = %(company)s
       AND move.state = 'posted'
       AND move.dunning_limitation_date BETWEEN %(today)s AND %(lapse_to)s
       AND EXISTS (
           SELECT 1
             FROM account_move_line aml
            WHERE aml.move_id = move.id
              AND %(collectible)s
       )
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'proceedings', partner.id
      FROM dunning_proceeding proceeding
      JOIN res_partner partner ON partner.id = proceeding.partner_id
     WHERE proceeding.company_id = %(company)s
       AND (proceeding.state = 'to_confirm'
            OR (proceeding.state = 'open'
                AND proceeding.judgment_date
                    BETWEEN %(week_ago)s AND %(today)s))
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'receipt_pending', partner.id
      FROM dunning_registered_letter letter
      JOIN res_partner partner ON partner.id = letter.partner_id
     WHERE letter.company_id = %(company)s
       AND letter.state = 'posted'
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'insurance_over_limit', partner.id
      FROM dunning_credit_limit credit
      JOIN res_partner partner ON partner.id = credit.partner_id
     WHERE %(insured)s
       AND credit.amount < (
           SELECT COALESCE(SUM(aml.amount_residual), 0)
             FROM account_move_line aml
             JOIN res_partner debtor ON debtor.id = aml.partner_id
            WHERE debtor.commercial_partner_id = partner.id
              AND %(collectible_company)s
       )
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'insurance_declaration', partner.id
      FROM dunning_credit_limit credit
      JOIN dunning_credit_policy policy ON policy.id = credit.policy_id
      JOIN res_partner partner ON partner.id = credit.partner_id
     WHERE %(insured)s
       AND credit.declaration_date IS NULL
       AND EXISTS (
           SELECT 1
             FROM account_move_line aml
             JOIN res_partner debtor ON debtor.id = aml.partner_id
            WHERE debtor.commercial_partner_id = partner.id
              AND %(overdue)s
              AND %(due_date)s + policy.declaration_days
                  - policy.notice_days <= %(today)s
       )
       AND %(portfolio)s
    """,
    """
    SELECT DISTINCT 'terms_over_legal_max', partner.id
      FROM account_move move
      JOIN res_partner partner ON partner.id = move.commercial_partner_id
     WHERE move.company_id = %(company)s
       AND move.move_type = 'out_invoice'
       AND move.state = 'posted'
       AND move.invoice_date BETWEEN %(week_ago)s AND %(today)s
       AND %(terms_over_max)s
       AND %(portfolio)s
    """,
)


class DunningCockpitAlerts(models.AbstractModel):
    """The alerts of the cockpit and the digests, in one query.

    Kinds are listed by :meth:`_dunning_alert_kinds` (other addons add
    theirs) and rendered by the QWeb template ``dunning_dashboard_alerts``.
    """

    _name = "dunning.cockpit.alerts"
    # The company check and the filters of the figures guard the alerts too.
    _inherit = "dunning.cockpit.figures"
    _description = "Collections cockpit: alerts"

    @api.model
    def _dunning_alert_kinds(self):
        return {
            "over_90": self.env._("Newly more than 90 days late"),
            "promise_broken": self.env._("Promise broken"),
            "bounced": self.env._("E-mail bounced"),
            "lapsing": self.env._("Claims about to lapse"),
            "proceedings": self.env._("Insolvency proceedings"),
            "receipt_pending": self.env._("Formal notice awaiting its acknowledgement"),
            "insurance_over_limit": self.env._("Over the insured limit"),
            "insurance_declaration": self.env._("Declare to the credit insurer"),
            "terms_over_legal_max": self.env._("Payment term over the legal maximum"),
        }

    @api.model
    def _dunning_alerts(self, company, today=None, **filters):
        """Return the alerts of the last 7 days as ``[(kind, partner)]``.

        Every alerted debtor, sorted by name (the cockpit shows the biggest
        of each kind only: :meth:`_dunning_alert_summary`). Kinds (see
        :meth:`_dunning_alert_kinds`) and their conditions: see
        :meth:`_dunning_alert_queries`. Restricted to the debtors selected by
        ``filters`` (see :meth:`_dunning_report_filter`) when given.
        """
        self.env.cr.execute(self._dunning_alerts_sql(company, today, **filters))
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
    def _dunning_alert_summary(self, company, today=None, limit=None, **filters):
        """Return the alerts of the last 7 days, per kind, as the cockpit
        shows them: the ``limit`` debtors with the most at stake and the
        count and amount of them all, in one query.

        The amount at stake of a debtor: its open receivables in
        ``company`` (the receivables analysis' ``amount_residual``), summed
        in the pass over the open lines of the figures
        (``_dunning_open_figures``): the cockpit's form reads both from the
        same query (``_dunning_kpis`` with ``alerts``).

        :param limit: debtors listed per kind (default: the
            ``account_dunning_advanced.cockpit_alert_limit`` parameter, 10).
        :return: ``[{kind, label, count, amount, debtors: [(partner,
            amount)], more}]`` in the order of :meth:`_dunning_alert_kinds`,
            the kinds without any alert left out; ``more``: the debtors not
            listed.
        """
        if limit is None:
            limit = self._dunning_alert_limit()
        alerts = self._dunning_alerts_sql(company, today, **filters)
        _totals, _top, rows = self._dunning_open_figures(
            company,
            self._dunning_report_filter("report", company, **filters),
            self._dunning_is_filtered(**filters),
            alerts=alerts,
            alert_limit=limit,
        )
        return self._dunning_alert_entries(rows)

    @api.model
    def _dunning_alert_entries(self, rows):
        """Return the alerts per kind of :meth:`_dunning_alert_summary` from
        the rows of ``_dunning_open_figures`` (``alert_rows``)."""
        rows = rows or []
        Partner = self.env["res.partner"]
        # One recordset: the names are read in one query (prefetch).
        partners = Partner.browse({row[1] for row in rows})
        partners.fetch(["display_name"])
        summary = {}
        for kind, partner_id, amount, count, total in rows:
            entry = summary.setdefault(
                kind,
                {"kind": kind, "count": count, "amount": total, "debtors": []},
            )
            entry["debtors"].append((Partner.browse(partner_id), amount))
        kinds = self._dunning_alert_kinds()
        result = []
        for kind in [*kinds, *sorted(set(summary) - set(kinds))]:
            if kind in summary:
                entry = summary[kind]
                entry["label"] = kinds.get(kind, kind)
                entry["more"] = entry["count"] - len(entry["debtors"])
                result.append(entry)
        return result

    @api.model
    def _dunning_alert_limit(self):
        """The debtors the cockpit lists per alert (the others: a link)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_advanced.cockpit_alert_limit", "10")
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 10

    @api.model
    def _dunning_alert_debtors(self, kind, company, today=None, **filters):
        """Return the debtors of one alert ``kind`` (``res.partner``)."""
        self.env.cr.execute(
            SQL(
                "SELECT alert.partner_id FROM (%s) alert WHERE alert.kind = %s",
                self._dunning_alerts_sql(company, today, **filters),
                kind,
            )
        )
        return self.env["res.partner"].browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _dunning_alerts_sql(self, company, today=None, **filters):
        """Return the query of the alerts: rows ``(kind, partner_id)``, once
        each (the union of :meth:`_dunning_alert_queries`).

        Checks the company, flushes, and turns JIT off for the transaction
        (:meth:`_dunning_no_jit`).
        """
        self._dunning_check_company(company)
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        self._dunning_no_jit()
        portfolio = self._dunning_portfolio(company, **filters)
        return SQL(
            "SELECT alert.kind, alert.partner_id FROM (%s) alert(kind, partner_id)",
            SQL(" UNION ").join(
                SQL("(%s)", query)
                for query in self._dunning_alert_queries(company, today, portfolio)
            ),
        )

    @api.model
    def _dunning_alert_queries(self, company, today, portfolio):
        """Return the queries of the alerts, ``[SQL]``, each selecting rows
        ``(kind, partner_id)`` (other addons add theirs).

        Kinds (see :meth:`_dunning_alert_kinds`): ``over_90`` an open invoice
        crossed 90 days late, ``promise_broken`` a promise broken,
        ``bounced`` the debtor's address bounces or a reminder e-mail failed,
        ``lapsing`` an open invoice's claim lapses within three months (see
        ``account.move._dunning_limitation_alert_date``), ``proceedings``
        insolvency proceedings to confirm, or opened by a judgment of the
        last 7 days (``dunning.proceeding``), ``receipt_pending`` a
        registered letter posted and its acknowledgement not recorded yet
        (``dunning.registered.letter``), whenever it was posted,
        ``insurance_over_limit`` the open receivables exceed the insured limit
        valid today, ``insurance_declaration`` an overdue invoice of an
        insured debtor reaches the policy's notice period before its
        declaration deadline and the debts are not declared
        (``dunning.credit.limit``), ``terms_over_legal_max`` a customer
        invoice dated in the last 7 days falls due later than the law allows
        for its debtor
        (``account.move._dunning_terms_over_max_sql``: L441-10 I, R2192-10).

        :param portfolio: the SQL condition on ``partner.id`` of the debtors
            selected (:meth:`_dunning_portfolio`).
        """
        week_ago = today - timedelta(days=6)
        Line = self.env["account.move.line"]
        values = {
            "company": company.id,
            "report": self.env["dunning.receivable.report"]._table_sql,
            "collectible": Line._dunning_collectible_sql("aml"),
            "over_from": today - timedelta(days=97),
            "over_to": today - timedelta(days=91),
            "week_ago": week_ago,
            "today": today,
            "portfolio": portfolio,
            "terms_over_max": self.env["account.move"]._dunning_terms_over_max_sql(
                "move", "partner", company
            ),
            "lapse_to": self.env["account.move"]._dunning_limitation_alert_date(today),
            "insured": self._dunning_insured_sql("credit", company, today),
            "collectible_company": Line._dunning_collectible_sql("aml", company),
            "overdue": Line._dunning_overdue_sql(today, "aml", company),
            "due_date": Line._dunning_due_date_sql("aml"),
        }
        return [SQL(query, **values) for query in ALERT_QUERIES]

    @api.model
    def _dunning_insured_sql(self, alias, company, today):
        """Return the SQL condition on ``dunning_credit_limit`` (``alias``)
        of the limits insuring their debtor today: the twin of
        ``dunning.credit.limit._dunning_valid_domain``, compiled by the ORM."""
        Limit = self.env["dunning.credit.limit"].sudo()
        query = Limit._search(Limit._dunning_valid_domain(today, company))
        return SQL(
            "%s IN %s",
            SQL.identifier(alias, "id"),
            query.subselect(),
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

    def _dunning_money(self, value):
        """Return ``value`` as the cockpit's tables write an amount: in the
        user's language and the currency of the dashboard's company."""
        company = self[:1].company_id or self.env.company
        return formatLang(self.env, value, currency_obj=company.currency_id)

    def _render_alerts(self, alerts):
        """Return the alerts as HTML, under the setup warnings of the
        dashboard's company, from the QWeb template
        ``account_dunning_advanced.dunning_dashboard_alerts``.

        :param alerts: the alerts per kind of :meth:`_dunning_alert_summary`;
            each kind with more debtors than listed links to them all
            (:meth:`_dunning_alert_url`).
        """
        company = self[:1].company_id or self.env.company
        money = self._dunning_money
        for alert in alerts:
            alert["url"] = self._dunning_alert_url(alert["kind"])
            # In the user's language (an expression among the message's
            # arguments would also keep it out of the translation template).
            count = formatLang(self.env, alert["more"], digits=0)
            amount = money(alert["amount"])
            alert["more_label"] = (
                self.env._(
                    "and %(count)s more debtors (%(amount)s in all)",
                    count=count,
                    amount=amount,
                )
                if alert["more"]
                else ""
            )
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_dashboard_alerts",
            {
                "setup_warnings": self._dunning_setup_alerts(company),
                "alerts": alerts,
                "money": money,
            },
        )

    def _dunning_alert_url(self, kind):
        """Return the link to every debtor of the alert ``kind``: the server
        action ``dunning_alert_debtors_action`` with the kind and this
        dashboard's filters in its query string."""
        params = {"kind": kind}
        for name in self[:1]._dunning_filter_fields() if self else []:
            value = self[name]
            if isinstance(value, models.BaseModel):
                if value:
                    params[name] = value.id
        return (
            "/odoo/action-account_dunning_advanced.dunning_alert_debtors_action?%s"
            % (urlencode(params))
        )

    @api.model
    def _dunning_alert_debtors_action(self, params):
        """Return the window action listing every debtor of one alert.

        :param params: the query string of :meth:`_dunning_alert_url`
            (``kind``, and the dashboard's filter fields as ids).
        """
        kind = params.get("kind")
        kinds = self._dunning_alert_kinds()
        if kind not in kinds:
            raise UserError(self.env._("Unknown alert: %(kind)s", kind=kind))
        values = {}
        for name in self._dunning_filter_fields():
            field = self._fields[name]
            value = params.get(name)
            if field.type == "many2one" and value and str(value).isdigit():
                values[name] = int(value)
        if "company_id" not in values:
            values["company_id"] = self.env.company.id
        dashboard = self.new(values)
        company = dashboard.company_id
        if company not in self.env.companies:
            # The query string is the visitor's: only the companies they
            # work in (the switcher's) are listed.
            raise AccessError(self.env._("You cannot see the alerts of this company."))
        debtors = self._dunning_alert_debtors(
            kind, company, **dashboard._dunning_filters()
        )
        return {
            "type": "ir.actions.act_window",
            "name": kinds[kind],
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", debtors.ids)],
            "context": {"create": False},
        }
