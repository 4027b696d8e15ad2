# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain-Python figures of the collections cockpit (no Odoo import)."""

AGEING_BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)


def ageing_bucket(days_late):
    """Return the ageing bucket key of a line ``days_late`` days past due."""
    for key, low, high in AGEING_BUCKETS:
        if (low is None or days_late >= low) and (high is None or days_late <= high):
            return key
    return "90_plus"


def dso_count_back(receivable, monthly_sales):
    """Days sales outstanding by the count-back method.

    Walk back month by month, newest first, through the sales until the
    receivables are exhausted: each month fully covered adds its number of
    days, the last one the share of its days that the rest covers.

    :param receivable: open receivables at the end of the period.
    :param monthly_sales: ``[(sales, days), ...]`` newest month first; the
        newest may be a month under way (days elapsed so far).
    :return: the DSO in days (0 without receivables); when the sales run out
        before the receivables, every month given counts in full.
    """
    remaining = receivable
    dso = 0.0
    if remaining <= 0:
        return 0.0
    for sales, days in monthly_sales:
        if sales <= 0:
            dso += days
            continue
        if remaining <= sales:
            return dso + days * remaining / sales
        remaining -= sales
        dso += days
    return dso


def trend(current, previous):
    """Return the relative change in percent from previous to current."""
    if not previous:
        return 0.0
    return (current - previous) / abs(previous) * 100.0
