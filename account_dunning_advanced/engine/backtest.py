# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Totals and printed table of the cash-in forecast's back-test (no Odoo import).

The rows come from ``dunning.forecast.report._backtest``; the back-test script
(``scripts/backtest_forecast.py``) prints what these functions return.
"""


def summarize(rows):
    """Return the totals of back-test rows (see ``_backtest``).

    :return: dict ``weeks``, ``forecast``, ``collected`` (sums), ``mae``,
        ``bias`` (mean of forecast - collected) and ``wape`` (percent, None
        when nothing was collected).
    """
    errors = [row["forecast"] - row["collected"] for row in rows]
    collected = sum(row["collected"] for row in rows)
    count = len(rows)
    return {
        "weeks": count,
        "forecast": sum(row["forecast"] for row in rows),
        "collected": collected,
        "mae": sum(abs(error) for error in errors) / count if count else 0.0,
        "bias": sum(errors) / count if count else 0.0,
        "wape": (
            sum(abs(error) for error in errors) / collected * 100.0
            if collected
            else None
        ),
    }


def compare(results):
    """Return the totals of each method, in percent of the cash collected.

    :param results: list of ``(key, label, rows)``.
    :return: list of dicts ``key``, ``label``, ``weeks``, ``forecast``,
        ``collected``, ``wape`` (percent) and ``bias`` (sum of forecast -
        collected, percent of collected: above 0 too optimistic); None
        without cash collected.
    """
    result = []
    for key, label, rows in results:
        totals = summarize(rows)
        collected = totals["collected"]
        result.append(
            {
                "key": key,
                "label": label,
                "weeks": totals["weeks"],
                "forecast": totals["forecast"],
                "collected": collected,
                "wape": totals["wape"],
                "bias": (
                    (totals["forecast"] - collected) / collected * 100.0
                    if collected
                    else None
                ),
            }
        )
    return result


def format_comparison(results):
    """Return the lines comparing the methods (see :func:`compare`)."""
    lines = [f"  {'method':<58}{'forecast':>14}{'WAPE':>9}{'bias':>9}"]
    for row in compare(results):
        wape = "n/a" if row["wape"] is None else f"{row['wape']:.1f} %"
        bias = "n/a" if row["bias"] is None else f"{row['bias']:+.1f} %"
        lines.append(
            f"  {row['label'][:57]:<58}{row['forecast']:>14,.2f}{wape:>9}{bias:>9}"
        )
    return lines


def format_table(title, rows, method):
    """Return the lines printed for one company.

    :param title: e.g. the company's name and currency.
    :param rows: the result of ``dunning.forecast.report._backtest``.
    :param method: how the expected dates were made (printed under the title).
    """
    lines = [
        f"{title}: forecast made on each Monday vs collected that week",
        f"  expected date: {method}",
        f"  {'week of':<12}{'forecast':>14}{'collected':>14}"
        f"{'difference':>14}{'late, apart':>14}",
    ]
    for row in rows:
        lines.append(
            f"  {row['week'].isoformat():<12}{row['forecast']:>14,.2f}"
            f"{row['collected']:>14,.2f}"
            f"{row['forecast'] - row['collected']:>+14,.2f}"
            f"{row.get('late', 0.0):>14,.2f}"
        )
    totals = summarize(rows)
    wape = "n/a" if totals["wape"] is None else f"{totals['wape']:.1f} %"
    lines += [
        f"  {'total':<12}{totals['forecast']:>14,.2f}{totals['collected']:>14,.2f}"
        f"{totals['forecast'] - totals['collected']:>+14,.2f}",
        f"  mean absolute error {totals['mae']:,.2f} per week, "
        f"bias {totals['bias']:+,.2f} per week (forecast - collected), "
        f"WAPE {wape}",
    ]
    return lines


def format_baseline(rows):
    """Return the line of the totals of the due date + transfer lag."""
    totals = summarize(rows)
    wape = "n/a" if totals["wape"] is None else f"{totals['wape']:.1f} %"
    return (
        f"  baseline (due date + transfer lag): forecast {totals['forecast']:,.2f}, "
        f"mean absolute error {totals['mae']:,.2f}, bias {totals['bias']:+,.2f}, "
        f"WAPE {wape}"
    )


MAX_BIAS = 10.0


def best_method(totals, max_bias=MAX_BIAS):
    """Return the key of the method the forecast should use, or None.

    The lowest WAPE among the methods whose bias is within ``max_bias``
    percent either way; when none is, the lowest WAPE of all. Methods
    measured on no cash collected are left out (their WAPE means nothing);
    the first of equal ones wins.

    :param totals: dicts ``key``, ``wape``, ``bias`` (percent) and
        ``collected``, e.g. the stored totals of the last back-test.
    """
    measured = [
        total
        for total in totals
        if total.get("collected") and total.get("wape") is not None
    ]
    within = [total for total in measured if abs(total["bias"] or 0.0) <= max_bias]
    candidates = within or measured
    if not candidates:
        return None
    return min(candidates, key=lambda total: total["wape"])["key"]
