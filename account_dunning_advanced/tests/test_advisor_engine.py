# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scenario advisor's statistics, without the database, against a
history computed by hand."""

from datetime import date, timedelta

from odoo.tests.common import BaseCase

from ..engine.advisor import (
    Invoice,
    LevelSpec,
    Payment,
    Reminder,
    due_curve,
    kaplan_meier,
    level_stats,
    quantile,
    segment_curves,
    segmented_stats,
    suggest,
)

DUE = date(2026, 3, 1)
ANALYSIS = date(2026, 6, 30)
L1, L2 = 1, 2


def day(offset, origin=DUE):
    return origin + timedelta(days=offset)


def invoice(ident, paid_day=None, reminders=(), due=DUE, amount=100.0):
    payments = (Payment(day(paid_day, due), amount),) if paid_day is not None else ()
    return Invoice(
        ident,
        amount,
        due,
        payments,
        tuple(Reminder(level, day(offset, due), frozenset({"email"}))
              for level, offset in reminders),
    )  # fmt: skip


#: i1 paid on day 3 before any reminder; i2 paid 3 days after the first
#: reminder (D+5); i3 2 days after the second (D+20); i4 still open
#: (censored at 121 days); i5 due ten days before the analysis, reminded,
#: open (censored at 10 days).
HISTORY = [
    invoice(1, 3),
    invoice(2, 8, [(L1, 5)]),
    invoice(3, 22, [(L1, 5), (L2, 20)]),
    invoice(4, None, [(L1, 5), (L2, 20)]),
    invoice(5, None, [(L1, 5)], due=date(2026, 6, 20)),
]


class TestAdvisorEngine(BaseCase):
    def test_survival_curve_counts_open_invoices_as_censored(self):
        curve = due_curve(HISTORY, ANALYSIS)
        # Risk sets 5, 4, then 2 (i5 left, censored at 10 days).
        self.assertEqual([(p.day, p.at_risk, p.events) for p in curve],
                         [(3, 5, 1), (8, 4, 1), (22, 2, 1)])  # fmt: skip
        self.assertEqual([round(p.survival, 4) for p in curve], [0.8, 0.6, 0.3])
        # Greenwood: at day 8, 0.6 * sqrt(1/20 + 1/12) = 0.219089; at day
        # 22, 0.3 * sqrt(1/20 + 1/12 + 1/2) = 0.238747; clipped to [0, 1].
        self.assertAlmostEqual(curve[1].low, 0.6 - 1.959964 * 0.219089, places=4)
        self.assertEqual(curve[1].high, 1.0)
        self.assertEqual(curve[2].low, 0.0)
        self.assertAlmostEqual(curve[2].high, 0.3 + 1.959964 * 0.238747, places=4)
        self.assertEqual(quantile(curve)[0], 22, "median days to payment")
        # Dropping the open invoices instead would say 3 of 3 paid.
        self.assertGreater(curve[-1].survival, 0)

    def test_kaplan_meier_without_events(self):
        self.assertEqual(kaplan_meier([(5, False), (9, False)]), ())
        self.assertEqual(quantile(()), (None, None, None))

    def test_level_figures(self):
        stats = level_stats(HISTORY, ANALYSIS)
        first, second = stats["", L1], stats["", L2]
        self.assertEqual((first.reminders, first.invoices), (4, 4))
        # From the reminder: i2 paid at 3 days, i5 censored at 5, i3 paid
        # at 17, i4 censored at 116: S = 0.75 then 0.375.
        self.assertAlmostEqual(first.paid_after[7], 0.25)
        self.assertAlmostEqual(first.paid_after[15], 0.25)
        self.assertAlmostEqual(first.paid_after[30], 0.625)
        self.assertEqual(first.median_days, 17)
        # Amounts: i5 (5 days old) is too young for any window: i2 of
        # 300 within 7 and 15 days, i2 and i3 within 30.
        self.assertAlmostEqual(first.amount_paid_share[7], 1 / 3)
        self.assertAlmostEqual(first.amount_paid_share[15], 1 / 3)
        self.assertAlmostEqual(first.amount_paid_share[30], 2 / 3)
        self.assertEqual(first.amount_open, 400)
        # Before D+5 on the due-date curve: 1 - S(4) = 0.2.
        self.assertAlmostEqual(first.paid_before[7], 0.2)
        self.assertEqual(second.reminders, 2)
        self.assertAlmostEqual(second.paid_after[7], 0.5)
        self.assertEqual(second.median_days, 2)
        # Before D+20, from D+5: 1 - S(19) / S(4) = 1 - 0.6 / 0.8.
        self.assertAlmostEqual(second.paid_before[15], 0.25)

    def test_partial_payment_is_not_a_payment(self):
        partial = Invoice(9, 100.0, DUE, (Payment(day(10), 40.0),),
                          (Reminder(L1, day(5)),))  # fmt: skip
        stats = level_stats([partial], ANALYSIS)
        self.assertEqual(stats["", L1].paid_after[30], 0.0, "still open")
        self.assertAlmostEqual(stats["", L1].amount_paid_share[7], 0.4)


def _history(late_day):
    """30 invoices reminded at D+5: 10 pay on day 8; the 20 others are
    reminded again at D+20 and pay on ``late_day`` (None: never)."""
    early = [invoice(i, 8, [(L1, 5)]) for i in range(10)]
    late = [invoice(10 + i, late_day, [(L1, 5), (L2, 20)]) for i in range(20)]
    return early + late


LEVELS = [
    LevelSpec(L1, "First", 5, frozenset({"email"})),
    LevelSpec(L2, "Second", 20, frozenset({"email"})),
]


class TestAdvisorSuggestions(BaseCase):
    def test_useless_level_is_dropped(self):
        stats = level_stats(_history(None), ANALYSIS)
        suggestions = suggest(LEVELS, stats)
        drops = [s for s in suggestions if s.kind == "drop"]
        self.assertEqual([s.level_id for s in drops], [L2])
        self.assertEqual(
            [s.kind for s in suggestions if s.level_id == L2],
            ["drop"],
            "no shorter delay for a level to drop",
        )
        evidence = drops[0].evidence
        self.assertEqual(evidence["reminders"], 20)
        self.assertEqual(evidence["paid_after"], 0.0)
        self.assertAlmostEqual(evidence["paid_before"], 1 / 3)

    def test_working_level_is_kept(self):
        stats = level_stats(_history(22), ANALYSIS)
        suggestions = suggest(LEVELS, stats)
        self.assertFalse([s for s in suggestions if s.kind == "drop"])
        self.assertFalse([s for s in suggestions if s.kind == "channel"])

    def test_too_few_cases_no_judgement(self):
        stats = level_stats(_history(None)[:25], ANALYSIS)  # 15 second reminders
        self.assertFalse([s for s in suggest(LEVELS, stats) if s.level_id == L2
                          and s.kind == "drop"])  # fmt: skip

    def test_shorten_when_payers_pay_soon(self):
        # The 10 payers after D+5 pay within 3 days, the 20 others wait
        # until D+20: the second reminder can come a week after the first.
        stats = level_stats(_history(22), ANALYSIS)
        shorten = [s for s in suggest(LEVELS, stats) if s.kind == "shorten"]
        self.assertEqual(len(shorten), 1)
        self.assertEqual((shorten[0].level_id, shorten[0].new_delay), (L2, 12))
        # 20 of 30 still open reach it 8 days sooner: -5.33 days.
        self.assertAlmostEqual(shorten[0].effect_days, -8 * 20 / 30)
        self.assertLess(shorten[0].effect_low, shorten[0].effect_days)
        self.assertGreater(shorten[0].effect_high, shorten[0].effect_days)

    def test_no_shorter_delay_when_nobody_waits(self):
        # Every invoice reminded at D+5 is paid on day 8: none reaches the
        # second reminder, sending it sooner would change nothing.
        history = [invoice(i, 8, [(L1, 5)]) for i in range(30)]
        stats = level_stats(history, ANALYSIS)
        self.assertEqual([s for s in suggest(LEVELS, stats) if s.kind == "shorten"], [])

    def test_channel_where_email_gets_no_response(self):
        history = [invoice(i, None, [(L1, 5)]) for i in range(25)]
        stats = level_stats(history, ANALYSIS)
        levels = [LevelSpec(L1, "First", 5, frozenset({"email"}))]
        # Without reference the effect is not measured; never dropped
        # either: nobody paid before it.
        (only,) = suggest(levels, stats)
        self.assertEqual((only.kind, only.channel), ("channel", "phone"))
        self.assertIsNone(only.effect_days)
        (only,) = suggest(levels, stats, channel_rates={"sms": (0.4, 50)})
        self.assertEqual(only.channel, "sms")
        self.assertAlmostEqual(only.effect_days, -0.4 * 15)

    def test_segments_and_the_whole(self):
        """The whole scenario under "", and each segment when there are two
        or more; one segment only is the whole."""
        grade_a = [inv._replace(segment="A") for inv in HISTORY[:2]]
        grade_e = [inv._replace(segment="E") for inv in HISTORY[2:]]
        stats = segmented_stats(grade_a + grade_e, ANALYSIS)
        self.assertEqual(
            set(stats), {("", L1), ("", L2), ("A", L1), ("E", L1), ("E", L2)}
        )
        whole = level_stats(HISTORY, ANALYSIS)
        self.assertEqual(stats["", L1].paid_after, whole["", L1].paid_after)
        self.assertEqual(stats["A", L1].reminders, 1)
        self.assertAlmostEqual(stats["A", L1].paid_after[7], 1.0)
        self.assertEqual(stats["E", L1].reminders, 3)
        self.assertEqual(
            {segment: [p.day for p in curve]
             for segment, curve in segment_curves(grade_a + grade_e, ANALYSIS)
             .items()},
            {"A": [3, 8], "E": [22]},
        )  # fmt: skip
        only_a = [inv._replace(segment="A") for inv in HISTORY]
        self.assertEqual(set(segmented_stats(only_a, ANALYSIS)), {("", L1), ("", L2)})
        self.assertEqual(segment_curves(only_a, ANALYSIS), {})
