# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Measure the predicted payment dates on the history of a database.

Usage::

    python3 scripts/evaluate_score.py -c odoo.conf -d DB

Replays every paid customer invoice of each company: its payment date is
predicted with only what was known at its due date, then compared with the
real one. Prints the mean absolute error in days of the prediction, of the
naive "paid on the due date" and of "due date + transfer lag". Read-only.
"""

import sys

from odoo_script import environment, parser


def format_result(company, result):
    """Return the lines printed for one company."""
    return [
        f"{company.name}: {result['count']} paid invoices replayed "
        f"({result['count_known']} with a known payment history)",
        f"  {'':<34}{'all':>8}{'known':>8}",
        f"  {'predicted (due + delay + lag)':<34}"
        f"{result['mae']:>8.2f}{result['mae_known']:>8.2f}",
        f"  {'baseline: due date':<34}"
        f"{result['mae_baseline']:>8.2f}{result['mae_baseline_known']:>8.2f}",
        f"  {'due date + transfer lag':<34}"
        f"{result['mae_lag']:>8.2f}{result['mae_lag_known']:>8.2f}",
        "  (mean absolute error, days)",
    ]


def main(argv=None):
    args = parser(__doc__).parse_args(argv)
    lines = []
    with environment(args) as env:
        Score = env["dunning.partner.score"]
        for company in env["res.company"].search([("id", "!=", False)]):
            result = Score.with_company(company)._evaluate_predictions(company)
            if result["count"]:
                lines += format_result(company, result)
    sys.stdout.write("\n".join(lines or ["No paid customer invoice."]) + "\n")


if __name__ == "__main__":
    main()
