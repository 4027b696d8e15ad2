# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Champion/challenger: a scenario runs another one on a share of its debtors.

The assignment is :func:`engine.challenger.arm_of` (a hash of the partner and
the champion, below the share), applied after the usual resolution (forced
scenario, rules, default: :meth:`dunning.scenario._dunning_resolve_base`) by
:meth:`_dunning_resolve_arms`; the debtor's status stores the arm and since
when (``dunning.debtor.status``). The comparison is two queries
(:meth:`_dunning_challenger_rows`) and the statistics of
``engine/challenger.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ...engine import challenger as engine

# What changes the debtors' arms: their status is resolved again.
CHALLENGER_FIELDS = {"challenger_id", "challenger_share", "challenger_start"}


class DunningScenario(models.Model):
    # The champion/challenger test in a file of its own, beside the scenario.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.scenario"

    challenger_id = fields.Many2one(
        "dunning.scenario",
        tracking=True,
        copy=False,
        check_company=True,
        domain="[('id', '!=', id), ('company_id', '=', company_id)]",
        help="Another scenario tried on a share of this scenario's debtors "
        "(this one is then the champion). Each debtor always falls in the "
        "same arm: chosen from its id, not drawn at each run.",
    )
    challenger_share = fields.Integer(
        string="Challenger share (%)",
        default=10,
        tracking=True,
        copy=False,
        help="Share of this scenario's debtors chased with the challenger. "
        "Raising it moves only the debtors needed into the challenger; "
        "lowering it moves only those back.",
    )
    challenger_start = fields.Date(
        string="Test started on",
        tracking=True,
        copy=False,
        help="The challenger chases its debtors from this date; the "
        "comparison counts the invoices due from this date.",
    )
    challenger_running = fields.Boolean(
        compute="_compute_challenger_running",
        help="A challenger runs on this scenario's debtors today.",
    )
    challenger_result = fields.Json(
        string="Last comparison",
        copy=False,
        readonly=True,
        help="The last comparison of the running test (engine.challenger."
        "comparison_to_dict), written by the daily job and by Compare now.",
    )
    challenger_result_date = fields.Date(
        string="Compared on",
        copy=False,
        readonly=True,
        help="The day of the last comparison. Changing the test clears it.",
    )
    challenger_comparison = fields.Html(
        string="Comparison",
        compute="_compute_challenger_comparison",
        sanitize=False,
    )

    @api.depends("challenger_id", "challenger_start")
    def _compute_challenger_running(self):
        today = fields.Date.context_today(self)
        for scenario in self:
            scenario.challenger_running = scenario._dunning_challenger_running(today)

    def _dunning_challenger_running(self, on_date):
        """Whether the challenger chases this scenario's debtors on ``on_date``."""
        self.ensure_one()
        return bool(
            self.challenger_id
            and self.challenger_id.active
            and self.challenger_start
            and self.challenger_start <= on_date
            and 0 < self.challenger_share
        )

    @api.constrains("challenger_id", "challenger_share", "challenger_start")
    def _check_challenger(self):
        for scenario in self.filtered("challenger_id"):
            if scenario.challenger_id == scenario:
                raise ValidationError(self.env._("A scenario cannot challenge itself."))
            if not 0 < scenario.challenger_share < 100:
                raise ValidationError(
                    self.env._("The challenger's share is between 1 and 99 %.")
                )
            if not scenario.challenger_start:
                raise ValidationError(self.env._("Give the date the test starts on."))
            if scenario.challenger_id.challenger_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s runs a test of its own: it cannot be a challenger.",
                        name=scenario.challenger_id.display_name,
                    )
                )
            if self.search_count(
                [("challenger_id", "=", scenario.id)], limit=1
            ) or self.search_count(
                [
                    ("challenger_id", "=", scenario.challenger_id.id),
                    ("id", "!=", scenario.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "A scenario is in one test at a time: %(name)s already is.",
                        name=scenario.display_name,
                    )
                )

    def write(self, vals):
        if CHALLENGER_FIELDS.intersection(vals):
            # A comparison measured the test as it was: not this one.
            vals = dict(vals, challenger_result=False, challenger_result_date=False)
        result = super().write(vals)
        if CHALLENGER_FIELDS.intersection(vals):
            # Only the debtors whose arm changes are written (the status
            # upserts changed rows only): raising the share from 10 to 20 %
            # moves the debtors of buckets 10..19, nobody else.
            self.env["dunning.debtor.status"].sudo()._dunning_refresh_companies(
                self.company_id
            )
        return result

    # --- Resolution ---------------------------------------------------------

    @api.model
    def _dunning_resolve_arms(
        self, partners, company, overdue_by_partner=None, on_date=None
    ):
        """Choose each debtor's scenario, with its arm in a running test.

        The usual choice (:meth:`_dunning_resolve_base`), then
        :meth:`_dunning_apply_challengers`.

        :return: dict partner id -> (scenario chasing the debtor, champion
            scenario or empty, arm ``"champion"``/``"challenger"`` or False).
        """
        base = self._dunning_resolve_base(partners, company, overdue_by_partner)
        return self._dunning_apply_challengers(base, on_date)

    @api.model
    def _dunning_apply_challengers(self, scenario_by_partner, on_date=None):
        """Send the challenger arm of each running test to the challenger.

        :param scenario_by_partner: dict partner id -> chosen scenario.
        :return: as :meth:`_dunning_resolve_arms`.
        """
        on_date = on_date or fields.Date.context_today(self)
        empty = self.browse()
        result = {}
        for partner_id, scenario in scenario_by_partner.items():
            if scenario and scenario._dunning_challenger_running(on_date):
                arm = engine.arm_of(partner_id, scenario.id, scenario.challenger_share)
                chasing = (
                    scenario.challenger_id if arm == engine.ARM_CHALLENGER else scenario
                )
                result[partner_id] = (chasing, scenario, arm)
            else:
                result[partner_id] = (scenario, empty, False)
        return result

    # --- Comparison ---------------------------------------------------------

    def _dunning_challenger_rows(self, on_date=None):
        """Read the test's figures, aggregated per arm (two queries).

        The debtors are those whose stored status puts them in an arm of this
        champion; an invoice counts from ``max(test start, the day the debtor
        entered its arm)`` to ``on_date`` (by due date). Paid means fully
        reconciled on ``on_date`` (payments and credit notes alike), on the
        last reconciliation's date; open invoices count as censored on
        ``on_date``. Aggregated in SQL: one row per arm, day and state, and
        the sums of the ratios, whatever the number of invoices.

        :return: the arguments of :func:`engine.challenger.compare`:
            (durations, share sums per arm, reminder sums per arm).
        """
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        Line = self.env["account.move.line"]
        self.env.flush_all()
        # Sums per invoice and per debtor (hashes of one row each): the
        # cockpit's memory, not the default 4 MB spilled to disk.
        self.env["dunning.cockpit.figures"]._dunning_no_jit()
        start = self.challenger_start or on_date
        # The arms first, given to the query as arrays: right after a test
        # starts the status' statistics still say "no champion" and
        # PostgreSQL, expecting one debtor, chose nested loops (201 s
        # instead of 0.25 s at 2,000 debtors, scripts/bench_challenger.py);
        # it knows an array's length.
        arms = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, arm, GREATEST(arm_since, %s)
                  FROM dunning_debtor_status
                 WHERE champion_id = %s AND company_id = %s AND arm IS NOT NULL
                """,
                start,
                self.id,
                self.company_id.id,
            )
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH arm AS (
                    SELECT *
                      FROM unnest(%(partners)s::int[], %(arms)s::varchar[],
                                  %(since)s::date[]) AS arm(partner_id, arm, since)
                ), invoice AS (
                    SELECT arm.partner_id, arm.arm, aml.id,
                           aml.balance AS amount, %(due)s AS due
                      FROM account_move_line aml
                      JOIN res_partner partner ON partner.id = aml.partner_id
                      JOIN arm ON arm.partner_id = partner.commercial_partner_id
                     WHERE %(receivable)s AND aml.balance > 0
                       AND %(due)s >= arm.since AND %(due)s <= %(on_date)s
                ), settled AS (
                    SELECT apr.debit_move_id AS id,
                           SUM(apr.amount) AS collected,
                           SUM(apr.amount) FILTER (
                               WHERE apr.max_date <= invoice.due + 30) AS within_30,
                           MAX(apr.max_date) AS last_date
                      FROM account_partial_reconcile apr
                      JOIN invoice ON invoice.id = apr.debit_move_id
                     WHERE apr.max_date <= %(on_date)s
                     GROUP BY apr.debit_move_id
                ), fact AS (
                    SELECT invoice.partner_id, invoice.arm, invoice.amount,
                           invoice.due <= %(on_date)s - 30 AS mature,
                           LEAST(COALESCE(settled.within_30, 0), invoice.amount)
                               AS within_30,
                           COALESCE(settled.collected, 0) AS collected,
                           COALESCE(settled.collected >= invoice.amount - 0.005,
                                    FALSE) AS paid,
                           CASE WHEN settled.collected >= invoice.amount - 0.005
                                THEN settled.last_date
                                ELSE %(on_date)s END - invoice.due AS days
                      FROM invoice
                      LEFT JOIN settled ON settled.id = invoice.id
                ), reminder AS (
                    SELECT action.partner_id, COUNT(*) AS sent
                      FROM dunning_action action
                      JOIN arm ON arm.partner_id = action.partner_id
                     WHERE action.company_id = %(company)s
                       AND action.kind = 'reminder' AND action.state = 'done'
                       AND action.date >= arm.since AND action.date <= %(on_date)s
                     GROUP BY action.partner_id
                ), collected AS (
                    SELECT partner_id, SUM(collected) AS amount
                      FROM fact GROUP BY partner_id
                ), debtor AS (
                    SELECT arm.arm, 1000.0 * COALESCE(reminder.sent, 0) AS y,
                           COALESCE(collected.amount, 0) AS x
                      FROM arm
                      LEFT JOIN reminder ON reminder.partner_id = arm.partner_id
                      LEFT JOIN collected ON collected.partner_id = arm.partner_id
                )
                SELECT 'days', arm, days, paid, COUNT(*), 0, 0, 0, 0, 0
                  FROM fact GROUP BY arm, days, paid
                UNION ALL
                SELECT 'share', arm, NULL, NULL, COUNT(*), SUM(within_30),
                       SUM(amount), SUM(within_30 * within_30),
                       SUM(within_30 * amount), SUM(amount * amount)
                  FROM fact WHERE mature GROUP BY arm
                UNION ALL
                SELECT 'reminders', arm, NULL, NULL, COUNT(*), SUM(y), SUM(x),
                       SUM(y * y), SUM(y * x), SUM(x * x)
                  FROM debtor GROUP BY arm
                """,
                partners=[row[0] for row in arms],
                arms=[row[1] for row in arms],
                since=[row[2] for row in arms],
                company=self.company_id.id,
                due=Line._dunning_due_date_sql("aml"),
                receivable=Line._dunning_where_sql(
                    Line._dunning_receivable_domain(self.company_id), "aml"
                ),
                on_date=on_date,
            )
        )
        durations, share_sums, reminder_sums = [], {}, {}
        for kind, arm, days, paid, count, *totals in rows:
            if kind == "days":
                durations.append((arm, days, paid, count))
            else:
                target = share_sums if kind == "share" else reminder_sums
                target[arm] = engine.Sums(count, *(float(t or 0) for t in totals))
        return durations, share_sums, reminder_sums

    def _dunning_challenger_compare(self, on_date=None):
        """Return the engine's comparison of the running test."""
        self.ensure_one()
        return engine.compare(*self._dunning_challenger_rows(on_date))

    def _dunning_verdict_text(self, code, needed, measured, better, worse, cases):
        """Return the verdict in plain words.

        :param needed: cases per arm for 80 % power; ``measured``: cases per
            arm measured (the smaller arm); ``cases``: what a case is, in
            words (paid invoices, debtors).
        """
        if code == "better":
            return better
        if code == "worse":
            return worse
        if code == "no_data":
            return self.env._("Not enough data yet (at least two cases per arm).")
        if needed:
            return self.env._(
                "No significant difference yet: about %(more)s more %(cases)s "
                "per arm needed to see the difference measured, if it is real "
                "(80 %% power).",
                more=max(needed - measured, 1),
                cases=cases,
            )
        return self.env._("No significant difference.")

    def _dunning_challenger_store(self, on_date=None):
        """Compare each running test and store the result on its scenario.

        The comparison reads every invoice of the test's debtors: it is
        measured once a day (:meth:`_cron_dunning_challenger_compare`) or on
        demand, not at each opening of the form.
        """
        on_date = on_date or fields.Date.context_today(self)
        for scenario in self:
            if not scenario._dunning_challenger_running(on_date):
                continue
            result = scenario._dunning_challenger_compare(on_date)
            # A measure of the data, not a user's change: stored as such
            # (readers of the form may press Compare now).
            scenario.sudo().write(
                {
                    "challenger_result": engine.comparison_to_dict(result),
                    "challenger_result_date": on_date,
                }
            )

    @api.model
    def _cron_dunning_challenger_compare(self):
        """Daily: store the comparison of every running test."""
        today = fields.Date.context_today(self)
        self.search(
            [("challenger_id", "!=", False), ("challenger_start", "<=", today)]
        )._dunning_challenger_store(today)

    def action_challenger_compare(self):
        """Compare now (the daily job does it too)."""
        self.check_access("read")
        self._dunning_challenger_store()
        return True

    def _dunning_challenger_values(self, on_date=None, result=None):
        """Return the values of the comparison's QWeb template: of
        ``result`` (an engine comparison) or measured on ``on_date``."""
        self.ensure_one()
        if result is None:
            result = self._dunning_challenger_compare(on_date)
        champion = result.arms[engine.ARM_CHAMPION]
        challenger = result.arms[engine.ARM_CHALLENGER]
        smaller_paid = min(champion["paid"], challenger["paid"])
        smaller_mature = min(champion["mature"], challenger["mature"])
        smaller_debtors = min(champion["debtors"], challenger["debtors"])
        currency = self.company_id.currency_id
        return {
            "scenario": self,
            "champion": champion,
            "challenger": challenger,
            "currency": currency,
            "metrics": [
                {
                    "name": self.env._("Days to payment, median (Kaplan-Meier)"),
                    "champion": result.days_km[0],
                    "challenger": result.days_km[1],
                    "unit": "days",
                    "difference": None,
                    "verdict": self.env._(
                        "Open invoices count as still unpaid on the day of the "
                        "comparison; empty when fewer than half are paid."
                    ),
                },
                {
                    "name": self.env._("Days to payment, mean of the paid invoices"),
                    "champion": result.days_mean.champion,
                    "challenger": result.days_mean.challenger,
                    "unit": "days",
                    "difference": result.days_mean,
                    "verdict": self._dunning_verdict_text(
                        *result.verdict_days,
                        smaller_paid,
                        self.env._(
                            "The challenger collects faster, significant at 95 %."
                        ),
                        self.env._(
                            "The challenger collects slower, significant at 95 %."
                        ),
                        self.env._("paid invoices"),
                    ),
                },
                {
                    "name": self.env._(
                        "Amount collected within 30 days of the due date"
                    ),
                    "champion": result.share_30.champion,
                    "challenger": result.share_30.challenger,
                    "unit": "share",
                    "difference": result.share_30,
                    "verdict": self._dunning_verdict_text(
                        *result.verdict_share,
                        smaller_mature,
                        self.env._(
                            "The challenger collects more within 30 days, "
                            "significant at 95 %."
                        ),
                        self.env._(
                            "The challenger collects less within 30 days, "
                            "significant at 95 %."
                        ),
                        self.env._("invoices due 30 days ago or more"),
                    ),
                },
                {
                    "name": self.env._("Reminders sent per 1,000 collected"),
                    "champion": result.reminders_per_1000.champion,
                    "challenger": result.reminders_per_1000.challenger,
                    "unit": "ratio",
                    "difference": result.reminders_per_1000,
                    "verdict": self._dunning_verdict_text(
                        *result.verdict_reminders,
                        smaller_debtors,
                        self.env._(
                            "The challenger needs fewer reminders, significant at 95 %."
                        ),
                        self.env._(
                            "The challenger needs more reminders, significant at 95 %."
                        ),
                        self.env._("debtors"),
                    ),
                },
            ],
        }

    @api.model
    def _dunning_format_figure(self, value, unit):
        """Format a figure of the comparison (empty when unknown)."""
        if value is None:
            return ""
        if unit == "share":
            return f"{value * 100:.1f} %"
        return f"{value:.1f}"

    def _dunning_render_comparison(self, on_date=None, result=None):
        """Return the comparison as HTML (QWeb template of the views): of
        ``result`` (an engine comparison), or measured on ``on_date``."""
        self.ensure_one()
        values = self._dunning_challenger_values(on_date, result)
        fmt = self._dunning_format_figure
        for metric in values["metrics"]:
            unit, difference = metric["unit"], metric["difference"]
            metric["champion"] = fmt(metric["champion"], unit)
            metric["challenger"] = fmt(metric["challenger"], unit)
            text = ""
            if difference and difference.diff is not None:
                text = fmt(difference.diff, unit)
                if difference.low is not None:
                    text += (
                        f" [{fmt(difference.low, unit)} ; "
                        f"{fmt(difference.high, unit)}]"
                    )
            metric["difference"] = text
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_challenger_comparison", values
        )

    @api.depends("challenger_result", "challenger_result_date")
    @api.depends_context("lang")
    def _compute_challenger_comparison(self):
        """The stored comparison, rendered in the reader's language."""
        for scenario in self:
            if scenario.challenger_id and scenario.challenger_result:
                scenario.challenger_comparison = scenario._dunning_render_comparison(
                    result=engine.comparison_from_dict(scenario.challenger_result)
                )
            else:
                scenario.challenger_comparison = False

    # --- Ending the test ----------------------------------------------------

    def _dunning_challenger_end(self, promote):
        """Record the result on both scenarios' chatter and end the test.

        Checked on the server: ending a test writes the scenario (managers).
        """
        self.check_access("write")
        for scenario in self:
            if not scenario.challenger_id:
                raise UserError(
                    self.env._("%(name)s runs no test.", name=scenario.display_name)
                )
            challenger = scenario.challenger_id
            comparison = scenario._dunning_render_comparison()
            title = (
                self.env._(
                    "Test ended, %(challenger)s promoted in place of %(champion)s "
                    "(%(share)s %% of the debtors since %(start)s).",
                    challenger=challenger.display_name,
                    champion=scenario.display_name,
                    share=scenario.challenger_share,
                    start=scenario.challenger_start,
                )
                if promote
                else self.env._(
                    "Test of %(challenger)s stopped (%(share)s %% of the debtors "
                    "since %(start)s).",
                    challenger=challenger.display_name,
                    share=scenario.challenger_share,
                    start=scenario.challenger_start,
                )
            )
            body = self.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_challenger_result",
                {"title": title, "comparison": comparison},
            )
            for record in scenario | challenger:
                record.message_post(body=body, subtype_xmlid="mail.mt_note")
            scenario.write({"challenger_id": False, "challenger_start": False})
            if promote:
                scenario._dunning_promote(challenger)

    def _dunning_promote(self, challenger):
        """Give ``challenger`` the place of this scenario.

        The assignment rules, the default flag and the debtors forced on
        this scenario go to the challenger; this scenario is archived.
        """
        self.ensure_one()
        self.rule_ids.write({"scenario_id": challenger.id})
        forced = (
            self.env["res.partner"]
            .sudo()
            .with_company(self.company_id)
            .search([("dunning_scenario_id", "=", self.id)])
        )
        if forced:
            forced.write({"dunning_scenario_id": challenger.id})
        if self.is_default:
            self.is_default = False
            challenger.is_default = True
        self.active = False

    def action_challenger_stop(self):
        """Stop the test: every debtor back to the champion, result recorded."""
        self._dunning_challenger_end(promote=False)

    def action_challenger_promote(self):
        """End the test and put the challenger in the champion's place."""
        self._dunning_challenger_end(promote=True)
