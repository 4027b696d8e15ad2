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

The invoices of one debtor are not independent: with a few debtors holding
most invoices the intervals are optimistic. The reminders ratio is computed
per debtor for that reason.
"""

import hashlib
import math
from collections import namedtuple

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


def kaplan_meier(durations, events):
    """Return the survival curve [(day, share still unpaid), ...].

    :param durations: days from the due date to the payment (event) or to the
        day of the comparison (censored).
    :param events: True when paid, False when still open (censored).
    """
    pairs = sorted(zip(durations, events, strict=True))
    at_risk = len(pairs)
    survival = 1.0
    curve = [(0, 1.0)]
    index = 0
    while index < len(pairs):
        day = pairs[index][0]
        paid = censored = 0
        while index < len(pairs) and pairs[index][0] == day:
            if pairs[index][1]:
                paid += 1
            else:
                censored += 1
            index += 1
        if paid and at_risk:
            survival *= 1.0 - paid / at_risk
            curve.append((day, survival))
        at_risk -= paid + censored
    return curve


def km_median(durations, events):
    """Return the Kaplan-Meier median days to payment, None if not reached."""
    for day, survival in kaplan_meier(durations, events):
        if survival <= 0.5:
            return day
    return None


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

    :return: a :class:`Difference`; low/high None below two values per arm.
    """
    n_a, m_a, v_a = mean_var(champion)
    n_b, m_b, v_b = mean_var(challenger)
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


def ratio(pairs):
    """Ratio of sums sum(y) / sum(x) and its standard error (delta method).

    :param pairs: ``[(y, x), ...]`` per case (e.g. amount collected within 30
        days, amount due).
    :return: (n, ratio, standard error); the error is None below two cases,
        the ratio None when sum(x) is 0.
    """
    n = len(pairs)
    total_x = sum(x for _y, x in pairs)
    if not n or not total_x:
        return n, None, None
    r = sum(y for y, _x in pairs) / total_x
    if n < 2:
        return n, r, None
    mean_x = total_x / n
    residuals = [y - r * x for y, x in pairs]
    var = sum(e * e for e in residuals) / (n - 1)
    return n, r, math.sqrt(var / n) / mean_x


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

Invoice = namedtuple("Invoice", "partner_id arm amount days paid collected_30 mature")
"""One invoice of the test.

``days``: days from the due date to the full payment (``paid``) or to the
day of the comparison (open). ``collected_30``: amount paid within 30 days
of the due date. ``mature``: its due date is at least 30 days old (only those
count in the 30-day share).
"""

Debtor = namedtuple("Debtor", "partner_id arm reminders collected")

Comparison = namedtuple(
    "Comparison",
    "arms days_mean days_km share_30 reminders_per_1000 verdict_days "
    "verdict_share verdict_reminders",
)


def compare(invoices, debtors):
    """Compare the arms of a test.

    :param invoices: :class:`Invoice` rows (the invoices due since the test
        started, of the debtors of each arm).
    :param debtors: :class:`Debtor` rows: reminders sent and amount
        collected per debtor since the start.
    :return: a :class:`Comparison`: ``arms`` {arm: dict of counts and
        figures}, each metric a :class:`Difference` (challenger - champion),
        the verdicts as codes for :func:`verdict`.
    """
    arms = {}
    by_arm = {ARM_CHAMPION: [], ARM_CHALLENGER: []}
    for invoice in invoices:
        by_arm[invoice.arm].append(invoice)
    debtors_by_arm = {ARM_CHAMPION: [], ARM_CHALLENGER: []}
    for debtor in debtors:
        debtors_by_arm[debtor.arm].append(debtor)
    for arm, rows in by_arm.items():
        paid = [row for row in rows if row.paid]
        arms[arm] = {
            "debtors": len(debtors_by_arm[arm]),
            "invoices": len(rows),
            "paid": len(paid),
            "open": len(rows) - len(paid),
            "km_median": km_median(
                [row.days for row in rows], [row.paid for row in rows]
            ),
            "mature": sum(1 for row in rows if row.mature),
            "reminders": sum(d.reminders for d in debtors_by_arm[arm]),
            "collected": sum(d.collected for d in debtors_by_arm[arm]),
        }
    days = welch(
        [row.days for row in by_arm[ARM_CHAMPION] if row.paid],
        [row.days for row in by_arm[ARM_CHALLENGER] if row.paid],
    )
    share = ratio_difference(
        [(row.collected_30, row.amount) for row in by_arm[ARM_CHAMPION] if row.mature],
        [
            (row.collected_30, row.amount)
            for row in by_arm[ARM_CHALLENGER]
            if row.mature
        ],
    )
    reminders = ratio_difference(
        [(d.reminders * 1000.0, d.collected) for d in debtors_by_arm[ARM_CHAMPION]],
        [(d.reminders * 1000.0, d.collected) for d in debtors_by_arm[ARM_CHALLENGER]],
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
