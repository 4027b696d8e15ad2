"""Benchmark of the debtor's payment page data (account_dunning_payment).

Run it on a throw-away database where ``account_dunning_payment`` is
installed (its seeding is rolled back, nothing is committed)::

    python3 scripts/bench_payment_page.py -c odoo.conf -d DB

What is measured
----------------
One debtor of the first company gets 50, then 500 posted, fully open customer
invoices, created through the ORM in one batch (due dates spread over the
last 120 days and the next 10, so that most are overdue). For each size,
after a warm-up call (not reported) and with the ORM cache emptied, the page's
data preparation is timed:
``res.partner._dunning_page_values(company)`` (what the page's controller
renders), i.e. the open documents, the penalties, the unallocated payments,
the totals and the bank transfer block (bank account, reference and EPC QR code
when the company has a SEPA account in euros). A model method: no HTTP server
and no request are needed. The QWeb rendering of the page is not included.

With ``--ledger-lines N`` the database first gets N other open invoices (one
open receivable line each) of N/10 other debtors, inserted by bulk SQL as
``bench_engine.py`` seeds them, COMMITTED and analyzed (VACUUM ANALYZE): run it
on a throw-away database (``setup/bench.sh`` makes one). The issue's target:
the page of a debtor with 500 open invoices under 300 ms with 1,000,000 open
lines in the database (``--ledger-lines 1000000``, about 10 minutes of
seeding on 2 cores).

Printed per size: invoices, wall time in ms (best of ``--repeat``) and SQL
queries (``cr.sql_log_count``). The query count should not grow with the
number of invoices. This script asserts no time. ``--markdown`` prints the
table in the form of BENCHMARKS.md on the standard output.
"""

import sys
import time
from datetime import timedelta

from bench_common import (
    add_markdown_option,
    command_line,
    markdown_section,
    post_invoices,
)
from bench_engine import seed as seed_ledger
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields

SIZES = (50, 500)
# Open invoices of each debtor of the ledger seeded by --ledger-lines.
LEDGER_INVOICES = 10


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="best of N calls")
    parser.add_argument(
        "--small",
        action="store_true",
        help="accepted, as by every benchmark: " "the sizes are small already",
    )
    parser.add_argument(
        "--ledger-lines",
        type=int,
        default=0,
        help="first seed this many open lines of other debtors (10 each), " "committed",
    )
    add_markdown_option(parser)
    return parser.parse_args(argv)


def seed(env, company, partner, count, offset, today):
    """Create and post ``count`` open invoices of ``partner``."""
    moves = post_invoices(
        env,
        company,
        partner,
        [
            (index, today - timedelta(days=120) + timedelta(days=index % 130))
            for index in range(offset, offset + count)
        ],
    )
    env.flush_all()
    return moves


def measure(env, partner, company, repeat):
    partner = partner.sudo()  # as the page reads it
    partner._dunning_page_values(company)  # warm-up
    best_ms, queries = None, None
    for _i in range(repeat):
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        values = partner._dunning_page_values(company)
        elapsed = (time.perf_counter() - start) * 1000
        count = env.cr.sql_log_count - start_queries
        if best_ms is None or elapsed < best_ms:
            best_ms, queries = elapsed, count
    return len(values["rows"]), best_ms, queries


def main(argv=None):
    args = parse_args(argv)
    results = []
    with environment(args) as env:
        company = env["res.company"].search([], order="id", limit=1)
        today = fields.Date.context_today(env.user)
        if args.ledger_lines:
            start = time.perf_counter()
            debtors = -(-args.ledger_lines // LEDGER_INVOICES)
            seed_ledger(env, company, 0, debtors, LEDGER_INVOICES, today)
            print(
                f"ledger: {debtors * LEDGER_INVOICES:,} open lines of {debtors:,} "
                f"debtors seeded in {time.perf_counter() - start:.0f} s",
                file=sys.stderr,
            )
        partner = env["res.partner"].create(
            {"name": "Bench Debtor", "is_company": True}
        )
        done = 0
        for size in SIZES:
            start = time.perf_counter()
            seed(env, company, partner, size - done, done, today)
            seeded_s = time.perf_counter() - start
            done = size
            rows, ms, queries = measure(env, partner, company, args.repeat)
            if rows != size:
                print(f"expected {size} rows, got {rows}", file=sys.stderr)
                return 1
            results.append((size, ms, queries, seeded_s))
    if args.markdown:
        sys.stdout.write(
            markdown_section(
                "Payment page",
                command_line("bench_payment_page.py", args, ("repeat", "ledger_lines")),
                ["open invoices", "ms", "SQL queries"],
                [
                    [f"{size:,}", f"{ms:.1f}", f"{queries:,}"]
                    for size, ms, queries, _s in results
                ],
                notes=(
                    [f"With {args.ledger_lines:,} open lines of other debtors."]
                    if args.ledger_lines
                    else []
                ),
            )
        )
        return 0
    print(f"{'invoices':>8} {'ms':>9} {'queries':>8} {'seeding s':>10}")
    for size, ms, queries, seeded_s in results:
        print(f"{size:>8} {ms:>9.1f} {queries:>8} {seeded_s:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
