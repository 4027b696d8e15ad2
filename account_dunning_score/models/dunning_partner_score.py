# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, float_round, format_amount

from ..engine import prediction, scoring
from .dunning_credit_rule import CREDIT_POLICIES

_logger = logging.getLogger(__name__)

TRENDS = [
    ("improving", "Improving"),
    ("stable", "Stable"),
    ("worsening", "Worsening"),
]
# Score difference with the average of the last snapshots that makes a trend.
TREND_POINTS = 5
TREND_MONTHS = 3


class DunningPartnerScore(models.Model):
    """Payment behaviour of a commercial partner in a company, and its score.

    Written in batch by ``_compute_scores`` (nightly cron, "Recompute"
    buttons): one SQL aggregation for a whole company, then bulk create and
    write. Never computed on the fly.
    """

    _name = "dunning.partner.score"
    _description = "Payment behaviour score"
    _order = "score, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    computed_on = fields.Date(string="Computed on", readonly=True)
    has_history = fields.Boolean(
        string="Enough history",
        readonly=True,
        help="Enough invoices due in the scoring window to grade the debtor.",
    )
    score = fields.Integer(readonly=True, aggregator="avg")
    grade_id = fields.Many2one("dunning.score.grade", readonly=True)
    trend = fields.Selection(
        TRENDS,
        readonly=True,
        help="Score compared with the average of the snapshots of the last "
        "three months.",
    )
    invoice_count = fields.Integer(
        string="Invoices in the window", readonly=True, aggregator="sum"
    )
    avg_days_late = fields.Float(
        string="Average days late",
        readonly=True,
        aggregator="avg",
        help="Days between the due date and the payment of the paid invoices, "
        "weighted by amount (early payments count as 0).",
    )
    late_share = fields.Float(
        string="Share paid late",
        readonly=True,
        aggregator="avg",
        help="Invoices paid after their due date, or still open past it.",
    )
    max_delay = fields.Integer(string="Longest delay (days)", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue amount", readonly=True)
    open_amount = fields.Monetary(string="Open amount", readonly=True)
    overdue_ratio = fields.Float(
        string="Overdue ratio", readonly=True, aggregator="avg"
    )
    reminders_per_invoice = fields.Float(
        string="Reminders per invoice", readonly=True, aggregator="avg"
    )
    disputes = fields.Integer(
        readonly=True, help="Invoices excluded from the reminders (in dispute)."
    )
    promises = fields.Integer(
        string="Broken promises",
        readonly=True,
        help="Promises to pay broken in the window.",
    )
    dso = fields.Float(
        string="DSO (days)",
        readonly=True,
        aggregator="avg",
        help="Days sales outstanding: open amount / sales of the window x days "
        "of the window.",
    )
    sales = fields.Monetary(string="Sales in the window", readonly=True)
    typical_delay = fields.Integer(
        string="Typical delay (days)",
        readonly=True,
        help="Weighted mean of (payment date - due date), recent invoices "
        "weighing more: the basis of the predicted payment dates.",
    )
    penalties = fields.Json(string="Points lost", readonly=True)
    explanation = fields.Text(compute="_compute_explanation")
    credit_rule_id = fields.Many2one(
        "dunning.credit.rule", compute="_compute_credit", string="Credit rule"
    )
    credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit policy",
        compute="_compute_credit",
    )
    credit_limit_suggested = fields.Monetary(
        string="Suggested credit limit", compute="_compute_credit"
    )

    _sql_constraints = [
        (
            "partner_company_unique",
            "unique(partner_id, company_id)",
            "One score per debtor and company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("penalties", "grade_id", "has_history")
    def _compute_explanation(self):
        for record in self:
            record.explanation = "\n".join(record._explanation_lines())

    @api.depends("grade_id", "sales", "company_id")
    def _compute_credit(self):
        rules = {
            company: self.env["dunning.credit.rule"]._rules_by_grade(company)
            for company in self.company_id
        }
        for record in self:
            rule = rules.get(record.company_id, {}).get(record.grade_id.id)
            record.credit_rule_id = rule
            record.credit_policy = rule.policy if rule else False
            months = record.company_id.dunning_score_window_months or 12
            record.credit_limit_suggested = (
                record.sales / months * rule.credit_limit_months
                if rule and rule.credit_limit_months
                else 0.0
            )

    def _explanation_lines(self):
        """Return the lines telling which factor cost how many points."""
        self.ensure_one()
        lines = []
        if not self.has_history:
            lines.append(
                self.env._(
                    "Not enough history: %(count)s invoice(s) due in the last "
                    "%(months)s months, %(needed)s needed for a grade.",
                    count=self.invoice_count,
                    months=self.company_id.dunning_score_window_months,
                    needed=self.company_id.dunning_score_min_invoices,
                )
            )
        else:
            lines.append(
                self.env._(
                    "Score %(score)s / 100, grade %(grade)s: 100 minus the "
                    "points below.",
                    score=self.score,
                    grade=self.grade_id.name,
                )
            )
        points = self.penalties or {}
        amount = format_amount(self.env, self.overdue_amount, self.currency_id)
        values = {
            "days_late": self.env._(
                "Average days late (weighted by amount): %(value)s days",
                value=float_round(self.avg_days_late, 1),
            ),
            "late_share": self.env._(
                "Invoices paid late: %(value)s %%",
                value=float_round(self.late_share * 100, 0),
            ),
            "max_delay": self.env._(
                "Longest delay: %(value)s days", value=self.max_delay
            ),
            "overdue_ratio": self.env._(
                "Overdue: %(amount)s, %(value)s %% of the open amount",
                amount=amount,
                value=float_round(self.overdue_ratio * 100, 0),
            ),
            "reminders": self.env._(
                "Reminders per invoice: %(value)s",
                value=float_round(self.reminders_per_invoice, 2),
            ),
            "disputes": self.env._("Disputed invoices: %(value)s", value=self.disputes),
            "promises": self.env._("Broken promises: %(value)s", value=self.promises),
            "dso": self.env._(
                "DSO: %(value)s days (the first %(free)s days cost nothing)",
                value=float_round(self.dso, 1),
                free=int(scoring.DSO_FREE),
            ),
        }
        for key in scoring.FACTORS:
            lines.append(
                self.env._(
                    "%(factor)s: -%(points)s points",
                    factor=values[key],
                    points=points.get(key, 0.0),
                )
            )
        return lines

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_compute_scores(self):
        """Recompute the scores of the current company (button)."""
        if not self.env.user.has_group("account_dunning_advanced.group_dunning_user"):
            raise AccessError(
                self.env._("Only collections users can recompute the scores.")
            )
        self.sudo()._compute_scores(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Payment scores recomputed."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_compute_scores(self):
        """Nightly: recompute the scores of every company, batch by batch.

        The same batches as a job queue would run (``_dunning_score_batch``),
        in this process; with ``dunning_auto_commit`` in the context (the
        cron's), each batch is committed, so that a crash keeps the batches
        done and a rerun scores the same partners again.
        """
        self = self.sudo()
        companies = self.env["res.company"].search([("id", "!=", False)])
        size = self._score_batch_size()
        batches = [
            (company, partner_ids[start : start + size])
            for company in companies
            for partner_ids in [self._partners_to_score(company)]
            for start in range(0, len(partner_ids), size)
        ]
        for index, (company, partner_ids) in enumerate(batches):
            self._dunning_score_batch(partner_ids, company)
            self.env["ir.cron"]._notify_progress(
                done=index + 1, remaining=len(batches) - index - 1
            )
            self._commit_batch()

    @api.model
    def _commit_batch(self):
        """Commit after a batch in the nightly job only (see the cron)."""
        if self.env.context.get("dunning_auto_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _score_batch_size(self):
        """Return the number of debtors scored per batch (and per job)."""
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_score.batch_size", 2000)
        )

    @api.model
    def _partners_to_score(self, company, on_date=None):
        """Return the sorted ids of the commercial partners to score in company.

        Those with a posted customer invoice, and those with a score row
        (their batch deletes it when they have no invoice any more). People
        (``dunning_natural_person``) only when the company scores them
        (``dunning_score_people``), and then only with an invoice dated in
        the scoring window: a person's data are not processed for nothing.
        One query; ids only, so that 100,000 debtors cost a list of integers.
        """
        self.env.flush_all()
        on_date = on_date or fields.Date.context_today(self)
        window_start = on_date - relativedelta(
            months=company.dunning_score_window_months
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT am.commercial_partner_id
                  FROM account_move am
                  JOIN res_partner debtor ON debtor.id = am.commercial_partner_id
                 WHERE am.company_id = %(company)s
                   AND am.move_type = 'out_invoice'
                   AND am.state = 'posted'
                   AND (
                        debtor.dunning_natural_person IS NOT TRUE
                        OR (%(people)s AND am.invoice_date >= %(window_start)s)
                   )
                 UNION
                SELECT s.partner_id
                  FROM %(table)s s
                 WHERE s.company_id = %(company)s
                 ORDER BY 1
                """,
                company=company.id,
                table=SQL.identifier(self._table),
                people=bool(company.dunning_score_people),
                window_start=window_start,
            )
        )
        return [row[0] for row in rows]

    # ------------------------------------------------------------------
    # Data access
    # ------------------------------------------------------------------
    @api.model
    def _invoices_query(self, company, partner_ids=None, on_date=None):
        """Return the SQL of the posted customer invoices of company.

        Columns: id, partner_id (commercial), due, invoice_date, amount
        (company currency), excluded, reconciled (every receivable line),
        paid_on (latest reconciliation date of the receivable lines),
        reminders (done reminders listing the receivable lines),
        open_residual (of its collectible lines), overdue_residual (of its
        lines overdue on on_date; NULL without on_date).

        The lines are those of ``account.move.line._dunning_receivable_domain``
        (posted, receivable, open or not: the history needs the paid ones);
        what is still owed and overdue is the one collectible definition
        (``_dunning_collectible_sql``, ``_dunning_overdue_sql``).
        """
        Line = self.env["account.move.line"]
        partner_filter = (
            SQL("AND am.commercial_partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None
            else SQL()
        )
        overdue = (
            Line._dunning_overdue_sql(on_date, "aml", company)
            if on_date
            else SQL("NULL::boolean")
        )
        return SQL(
            """
            WITH moves AS (
                SELECT am.id,
                       am.commercial_partner_id AS partner_id,
                       am.invoice_date_due AS due,
                       am.invoice_date,
                       am.amount_total_signed AS amount,
                       COALESCE(am.dunning_excluded, FALSE) OR EXISTS (
                           SELECT 1
                             FROM dunning_dispute_move_rel dr
                             JOIN dunning_dispute d ON d.id = dr.dispute_id
                            WHERE dr.move_id = am.id
                              AND d.state IN ('open', 'rejected')
                       ) AS excluded
                  FROM account_move am
                 WHERE am.company_id = %(company)s
                   AND am.move_type = 'out_invoice'
                   AND am.state = 'posted'
                   AND am.payment_state != 'reversed'
                   AND am.invoice_date_due IS NOT NULL
                   AND am.commercial_partner_id IS NOT NULL
                   %(partner_filter)s
            ),
            lines AS (
                SELECT aml.id, aml.move_id, aml.amount_residual, aml.reconciled,
                       %(collectible)s AS collectible,
                       %(overdue)s AS overdue
                  FROM account_move_line aml
                  JOIN moves m ON m.id = aml.move_id
                 WHERE %(receivable)s
            ),
            paid AS (
                SELECT p.debit_move_id AS line_id, max(p.max_date) AS paid_on
                  FROM account_partial_reconcile p
                  JOIN lines l ON l.id = p.debit_move_id
                 WHERE l.reconciled
                 GROUP BY p.debit_move_id
            ),
            reminders AS (
                SELECT r.move_line_id AS line_id, count(*) AS n
                  FROM lines l
                  JOIN dunning_action_move_line_rel r ON r.move_line_id = l.id
                  JOIN dunning_action a ON a.id = r.action_id
                 WHERE a.company_id = %(company)s
                   AND a.kind = 'reminder'
                   AND a.state = 'done'
                 GROUP BY r.move_line_id
            )
            SELECT m.id, m.partner_id, m.due, m.invoice_date, m.amount,
                   m.excluded,
                   bool_and(l.reconciled) AS reconciled,
                   max(paid.paid_on) AS paid_on,
                   COALESCE(sum(reminders.n), 0) AS reminders,
                   COALESCE(sum(l.amount_residual) FILTER (WHERE l.collectible), 0)
                       AS open_residual,
                   sum(l.amount_residual) FILTER (WHERE l.overdue)
                       AS overdue_residual
              FROM moves m
              JOIN lines l ON l.move_id = m.id
              LEFT JOIN paid ON paid.line_id = l.id
              LEFT JOIN reminders ON reminders.line_id = l.id
             GROUP BY m.id, m.partner_id, m.due, m.invoice_date, m.amount,
                      m.excluded
            """,
            company=company.id,
            partner_filter=partner_filter,
            receivable=Line._dunning_where_sql(
                Line._dunning_receivable_domain(company), "aml"
            ),
            collectible=Line._dunning_collectible_sql("aml", company),
            overdue=overdue,
        )

    @api.model
    def _factors_query(self, company, on_date, partner_ids=None):
        """Return the SQL aggregating the invoices into factors per partner."""
        start = on_date - relativedelta(months=company.dunning_score_window_months)
        return SQL(
            """
            WITH inv AS (%(invoices)s),
            x AS (
                SELECT inv.*,
                       (inv.due BETWEEN %(start)s AND %(today)s) AS in_w,
                       (inv.reconciled AND inv.paid_on IS NOT NULL) AS paid,
                       abs(inv.amount) * power(
                           0.5,
                           GREATEST(%(today)s - inv.due, 0)::float
                               / GREATEST(%(half_life)s, 1)
                       ) AS w
                  FROM inv
            )
            SELECT partner_id,
                   count(*) FILTER (WHERE in_w),
                   sum(amount) FILTER (WHERE in_w AND paid),
                   sum(amount * GREATEST(paid_on - due, 0))
                       FILTER (WHERE in_w AND paid),
                   count(*) FILTER (
                       WHERE in_w AND ((paid AND paid_on > due)
                                       OR (NOT paid AND due < %(today)s))
                   ),
                   max(GREATEST(CASE WHEN paid THEN paid_on - due
                                     ELSE %(today)s - due END, 0))
                       FILTER (WHERE in_w),
                   COALESCE(sum(open_residual), 0),
                   COALESCE(sum(overdue_residual), 0),
                   COALESCE(sum(reminders) FILTER (WHERE in_w), 0),
                   count(*) FILTER (WHERE excluded AND (in_w OR NOT reconciled)),
                   COALESCE(sum(amount) FILTER (
                       WHERE invoice_date BETWEEN %(start)s AND %(today)s), 0),
                   sum(w * (paid_on - due)) FILTER (WHERE in_w AND paid)
                       / NULLIF(sum(w) FILTER (WHERE in_w AND paid), 0)
              FROM x
             GROUP BY partner_id
            """,
            invoices=self._invoices_query(company, partner_ids, on_date),
            start=start,
            today=on_date,
            half_life=company.dunning_score_half_life,
        )

    @api.model
    def _fetch_factors(self, company, on_date, partner_ids=None):
        """Return a dict commercial partner id -> scoring.Factors."""
        window_days = (
            on_date
            - (on_date - relativedelta(months=company.dunning_score_window_months))
        ).days
        rows = self.env.execute_query(
            self._factors_query(company, on_date, partner_ids)
        )
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "broken"),
            ("date_broken", ">", on_date - relativedelta(days=window_days)),
        ]
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        broken = {
            partner.id: count
            for partner, count in self.env["dunning.promise"]._read_group(
                domain, ["partner_id"], ["__count"]
            )
        }
        result = {}
        for (
            partner_id,
            count,
            paid_amount,
            late_weighted,
            late_count,
            max_delay,
            open_amount,
            overdue,
            reminders,
            disputes,
            sales,
            typical,
        ) in rows:
            if open_amount > 0 and sales > 0:
                dso = open_amount / sales * window_days
            elif open_amount > 0:
                dso = float(window_days)
            else:
                dso = 0.0
            result[partner_id] = scoring.Factors(
                invoice_count=count,
                avg_days_late=(late_weighted / paid_amount) if paid_amount else 0.0,
                late_share=(late_count / count) if count else 0.0,
                max_delay=max_delay or 0,
                overdue_amount=max(0.0, overdue),
                open_amount=max(0.0, open_amount),
                reminders_per_invoice=(reminders / count) if count else 0.0,
                disputes=disputes,
                promises=broken.get(partner_id, 0),
                dso=dso,
                typical_delay=typical,
                sales=sales,
            )
        return result

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    @api.model
    def _prepare_score_vals(self, company, factors, on_date, grades):
        """Return the values of the score row for factors.

        :param grades: dict grade code -> dunning.score.grade.
        """
        weights = company._get_dunning_score_weights()
        points = scoring.penalties(factors, weights)
        enough = scoring.has_history(factors, company.dunning_score_min_invoices)
        value = scoring.score(points)
        code = (
            scoring.grade(value, company._get_dunning_score_thresholds())
            if enough
            else scoring.NO_HISTORY
        )
        typical = factors.typical_delay
        return {
            "computed_on": on_date,
            "has_history": enough,
            "score": value if enough else 0,
            "grade_id": grades[code].id,
            "invoice_count": factors.invoice_count,
            "avg_days_late": factors.avg_days_late,
            "late_share": factors.late_share,
            "max_delay": factors.max_delay,
            "overdue_amount": factors.overdue_amount,
            "open_amount": factors.open_amount,
            "overdue_ratio": factors.overdue_ratio,
            "reminders_per_invoice": factors.reminders_per_invoice,
            "disputes": factors.disputes,
            "promises": factors.promises,
            "dso": factors.dso,
            "sales": factors.sales,
            "typical_delay": scoring.round_days(typical) if typical is not None else 0,
            "penalties": points,
        }

    @api.model
    def _compute_scores(self, company, on_date=None, partner_ids=None):
        """Score the debtors of company, batch by batch, and store the results.

        The partners (``partner_ids``, or all those of
        ``_partners_to_score``) are scored by batches of
        ``_score_batch_size`` through ``_dunning_score_batch``: the memory
        holds one batch at a time, the number of queries grows with the
        number of batches only.

        :param partner_ids: restrict to these commercial partners.
        :return: the dunning.partner.score records written.
        """
        if partner_ids is None:
            partner_ids = self._partners_to_score(company, on_date=on_date)
        partner_ids = list(partner_ids)
        size = self._score_batch_size()
        ids = []
        for start in range(0, len(partner_ids), size):
            batch = partner_ids[start : start + size]
            ids += self._dunning_score_batch(batch, company, on_date=on_date).ids
        _logger.info("Payment scores of %s: %s debtors scored", company.name, len(ids))
        return self.browse(ids)

    @api.model
    def _dunning_score_batch(self, partner_ids, company, on_date=None):
        """Score exactly the commercial partners partner_ids in company.

        The entry point of a batch (the nightly cron's, a queue job's):
        idempotent, a second call with the same data writes the same values.
        One SQL aggregation for the factors of the batch, one upsert of the
        score rows, one of the month's snapshots, the deletion of the rows
        of the partners without invoices, and the predicted payment dates of
        their open invoices in one UPDATE: a fixed number of queries per
        batch. The caches are invalidated at the end (a batch leaves nothing
        in memory).

        :param partner_ids: ids of commercial partners (res.partner).
        :param company: a res.company record.
        :param on_date: the scoring date (default: today).
        :return: the dunning.partner.score records written.
        """
        partner_ids = list(partner_ids)
        if not partner_ids:
            return self.browse()
        on_date = on_date or fields.Date.context_today(self)
        self = self.with_company(company)
        self.env.flush_all()
        if not company.dunning_score_people:
            # People are not scored (GDPR art. 22): their rows go.
            people = set(
                self.env["res.partner"]
                .with_context(active_test=False)
                .search(
                    [("id", "in", partner_ids), ("dunning_natural_person", "=", True)]
                )
                .ids
            )
            if people:
                self.search(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", list(people)),
                    ]
                ).unlink()
                partner_ids = [pid for pid in partner_ids if pid not in people]
                if not partner_ids:
                    return self.browse()
        # The batch's aggregation reads a few thousand invoices, but its cost
        # estimate passes ``jit_above_cost``: PostgreSQL spent 2.2 s of the
        # query's 3.3 s compiling it (2,000 debtors, 400,000 lines; EXPLAIN
        # ANALYZE). For the transaction (the batch, in the cron).
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        factors = self._fetch_factors(company, on_date, partner_ids)
        grades = self.env["dunning.score.grade"]._by_code()
        trends = self._get_trends(company, on_date, factors)
        rows = []
        for partner_id, partner_factors in factors.items():
            vals = self._prepare_score_vals(company, partner_factors, on_date, grades)
            vals["trend"] = vals["has_history"] and trends.get(partner_id) or None
            vals.update(partner_id=partner_id, company_id=company.id)
            rows.append(vals)
        ids = self._upsert(self._table, ("partner_id", "company_id"), rows)
        # Debtors without any invoice any more: no score.
        self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("id", "not in", ids),
            ]
        ).unlink()
        self._write_snapshots(company, on_date, rows)
        self._update_predicted_dates(company, partner_ids)
        self.env.invalidate_all()
        return self.browse(ids)

    @api.model
    def _upsert(self, table, keys, rows):
        """Insert or update rows (dicts with the same keys) in one query.

        :param keys: the columns of the unique constraint.
        :return: the ids of the rows.
        """
        if not rows:
            return []
        columns = list(rows[0]) + ["create_uid", "write_uid"]
        uid = self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')",
                SQL(", ").join(
                    [
                        SQL(
                            "%s",
                            json.dumps(value) if isinstance(value, dict) else value,
                        )
                        for value in row.values()
                    ]
                    + [SQL("%s", uid), SQL("%s", uid)]
                ),
            )
            for row in rows
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(column), SQL.identifier(column))
            for column in columns + ["write_date"]
            if column not in keys and column != "create_uid"
        )
        result = self.env.execute_query(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s, create_date, write_date)
                VALUES %(values)s
                ON CONFLICT (%(keys)s) DO UPDATE SET %(updates)s
                RETURNING id
                """,
                table=SQL.identifier(table),
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=values,
                keys=SQL(", ").join(SQL.identifier(k) for k in keys),
                updates=updates,
            )
        )
        return [row[0] for row in result]

    @api.model
    def _get_trends(self, company, on_date, factors):
        """Return a dict partner id -> trend against the last snapshots."""
        month = on_date.replace(day=1)
        averages = dict(
            self.env["dunning.partner.score.history"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(factors)),
                    ("has_history", "=", True),
                    ("month", ">=", month - relativedelta(months=TREND_MONTHS)),
                    ("month", "<", month),
                ],
                ["partner_id"],
                ["score:avg"],
            )
        )
        weights = company._get_dunning_score_weights()
        result = {}
        for partner, average in averages.items():
            value = scoring.score(scoring.penalties(factors[partner.id], weights))
            if value >= average + TREND_POINTS:
                result[partner.id] = "improving"
            elif value <= average - TREND_POINTS:
                result[partner.id] = "worsening"
            else:
                result[partner.id] = "stable"
        return result

    @api.model
    def _write_snapshots(self, company, on_date, rows):
        """Create or update the snapshots of the month of on_date.

        :param rows: the values of the score rows written.
        """
        History = self.env["dunning.partner.score.history"]
        month = on_date.replace(day=1)
        self._upsert(
            History._table,
            ("month", "partner_id", "company_id"),
            [
                {
                    "month": month,
                    "partner_id": row["partner_id"],
                    "company_id": company.id,
                    "has_history": row["has_history"],
                    "score": row["score"],
                    "grade_id": row["grade_id"],
                    "avg_days_late": row["avg_days_late"],
                    "late_share": row["late_share"] * 100,
                    "overdue_amount": row["overdue_amount"],
                    "dso": row["dso"],
                }
                for row in rows
            ],
        )

    # ------------------------------------------------------------------
    # Predicted payment dates: one definition, a Python and an SQL reading
    # ------------------------------------------------------------------
    @api.model
    def _predicted_delay_terms(self, company):
        """Return the days added to the due date to predict a payment.

        THE definition of the predicted payment date (with
        ``engine.prediction.predicted_date``): the compute of
        ``account.move.dunning_predicted_date`` (``_predicted_date``), the
        bulk UPDATE of the scoring (``_predicted_date_sql``) and the replay
        of ``_evaluate_predictions`` all read these terms, so that an
        override changes them all.

        :return: a list of terms, each either the name of an integer field
            of dunning.partner.score (the debtor's own days, read on its
            score row; 0 without one) or a number of days (the same for all
            the debtors of company).
        """
        return ["typical_delay", company.dunning_score_transfer_lag]

    @api.model
    def _predicted_date(self, due_date, company, score=None):
        """Return the predicted payment date of an invoice due on due_date.

        :param score: the debtor's dunning.partner.score in company, or a
            dict of its values (the evaluation replays them), or None: no
            score yet.
        """
        debtor_days = company_days = 0
        for term in self._predicted_delay_terms(company):
            if isinstance(term, str) and isinstance(score, dict):
                debtor_days += score.get(term) or 0
            elif isinstance(term, str):
                debtor_days += (score[term] or 0) if score else 0
            else:
                company_days += term
        return prediction.predicted_date(due_date, debtor_days, company_days)

    @api.model
    def _predicted_date_sql(self, company, due_sql, score_alias):
        """Return the SQL twin of ``_predicted_date``.

        :param due_sql: SQL of the due date (a date).
        :param score_alias: alias of the debtor's dunning_partner_score row,
            LEFT JOINed (NULL columns count as 0).
        """
        terms = [
            SQL("COALESCE(%s, 0)", SQL.identifier(score_alias, term))
            if isinstance(term, str)
            else SQL("%s", int(term))
            for term in self._predicted_delay_terms(company)
        ]
        if not terms:
            return due_sql
        return SQL("(%s + %s)", due_sql, SQL(" + ").join(terms))

    @api.model
    def _update_predicted_dates(self, company, partner_ids=None):
        """Set the predicted payment date of the open invoices of company.

        In one UPDATE: the invoices of ``account.move._dunning_predicted_date_
        domain`` (the compute's own) in company, their date from
        ``_predicted_date_sql`` (the compute's ``_predicted_date`` in SQL).
        """
        Move = self.env["account.move"]
        domain = Move._dunning_predicted_date_domain() + [
            ("company_id", "=", company.id)
        ]
        if partner_ids is not None:
            domain.append(("commercial_partner_id", "in", list(partner_ids)))
        self.env.flush_all()
        query = Move.sudo()._where_calc(domain, active_test=False)
        move_alias = query.table
        query.add_join(
            "LEFT JOIN",
            "dunning_score",
            self._table,
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier("dunning_score", "partner_id"),
                SQL.identifier(move_alias, "commercial_partner_id"),
                SQL.identifier("dunning_score", "company_id"),
                SQL.identifier(move_alias, "company_id"),
            ),
        )
        predicted = self._predicted_date_sql(
            company, SQL.identifier(move_alias, "invoice_date_due"), "dunning_score"
        )
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move am
                   SET dunning_predicted_date = new.predicted
                  FROM (%(select)s) new
                 WHERE am.id = new.id
                   AND am.dunning_predicted_date IS DISTINCT FROM new.predicted
                """,
                select=query.select(
                    SQL("%s AS id", SQL.identifier(move_alias, "id")),
                    SQL("%s AS predicted", predicted),
                ),
            )
        )
        Move.invalidate_model(["dunning_predicted_date"])

    # ------------------------------------------------------------------
    # Evaluation of the predicted payment dates
    # ------------------------------------------------------------------
    @api.model
    def _evaluate_predictions(self, company=None):
        """Replay the history of company and measure the predicted dates.

        Each paid invoice's payment date is predicted with only what was
        known at its due date: the invoices of the debtor paid before that
        date and due within the scoring window before it. Compared with the
        naive prediction "paid on the due date".

        :return: dict with ``count`` (paid invoices), ``mae`` (model),
            ``mae_baseline`` (due date), ``mae_lag`` (due date + transfer
            lag), and the same three restricted to the invoices whose debtor
            had a paid history (``count_known``, ``mae_known``...).
        """
        company = company or self.env.company
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH inv AS (%s)
                SELECT partner_id, due, paid_on, amount
                  FROM inv
                 WHERE reconciled AND paid_on IS NOT NULL
                 ORDER BY partner_id, paid_on, id
                """,
                self._invoices_query(company),
            )
        )
        by_partner = defaultdict(list)
        for partner_id, due, paid_on, amount in rows:
            by_partner[partner_id].append((due, paid_on, amount))
        lag = company.dunning_score_transfer_lag
        half_life = company.dunning_score_half_life
        months = company.dunning_score_window_months
        errors = {"mae": [], "mae_baseline": [], "mae_lag": []}
        known_errors = {"mae": [], "mae_baseline": [], "mae_lag": []}
        for history in by_partner.values():
            for due, paid_on, _amount in history:
                start = due - relativedelta(months=months)
                known = [item for item in history if item[1] < due and item[0] >= start]
                typical = scoring.typical_delay(known, due, half_life)
                delay = scoring.round_days(typical) if typical is not None else 0
                predicted = self._predicted_date(due, company, {"typical_delay": delay})
                figures = {
                    "mae": abs((paid_on - predicted).days),
                    "mae_baseline": abs((paid_on - due).days),
                    "mae_lag": abs((paid_on - due).days - lag),
                }
                for key, value in figures.items():
                    errors[key].append(value)
                    if known:
                        known_errors[key].append(value)

        def mean(values):
            return round(sum(values) / len(values), 2) if values else 0.0

        result = {"count": len(errors["mae"]), "count_known": len(known_errors["mae"])}
        for key in errors:
            result[key] = mean(errors[key])
            result[f"{key}_known"] = mean(known_errors[key])
        return result
