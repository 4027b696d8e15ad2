# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Back-test the cash-in forecast on the history of a database.

Usage::

    python3 account_dunning_advanced/cli/backtest.py -c odoo.conf -d DB \\
        [--weeks 12] [--company ID_OR_NAME]

For each of the past weeks (the current one excluded): the forecast made on
its Monday (the open amount then of the invoices whose expected date fell in
that week) against what was actually collected that week (payments credited
to receivable accounts). The expected date is the one the forecast would
have shown on that Monday: with account_dunning_score, the predicted payment
date recomputed with only the payments known on the Monday; without it, the
due date + the transfer lag. Amounts already late on the Monday (expected
date past, still open) are shown apart and are not in the forecast, as in the
forecast report. Read-only (the transaction is rolled back).

Totals: mean absolute error (MAE) of forecast - collected per week, bias
(mean of forecast - collected: above 0 the forecast was too optimistic) and
weighted absolute percentage error (WAPE: sum of the absolute errors / sum
collected). With account_dunning_score, the totals of the due date + transfer
lag are printed too, for comparison.
"""

import argparse
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("--addons-path")
    parser.add_argument(
        "--weeks", type=int, default=12, help="past weeks (default: 12)"
    )
    parser.add_argument("--company", help="company id or name (default: all)")
    return parser.parse_args(argv)


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


def expected_date_method(env):
    """Describe how the back-test dates the invoices in this database."""
    if "dunning.partner.score" in env:
        return (
            "predicted payment date (account_dunning_score), replayed with "
            "the payments known on the Monday"
        )
    lag = env["dunning.forecast.report"]._transfer_lag()
    return f"due date + transfer lag ({lag} days)"


def main(argv=None):
    args = parse_args(argv)
    odoo_args = ["-d", args.database, "--log-level=warn"]
    if args.config:
        odoo_args += ["-c", args.config]
    if args.addons_path:
        odoo_args += [f"--addons-path={args.addons_path}"]
    odoo.tools.config.parse_config(odoo_args)
    registry = Registry(args.database)
    lines = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Company = env["res.company"]
        if not args.company:
            companies = Company.search([])
        elif args.company.isdigit():
            companies = Company.browse(int(args.company)).exists()
        else:
            companies = Company.search([("name", "ilike", args.company)])
        if not companies:
            sys.exit(f"No company {args.company!r}.")
        method = expected_date_method(env)
        for company in companies:
            Report = env["dunning.forecast.report"].with_company(company)
            rows = Report._backtest(weeks=args.weeks, company=company)
            lines += format_table(
                f"{company.name} ({company.currency_id.name})", rows, method
            )
            if "dunning.partner.score" in env:
                baseline = Report.with_context(
                    dunning_backtest_lag_only=True
                )._backtest(weeks=args.weeks, company=company)
                lines.append(format_baseline(baseline))
        cr.rollback()
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
