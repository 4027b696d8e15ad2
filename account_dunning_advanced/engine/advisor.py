# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scenario advisor's statistics, in plain Python (no Odoo import).

Input: the invoices of a scenario (amount, due date, payments, reminders
received), as of an analysis date. Output:

- the time-to-payment survival curve from the due date (Kaplan-Meier: an
  invoice still open at the analysis date is *censored*, it counts in the
  risk set until then and is never dropped), with a 95 % Greenwood band;
- per segment and level: reminders sent, the share of the amount paid within
  7/15/30 days after the reminder, the share of the invoices paid within
  those days (Kaplan-Meier from the reminder, censored), the median days to
  payment after it, and the baseline: the share paid in the same number of
  days *before* the reminder's age (days after the due date), read on the
  survival curve of the same invoices;
- suggestions: drop a level that brings nothing, shorten a delay where the
  debtors pay soon after the previous reminder anyway, add a channel where
  e-mail alone gets no response; each with its evidence and the expected
  effect on days to payment with a 95 % range.
"""

import math
from bisect import bisect_right
from datetime import timedelta
from typing import NamedTuple

#: The windows (days) of the figures after a reminder.
WINDOWS = (7, 15, 30)
#: The window the suggestions compare (after the reminder / before it).
COMPARE_WINDOW = 15
#: Fewest reminders of a level before the advisor judges it.
MIN_CASES = 20
#: A level "brings something" when it adds more than this to the share paid
#: within COMPARE_WINDOW days (after minus before).
MIN_LIFT = 0.02
#: Below this share paid within COMPARE_WINDOW days, a level "gets no
#: response".
NO_RESPONSE = 0.10
#: "Most debtors": the share of the payers of a window whose days to
#: payment decide a shorter delay.
MOST = 0.8
#: Channels that are not e-mail, in the order the advisor proposes them.
OTHER_CHANNELS = ("phone", "sms", "letter")
Z95 = 1.959964


class Payment(NamedTuple):
    date: object
    amount: float


class Reminder(NamedTuple):
    level_id: int
    date: object
    channels: frozenset = frozenset()


class Invoice(NamedTuple):
    """An invoice (receivable line): payments and reminders in date order."""

    id: int
    amount: float
    due_date: object
    payments: tuple = ()
    reminders: tuple = ()
    segment: str = ""


class Point(NamedTuple):
    """A step of a survival curve: S(day) = P(still unpaid after ``day``)."""

    day: int
    survival: float
    low: float
    high: float
    at_risk: int
    events: int


class LevelSpec(NamedTuple):
    """A level of the scenario analysed, as the suggestions need it."""

    id: int
    name: str
    delay_days: int
    channels: frozenset
    level_type: str = "reminder"
    min_interval_days: int = 0


class LevelStat(NamedTuple):
    segment: str
    level_id: int
    reminders: int
    invoices: int
    amount_open: float
    #: window -> share of the amount open at the reminder paid within it
    #: (None: no reminder old enough to judge).
    amount_paid_share: dict
    #: window -> share of the invoices paid within it (Kaplan-Meier).
    paid_after: dict
    #: window -> share paid in the same days before the reminder's age.
    paid_before: dict
    #: window -> standard error of paid_after (Greenwood).
    paid_after_se: dict
    #: window -> standard error of paid_before.
    paid_before_se: dict
    median_days: float
    median_low: float
    median_high: float
    #: Days from the reminder to the payment of the invoices paid.
    payment_days: tuple
    #: Kaplan-Meier curve from the reminder.
    curve: tuple


class Suggestion(NamedTuple):
    kind: str  # drop, shorten, channel
    segment: str
    level_id: int
    #: shorten: the new delay; channel: the channel to add.
    new_delay: int = 0
    channel: str = ""
    #: What the suggestion rests on: counts, rates.
    evidence: dict = None
    #: Expected change of the days to payment (negative: sooner), 95 % range.
    effect_days: float = None
    effect_low: float = None
    effect_high: float = None


# ----------------------------------------------------------------------
# Kaplan-Meier
# ----------------------------------------------------------------------
def kaplan_meier(durations, z=Z95):
    """Kaplan-Meier estimate with a Greenwood confidence band.

    The one estimator of time to payment: the advisor's curves and the
    champion/challenger comparison (``engine/challenger.py``) both use it.

    :param durations: iterable of (days, paid) or (days, paid, count):
        ``paid`` False = censored (still open ``days`` after the origin at
        the analysis date); ``count`` invoices alike (default 1).
    :return: tuple of :class:`Point`, one per day with an event, in day
        order; the band is the plain Greenwood one, clipped to [0, 1].
    """
    events, censored = {}, {}
    total = 0
    for days, paid, *count in durations:
        count = count[0] if count else 1
        total += count
        target = events if paid else censored
        target[days] = target.get(days, 0) + count
    at_risk = total
    survival = 1.0
    greenwood = 0.0
    points = []
    for day in sorted(set(events) | set(censored)):
        dead = events.get(day, 0)
        if dead:
            survival *= 1 - dead / at_risk
            if at_risk > dead:
                greenwood += dead / (at_risk * (at_risk - dead))
            se = survival * math.sqrt(greenwood)
            points.append(
                Point(
                    day,
                    survival,
                    max(0.0, survival - z * se),
                    min(1.0, survival + z * se),
                    at_risk,
                    dead,
                )
            )
        at_risk -= dead + censored.get(day, 0)
    return tuple(points)


def survival_at(curve, day):
    """Return S(day) = P(not paid within ``day`` days) on a curve."""
    index = bisect_right([p.day for p in curve], day)
    return curve[index - 1].survival if index else 1.0


def _point_at(curve, day):
    index = bisect_right([p.day for p in curve], day)
    return curve[index - 1] if index else None


def quantile(curve, share=0.5):
    """Return (day, low, high): the first day the curve falls to 1 - share
    or below, and the same on the band's high and low edges (None: never
    reached within the data)."""

    def first(attr):
        return next(
            (p.day for p in curve if getattr(p, attr) <= 1 - share + 1e-12), None
        )

    return first("survival"), first("low"), first("high")


def paid_within(curve, days):
    """Return P(paid within ``days`` days) and its Greenwood standard error."""
    point = _point_at(curve, days - 1)
    if point is None:
        return 0.0, 0.0
    se = (point.high - point.low) / (2 * Z95) if point.high > point.low else 0.0
    return 1 - point.survival, se


# ----------------------------------------------------------------------
# Invoices
# ----------------------------------------------------------------------
def paid_date(invoice, tolerance=0.005):
    """Return the date the invoice was paid in full, else None."""
    paid = 0.0
    for payment in invoice.payments:
        paid += payment.amount
        if paid >= invoice.amount - tolerance:
            return payment.date
    return None


def _paid_between(invoice, start, end):
    """Amount paid on days start <= day < end."""
    return sum(p.amount for p in invoice.payments if start <= p.date < end)


def _duration(start, invoice, analysis_date):
    """(days from start to full payment, paid) or None when paid before."""
    paid = paid_date(invoice)
    if paid is not None and paid <= analysis_date:
        if paid < start:
            return None
        return (paid - start).days, True
    return (analysis_date - start).days, False


def due_curve(invoices, analysis_date):
    """Survival curve of the days to payment from the due date.

    Invoices not yet due at the analysis date are left out; an invoice paid
    before its due date counts as paid on day 0.
    """
    durations = []
    for invoice in invoices:
        if invoice.due_date > analysis_date:
            continue
        paid = paid_date(invoice)
        if paid is not None and paid <= analysis_date:
            durations.append((max(0, (paid - invoice.due_date).days), True))
        else:
            durations.append(((analysis_date - invoice.due_date).days, False))
    return kaplan_meier(durations)


def level_stats(invoices, analysis_date, windows=WINDOWS):
    """Per (segment, level): the figures of the reminders of that level.

    A reminder counts when sent on or before the analysis date to an
    invoice not paid in full before it. The amount shares of a window only
    count the reminders sent at least that many days before the analysis
    date (a younger one could not show its effect yet).

    :return: dict (segment, level id) -> :class:`LevelStat`.
    """
    by_segment = {}
    for invoice in invoices:
        by_segment.setdefault(invoice.segment, []).append(invoice)
    result = {}
    for segment, segment_invoices in by_segment.items():
        curve = due_curve(segment_invoices, analysis_date)
        groups = {}
        for invoice in segment_invoices:
            for reminder in invoice.reminders:
                if reminder.date > analysis_date:
                    continue
                duration = _duration(reminder.date, invoice, analysis_date)
                if duration is None:
                    continue
                groups.setdefault(reminder.level_id, []).append(
                    (invoice, reminder, duration)
                )
        for level_id, cases in groups.items():
            result[segment, level_id] = _level_stat(
                segment, level_id, cases, curve, analysis_date, windows
            )
    return result


def segmented_stats(invoices, analysis_date, windows=WINDOWS):
    """:func:`level_stats` of the whole scenario under the segment ``""``
    and, when its invoices fall in two segments or more, of each segment
    as well (one segment only: the whole is that segment)."""
    whole = [invoice._replace(segment="") for invoice in invoices]
    result = level_stats(whole, analysis_date, windows)
    if len({invoice.segment for invoice in invoices}) > 1:
        result.update(
            (key, stat)
            for key, stat in level_stats(invoices, analysis_date, windows).items()
            if key[0]
        )
    return result


def segment_curves(invoices, analysis_date):
    """Return dict segment -> :func:`due_curve` of its invoices, when they
    fall in two segments or more (else {}); the segment ``""`` is left out
    (the whole scenario's curve is drawn anyway)."""
    by_segment = {}
    for invoice in invoices:
        by_segment.setdefault(invoice.segment, []).append(invoice)
    if len(by_segment) < 2:
        return {}
    return {
        segment: due_curve(segment_invoices, analysis_date)
        for segment, segment_invoices in by_segment.items()
        if segment
    }


def _level_stat(segment, level_id, cases, due_curve_, analysis_date, windows):
    after_curve = kaplan_meier(duration for _i, _r, duration in cases)
    amount_open = 0.0
    open_w = dict.fromkeys(windows, 0.0)
    paid_w = dict.fromkeys(windows, 0.0)
    for invoice, reminder, _dur in cases:
        still_open = invoice.amount - _paid_between(
            invoice, invoice.due_date - timedelta(days=36500), reminder.date
        )
        amount_open += still_open
        for window in windows:
            if (analysis_date - reminder.date).days >= window:
                open_w[window] += still_open
                paid_w[window] += _paid_between(
                    invoice, reminder.date, reminder.date + timedelta(days=window)
                )
    paid_after, paid_after_se, paid_before, paid_before_se = {}, {}, {}, {}
    for window in windows:
        paid_after[window], paid_after_se[window] = paid_within(after_curve, window)
        paid_before[window], paid_before_se[window] = _before(due_curve_, cases, window)
    median, low, high = quantile(after_curve)
    return LevelStat(
        segment=segment,
        level_id=level_id,
        reminders=len(cases),
        invoices=len({invoice.id for invoice, _r, _d in cases}),
        amount_open=amount_open,
        amount_paid_share={
            w: (paid_w[w] / open_w[w] if open_w[w] else None) for w in windows
        },
        paid_after=paid_after,
        paid_before=paid_before,
        paid_after_se=paid_after_se,
        paid_before_se=paid_before_se,
        median_days=median,
        median_low=low,
        median_high=high,
        payment_days=tuple(
            sorted(duration[0] for _i, _r, duration in cases if duration[1])
        ),
        curve=after_curve,
    )


def _before(curve, cases, window):
    """Share of the invoices paid in the ``window`` days before the
    reminders' age, among those still open then, on the due-date curve.

    For a reminder sent ``a`` days after the due date: 1 - S(a-1)/S(a-w-1),
    averaged over the reminders; its standard error is the binomial one
    on the invoices at risk at a - w, averaged the same way.
    """
    shares, errors = [], []
    for invoice, reminder, _dur in cases:
        age = (reminder.date - invoice.due_date).days
        start = age - window
        before = survival_at(curve, start - 1) if start > 0 else 1.0
        now = survival_at(curve, age - 1) if age > 0 else 1.0
        share = 1 - now / before if before > 0 else 0.0
        point = _point_at(curve, start) if start > 0 else None
        at_risk = point.at_risk if point else max(1, len(cases))
        shares.append(share)
        errors.append(math.sqrt(max(share * (1 - share), 0.0) / max(at_risk, 1)))
    if not shares:
        return 0.0, 0.0
    return sum(shares) / len(shares), sum(errors) / len(errors)


def channel_rates(invoices, analysis_date, window=COMPARE_WINDOW):
    """Share paid within ``window`` days after the reminders sent through
    each channel other than e-mail (Kaplan-Meier, any scenario and level).

    :return: dict channel -> (share, reminders).
    """
    durations = {}
    for invoice in invoices:
        for reminder in invoice.reminders:
            if reminder.date > analysis_date:
                continue
            duration = _duration(reminder.date, invoice, analysis_date)
            if duration is None:
                continue
            for channel in reminder.channels:
                if channel in OTHER_CHANNELS:
                    durations.setdefault(channel, []).append(duration)
    return {
        channel: (paid_within(kaplan_meier(cases), window)[0], len(cases))
        for channel, cases in durations.items()
    }


# ----------------------------------------------------------------------
# Suggestions
# ----------------------------------------------------------------------
def wilson(successes, total, z=Z95):
    """Return the Wilson 95 % interval of a proportion (0, 1 when empty)."""
    if not total:
        return 0.0, 1.0
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return max(0.0, centre - half / denominator), min(1.0, centre + half / denominator)


def lift(stat, window=COMPARE_WINDOW):
    """Return (lift, low, high): share paid after minus before, 95 % range."""
    value = stat.paid_after[window] - stat.paid_before[window]
    se = math.hypot(stat.paid_after_se[window], stat.paid_before_se[window])
    return value, value - Z95 * se, value + Z95 * se


def suggest(levels, stats, min_cases=MIN_CASES, channel_rates=None):
    """Suggest changes to a scenario from its level figures.

    :param levels: the scenario's :class:`LevelSpec`, any order.
    :param stats: dict (segment, level id) -> :class:`LevelStat` (the
        segments of one scenario).
    :param channel_rates: dict channel -> (share paid within
        COMPARE_WINDOW days after the levels using it, reminders): the
        reference of "add a channel" (the company's levels, all scenarios).
    :return: list of :class:`Suggestion`.
    """
    channel_rates = channel_rates or {}
    ordered = sorted(levels, key=lambda lvl: (lvl.delay_days, lvl.id))
    segments = sorted({segment for segment, _level in stats})
    window = COMPARE_WINDOW
    suggestions = []
    for segment in segments:
        for index, level in enumerate(ordered):
            stat = stats.get((segment, level.id))
            if not stat or stat.reminders < min_cases:
                continue
            next_level = ordered[index + 1] if index + 1 < len(ordered) else None
            gap_next = (
                next_level.delay_days - level.delay_days if next_level else window
            )
            value, low, high = lift(stat)
            evidence = {
                "reminders": stat.reminders,
                "invoices": stat.invoices,
                "paid_after": stat.paid_after[window],
                "paid_before": stat.paid_before[window],
                "lift": value,
                "lift_low": low,
                "lift_high": high,
                "window": window,
            }
            if (
                level.level_type == "reminder"
                and level.channels <= {"email"}
                and stat.paid_after[window] < NO_RESPONSE
                and stat.paid_before[window] < NO_RESPONSE
            ):
                # Nobody pays, before or after: e-mail alone gets no answer.
                suggestions.append(
                    _channel_suggestion(
                        segment, level, stat, evidence, channel_rates, gap_next
                    )
                )
                continue
            if level.level_type == "reminder" and value <= MIN_LIFT:
                # Without it, the share it adds (if any: a negative lift is
                # the baseline's noise, not a harm) would pay up to a window
                # later.
                suggestions.append(
                    Suggestion(
                        "drop",
                        segment,
                        level.id,
                        evidence=evidence,
                        effect_days=max(value, 0.0) * window,
                        effect_low=max(low, 0.0) * window,
                        effect_high=max(high, 0.0) * window,
                    )
                )
                continue
            if next_level:
                shorten = _shorten_suggestion(segment, level, next_level, stat)
                if shorten:
                    suggestions.append(shorten)
    # A level to drop needs no shorter delay.
    dropped = {(s.segment, s.level_id) for s in suggestions if s.kind == "drop"}
    return [
        s
        for s in suggestions
        if s.kind != "shorten" or (s.segment, s.level_id) not in dropped
    ]


def _channel_suggestion(segment, level, stat, evidence, channel_rates, gap_next):
    window = COMPARE_WINDOW
    known = [c for c in OTHER_CHANNELS if channel_rates.get(c, (0, 0))[1]]
    channel = max(known, key=lambda c: channel_rates[c][0]) if known else "phone"
    effect = low = high = None
    if channel in channel_rates and channel_rates[channel][1]:
        rate, count = channel_rates[channel]
        ref_low, ref_high = wilson(round(rate * count), count)
        paid = round(stat.paid_after[window] * stat.reminders)
        own_low, own_high = wilson(paid, stat.reminders)
        # The share the channel would add pays gap_next days sooner (it
        # would otherwise wait for the next level).
        effect = -(rate - stat.paid_after[window]) * gap_next
        low = -(ref_high - own_low) * gap_next
        high = -(ref_low - own_high) * gap_next
        evidence = dict(evidence, reference_rate=rate, reference_reminders=count)
    return Suggestion(
        "channel",
        segment,
        level.id,
        channel=channel,
        evidence=evidence,
        effect_days=effect,
        effect_low=low,
        effect_high=high,
    )


def _shorten_suggestion(segment, level, next_level, stat):
    """Shorten the next level's delay when most of those who pay after this
    level do within a few days: the rest then wait for nothing."""
    gap = next_level.delay_days - level.delay_days
    in_gap = [days for days in stat.payment_days if days < gap]
    if len(in_gap) < MIN_CASES // 2:
        return None
    most = in_gap[min(len(in_gap) - 1, math.ceil(MOST * len(in_gap)) - 1)]
    new_gap = max(7 * math.ceil((most + 1) / 7), next_level.min_interval_days, 7)
    if new_gap >= gap:
        return None
    open_share = survival_at(stat.curve, gap - 1)
    still_open = round(open_share * stat.reminders)
    if not still_open:
        # Nobody waits for the next level: sending it sooner changes nothing.
        return None
    share_low, share_high = wilson(still_open, stat.reminders)
    saved = gap - new_gap
    return Suggestion(
        "shorten",
        segment,
        next_level.id,
        new_delay=level.delay_days + new_gap,
        evidence={
            "reminders": stat.reminders,
            "payers": len(in_gap),
            "most_days": most,
            "most_share": MOST,
            "gap": gap,
            "still_open": open_share,
        },
        # The invoices still open reach the next level ``saved`` days sooner.
        effect_days=-saved * open_share,
        effect_low=-saved * share_high,
        effect_high=-saved * share_low,
    )
