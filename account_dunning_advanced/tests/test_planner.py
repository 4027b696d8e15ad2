# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The engine's decision function, without the database."""

import dataclasses
import random
from datetime import date, timedelta

from odoo.tests.common import BaseCase

from ..engine.planner import (
    MODE_ACCOUNT,
    MODE_INVOICE,
    Debtor,
    Level,
    Line,
    Scenario,
    plan,
)

D0 = date(2026, 3, 1)
EUR = 1
USD = 2


def day(offset):
    return D0 + timedelta(days=offset)


LEVELS = (
    Level(1, -2),
    Level(2, 5, min_interval_days=3),
    Level(3, 20),
    Level(4, 40),
)
SCENARIO = Scenario(10, LEVELS, MODE_INVOICE)
ACCOUNT_SCENARIO = Scenario(11, LEVELS, MODE_ACCOUNT)


def line(line_id, due_offset, amount=100.0, partner=1, currency=EUR, **kw):
    return Line(
        id=line_id,
        partner_id=partner,
        currency_id=currency,
        due_date=day(due_offset),
        amount=amount,
        amount_company=kw.pop("amount_company", amount),
        **kw,
    )


def reached(base, level, on):
    return dataclasses.replace(
        base, reached_level_id=level.id, reached_delay=level.delay_days, reached_date=on
    )


class TestPlanner(BaseCase):
    def _plan(self, lines, on, scenario=SCENARIO, tolerance=0.0, **debtor):
        debtors = {1: Debtor(1, scenario_id=scenario.id, **debtor)}
        return plan(lines, debtors, {scenario.id: scenario}, on, tolerance)

    def test_line_from_values_is_the_constructed_line(self):
        """The run builds its lines from rows (``Line.from_values``): the
        same line as the constructor, field by field, still immutable."""
        values = (7, 1, EUR, day(3), 120.0, 110.0, 2, 5, day(8), True, False, D0)
        built = Line.from_values(values)
        self.assertEqual(built, Line(*values))
        self.assertEqual(hash(built), hash(Line(*values)))
        self.assertTrue(built.reached)
        self.assertEqual((built.pending, built.excluded), (True, False))
        with self.assertRaises(dataclasses.FrozenInstanceError):
            built.amount = 0.0
        with self.assertRaises(ValueError):
            Line.from_values(values[:-1])

    def test_pre_due_then_levels(self):
        lines = [line(1, 0)]
        self.assertFalse(self._plan(lines, day(-3)).proposals)
        result = self._plan(lines, day(-2))
        self.assertEqual(
            [(p.level_id, p.line_ids) for p in result.proposals], [(1, [1])]
        )
        lines = [reached(lines[0], LEVELS[0], day(-2))]
        result = self._plan(lines, day(4))
        self.assertFalse(result.proposals)
        self.assertEqual(result.next_dates[1], day(5))
        self.assertEqual(self._plan(lines, day(5)).proposals[0].level_id, 2)

    def test_pre_due_skipped_after_due_date(self):
        result = self._plan([line(1, 0)], day(1))
        self.assertFalse(result.proposals)
        self.assertEqual(result.next_dates[1], day(5))
        self.assertEqual(self._plan([line(1, 0)], day(9)).proposals[0].level_id, 2)

    def test_levels_in_order_even_when_very_late(self):
        # 100 days late and never reminded: the first real reminder, not the last.
        result = self._plan([line(1, -100)], D0)
        self.assertEqual(result.proposals[0].level_id, 2)

    def test_spacing_follows_the_reached_date(self):
        # Level 2 (delay 5) sent late, on day 12: level 3 (delay 20) comes 15
        # days later, not on day 20.
        base = reached(line(1, 0), LEVELS[1], day(12))
        self.assertFalse(self._plan([base], day(20)).proposals)
        self.assertEqual(self._plan([base], day(27)).proposals[0].level_id, 3)

    def test_last_level_reached_means_nothing_more(self):
        base = reached(line(1, 0), LEVELS[3], day(40))
        result = self._plan([base], day(400))
        self.assertFalse(result.proposals)
        self.assertNotIn(1, result.next_dates)

    def test_pending_and_excluded_lines_wait(self):
        self.assertFalse(self._plan([line(1, -10, pending=True)], D0).proposals)
        self.assertFalse(self._plan([line(1, -10, excluded=True)], D0).proposals)

    def test_pause_opt_out_min_interval(self):
        lines = [line(1, -10)]
        result = self._plan(lines, D0, paused_until=day(3))
        self.assertFalse(result.proposals)
        self.assertEqual(result.next_dates[1], day(3))
        self.assertEqual(result.skipped[1], "paused")
        self.assertTrue(self._plan(lines, day(3), paused_until=day(3)).proposals)
        result = self._plan(lines, D0, opt_out=True)
        self.assertFalse(result.proposals)
        self.assertNotIn(1, result.next_dates)
        result = self._plan(lines, D0, last_reminder_date=day(-1))
        self.assertFalse(result.proposals)
        self.assertEqual(result.next_dates[1], day(2))
        self.assertEqual(result.skipped[1], "min_interval")

    def test_tolerance_and_credits(self):
        self.assertFalse(
            self._plan([line(1, -10, amount=0.5)], D0, tolerance=1).proposals
        )
        # A credit note covering the overdue invoice: the debtor owes nothing.
        lines = [line(1, -10, amount=100), line(2, -5, amount=-100)]
        self.assertFalse(self._plan(lines, D0).proposals)
        lines = [line(1, -10, amount=100), line(2, -5, amount=-40)]
        self.assertEqual(self._plan(lines, D0).proposals[0].line_ids, [1])

    def test_min_amount(self):
        scenario = Scenario(12, (Level(5, 5, min_amount=500.0),))
        self.assertFalse(self._plan([line(1, -10)], D0, scenario=scenario).proposals)
        lines = [line(1, -10, amount=300), line(2, -8, amount=300)]
        proposals = self._plan(lines, D0, scenario=scenario).proposals
        self.assertEqual(proposals[0].line_ids, [1, 2])

    def test_one_proposal_per_level_and_currency(self):
        lines = [
            line(1, -10),
            reached(line(2, -30), LEVELS[1], day(-25)),
            line(3, -10, currency=USD),
        ]
        result = self._plan(lines, D0)
        self.assertEqual(
            [(p.currency_id, p.level_id, p.line_ids) for p in result.proposals],
            [(EUR, 2, [1]), (EUR, 3, [2]), (USD, 2, [3])],
        )

    def test_account_mode_lists_every_overdue_line(self):
        lines = [
            reached(line(1, -30), LEVELS[1], day(-25)),
            line(2, -3),
            line(3, 10),  # not due yet: not listed
        ]
        result = self._plan(lines, D0, scenario=ACCOUNT_SCENARIO)
        (proposal,) = result.proposals
        self.assertEqual((proposal.level_id, proposal.line_ids), (3, [1, 2]))
        self.assertEqual(proposal.amount_overdue, 200.0)

    def test_account_mode_waits_for_pending(self):
        lines = [line(1, -30), line(2, -3, pending=True)]
        self.assertFalse(self._plan(lines, D0, scenario=ACCOUNT_SCENARIO).proposals)

    def test_no_scenario(self):
        result = plan([line(1, -10)], {1: Debtor(1)}, {}, D0)
        self.assertFalse(result.proposals)
        self.assertEqual(result.skipped[1], "no_scenario")

    def test_simulated_history_properties(self):
        """Simulate 2,000 random histories day by day; check the invariants.

        A line never gets the same level twice, levels only go up, no level
        comes before its delay, and a second run on the same date proposes
        nothing new.
        """
        rng = random.Random(20261128)
        for _case in range(2000):
            delays = sorted(rng.sample(range(-5, 60), rng.randint(1, 5)))
            levels = tuple(
                Level(i + 1, delay, min_interval_days=rng.choice((0, 0, 3, 7)))
                for i, delay in enumerate(delays)
            )
            scenario = Scenario(1, levels, rng.choice((MODE_INVOICE, MODE_ACCOUNT)))
            lines = {
                i: line(i, rng.randint(-20, 30), amount=rng.choice((50.0, 200.0)))
                for i in range(1, rng.randint(2, 6))
            }
            history = {i: [] for i in lines}
            last = None
            for offset in range(-10, 120):
                on = day(offset)
                debtors = {1: Debtor(1, scenario_id=1, last_reminder_date=last)}
                result = plan(lines.values(), debtors, {1: scenario}, on)
                for proposal in result.proposals:
                    level = next(lvl for lvl in levels if lvl.id == proposal.level_id)
                    for line_id in proposal.line_ids:
                        current = lines[line_id]
                        self.assertNotIn(level.id, history[line_id])
                        if current.reached:
                            self.assertGreater(level.delay_days, current.reached_delay)
                        else:
                            floor = level.delay_days
                            if scenario.mode == MODE_ACCOUNT:
                                floor = min(floor, 1)
                            self.assertGreaterEqual(
                                on, current.due_date + timedelta(floor)
                            )
                        history[line_id].append(level.id)
                        lines[line_id] = reached(current, level, on)
                    last = on
                if result.proposals:
                    debtors = {1: Debtor(1, scenario_id=1, last_reminder_date=last)}
                    again = plan(lines.values(), debtors, {1: scenario}, on)
                    self.assertFalse(again.proposals)
