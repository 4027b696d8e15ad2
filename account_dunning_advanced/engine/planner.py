# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which receivable line reaches which dunning level on a given date.

This module is the algorithm of the engine, free of Odoo: the models feed it
rows read in a few set-based queries and turn its answer into records.  It is
therefore testable on thousands of cases in milliseconds.

Vocabulary
----------
* A *level* has a ``delay_days`` counted from the due date of a line
  (negative: a reminder before the due date).  Levels of a scenario progress in
  the order of their delays, which are strictly increasing.
* A line has *reached* a level when a reminder at that level was executed for
  it, or when a collector forced it there.  The engine keeps the delay and the
  date of that level: the next level becomes due ``next.delay - reached.delay``
  days after the date the previous one was reached.  After a forced level, the
  automation therefore continues from the forced date with the scenario's own
  spacing, and a late run never squeezes two levels together.
* A line that never reached a level starts with the first level of the
  scenario, except that reminders *before* the due date are skipped once that
  date has passed (a "your invoice falls due soon" sent after the due date
  would be wrong).
* ``invoice`` mode: each line follows its own pace and the debtor receives one
  message per level due.  ``account`` mode: the debtor's whole account moves
  together at the level following the highest one reached; one message lists
  every overdue line.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

MODE_INVOICE = "invoice"
MODE_ACCOUNT = "account"


@dataclass(frozen=True)
class Level:
    """A step of a scenario, as the engine needs it."""

    id: int
    delay_days: int
    min_interval_days: int = 0
    min_amount: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """A scenario: its levels in progression order and its grouping mode.

    ``escalation_level``: the level a debtor skips to after a broken promise.
    """

    id: int
    levels: tuple
    mode: str = MODE_INVOICE
    escalation_level: Level = None

    def first_level(self, due_date, on_date):
        """Return the level a never-reminded line starts with.

        Pre-due levels (negative delay) are skipped once the due date passed.
        """
        for level in self.levels:
            if level.delay_days < 0 and on_date > due_date:
                continue
            return level
        return None

    def level_after(self, reached_delay):
        """Return the first level whose delay is greater than ``reached_delay``.

        Working on delays rather than ids keeps the progression meaningful
        when the debtor changed scenario since the level was reached.
        """
        for level in self.levels:
            if level.delay_days > reached_delay:
                return level
        return None


@dataclass(frozen=True)
class Line:
    """An open receivable line."""

    id: int
    partner_id: int
    currency_id: int
    due_date: date
    amount: float
    amount_company: float
    reached_level_id: int = None
    reached_delay: int = None
    reached_date: date = None
    pending: bool = False
    excluded: bool = False
    invoice_date: date = None

    @property
    def reached(self):
        return self.reached_date is not None

    @classmethod
    def from_values(cls, values):
        """Return the line of ``values``, every field in the order of the
        class (``LINE_FIELDS``), as the constructor would, without its cost
        per field (a frozen dataclass sets each one through
        ``object.__setattr__``): the run builds a line per open line."""
        line = object.__new__(cls)
        line.__dict__.update(zip(LINE_FIELDS, values, strict=True))
        return line


#: The fields of :class:`Line`, in order (``Line.from_values``).
LINE_FIELDS = tuple(line_field.name for line_field in fields(Line))


@dataclass(frozen=True)
class Debtor:
    """What the engine needs to know of a debtor (commercial partner)."""

    partner_id: int
    scenario_id: int = None
    last_reminder_date: date = None
    paused_until: date = None
    opt_out: bool = False
    litigation: bool = False
    broken_promise_date: date = None
    proceeding_date: date = None


@dataclass
class Proposal:
    """A reminder to create: a debtor, a currency, a level and its lines."""

    partner_id: int
    currency_id: int
    level_id: int
    scenario_id: int
    line_ids: list = field(default_factory=list)
    amount: float = 0.0
    amount_company: float = 0.0
    amount_overdue: float = 0.0


@dataclass
class Plan:
    """The engine's answer for one date.

    ``proposals``: reminders due on that date.  ``next_dates``: per debtor, the
    first date on which a reminder is due (the date itself when a proposal is
    due now); a debtor absent from it has nothing planned.
    ``skipped``: per debtor, why nothing is sent although lines are due
    (``paused``, ``opt_out``, ``litigation``, ``min_interval``, ``min_amount``,
    ``no_scenario``, ``proceedings``).
    """

    proposals: list = field(default_factory=list)
    next_dates: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)


def _step(line, scenario, on_date, debtor=None):
    """Return ``(level, due_on)`` for the next level of one line, or (None, None).

    After a broken promise (later than the line's last level), a line below
    the scenario's escalation level skips to it at once.
    """
    escalation = scenario.escalation_level
    broken = debtor.broken_promise_date if debtor else None
    if (
        escalation
        and broken
        and (not line.reached or line.reached_date < broken)
        and (not line.reached or line.reached_delay < escalation.delay_days)
    ):
        return escalation, broken
    if line.reached:
        level = scenario.level_after(line.reached_delay)
        if level is None:
            return None, None
        due_on = line.reached_date + timedelta(
            days=level.delay_days - line.reached_delay
        )
        return level, due_on
    level = scenario.first_level(line.due_date, on_date)
    if level is None:
        return None, None
    return level, line.due_date + timedelta(days=level.delay_days)


def prior_to_judgment(line, judgment_date):
    """Whether ``line`` is a debt born before an insolvency judgment.

    The opening judgment of a safeguard, receivership or liquidation forbids
    any action to get paid a debt born before it (Code de commerce L622-21):
    those debts are declared to the court-appointed representative instead.
    The judgment takes effect at zero hour on its date, so a debt dated on the
    judgment day is a later one, paid normally (L622-17).  A line without a
    date counts as prior.
    """
    if not judgment_date:
        return False
    return line.invoice_date is None or line.invoice_date < judgment_date


def _covered_by(level, line, on_date):
    """In account mode, whether ``line`` is listed by a reminder at ``level``.

    Overdue lines always are; a pre-due level also lists the lines falling due
    within its window; a level at delay 0 lists the lines due today.
    """
    return line.due_date + timedelta(days=min(level.delay_days, 1)) <= on_date


class _Planner:
    def __init__(self, debtors, scenarios, on_date, tolerance):
        self.debtors = debtors
        self.scenarios = scenarios
        self.on_date = on_date
        self.tolerance = tolerance
        self.plan = Plan()

    # helpers -------------------------------------------------------------
    def _note_next(self, partner_id, day):
        current = self.plan.next_dates.get(partner_id)
        if current is None or day < current:
            self.plan.next_dates[partner_id] = day

    def _gate(self, debtor, level, due_on):
        """Apply pause and minimum interval; return the date the step may run."""
        day = due_on
        if debtor.paused_until and debtor.paused_until > day:
            day = debtor.paused_until
        if debtor.last_reminder_date and level.min_interval_days:
            earliest = debtor.last_reminder_date + timedelta(
                days=level.min_interval_days
            )
            if earliest > day:
                day = earliest
        return day

    def _why_waiting(self, debtor, level, due_on):
        if debtor.paused_until and debtor.paused_until > self.on_date:
            return "paused"
        return "min_interval"

    def _propose(self, debtor, currency_id, level, scenario, lines):
        amount_company = sum(line.amount_company for line in lines)
        if level.min_amount and amount_company < level.min_amount:
            self.plan.skipped[debtor.partner_id] = "min_amount"
            return
        self.plan.proposals.append(
            Proposal(
                partner_id=debtor.partner_id,
                currency_id=currency_id,
                level_id=level.id,
                scenario_id=scenario.id,
                line_ids=[line.id for line in lines],
                amount=sum(line.amount for line in lines),
                amount_company=amount_company,
                amount_overdue=sum(
                    line.amount for line in lines if line.due_date < self.on_date
                ),
            )
        )
        self._note_next(debtor.partner_id, self.on_date)

    # per debtor and currency ---------------------------------------------
    def group(self, partner_id, currency_id, lines):
        debtor = self.debtors.get(partner_id) or Debtor(partner_id)
        if debtor.proceeding_date:
            lines = [
                line
                for line in lines
                if not prior_to_judgment(line, debtor.proceeding_date)
            ]
            if not lines:
                self.plan.skipped[partner_id] = "proceedings"
                return
        if debtor.opt_out or debtor.litigation:
            self.plan.skipped[partner_id] = (
                "litigation" if debtor.litigation else "opt_out"
            )
            return
        scenario = self.scenarios.get(debtor.scenario_id)
        if scenario is None or not scenario.levels:
            self.plan.skipped[partner_id] = "no_scenario"
            return
        # Credit notes and unallocated payments count against the debt: a
        # debtor whose open balance is covered is not chased.
        if sum(line.amount_company for line in lines) <= self.tolerance:
            return
        tolerance = self.tolerance
        candidates = [
            line
            for line in lines
            if line.amount_company > 0
            and line.amount_company >= tolerance
            and not line.excluded
        ]
        if not candidates:
            return
        if scenario.mode == MODE_ACCOUNT:
            self._group_account(debtor, currency_id, scenario, candidates)
        else:
            self._group_invoice(debtor, currency_id, scenario, candidates)

    def _group_invoice(self, debtor, currency_id, scenario, lines):
        due_now = defaultdict(list)
        levels = {}
        for line in lines:
            if line.pending:
                continue
            level, due_on = _step(line, scenario, self.on_date, debtor)
            if level is None:
                continue
            day = self._gate(debtor, level, due_on)
            if day <= self.on_date:
                due_now[level.id].append(line)
                levels[level.id] = level
            else:
                self._note_next(debtor.partner_id, day)
                if due_on <= self.on_date:
                    self.plan.skipped[debtor.partner_id] = self._why_waiting(
                        debtor, level, due_on
                    )
        for level_id, level_lines in due_now.items():
            self._propose(debtor, currency_id, levels[level_id], scenario, level_lines)

    def _group_account(self, debtor, currency_id, scenario, lines):
        if any(line.pending for line in lines):
            return
        reached = [line for line in lines if line.reached]
        if reached:
            top = max(reached, key=lambda line: (line.reached_delay, line.reached_date))
            level, due_on = _step(top, scenario, self.on_date, debtor)
        else:
            oldest = min(lines, key=lambda line: line.due_date)
            level, due_on = _step(oldest, scenario, self.on_date, debtor)
        if level is None:
            return
        day = self._gate(debtor, level, due_on)
        if day > self.on_date:
            self._note_next(debtor.partner_id, day)
            if due_on <= self.on_date:
                self.plan.skipped[debtor.partner_id] = self._why_waiting(
                    debtor, level, due_on
                )
            return
        covered = [line for line in lines if _covered_by(level, line, self.on_date)]
        if covered:
            self._propose(debtor, currency_id, level, scenario, covered)


def plan(lines, debtors, scenarios, on_date, tolerance=0.0):
    """Compute the reminders due on ``on_date``.

    :param lines: iterable of :class:`Line`, the open receivable lines
        (positive and negative) of the debtors to consider.
    :param debtors: dict ``partner_id -> Debtor``.
    :param scenarios: dict ``scenario_id -> Scenario``.
    :param on_date: the date of the run.
    :param tolerance: amounts (company currency) below it are ignored.
    :return: a :class:`Plan`.
    """
    groups = defaultdict(list)
    for line in lines:
        groups[(line.partner_id, line.currency_id)].append(line)
    planner = _Planner(debtors, scenarios, on_date, tolerance)
    for (partner_id, currency_id), group_lines in groups.items():
        planner.group(partner_id, currency_id, group_lines)
    planner.plan.proposals.sort(key=lambda p: (p.partner_id, p.currency_id, p.level_id))
    return planner.plan
