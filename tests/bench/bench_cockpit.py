# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the collections cockpit (dashboard KPIs, ageing read_group).

Seeds debtors with open invoices in SQL (the seed of
tests/bench/bench_engine.py, which commits: use a throw-away database), times
the dashboard figures and a read_group of the receivables analysis by ageing
bucket and prints seconds and query counts (``--no-seed`` measures again)::

    python3 tests/bench/bench_cockpit.py \
        -c odoo.conf -d DB --debtors 10000 --invoices 2
"""

import argparse
import os
import sys
import time

from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_engine import seed  # noqa: E402  pylint: disable=wrong-import-position
from seeding import open_registry  # noqa: E402  pylint: disable=wrong-import-position


def timed(env, label, function):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.3f} s {env.cr.sql_log_count - queries:6d} queries")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config")
    parser.add_argument("--debtors", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=2)
    parser.add_argument(
        "--no-seed", action="store_true", help="measure the data already seeded"
    )
    args = parser.parse_args(argv)
    registry = open_registry(args.database, args.config)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
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
        timed(env, "dashboard _dunning_kpis", lambda: Dashboard._dunning_kpis(company))
        timed(
            env, "dashboard _dunning_alerts", lambda: Dashboard._dunning_alerts(company)
        )
        timed(
            env,
            "dashboard form (all computed fields)",
            lambda: Dashboard.create({}).read(["total_receivable", "alerts"]),
        )
        timed(
            env,
            "receivable report read_group by ageing",
            lambda: Report.read_group(
                [("company_id", "=", company.id)],
                ["amount_residual:sum"],
                ["ageing"],
            ),
        )
        cr.rollback()


if __name__ == "__main__":
    main()
