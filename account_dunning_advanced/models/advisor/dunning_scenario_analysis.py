# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The advisor's snapshots: one analysis per scenario and date.

Stored, not transient: reading a year of history for every opening of a
scenario would cost a query over all its lines each time, the figures a
credit manager discusses must not move while he reads them (they carry their
analysis date), and the curve's graph view needs records. Analysing again
replaces the previous snapshot of the company's scenarios.
"""

import logging
from datetime import date as date_type
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ...engine import advisor

_logger = logging.getLogger(__name__)

#: Days of due dates analysed, back from the analysis date.
PERIOD_DAYS = 365
#: The colours of the segments' curves (the whole one is #71639e).
SEGMENT_COLORS = ("#017e84", "#e07b00", "#c0392b", "#2e86c1", "#7d8c00", "#8e44ad")
#: The channels of the levels the "add a channel" suggestion may add.
CHANNEL_FIELDS = {
    "phone": "channel_phone",
    "sms": "channel_sms",
    "letter": "channel_letter",
}


def _percent(value):
    return None if value is None else 100.0 * value


class DunningScenarioAnalysis(models.Model):
    _name = "dunning.scenario.analysis"
    _description = "Collections scenario analysis"
    _order = "date desc, id desc"

    scenario_id = fields.Many2one(
        "dunning.scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="scenario_id.company_id", store=True, index=True
    )
    date = fields.Date(string="Analysis date", required=True, readonly=True)
    date_from = fields.Date(
        string="Due since",
        readonly=True,
        help="The invoices analysed are those due from this date to the "
        "analysis date.",
    )
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    paid_count = fields.Integer(string="Paid", readonly=True)
    open_count = fields.Integer(
        string="Still open",
        readonly=True,
        help="Invoices still open at the analysis date: counted until then "
        "(censored), never dropped.",
    )
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    median_days = fields.Integer(
        string="Median days to payment",
        readonly=True,
        help="Days after the due date by which half of the invoices are paid "
        "(Kaplan-Meier); 0 when fewer than half are paid.",
    )
    median_range = fields.Char(
        string="95% range",
        readonly=True,
        help="Confidence range of the median (Greenwood band).",
    )
    level_stat_ids = fields.One2many(
        "dunning.scenario.level.stat", "analysis_id", string="Figures per level"
    )
    point_ids = fields.One2many(
        "dunning.scenario.curve.point", "analysis_id", string="Survival curve"
    )
    suggestion_ids = fields.One2many(
        "dunning.scenario.suggestion", "analysis_id", string="Suggestions"
    )
    curve_svg = fields.Html(
        string="Time to payment", compute="_compute_curve_svg", sanitize=False
    )

    @api.depends("point_ids")
    @api.depends_context("lang")
    def _compute_curve_svg(self):
        for analysis in self:
            if not analysis.point_ids:
                analysis.curve_svg = False
                continue
            analysis.curve_svg = self.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_advisor_curve_svg",
                analysis._dunning_curve_values(),
            )

    def _dunning_curve_values(self):
        """Coordinates of the curve's steps and band in a 600 x 220 box: the
        whole scenario's with its band, each segment's as a dashed line."""
        width, height, left, top = 540.0, 180.0, 50.0, 10.0
        all_points = self.point_ids.sorted("day")
        points = all_points.filtered(lambda point: not point.segment)
        last = max(all_points[-1].day, 1)

        def x(day):
            return round(left + width * day / last, 1)

        def y(share):
            return round(top + height * (1 - share / 100.0), 1)

        line, high, low = [(x(0), y(100))], [(x(0), y(100))], [(x(0), y(100))]
        previous = (100.0, 100.0, 100.0)
        for point in points:
            for path, before, now in (
                (line, previous[0], point.unpaid),
                (high, previous[1], point.high),
                (low, previous[2], point.low),
            ):
                path.append((x(point.day), y(before)))
                path.append((x(point.day), y(now)))
            previous = (point.unpaid, point.high, point.low)

        def text(path):
            return " ".join(f"{px},{py}" for px, py in path)

        segments = []
        keys = sorted(set(all_points.filtered("segment").mapped("segment")))
        labels = self.env["dunning.scenario"]._dunning_advisor_segment_labels(keys)
        for index, segment in enumerate(keys):
            path, before = [(x(0), y(100))], 100.0
            for point in all_points.filtered(lambda p, s=segment: p.segment == s):
                path += [(x(point.day), y(before)), (x(point.day), y(point.unpaid))]
                before = point.unpaid
            segments.append(
                {
                    "label": labels.get(segment, segment),
                    "line": text(path),
                    "color": SEGMENT_COLORS[index % len(SEGMENT_COLORS)],
                    "legend_y": top + 12 + 14 * index,
                }
            )
        return {
            "line": text(line),
            "segments": segments,
            "band": text(high + list(reversed(low))),
            "x_ticks": [
                (x(day), day) for day in range(0, last + 1, max(1, last // 6 or 1))
            ],
            "y_ticks": [(y(share), share) for share in (0, 25, 50, 75, 100)],
            "bottom": top + height,
            "left": left,
            "right": left + width,
        }

    def action_open_curve(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Time to payment: %s", self.scenario_id.display_name),
            "res_model": "dunning.scenario.curve.point",
            "view_mode": "graph,list",
            "domain": [("analysis_id", "=", self.id), ("segment", "=", False)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # The analysis
    # ------------------------------------------------------------------
    @api.model
    def _dunning_history_sql(self, company, date_from, date_to):
        """The company's history in ONE query: every posted receivable debit
        line due in the period, its scenario (the one of its reminders, else
        the debtor's), its payments and its reminders (done, any scenario).

        :return: SQL selecting line_id, partner_id, amount, due_date,
            scenario_id, payments (json [[date, amount], ...]), reminders
            (json [[level, date, scenario, [channels]], ...]).
        """
        Line = self.env["account.move.line"]
        due = Line._dunning_due_date_sql("aml")
        return SQL(
            """
            WITH lines AS (
                SELECT aml.id, partner.commercial_partner_id AS partner_id,
                       aml.balance AS amount, %(due)s AS due_date
                  FROM account_move_line aml
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE %(receivable)s
                   AND aml.company_id = %(company)s
                   AND aml.balance > 0
                   AND %(due)s BETWEEN %(date_from)s AND %(date_to)s
            ), pay AS (
                SELECT apr.debit_move_id AS line_id,
                       json_agg(json_build_array(apr.max_date, apr.amount)
                                ORDER BY apr.max_date, apr.id) AS payments
                  FROM account_partial_reconcile apr
                  JOIN lines ON lines.id = apr.debit_move_id
                 WHERE apr.max_date <= %(date_to)s
                 GROUP BY apr.debit_move_id
            ), chan AS (
                SELECT ch.action_id, array_agg(DISTINCT ch.channel) AS channels
                  FROM dunning_action_channel ch
                 WHERE ch.action_id IN (
                        SELECT rel.action_id
                          FROM dunning_action_move_line_rel rel
                          JOIN lines ON lines.id = rel.move_line_id)
                 GROUP BY ch.action_id
            ), rem AS (
                SELECT rel.move_line_id AS line_id,
                       json_agg(json_build_array(act.level_id, act.date,
                                act.scenario_id, COALESCE(chan.channels, '{}'))
                                ORDER BY act.date, act.id) AS reminders,
                       (array_agg(act.scenario_id ORDER BY act.date, act.id)
                        FILTER (WHERE act.scenario_id IS NOT NULL))[1]
                           AS scenario_id
                  FROM dunning_action_move_line_rel rel
                  JOIN lines ON lines.id = rel.move_line_id
                  JOIN dunning_action act ON act.id = rel.action_id
                  LEFT JOIN chan ON chan.action_id = act.id
                 WHERE act.state = 'done' AND act.kind = 'reminder'
                   AND act.date <= %(date_to)s
                 GROUP BY rel.move_line_id
            )
            SELECT lines.id, lines.partner_id, lines.amount, lines.due_date,
                   COALESCE(rem.scenario_id, status.scenario_id) AS scenario_id,
                   pay.payments, rem.reminders
              FROM lines
              LEFT JOIN pay ON pay.line_id = lines.id
              LEFT JOIN rem ON rem.line_id = lines.id
              LEFT JOIN dunning_debtor_status status
                     ON status.partner_id = lines.partner_id
                    AND status.company_id = %(company)s
            """,
            due=due,
            receivable=Line._dunning_receivable_sql("aml"),
            company=company.id,
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _dunning_history(self, company, date_from, date_to):
        """Return dict scenario id -> list of advisor.Invoice."""
        self.env.flush_all()
        self.env.cr.execute(self._dunning_history_sql(company, date_from, date_to))
        rows = self.env.cr.fetchall()
        segments = self.env["dunning.scenario"]._dunning_advisor_segments(
            list({row[1] for row in rows}), company
        )
        result = {}
        for line_id, partner_id, amount, due, scenario_id, pays, rems in rows:
            if not scenario_id:
                continue
            invoice = advisor.Invoice(
                line_id,
                amount,
                due,
                tuple(
                    advisor.Payment(date_type.fromisoformat(day), value)
                    for day, value in pays or ()
                ),
                tuple(
                    advisor.Reminder(
                        level_id, date_type.fromisoformat(day), frozenset(channels)
                    )
                    for level_id, day, _scenario, channels in rems or ()
                ),
                segments.get(partner_id, ""),
            )
            result.setdefault(scenario_id, []).append(invoice)
        return result

    @api.model
    def _dunning_analyse(self, company, analysis_date=None, period_days=PERIOD_DAYS):
        """Analyse the history of every scenario of company; replace the
        previous analyses. Return the new ones."""
        analysis_date = analysis_date or fields.Date.context_today(self)
        date_from = analysis_date - timedelta(days=period_days)
        history = self._dunning_history(company, date_from, analysis_date)
        scenarios = (
            self.env["dunning.scenario"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        everything = [invoice for invoices in history.values() for invoice in invoices]
        rates = advisor.channel_rates(everything, analysis_date)
        self.search([("scenario_id", "in", scenarios.ids)]).unlink()
        analyses = self.browse()
        for scenario in scenarios.filtered("active"):
            analysis = self._dunning_analyse_scenario(
                scenario, history.get(scenario.id, []), analysis_date, date_from, rates
            )
            scenario.advisor_analysis_id = analysis
            analyses |= analysis
        return analyses

    @api.model
    def _cron_analyse(self):
        """Weekly: analyse the scenarios of every company, one company per
        batch. With ``dunning_auto_commit`` in the context (the cron's), each
        company is committed on its own, and a company that fails is rolled
        back and logged without stopping the others."""
        self = self.sudo()
        companies = [
            company
            for [company] in self.env["dunning.scenario"]
            .with_context(active_test=False)
            ._read_group([], ["company_id"])
        ]
        auto_commit = self.env.context.get("dunning_auto_commit")
        for index, company in enumerate(companies):
            today = fields.Date.context_today(self.with_company(company))
            try:
                self._dunning_analyse(company, today)
            except Exception:  # noqa: BLE001 - one company never stops the others
                if not auto_commit:
                    raise
                self.env.cr.rollback()
                _logger.exception("Scenario analysis of %s failed", company.name)
            self.env["ir.cron"]._notify_progress(
                done=index + 1, remaining=len(companies) - index - 1
            )
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    @api.model
    def _dunning_analyse_scenario(self, scenario, invoices, on_date, date_from, rates):
        curve = advisor.due_curve(invoices, on_date)
        curves = {"": curve, **advisor.segment_curves(invoices, on_date)}
        median, low, high = advisor.quantile(curve)
        due = [invoice for invoice in invoices if invoice.due_date <= on_date]
        paid = sum(
            1
            for invoice in due
            if (advisor.paid_date(invoice) or on_date + timedelta(days=1)) <= on_date
        )
        stats = advisor.segmented_stats(invoices, on_date)
        own_levels = set(scenario.with_context(active_test=False).level_ids.ids)
        stats = {key: stat for key, stat in stats.items() if key[1] in own_levels}
        level_specs = [
            advisor.LevelSpec(
                level.id,
                level.name,
                level.delay_days,
                frozenset(level._get_channels()),
                level.level_type,
                level.min_interval_days,
            )
            for level in scenario.level_ids
        ]
        suggestions = advisor.suggest(level_specs, stats, channel_rates=rates)
        return self.create(
            {
                "scenario_id": scenario.id,
                "date": on_date,
                "date_from": date_from,
                "invoice_count": len(due),
                "paid_count": paid,
                "open_count": len(due) - paid,
                "reminder_count": sum(stat.reminders for stat in stats.values()),
                "median_days": median or 0,
                "median_range": _range(low, high),
                "point_ids": [
                    fields.Command.create(
                        {
                            "segment": segment or False,
                            "day": point.day,
                            "unpaid": 100 * point.survival,
                            "low": 100 * point.low,
                            "high": 100 * point.high,
                            "at_risk": point.at_risk,
                            "paid": point.events,
                        }
                    )
                    for segment, segment_curve in curves.items()
                    for point in segment_curve
                ],
                "level_stat_ids": [
                    fields.Command.create(_stat_vals(stat))
                    for stat in sorted(
                        stats.values(), key=lambda s: (s.segment, s.level_id)
                    )
                ],
                "suggestion_ids": [
                    fields.Command.create(_suggestion_vals(suggestion))
                    for suggestion in suggestions
                ],
            }
        )


def _range(low, high):
    """'12–25', '12–' when the high edge is never reached, False without."""
    if low is None:
        return False
    return f"{low}–{'' if high is None else high}"


def _stat_vals(stat):
    vals = {
        "segment": stat.segment or False,
        "level_id": stat.level_id,
        "reminder_count": stat.reminders,
        "invoice_count": stat.invoices,
        "amount_open": stat.amount_open,
        "median_days": stat.median_days or 0,
        "median_range": _range(stat.median_low, stat.median_high),
    }
    for window in advisor.WINDOWS:
        share = stat.amount_paid_share[window]
        vals[f"amount_paid_{window}"] = _percent(share) or 0.0
        vals[f"paid_{window}"] = _percent(stat.paid_after[window])
        vals[f"before_{window}"] = _percent(stat.paid_before[window])
    value, low, high = advisor.lift(stat)
    vals.update(lift=100 * value, lift_low=100 * low, lift_high=100 * high)
    return vals


def _suggestion_vals(suggestion):
    evidence = suggestion.evidence or {}
    return {
        "segment": suggestion.segment or False,
        "kind": suggestion.kind,
        "level_id": suggestion.level_id,
        "new_delay": suggestion.new_delay,
        "channel": suggestion.channel or False,
        "reminder_count": evidence.get("reminders", 0),
        "paid_after": _percent(evidence.get("paid_after")) or 0.0,
        "paid_before": _percent(evidence.get("paid_before")) or 0.0,
        "reference_rate": _percent(evidence.get("reference_rate")) or 0.0,
        "reference_count": evidence.get("reference_reminders", 0),
        "payer_count": evidence.get("payers", 0),
        "most_days": evidence.get("most_days", 0),
        "still_open": _percent(evidence.get("still_open")) or 0.0,
        "effect_measured": suggestion.effect_days is not None,
        "effect_days": suggestion.effect_days or 0.0,
        "effect_low": suggestion.effect_low or 0.0,
        "effect_high": suggestion.effect_high or 0.0,
    }


class DunningAdvisorSegment(models.AbstractModel):
    """The segment of the advisor's figures: one definition for the level
    figures, the suggestions and the curve's points."""

    _name = "dunning.advisor.segment.mixin"
    _description = "Collections advisor segment"

    segment = fields.Char(
        help="The debtors' segment (dunning.scenario._dunning_advisor_segments); "
        "empty: all the scenario's debtors."
    )
    segment_label = fields.Char(string="Debtors", compute="_compute_segment_label")

    @api.depends("segment")
    @api.depends_context("lang")
    def _compute_segment_label(self):
        labels = self.env["dunning.scenario"]._dunning_advisor_segment_labels(
            set(self.mapped("segment"))
        )
        for record in self:
            record.segment_label = (
                labels.get(record.segment, record.segment)
                if record.segment
                else self.env._("All debtors")
            )


class DunningScenarioLevelStat(models.Model):
    _name = "dunning.scenario.level.stat"
    _inherit = ["dunning.advisor.segment.mixin"]
    _description = "Collections level figures"
    _order = "analysis_id, segment NULLS FIRST, level_sequence, level_id"

    analysis_id = fields.Many2one(
        "dunning.scenario.analysis", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one("dunning.level", required=True, ondelete="cascade")
    level_sequence = fields.Integer(related="level_id.sequence", store=True)
    reminder_count = fields.Integer(string="Reminders")
    invoice_count = fields.Integer(string="Invoices")
    currency_id = fields.Many2one(related="analysis_id.company_id.currency_id")
    amount_open = fields.Monetary(
        string="Amount reminded",
        help="Amount still open at the reminders.",
    )
    amount_paid_7 = fields.Float(
        string="Amount paid in 7 days (%)",
        help="Share of the amount open at the reminder paid within 7 days "
        "after it (reminders at least 7 days old).",
    )
    amount_paid_15 = fields.Float(string="Amount paid in 15 days (%)")
    amount_paid_30 = fields.Float(string="Amount paid in 30 days (%)")
    paid_7 = fields.Float(
        string="Paid in 7 days (%)",
        help="Share of the invoices reminded paid in full within 7 days after "
        "the reminder (Kaplan-Meier: invoices still open count until the "
        "analysis date).",
    )
    paid_15 = fields.Float(string="Paid in 15 days (%)")
    paid_30 = fields.Float(string="Paid in 30 days (%)")
    before_7 = fields.Float(
        string="Paid in the 7 days before (%)",
        help="Baseline: share of the invoices still open 7 days before the "
        "reminder's age (days after the due date) paid in those 7 days.",
    )
    before_15 = fields.Float(
        string="Paid in the 15 days before (%)",
        help="Baseline: share of the invoices still open 15 days before the "
        "reminder's age (days after the due date) paid in those 15 days.",
    )
    before_30 = fields.Float(string="Paid in the 30 days before (%)")
    lift = fields.Float(
        string="Lift (points)",
        help="Paid in 15 days after the reminder minus paid in the 15 days "
        "before: what the level brings.",
    )
    lift_low = fields.Float(string="Lift low")
    lift_high = fields.Float(string="Lift high")
    median_days = fields.Integer(
        string="Median days to payment",
        help="Days after the reminder by which half of the invoices reminded "
        "are paid; 0 when fewer than half are.",
    )
    median_range = fields.Char(string="Median 95% range")


class DunningScenarioCurvePoint(models.Model):
    _name = "dunning.scenario.curve.point"
    _inherit = ["dunning.advisor.segment.mixin"]
    _description = "Collections time-to-payment curve point"
    _order = "analysis_id, segment NULLS FIRST, day"

    analysis_id = fields.Many2one(
        "dunning.scenario.analysis", required=True, ondelete="cascade", index=True
    )
    day = fields.Integer(string="Days after due date", aggregator=None)
    unpaid = fields.Float(
        string="Still unpaid (%)", aggregator="avg", help="Kaplan-Meier estimate."
    )
    low = fields.Float(string="Low (%)", aggregator="avg")
    high = fields.Float(string="High (%)", aggregator="avg")
    at_risk = fields.Integer(string="Invoices open", aggregator="sum")
    paid = fields.Integer(string="Paid that day", aggregator="sum")


class DunningScenarioSuggestion(models.Model):
    _name = "dunning.scenario.suggestion"
    _inherit = ["dunning.advisor.segment.mixin"]
    _description = "Collections scenario suggestion"
    _order = "analysis_id, segment NULLS FIRST, id"

    analysis_id = fields.Many2one(
        "dunning.scenario.analysis", required=True, ondelete="cascade", index=True
    )
    scenario_id = fields.Many2one(related="analysis_id.scenario_id")
    kind = fields.Selection(
        [
            ("drop", "Drop the level"),
            ("shorten", "Shorten the delay"),
            ("channel", "Add a channel"),
        ],
        required=True,
    )
    level_id = fields.Many2one("dunning.level", required=True, ondelete="cascade")
    new_delay = fields.Integer(string="New delay (days)")
    channel = fields.Char()
    reminder_count = fields.Integer(string="Reminders")
    paid_after = fields.Float(string="Paid in 15 days after (%)")
    paid_before = fields.Float(string="Paid in the 15 days before (%)")
    reference_rate = fields.Float(string="With the channel (%)")
    reference_count = fields.Integer(string="Reminders with the channel")
    payer_count = fields.Integer(string="Payers before the next level")
    most_days = fields.Integer(string="Days within which most paid")
    still_open = fields.Float(string="Still open at the next level (%)")
    effect_measured = fields.Boolean()
    effect_days = fields.Float(
        string="Effect (days)",
        help="Expected change of the days to payment of the invoices reminded "
        "(negative: paid sooner).",
    )
    effect_low = fields.Float(string="Effect low")
    effect_high = fields.Float(string="Effect high")
    description = fields.Text(compute="_compute_description")
    evidence = fields.Text(compute="_compute_description")
    draft_scenario_id = fields.Many2one(
        "dunning.scenario", string="Draft created", readonly=True, copy=False
    )

    @api.depends("kind", "level_id", "new_delay", "channel", "reminder_count")
    def _compute_description(self):
        _ = self.env._
        for suggestion in self:
            level = suggestion.level_id.name or ""
            if suggestion.kind == "drop":
                text = _("Drop %(level)s: it brings no more payment.", level=level)
                evidence = _(
                    "%(count)s reminders: %(after).0f%% paid within 15 days "
                    "after it, %(before).0f%% in the 15 days before its age.",
                    count=suggestion.reminder_count,
                    after=suggestion.paid_after,
                    before=suggestion.paid_before,
                )
            elif suggestion.kind == "shorten":
                text = _(
                    "Send %(level)s %(delay)s days after the due date.",
                    level=level,
                    delay=suggestion.new_delay,
                )
                evidence = _(
                    "Of the %(payers)s invoices paid after the previous "
                    "reminder (before this level), %(most).0f%% were paid "
                    "within %(days)s days of it; %(open).0f%% of the "
                    "%(count)s invoices reminded wait for this level.",
                    payers=suggestion.payer_count,
                    days=suggestion.most_days,
                    most=100 * advisor.MOST,
                    open=suggestion.still_open,
                    count=suggestion.reminder_count,
                )
            else:
                text = _(
                    "Add %(channel)s to %(level)s: e-mail alone gets no response.",
                    channel=suggestion._channel_label(),
                    level=level,
                )
                evidence = _(
                    "%(count)s reminders: %(after).0f%% paid within 15 days.",
                    count=suggestion.reminder_count,
                    after=suggestion.paid_after,
                )
                if suggestion.reference_count:
                    evidence += " " + _(
                        "With %(channel)s: %(rate).0f%% of %(ref)s reminders.",
                        channel=suggestion._channel_label(),
                        rate=suggestion.reference_rate,
                        ref=suggestion.reference_count,
                    )
            if suggestion.effect_measured:
                evidence += " " + _(
                    "Expected effect: %(effect)+.1f days to payment "
                    "(95%% range %(low)+.1f to %(high)+.1f).",
                    effect=suggestion.effect_days,
                    low=suggestion.effect_low,
                    high=suggestion.effect_high,
                )
            else:
                evidence += " " + _("Expected effect: not measured (no reference).")
            suggestion.description = text
            suggestion.evidence = evidence

    def _channel_label(self):
        labels = {
            "phone": self.env._("a phone call"),
            "sms": self.env._("an SMS"),
            "letter": self.env._("a letter"),
        }
        return labels.get(self.channel, self.channel or "")

    def action_create_scenario(self):
        """Copy the scenario with this change, archived: a draft nobody is
        assigned to (no rule, not the default) until a manager activates it
        and gives it debtors."""
        self.ensure_one()
        scenario = self.analysis_id.scenario_id
        name = (
            self.env._(
                "%(scenario)s (suggested for %(segment)s)",
                scenario=scenario.name,
                segment=self.segment_label,
            )
            if self.segment
            else self.env._("%s (suggested)", scenario.name)
        )
        draft = scenario.copy(
            {
                "name": name,
                "active": False,
                "is_default": False,
                "is_starter": False,
            }
        )
        for level in scenario.level_ids:
            if self.kind == "drop" and level == self.level_id:
                continue
            vals = {"scenario_id": draft.id}
            if level == self.level_id and self.kind == "shorten":
                vals["delay_days"] = self.new_delay
            if level == self.level_id and self.kind == "channel":
                vals[CHANNEL_FIELDS.get(self.channel, "channel_phone")] = True
                if self.channel == "sms" and not level.sms_template_id:
                    vals["sms_template_id"] = self.env.ref(
                        "account_dunning_advanced.sms_template_dunning_first"
                    ).id
            level.copy(vals)
        body = Markup("<p>%s: %s</p><p>%s</p>") % (
            self.segment_label,
            self.description,
            self.evidence,
        )
        draft.message_post(body=body)
        self.draft_scenario_id = draft
        return {
            "type": "ir.actions.act_window",
            "res_model": "dunning.scenario",
            "res_id": draft.id,
            "view_mode": "form",
        }
