# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cash-in forecast's arithmetic (no Odoo import).

The recovery curve: of the amounts open on a Monday that were N days past
their due date (one bucket of ``BOUNDS``), the share paid in each of the
following weeks. ``dunning.forecast.report._dunning_recovery_curve`` sums
the history in SQL; :func:`curve_from_sums` turns the sums into shares,
:func:`spread` spreads an open amount with them. The report (in SQL, over
the same shares) and the back-test (here) use the same curve.
"""

from bisect import bisect_right
from datetime import timedelta

# Days past due (negative: not due yet) starting each bucket; the bucket of
# ``days`` is the number of bounds <= days, as PostgreSQL's width_bucket.
BOUNDS = (-28, -14, -7, 0, 15, 30, 60, 90, 180)
WEEKS = 13
# Fewer snapshots than this in a bucket: its curve is not used (too thin).
MIN_COUNT = 20


def bucket(days):
    """Return the bucket of an amount ``days`` past due (0 .. len(BOUNDS))."""
    return bisect_right(BOUNDS, days)


def bucket_label(index):
    """Return a readable label of a bucket, e.g. ``15 to 29 days late``."""
    if index == 0:
        return f"due in more than {-BOUNDS[0]} days"
    low = BOUNDS[index - 1]
    if index == len(BOUNDS):
        return f"{low} days late or more"
    high = BOUNDS[index] - 1
    if high < 0:
        return f"due in {-high} to {-low} days"
    return f"{low} to {high} days late"


def curve_from_sums(rows, weeks=WEEKS, min_count=None):
    """Return the recovery curve from the history's sums.

    :param rows: tuples ``(bucket, week, open amount, paid amount, count)``:
        for the snapshots (an invoice open on a Monday) of the bucket whose
        week ``week`` (0: the Monday's own week) is already past, the sum of
        their open amounts, of what was paid in that week and their number.
    :return: dict bucket -> dict ``shares`` (list of ``weeks`` shares, 0 where
        nothing was observed), ``count`` and ``amount`` (of week 0: the number
        of snapshots and the amount the curve was measured on); the buckets
        measured on fewer than ``min_count`` snapshots are left out.
    """
    curve = {}
    for index, week, base, paid, count in rows:
        if week >= weeks or not base:
            continue
        entry = curve.setdefault(
            index, {"shares": [0.0] * weeks, "count": 0, "amount": 0.0}
        )
        entry["shares"][week] = max(0.0, min(1.0, paid / base))
        if week == 0:
            entry["count"] = count
            entry["amount"] = base
    min_count = MIN_COUNT if min_count is None else min_count
    curve = {
        index: entry for index, entry in curve.items() if entry["count"] >= min_count
    }
    for entry in curve.values():
        # Never more than the amount: scale down a curve summing above 1
        # (the weeks are measured on different snapshots).
        total = sum(entry["shares"])
        if total > 1:
            entry["shares"] = [share / total for share in entry["shares"]]
    return curve


def spread(amount, days_late, curve, monday):
    """Spread an open amount over the weeks from ``monday`` by the curve.

    :param days_late: days past due on ``monday`` (its bucket).
    :return: list of ``(week's Monday, amount)``, the weeks with a share,
        and the rest not expected within the curve's weeks, as
        ``(None, amount)``. Without a curve for the bucket: ``[(None,
        amount)]``.
    """
    entry = curve.get(bucket(days_late))
    if not entry:
        return [(None, amount)]
    result = [
        (monday + timedelta(weeks=week), amount * share)
        for week, share in enumerate(entry["shares"])
        if share
    ]
    rest = amount * (1 - sum(entry["shares"]))
    if rest > 0.005:
        result.append((None, rest))
    return result


def expected_parts(amount, expected, promise=None, instalments=()):
    """Return where an invoice's open amount is expected: ``[(date, amount)]``.

    :param expected: the invoice's expected date (the forecast's method).
    :param promise: ``(date, promised amount or None)``: the promise kept
        alive for it (its share of the promised amount); without an amount,
        all of it on the promise's date, else the promised amount (at most
        the open amount) on that date and the rest on ``expected``.
    :param instalments: ``[(date, amount)]``, the open instalments of the
        running payment plan holding the invoice: the open amount split in
        their proportion, on their dates (a plan comes before a promise).
    """
    total = sum(value for _date, value in instalments)
    if total > 0:
        return [(date, amount * value / total) for date, value in instalments]
    if promise:
        date, promised = promise
        if not promised or promised >= amount:
            return [(date, amount)]
        return [(date, promised), (expected, amount - promised)]
    return [(expected, amount)]
