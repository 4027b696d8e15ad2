# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Champion/challenger scenarios: the assignment and the statistics.

Plain Python (no Odoo import, no scipy): the models call these functions
with the rows of one set-based query.

Assignment: a debtor's bucket is a number in 0..99 drawn from an MD5 hash of
the partner id and the champion's id — the same on every run and on every
server (Python's ``hash`` is salted per process, MD5 is not), unrelated from
one champion to another. The debtor is in the challenger arm when its bucket
is below the share: raising the share from 10 to 20 % moves only the debtors
whose bucket is 10..19 (from the champion to the challenger), lowering it
moves only those back; every other debtor keeps its arm.

Statistics (95 %, two-sided):

- days to payment from the due date: the Kaplan-Meier median per arm (open
  invoices counted as censored at the day of the comparison, not dropped),
  and the mean on the paid invoices with Welch's interval of the
  difference (the count of open invoices is shown beside it);
- share of the amount collected within 30 days of the due date, and
  reminders per 1,000 collected: ratios of sums, their interval by
  linearisation (the delta method), the difference by a normal interval.

The query aggregates (one row per arm, day and state for the days; the sums
of :class:`Sums` for the ratios): a few hundred rows reach Python whatever
the number of invoices.

The invoices of one debtor are not independent: with a few debtors holding
most invoices the intervals are optimistic. The reminders ratio is computed
per debtor for that reason.
"""

import hashlib
import math
from collections import namedtuple

from . import advisor

Z_95 = 1.959963984540054
Z_80 = 0.8416212335729143  # power 80 %
# Student's t quantile 0.975 at 1 and 2 degrees of freedom (tables).
T_975_SMALL = {1: 12.706204736174698, 2: 4.302652729749464}

ARM_CHAMPION = "champion"
ARM_CHALLENGER = "challenger"


def bucket(partner_id, champion_id):
    """Return the debtor's bucket 0..99 for the test of ``champion_id``."""
    digest = hashlib.md5(
        f"{int(partner_id)}-{int(champion_id)}".encode(), usedforsecurity=False
    ).hexdigest()
    return int(digest[:8], 16) % 100


def arm_of(partner_id, champion_id, share):
    """Return the arm of a debtor in a test sending ``share`` % to the challenger."""
    return ARM_CHALLENGER if bucket(partner_id, champion_id) < share else ARM_CHAMPION


# --- Kaplan-Meier -----------------------------------------------------------


def _durations(durations, events, counts):
    counts = counts if counts is not None else [1] * len(durations)
    return zip(durations, events, counts, strict=True)


def kaplan_meier(durations, events, counts=None):
    """Return the survival curve [(day, share still unpaid), ...], from day 0
    (the advisor's estimator, :func:`advisor.kaplan_meier`).

    :param durations: days from the due date to the payment (event) or to the
        day of the comparison (censored).
    :param events: True when paid, False when still open (censored).
    :param counts: the number of invoices of each (duration, event) (default
        1 each): the query sends one row per arm, day and state.
    """
    points = advisor.kaplan_meier(_durations(durations, events, counts))
    return [(0, 1.0)] + [(point.day, point.survival) for point in points]


def km_median(durations, events, counts=None):
    """Return the Kaplan-Meier median days to payment, None if not reached."""
    curve = advisor.kaplan_meier(_durations(durations, events, counts))
    return advisor.quantile(curve)[0]


# --- Intervals --------------------------------------------------------------


def t_quantile_975(df):
    """Student's t quantile 0.975 for ``df`` degrees of freedom.

    Cornish-Fisher expansion around the normal quantile: within 0.004 of the
    tables from 3 degrees of freedom (3.179 for 3.182), within 0.0005 from
    10 (2.228 at 10, 2.042 at 30). Below 3 degrees of freedom the
    expansion understates the quantile: the tables' value at the whole
    number of degrees below (conservative, t falls as df grows).
    """
    if df is None or math.isinf(df):
        return Z_95
    if df < 3:
        return T_975_SMALL[max(1, math.floor(df))]
    z = Z_95
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_var(values):
    """Return (n, mean, sample variance) of values (variance 0 below 2)."""
    n = len(values)
    if not n:
        return 0, 0.0, 0.0
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return n, mean, var


Difference = namedtuple(
    "Difference", "champion challenger diff low high significant se n_needed"
)


def _n_needed(diff, se, n_a, n_b):
    """Cases per arm for 80 % power at 95 % if the difference is ``diff``.

    From the standard error observed with ``n_a`` and ``n_b`` cases; None
    when nothing was measured or the difference is nil.
    """
    if not diff or not se or not n_a or not n_b:
        return None
    # se^2 = s^2 (1/n_a + 1/n_b) ~ 2 s^2 / n with n the harmonic mean.
    harmonic = 2 / (1 / n_a + 1 / n_b)
    variance_one = se**2 * harmonic / 2
    return math.ceil(2 * variance_one * (Z_95 + Z_80) ** 2 / diff**2)


def welch(champion, challenger):
    """Difference of the means (challenger - champion), Welch's interval.

    :param champion: the values of the champion's arm; ``challenger``: the
        challenger's.
    :return: a :class:`Difference`; low/high None below two values per arm.
    """
    return welch_stats(mean_var(champion), mean_var(challenger))


def welch_stats(champion, challenger):
    """:func:`welch` from each arm's ``(n, mean, sample variance)``."""
    n_a, m_a, v_a = champion
    n_b, m_b, v_b = challenger
    diff = m_b - m_a
    if n_a < 2 or n_b < 2:
        return Difference(m_a, m_b, diff, None, None, False, None, None)
    q_a, q_b = v_a / n_a, v_b / n_b
    se = math.sqrt(q_a + q_b)
    if not se:
        return Difference(m_a, m_b, diff, diff, diff, bool(diff), 0.0, None)
    df = (q_a + q_b) ** 2 / (q_a**2 / (n_a - 1) + q_b**2 / (n_b - 1))
    half = t_quantile_975(df) * se
    low, high = diff - half, diff + half
    return Difference(
        m_a,
        m_b,
        diff,
        low,
        high,
        low > 0 or high < 0,
        se,
        _n_needed(diff, se, n_a, n_b),
    )


def weighted_stats(values, counts):
    """Return (n, mean, sample variance) of values repeated counts times."""
    n = sum(counts)
    if not n:
        return 0, 0.0, 0.0
    mean = sum(v * c for v, c in zip(values, counts, strict=True)) / n
    if n < 2:
        return n, mean, 0.0
    squares = sum((v - mean) ** 2 * c for v, c in zip(values, counts, strict=True))
    return n, mean, squares / (n - 1)


Sums = namedtuple("Sums", "n sy sx syy sxy sxx")
"""The sums a ratio of sums needs: count, sum of y, of x, of y², xy, x²."""


def sums(pairs):
    """Return the :class:`Sums` of ``[(y, x), ...]``."""
    return Sums(
        len(pairs),
        sum(y for y, _x in pairs),
        sum(x for _y, x in pairs),
        sum(y * y for y, _x in pairs),
        sum(y * x for y, x in pairs),
        sum(x * x for _y, x in pairs),
    )


def ratio(pairs):
    """Ratio of sums sum(y) / sum(x) and its standard error (delta method).

    :param pairs: ``[(y, x), ...]`` per case (e.g. amount collected within 30
        days, amount due), or their :class:`Sums` (what the query returns).
    :return: (n, ratio, standard error); the error is None below two cases,
        the ratio None when sum(x) is 0.
    """
    n, sy, sx, syy, sxy, sxx = pairs if isinstance(pairs, Sums) else sums(pairs)
    if not n or not sx:
        return n, None, None
    r = sy / sx
    if n < 2:
        return n, r, None
    # sum((y - r x)^2), expanded on the sums; never below 0 by rounding.
    residual = max(syy - 2 * r * sxy + r * r * sxx, 0.0)
    var = residual / (n - 1)
    return n, r, math.sqrt(var / n) / (sx / n)


def ratio_difference(champion, challenger):
    """Difference of two ratios of sums (challenger - champion), normal interval."""
    n_a, r_a, se_a = ratio(champion)
    n_b, r_b, se_b = ratio(challenger)
    if r_a is None or r_b is None:
        return Difference(r_a, r_b, None, None, None, False, None, None)
    diff = r_b - r_a
    if se_a is None or se_b is None:
        return Difference(r_a, r_b, diff, None, None, False, None, None)
    se = math.sqrt(se_a**2 + se_b**2)
    half = Z_95 * se
    low, high = diff - half, diff + half
    significant = bool(se) and (low > 0 or high < 0)
    return Difference(
        r_a, r_b, diff, low, high, significant, se, _n_needed(diff, se, n_a, n_b)
    )


# --- The comparison ---------------------------------------------------------

Comparison = namedtuple(
    "Comparison",
    "arms days_mean days_km share_30 reminders_per_1000 verdict_days "
    "verdict_share verdict_reminders",
)


def compare(durations, share_sums, reminder_sums):
    """Compare the arms of a test from the query's aggregates.

    :param durations: ``[(arm, days, paid, count), ...]``: the invoices due
        since the test started, counted per arm, days from the due date to
        the full payment (``paid``) or to the day of the comparison (open).
    :param share_sums: {arm: :class:`Sums`} of (amount paid within 30 days
        of the due date, amount) over the invoices due 30 days ago or more.
    :param reminder_sums: {arm: :class:`Sums`} of (reminders x 1,000,
        amount collected) per debtor of the arm since the start.
    :return: a :class:`Comparison`: ``arms`` {arm: dict of counts and
        figures}, each metric a :class:`Difference` (challenger - champion),
        the verdicts as returned by :func:`verdict`.
    """
    empty = Sums(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    arms, paid_stats = {}, {}
    for arm in (ARM_CHAMPION, ARM_CHALLENGER):
        rows = [row for row in durations if row[0] == arm]
        paid_rows = [row for row in rows if row[2]]
        paid_stats[arm] = weighted_stats(
            [row[1] for row in paid_rows], [row[3] for row in paid_rows]
        )
        invoices = sum(row[3] for row in rows)
        paid = sum(row[3] for row in paid_rows)
        debtors = reminder_sums.get(arm, empty)
        arms[arm] = {
            "debtors": debtors.n,
            "invoices": invoices,
            "paid": paid,
            "open": invoices - paid,
            "km_median": km_median(
                [row[1] for row in rows],
                [bool(row[2]) for row in rows],
                [row[3] for row in rows],
            ),
            "mature": share_sums.get(arm, empty).n,
            "reminders": round(debtors.sy / 1000.0),
            "collected": debtors.sx,
        }
    days = welch_stats(paid_stats[ARM_CHAMPION], paid_stats[ARM_CHALLENGER])
    share = ratio_difference(
        share_sums.get(ARM_CHAMPION, empty), share_sums.get(ARM_CHALLENGER, empty)
    )
    reminders = ratio_difference(
        reminder_sums.get(ARM_CHAMPION, empty),
        reminder_sums.get(ARM_CHALLENGER, empty),
    )
    return Comparison(
        arms,
        days,
        (arms[ARM_CHAMPION]["km_median"], arms[ARM_CHALLENGER]["km_median"]),
        share,
        reminders,
        verdict(days, lower_is_better=True),
        verdict(share, lower_is_better=False),
        verdict(reminders, lower_is_better=True),
    )


def verdict(difference, lower_is_better):
    """Return (code, cases needed): ``better`` / ``worse`` (the challenger,
    significant at 95 %), ``not_significant``, ``no_data``.

    ``cases needed`` (not significant): the cases per arm for 80 % power if
    the observed difference is the true one, None when unknown.
    """
    if difference.low is None or difference.diff is None:
        return "no_data", None
    if not difference.significant:
        return "not_significant", difference.n_needed
    challenger_lower = difference.diff < 0
    return ("better" if challenger_lower == lower_is_better else "worse"), None


# --- Stored comparison ------------------------------------------------------


def comparison_to_dict(comparison):
    """Return ``comparison`` as plain JSON values (stored on the scenario)."""
    return {
        "arms": comparison.arms,
        "days_mean": comparison.days_mean._asdict(),
        "days_km": list(comparison.days_km),
        "share_30": comparison.share_30._asdict(),
        "reminders_per_1000": comparison.reminders_per_1000._asdict(),
        "verdict_days": list(comparison.verdict_days),
        "verdict_share": list(comparison.verdict_share),
        "verdict_reminders": list(comparison.verdict_reminders),
    }


def comparison_from_dict(values):
    """Return the :class:`Comparison` stored by :func:`comparison_to_dict`."""
    return Comparison(
        values["arms"],
        Difference(**values["days_mean"]),
        tuple(values["days_km"]),
        Difference(**values["share_30"]),
        Difference(**values["reminders_per_1000"]),
        tuple(values["verdict_days"]),
        tuple(values["verdict_share"]),
        tuple(values["verdict_reminders"]),
    )
