# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain-Python figures of the collections cockpit (no Odoo import)."""


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
