# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Back-test the cash-in forecast on the history of a database.

Usage::

    python3 scripts/backtest_forecast.py -c odoo.conf -d DB \\
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
lag are printed too, for comparison. Then every method of
``dunning.forecast.report._backtest_methods`` (the due date + lag, the
predicted date, what the collector knows: promises, payment plans and the
late money spread by the recovery curve; the learned date with
account_dunning_learn) with its WAPE and bias in percent of the cash.
"""

import sys

from odoo_script import environment, parser


def parse_args(argv=None):
    result = parser(__doc__)
    result.add_argument("--weeks", type=int, default=12, help="past weeks")
    result.add_argument("--company", help="company id or name (default: all)")
    return result.parse_args(argv)


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
    lines = []
    with environment(args) as env:
        from odoo.addons.account_dunning_advanced.engine.backtest import (
            best_method,
            compare,
            format_baseline,
            format_comparison,
            format_table,
        )

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
            results = [
                (
                    method["key"],
                    method["label"],
                    Report._backtest(weeks=args.weeks, company=company, method=method),
                )
                for method in Report._backtest_methods()
            ]
            lines.append("  every method (bias: forecast - collected, % of collected):")
            lines += format_comparison(results)
            best = best_method(compare(results))
            labels = {key: label for key, label, _rows in results}
            lines.append(
                f"  best of this back-test (lowest WAPE with |bias| <= 10 %): "
                f"{labels.get(best, '-')}"
            )
            lines.append(
                f"  the forecast uses (setting "
                f"{company.dunning_forecast_method!r}, stored back-test): "
                f"{Report._dunning_forecast_method(company)['summary']}"
            )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
