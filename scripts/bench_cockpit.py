# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the collections cockpit (dashboard KPIs, ageing read_group).

Seeds debtors with open invoices in SQL (the seed of scripts/bench_engine.py,
which commits: use a throw-away database) and a history on the same debtors
(:func:`seed_history`): ``--paid`` paid invoices each, with their payments
and reconciliations, two done reminders linked to the overdue lines of one
debtor in three, and the debtors' stored scenario. Then times the dashboard
figures, its alerts, the dashboard form (every computed field) and a
read_group of the receivables analysis by ageing bucket, and prints seconds
and query counts.

After each seeding the closed month ends and the debtors' open receivables
of the day are stored as the nightly job does
(``dunning.month.end._cron_store_month_ends``, timed and printed): the
cockpit then reads last month's stocks, the DSO's sales and the debtors'
sums from them, as on any morning after the first night; ``--touched N``
makes it read N debtors live (a day's changes); ``--live-month-ends``
measures the first day instead (everything read live).

Two sizes in the same database, like the engine's benchmark: a tenth of the
debtors, then all of them (the rest is added). ``--scale`` is issue 15's
size: 100,000 debtors x 10 open invoices, i.e. measured at 100,000 then
1,000,000 open lines (the seeding takes a few minutes). ``--no-seed``
measures the data already there, once; ``--explain`` prints EXPLAIN
(ANALYZE, BUFFERS) of the slowest queries of the large size; ``--profile
FILE`` profiles the form once more with cProfile; ``--markdown`` prints the
table in the form of BENCHMARKS.md on the standard output, the rest on the
standard error::

    python3 scripts/bench_cockpit.py -c odoo.conf -d DB --debtors 10000 \
        --invoices 2
    python3 scripts/bench_cockpit.py -c odoo.conf -d DB --scale --explain

Prints figures; asserts no time.
"""

import cProfile
import pstats
import sys
import time
from contextlib import contextmanager, redirect_stdout
from unittest.mock import patch

from bench_common import (
    add_markdown_option,
    command_line,
    commit_and_analyze,
    markdown_section,
    seed_values,
)
from bench_engine import seed
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields, sql_db
from odoo.tools import SQL

SMALL_DEBTORS = 1_000
SCALE_DEBTORS, SCALE_INVOICES = 100_000, 10
TARGET_SECONDS = 1.0


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--debtors", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=2, help="open, per debtor")
    parser.add_argument("--paid", type=int, default=2, help="paid, per debtor")
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"{SCALE_DEBTORS:,} debtors x {SCALE_INVOICES} open invoices "
        "(overrides --debtors and --invoices)",
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="measure the data already seeded"
    )
    parser.add_argument(
        "--live-month-ends",
        action="store_true",
        help="do not store the closed month ends after seeding (the nightly "
        "job's work): the cockpit then rebuilds them live, as on the day "
        "the addon is installed",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"quick smoke check: {SMALL_DEBTORS:,} debtors (overrides --debtors)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the slowest queries",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="profile the form once more with cProfile"
    )
    parser.add_argument(
        "--touched",
        type=int,
        default=0,
        metavar="N",
        help="before measuring, touch N debtors whose open receivables are "
        "stored for the day (as a day's payments and invoices would): the "
        "cockpit reads their sums live",
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.scale:
        args.debtors, args.invoices = SCALE_DEBTORS, SCALE_INVOICES
    if args.small:
        args.debtors = SMALL_DEBTORS
    if args.debtors < 10 or args.invoices < 1 or args.paid < 0:
        parser.error("--debtors must be at least 10, --invoices at least 1")
    return args


def seed_history(env, company, first, last, paid, today):
    """Give the debtors first..last-1 of :func:`bench_engine.seed` a history.

    ``paid`` paid invoices each, due 60 to 390 days ago and paid 0 to 44
    days after (a payment move, its receivable credit line, a partial
    reconciliation), so that the stocks of last month and the cash
    collected have reconciliations to read; one debtor in three has two
    done reminders (the second and third levels of the default scenario,
    40 and 10 days ago) listing its lines then overdue; every debtor has
    its stored status (the default scenario).
    """
    cr = env.cr
    scenario = env["dunning.scenario"].search(
        [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
    )
    levels = scenario.level_ids.sorted(lambda level: (level.sequence, level.id))
    if len(levels) < 3:
        sys.exit("the default scenario has fewer than three levels")
    values = seed_values(
        env,
        company,
        bank=True,
        first=first,
        last=last,
        paid=paid,
        today=today,
        pattern="Bench Debtor %",
        scenario=scenario.id,
        level_a=levels[1].id,
        level_b=levels[2].id,
    )

    def run(query):
        cr.execute(SQL(query, **values))

    run(
        """
        CREATE TEMP TABLE bench_old ON COMMIT DROP AS
        SELECT id, num
          FROM (SELECT id, substr(name, 14)::int AS num
                  FROM res_partner
                 WHERE name LIKE %(pattern)s AND is_company) p
         WHERE num >= %(first)s AND num < %(last)s
        """
    )
    run(
        """
        INSERT INTO dunning_debtor_status (partner_id, company_id, scenario_id)
        SELECT id, %(company)s, %(scenario)s FROM bench_old
        ON CONFLICT (partner_id, company_id) DO NOTHING
        """
    )
    run(
        """
        CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
        SELECT nextval('account_move_id_seq') AS id,
               nextval('account_move_id_seq') AS pay_id,
               nextval('account_move_line_id_seq') AS rec_id,
               nextval('account_move_line_id_seq') AS pay_line_id,
               d.id AS partner_id, k.num,
               %(today)s::date - 60 - mod(k.num * 53, 331)::int AS due,
               round(100 + mod(k.num * 7919, 90000) / 100.0, 2) AS amount
          FROM bench_old d
         CROSS JOIN generate_series(0, %(paid)s - 1) j
         CROSS JOIN LATERAL (SELECT d.num::bigint * %(paid)s + j AS num) k;
        ALTER TABLE bench_paid ADD COLUMN paid_on date;
        UPDATE bench_paid SET paid_on = due + mod(num * 17, 45)::int;
        """
    )
    run(
        """
        INSERT INTO account_move (%(move_columns)s)
        SELECT id, 'PAID/' || lpad(num::text, 8, '0'), 'PAID/', num,
               %(journal)s, %(company)s, partner_id, partner_id, %(currency)s,
               'posted', 'out_invoice', 'no', due - 30, due - 30, due, 'paid',
               amount, 0, amount, 0, amount, amount, 0, amount, amount, 0, 1.0,
               'Bench', TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, %(uid)s,
               %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM bench_paid
         UNION ALL
        SELECT pay_id, 'PPAY/' || lpad(num::text, 8, '0'), 'PPAY/', num,
               %(bank)s, %(company)s, partner_id, partner_id, %(currency)s,
               'posted', 'entry', 'no', paid_on, NULL, NULL, 'not_paid',
               0, 0, amount, 0, 0, 0, 0, 0, 0, 0, 1.0, 'Bench', TRUE,
               FALSE, FALSE, TRUE, FALSE, FALSE, %(uid)s, %(uid)s,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM bench_paid
        """
    )
    run(
        """
        INSERT INTO account_move_line (id, %(line_columns)s)
        SELECT nextval('account_move_line_id_seq'), id,
               'PAID/' || lpad(num::text, 8, '0'), 10, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(income)s, partner_id,
               'posted', 'product', 'Service', due - 30, due - 30, NULL,
               1, amount, amount, amount, 0, amount, -amount, -amount, 0, 0,
               FALSE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_paid
         UNION ALL
        SELECT rec_id, id, 'PAID/' || lpad(num::text, 8, '0'), 20, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(receivable)s,
               partner_id, 'posted', 'payment_term', NULL, due - 30, due - 30,
               due, 0, 0, 0, 0, amount, 0, amount, amount, 0, 0, TRUE, 0,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_paid
         UNION ALL
        SELECT pay_line_id, pay_id, 'PPAY/' || lpad(num::text, 8, '0'), 10,
               %(bank)s, %(company)s, %(currency)s, %(currency)s,
               %(receivable)s, partner_id, 'posted', 'product', 'Payment',
               paid_on, NULL, NULL, 0, 0, 0, 0, 0, amount, -amount, -amount,
               0, 0, TRUE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_paid
        """
    )
    run(
        """
        INSERT INTO account_partial_reconcile (
            debit_move_id, credit_move_id, debit_currency_id, credit_currency_id,
            company_id, max_date, amount, debit_amount_currency,
            credit_amount_currency, create_uid, write_uid, create_date,
            write_date)
        SELECT rec_id, pay_line_id, %(currency)s, %(currency)s, %(company)s,
               paid_on, amount, amount, amount, %(uid)s, %(uid)s,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM bench_paid
        """
    )
    # Two done reminders for one debtor in three, on its lines then overdue.
    run(
        """
        CREATE TEMP TABLE bench_reminder ON COMMIT DROP AS
        SELECT nextval('dunning_action_id_seq') AS id, d.id AS partner_id,
               lvl.level_id, %(today)s::date - lvl.days AS date
          FROM bench_old d
         CROSS JOIN (VALUES (%(level_a)s, 40), (%(level_b)s, 10))
               lvl(level_id, days)
         WHERE mod(d.num, 3) = 0;
        INSERT INTO dunning_action (
            id, company_id, partner_id, currency_id, level_id, scenario_id,
            kind, state, date, executed_at, amount_due, amount_overdue,
            create_uid, write_uid, create_date, write_date)
        SELECT id, %(company)s, partner_id, %(currency)s, level_id,
               %(scenario)s, 'reminder', 'done', date, date, 0, 0, %(uid)s,
               %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM bench_reminder;
        INSERT INTO dunning_action_move_line_rel (action_id, move_line_id)
        SELECT r.id, aml.id
          FROM bench_reminder r
          JOIN account_move_line aml
            ON aml.partner_id = r.partner_id
           AND aml.account_id = %(receivable)s
           AND aml.date_maturity < r.date - 5
           AND NOT aml.reconciled;
        """
    )
    commit_and_analyze(
        env,
        (
            "res_partner",
            "account_move",
            "account_move_line",
            "account_partial_reconcile",
            "dunning_action",
            "dunning_action_move_line_rel",
            "dunning_debtor_status",
        ),
    )


def touch(env, company, count):
    """Touch ``count`` debtors stored for the day (spread over the debtors,
    the same ones at each run), as the day's changes would
    (``dunning.open.figure._dunning_touch``); commit and analyze."""
    env.cr.execute(
        SQL(
            """
            DELETE FROM dunning_open_figure_touch WHERE company_id = %(company)s;
            INSERT INTO dunning_open_figure_touch (company_id, partner_id)
            SELECT company_id, partner_id
              FROM dunning_open_figure
             WHERE company_id = %(company)s
             ORDER BY md5(partner_id::text)
             LIMIT %(count)s
            """,
            company=company.id,
            count=count,
        )
    )
    print(f"{env.cr.rowcount:,} debtors touched since the day was stored")
    commit_and_analyze(env, ["dunning_open_figure_touch"])


def store_month_ends(env):
    """Store the closed month ends and the open receivables of the day as the
    nightly job does (``dunning.month.end._cron_store_month_ends``), then
    commit and analyze: the state of the cockpit's tables on any morning
    after the first night. Without it the cockpit rebuilds last month's
    stocks, the DSO's sales and every debtor's sums live
    (``--live-month-ends``)."""
    start = time.perf_counter()
    env["dunning.month.end"].with_context(
        dunning_auto_commit=True
    )._cron_store_month_ends()
    commit_and_analyze(
        env,
        [
            "dunning_month_end",
            "dunning_month_end_snapshot",
            "dunning_open_figure",
            "dunning_open_figure_snapshot",
        ],
    )
    print(
        "stored the closed month ends (the nightly job) in "
        f"{time.perf_counter() - start:.1f} s"
    )


@contextmanager
def query_timer(queries):
    """Record ``(seconds, sql, params)`` of every query run inside."""
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return original(self, query, params, log_exceptions)
        finally:
            queries.append((time.perf_counter() - start, query, params))

    with patch.object(sql_db.Cursor, "execute", execute):
        yield


def timed(env, label, function, queries=None):
    """Time ``function`` with an empty ORM cache, in a transaction of its own
    (as a request: no ``SET LOCAL`` of a previous part); return seconds,
    queries."""
    env.cr.rollback()
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    if queries is None:
        function()
    else:
        with query_timer(queries):
            function()
    seconds = time.perf_counter() - start
    count = env.cr.sql_log_count - count
    print(f"{label:<40} {seconds:8.3f} s {count:6d} queries")
    return seconds, count


def parts(env, company):
    """The parts measured: ``[(label, function)]``."""
    Dashboard = env["dunning.dashboard"]
    Report = env["dunning.receivable.report"]
    return [
        ("dashboard _dunning_kpis", lambda: Dashboard._dunning_kpis(company)),
        (
            "dashboard _dunning_alert_summary",
            lambda: Dashboard._dunning_alert_summary(company),
        ),
        (
            "_dunning_alerts (every alerted debtor)",
            lambda: Dashboard._dunning_alerts(company),
        ),
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


def explain(env, queries, top=4):
    """Print EXPLAIN (ANALYZE, BUFFERS) of the ``top`` slowest queries (with
    the server's JIT setting: the cockpit's figures turn it off)."""
    cr = env.cr
    reads = [
        (seconds, query, params)
        for seconds, query, params in queries
        if cr.mogrify(query, params)
        .decode()
        .lstrip()
        .upper()
        .startswith(("SELECT", "WITH"))
    ]
    for seconds, query, params in sorted(reads, key=lambda q: -q[0])[:top]:
        text = cr.mogrify(query, params).decode()
        print(f"\n--- {seconds:.3f} s:\n{text[:1500]}\n")
        cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
        print("\n".join(row[0] for row in cr.fetchall()))
    cr.rollback()


def count_open_lines(env, company):
    env.cr.execute(
        SQL(
            "SELECT count(*) FROM account_move_line aml WHERE %s",
            env["account.move.line"]._dunning_collectible_sql("aml", company),
        )
    )
    return env.cr.fetchone()[0]


def measure(env, args):
    """Seed the sizes (unless ``--no-seed``), time each part; return the rows.

    Rows: ``[label, seconds, queries, seconds, queries, ...]`` per size.
    """
    company = env.company
    today = fields.Date.context_today(env["dunning.dashboard"])
    sizes = [args.debtors // 10, args.debtors] if not args.no_seed else [None]
    columns, results, queries = [], {}, []
    seeded = 0
    for index, debtors in enumerate(sizes):
        if debtors is not None:
            start = time.perf_counter()
            seed(env, company, seeded, debtors, args.invoices, today)
            seed_history(env, company, seeded, debtors, args.paid, today)
            print(
                f"seeded up to {debtors:,} debtors x {args.invoices} open and "
                f"{args.paid} paid invoices in {time.perf_counter() - start:.1f} s"
            )
            seeded = debtors
            if not args.live_month_ends:
                store_month_ends(env)
        lines = count_open_lines(env, company)
        columns.append(f"{lines:,} lines")
        print(f"{lines:,} open receivable lines")
        if args.touched:
            touch(env, company, args.touched)
        if index == 0:
            # Unreported: the first render compiles the QWeb templates.
            env["dunning.dashboard"].create({}).read(["alerts"])
        last = index == len(sizes) - 1
        for label, function in parts(env, company):
            results.setdefault(label, []).extend(
                timed(env, label, function, queries if last else None)
            )
        env.cr.rollback()
    if args.explain:
        explain(env, queries)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        env["dunning.dashboard"].create({}).read(["total_receivable", "alerts"])
        profiler.disable()
        env.cr.rollback()
        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile, stream=sys.stdout).strip_dirs().sort_stats(
            "cumulative"
        ).print_stats(30)
    rows = [
        [label]
        + [
            f"{value:.3f}" if position % 2 == 0 else f"{value:,}"
            for position, value in enumerate(values)
        ]
        for label, values in results.items()
    ]
    return columns, rows


def main(argv=None):
    args = parse_args(argv)
    log = sys.stderr if args.markdown else sys.stdout
    with environment(args) as env, redirect_stdout(log):
        columns, rows = measure(env, args)
    if args.markdown:
        headers = ["part"]
        for column in columns:
            headers += [f"s ({column})", f"queries ({column})"]
        sys.stdout.write(
            markdown_section(
                "Cockpit",
                command_line(
                    "bench_cockpit.py",
                    args,
                    ("scale", "debtors", "invoices", "paid")
                    if not args.scale
                    else ("scale",),
                ),
                headers,
                rows,
                [
                    f"{args.debtors // 10:,} then {args.debtors:,} debtors with "
                    f"{args.invoices} open and {args.paid} paid invoices each, "
                    "two done reminders for one debtor in three; target: each "
                    f"part under {TARGET_SECONDS:.0f} s at 1,000,000 open lines."
                ],
            )
        )


if __name__ == "__main__":
    main()
