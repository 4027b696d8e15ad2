# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Payment behaviour score: factors -> points lost -> score -> grade.

Plain Python, no Odoo import: the models feed it figures read in bulk.
Every factor costs at most its weight (points out of 100), in proportion to
its value up to a saturation value; the score is 100 minus the points lost.
"""

import math
from dataclasses import dataclass, field

# Factor keys, in the order of the explanation.
FACTORS = (
    "days_late",
    "late_share",
    "max_delay",
    "overdue_ratio",
    "reminders",
    "disputes",
    "promises",
    "dso",
)
# Value at which a factor costs its whole weight.
SATURATION = {
    "days_late": 30.0,  # average days late, weighted by amount
    "late_share": 1.0,  # share of the invoices paid (or still open) late
    "max_delay": 90.0,  # longest delay, days
    "overdue_ratio": 1.0,  # overdue / open amount
    "reminders": 2.0,  # reminders per invoice
    "disputes": 3.0,  # invoices in dispute
    "promises": 3.0,  # broken payment promises
    "dso": 90.0,  # days of DSO beyond DSO_FREE
}
# DSO days that cost nothing (usual 30-day terms).
DSO_FREE = 30.0
DEFAULT_WEIGHTS = {
    "days_late": 25,
    "late_share": 15,
    "max_delay": 10,
    "overdue_ratio": 20,
    "reminders": 10,
    "disputes": 10,
    "promises": 0,
    "dso": 10,
}
# Lowest score of grades A, B, C and D; below D's: E.
DEFAULT_THRESHOLDS = (80, 65, 50, 35)
GRADES = ("A", "B", "C", "D", "E")
NO_HISTORY = "none"


@dataclass
class Factors:
    """The payment behaviour of one debtor in one company."""

    invoice_count: int = 0
    avg_days_late: float = 0.0
    late_share: float = 0.0
    max_delay: int = 0
    overdue_amount: float = 0.0
    open_amount: float = 0.0
    reminders_per_invoice: float = 0.0
    disputes: int = 0
    promises: int = 0
    dso: float = 0.0
    typical_delay: float = 0.0
    sales: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def overdue_ratio(self):
        if self.open_amount <= 0:
            return 0.0
        return max(0.0, min(1.0, self.overdue_amount / self.open_amount))

    def value(self, key):
        """Return the value of the factor key, as the saturation reads it."""
        return {
            "days_late": self.avg_days_late,
            "late_share": self.late_share,
            "max_delay": float(self.max_delay),
            "overdue_ratio": self.overdue_ratio,
            "reminders": self.reminders_per_invoice,
            "disputes": float(self.disputes),
            "promises": float(self.promises),
            "dso": max(0.0, self.dso - DSO_FREE),
        }[key]


def penalties(factors, weights):
    """Return the points each factor costs.

    :param factors: a Factors.
    :param weights: dict factor key -> maximum points lost.
    :return: dict factor key -> points lost (one decimal).
    """
    result = {}
    for key in FACTORS:
        ratio = factors.value(key) / SATURATION[key]
        result[key] = round(weights.get(key, 0) * max(0.0, min(1.0, ratio)), 1)
    return result


def score(points_lost):
    """Return the score out of 100 for the points lost (dict or iterable)."""
    values = points_lost.values() if isinstance(points_lost, dict) else points_lost
    # Half up, not Python's banker's rounding: 72.5 is 73 for everyone.
    total = 100.0 - sum(values)
    return max(0, min(100, int(total + 0.5)))


def grade(value, thresholds=DEFAULT_THRESHOLDS):
    """Return the grade letter of a score.

    :param thresholds: lowest scores of A, B, C and D, decreasing.
    """
    for letter, threshold in zip(GRADES, thresholds, strict=False):
        if value >= threshold:
            return letter
    return GRADES[-1]


def has_history(factors, min_invoices):
    """Return whether there are enough invoices to grade the debtor."""
    return factors.invoice_count >= max(1, min_invoices)


def recency_weight(amount, age_days, half_life):
    """Weight of a past invoice: its amount, halved every half_life days."""
    return abs(amount) * 0.5 ** (max(0, age_days) / max(1, half_life))


def typical_delay(history, on_date, half_life):
    """Return the debtor's typical delay in days (negative: pays early).

    :param history: iterable of (due date, payment date, amount) of paid
        invoices.
    :param on_date: the date the prediction is made; older invoices weigh
        less (halved every half_life days of age of their due date).
    :return: weighted mean of payment date - due date, or None when empty.
    """
    total = weighted = 0.0
    for due, paid_on, amount in history:
        weight = recency_weight(amount, (on_date - due).days, half_life)
        total += weight
        weighted += weight * (paid_on - due).days
    if not total:
        return None
    return weighted / total


def round_days(value):
    """Round a number of days half up (also below zero: -2.5 -> -2)."""
    return math.floor(value + 0.5)
