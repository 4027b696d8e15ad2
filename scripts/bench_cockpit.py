# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the collections cockpit (dashboard KPIs, ageing read_group).

Seeds debtors with open invoices in SQL (the seed of scripts/bench_engine.py,
which commits: use a throw-away database), times the dashboard figures and a
read_group of the receivables analysis by ageing bucket and prints seconds and
query counts (``--no-seed`` measures again; ``--markdown`` prints the table in
the form of BENCHMARKS.md on the standard output, the rest on the standard
error)::

    python3 scripts/bench_cockpit.py -c odoo.conf -d DB --debtors 10000 \
        --invoices 2
"""

import sys
import time
from contextlib import redirect_stdout

from bench_common import add_markdown_option, command_line, markdown_section
from bench_engine import seed
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields

SMALL_DEBTORS = 1_000


def timed(env, label, function):
    """Time ``function`` with an empty ORM cache; print and return the figures."""
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    print(f"{label:<40} {seconds:8.3f} s {queries:6d} queries")
    return [label, f"{seconds:.3f}", f"{queries:,}"]


def measure(env, args):
    """Seed (unless ``--no-seed``), then time each part; return the rows."""
    company = env.company
    today = fields.Date.context_today(env["dunning.dashboard"])
    start = time.perf_counter()
    if not args.no_seed:
        seed(env, company, 0, args.debtors, args.invoices, today)
    print(
        f"seeded {args.debtors:,} debtors x {args.invoices} open invoices "
        f"in {time.perf_counter() - start:.1f} s"
    )
    Dashboard = env["dunning.dashboard"]
    Report = env["dunning.receivable.report"]
    parts = [
        ("dashboard _dunning_kpis", lambda: Dashboard._dunning_kpis(company)),
        ("dashboard _dunning_alerts", lambda: Dashboard._dunning_alerts(company)),
        (
            "dashboard form (all computed fields)",
            lambda: Dashboard.create({}).read(["total_receivable", "alerts"]),
        ),
        (
            "receivable report read_group by ageing",
            lambda: Report.read_group(
                [("company_id", "=", company.id)],
                ["amount_residual:sum"],
                ["ageing"],
            ),
        ),
    ]
    return [timed(env, label, function) for label, function in parts]


def main(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--debtors", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=2)
    parser.add_argument(
        "--no-seed", action="store_true", help="measure the data already seeded"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"quick smoke check: {SMALL_DEBTORS:,} debtors (overrides --debtors)",
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.small:
        args.debtors = SMALL_DEBTORS
    log = sys.stderr if args.markdown else sys.stdout
    with environment(args) as env, redirect_stdout(log):
        rows = measure(env, args)
    if args.markdown:
        sys.stdout.write(
            markdown_section(
                "Cockpit",
                command_line("bench_cockpit.py", args, ("debtors", "invoices")),
                ["part", "seconds", "SQL queries"],
                rows,
                [
                    f"{args.debtors:,} debtors, "
                    f"{args.debtors * args.invoices:,} open lines; "
                    "the first render in a process also compiles the templates."
                ],
            )
        )


if __name__ == "__main__":
    main()
