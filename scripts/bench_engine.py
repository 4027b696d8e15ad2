"""Benchmark of one run of the collections engine (account_dunning_advanced).

Run it through ``setup/bench.sh``, which creates a throw-away database with
the addon installed (no demo data) and drops it afterwards. By hand::

    python3 scripts/bench_engine.py -c odoo.conf -d DB --debtors 10000

What is measured
----------------
The database gets a default scenario with four levels (pre-due -2 days, then
5, 20 and 40 days after the due date; "To": the accounting role, "Cc" of the
last level: management), created through the ORM. Debtors are seeded in bulk
with SQL, far faster than the ORM: each debtor is a company with one
accounts-payable contact holding the accounting role, and ``--invoices``
posted, fully open customer invoices (one receivable line and one income line
each) whose due dates are spread over the last 120 days and the next 10.

Two sizes are measured in the same database: ``small`` (a tenth of the
debtors) then ``large`` (all of them: the rest is added). For each, after
VACUUM ANALYZE, one run of today's date is timed::

    run.with_context(dunning_skip_execute=True).action_run()

i.e. the levels are computed and the actions created, nothing is sent. The
timing includes the final flush; each measured run is rolled back afterwards,
so that both sizes start from the same state (no reminder ever sent). An
unreported warm-up run on the small data comes first (Odoo's caches, the
PostgreSQL buffers), unless ``--no-warmup``. With ``--repeat N`` each size is
run N times and the fastest run is reported.

Printed, per size: open receivable lines read by the engine (checked to be
exactly debtors x invoices), actions created and the lines they list, wall
time of the run (``run s``) and CPU time of this Python process during it
(``cpu s``: the difference is mostly PostgreSQL, or other work of the
machine), lines per second, and the number of SQL queries
(``cr.sql_log_count``). The query count should not grow with the data: that
is what the ``large / small`` line shows. Then the same, seconds and queries,
for parts of the run: ``dunning.planner._compute_plan`` (SQL read of the open
lines and planning), ``dunning.action._prepare_recipients_vals`` (the
recipients chosen for a batch of debtors) and ``dunning.run._create_actions``
(ORM create of the actions with their line links, recipients included).
The queries grow only with the number of batches of debtors that the run
commits separately (``account_dunning_advanced.batch_size``, 500 by default),
never with the lines.

With ``--write-floor``, each measured run is followed by PostgreSQL alone
writing the same rows again (the run, its actions, their lines, recipients
and channels; copied out, the run rolled back and the tables vacuumed, then
one ``INSERT ... SELECT`` per table), with Odoo's foreign keys and, for a
superuser, without their checks: the floor of the run's time on this
machine, whatever the engine's Python and reads.

This script prints figures; it asserts no time. It exits non-zero only when
the data seen by the engine is not what was seeded. ``--profile FILE`` runs
the large size once more under cProfile (not in the table) and prints the
functions where the time goes. ``--markdown`` prints the table in the form of
BENCHMARKS.md on the standard output, the rest on the standard error.
"""

import argparse
import cProfile
import io
import pstats
import resource
import sys
import time
from contextlib import ExitStack, contextmanager, redirect_stdout
from unittest.mock import patch

from bench_common import (
    add_markdown_option,
    command_line,
    commit_and_analyze,
    markdown_section,
    seed_values,
)
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import Command, fields
from odoo.tools import SQL

SMALL_DEBTORS = 1_000
SMALL_INVOICES = 10
# The figures this benchmark is about (issue 15): at least this many lines
# planned and created in less than these seconds, the process' peak memory
# under this many MiB.
TARGETS = [(1_000_000, 20.0), (100_000, 2.0)]
TARGET_PEAK_MIB = 1536

# (name, delay in days, template xmlid suffix, "Cc" roles)
LEVELS = [
    ("Pre-due", -2, "pre_due", []),
    ("First", 5, "first", []),
    ("Second", 20, "second", []),
    ("Final", 40, "final", ["management"]),
]
# Parts of the run timed on their own: (label, model, method). The recipients
# are chosen inside the creation of the actions.
PHASES = [
    ("read + plan", "dunning.planner", "_compute_plan"),
    ("create actions", "dunning.run", "_create_actions"),
    ("  of which recipients", "dunning.action", "_prepare_recipients_vals"),
]


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument(
        "--debtors", type=int, default=10_000, help="debtors of the large size"
    )
    parser.add_argument(
        "--invoices", type=int, default=10, help="open invoices per debtor"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"quick smoke check: {SMALL_DEBTORS:,} debtors x {SMALL_INVOICES} "
        "invoices (overrides --debtors and --invoices)",
    )
    parser.add_argument(
        "--warmup",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run once, unreported, before measuring",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per size; the fastest is reported",
    )
    parser.add_argument(
        "--write-floor",
        action="store_true",
        help="after each measured run, time PostgreSQL alone writing again "
        "the rows the run wrote, with and (as a superuser) without the "
        "foreign-key checks: the floor of the run's time on this machine",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile one more large run with cProfile, save the stats to FILE "
        "and print the top functions",
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.small:
        args.debtors, args.invoices = SMALL_DEBTORS, SMALL_INVOICES
    if args.debtors < 10 or args.invoices < 1 or args.repeat < 1:
        parser.error(
            "--debtors must be at least 10, --invoices and --repeat at least 1"
        )
    return args


# ----------------------------------------------------------------------
# Setup
# ----------------------------------------------------------------------
def create_scenario(env, company):
    """Create the company's default scenario, four levels, through the ORM."""
    ref = env.ref
    accounting = ref("account_dunning_advanced.dunning_contact_role_accounting")
    return env["dunning.scenario"].create(
        {
            "name": "Benchmark",
            "company_id": company.id,
            "is_default": True,
            "level_ids": [
                Command.create(
                    {
                        "name": name,
                        "sequence": index,
                        "delay_days": delay,
                        "mail_template_id": ref(
                            f"account_dunning_advanced.mail_template_dunning_{tpl}"
                        ).id,
                        "to_role_ids": [Command.set(accounting.ids)],
                        "cc_role_ids": [
                            Command.set(
                                [
                                    ref(
                                        "account_dunning_advanced."
                                        f"dunning_contact_role_{role}"
                                    ).id
                                    for role in cc_roles
                                ]
                            )
                        ],
                        "auto_execute": True,
                    }
                )
                for index, (name, delay, tpl, cc_roles) in enumerate(LEVELS)
            ],
        }
    )


def seed(env, company, first, last, invoices, today):
    """Insert debtors number first..last-1 with their open invoices, in SQL.

    Every debtor is a company partner (its own commercial partner) with an
    accounts-payable contact holding the accounting role, and ``invoices``
    posted customer invoices: a receivable line (``payment_term``) fully open
    and the income line that balances it.
    """
    cr = env.cr
    role = env.ref("account_dunning_advanced.dunning_contact_role_accounting")
    values = seed_values(
        env,
        company,
        first=first,
        last=last,
        invoices=invoices,
        today=today,
        role=role.id,
    )

    def run(query):
        cr.execute(SQL(query, **values))

    run(
        """
        CREATE TEMP TABLE bench_debtor ON COMMIT DROP AS
        SELECT g AS num,
               nextval('res_partner_id_seq') AS id,
               nextval('res_partner_id_seq') AS contact_id,
               'Bench Debtor ' || lpad(g::text, 6, '0') AS name
          FROM generate_series(%(first)s, %(last)s - 1) g
        """
    )
    # The debtors, then their contacts (commercial partner: the debtor).
    run(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_company_name,
            commercial_partner_id, parent_id, is_company, type, active, lang,
            email, email_normalized, autopost_bills, customer_rank,
            supplier_rank, partner_share, create_uid, write_uid, create_date,
            write_date)
        SELECT id, name, name, name, id, NULL, TRUE, 'contact', TRUE, 'en_US',
               'contact@debtor' || num || '.example',
               'contact@debtor' || num || '.example', 'ask', 1, 0, TRUE,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_debtor
         UNION ALL
        SELECT contact_id, 'AP ' || name, name || ', AP ' || name, name, id, id,
               FALSE, 'contact', TRUE, 'en_US',
               'ap@debtor' || num || '.example', 'ap@debtor' || num || '.example',
               'ask', 0, 0, TRUE, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_debtor
        """
    )
    run(
        """
        INSERT INTO res_partner_dunning_role_rel (partner_id, role_id)
        SELECT contact_id, %(role)s FROM bench_debtor
        """
    )
    # One row per invoice: due dates from 120 days ago to 10 days ahead,
    # amounts from 100.00 to 999.99, both spread deterministically.
    run(
        """
        CREATE TEMP TABLE bench_move ON COMMIT DROP AS
        SELECT nextval('account_move_id_seq') AS id,
               d.id AS partner_id,
               d.name AS partner_name,
               k.num,
               %(today)s::date + (-120 + mod(k.num * 37, 131))::int AS due,
               round(100 + mod(k.num * 7919, 90000) / 100.0, 2) AS amount
          FROM bench_debtor d
         CROSS JOIN generate_series(0, %(invoices)s - 1) j
         CROSS JOIN LATERAL (SELECT d.num::bigint * %(invoices)s + j AS num) k
        """
    )
    run(
        """
        INSERT INTO account_move (%(move_columns)s)
        SELECT id, 'BENCH/' || lpad(num::text, 8, '0'), 'BENCH/', num,
               %(journal)s, %(company)s, partner_id, partner_id, %(currency)s,
               'posted', 'out_invoice', 'no', due - 30, due - 30, due,
               'not_paid', amount, 0, amount, amount, amount, amount, 0, amount,
               amount, amount, 1.0, partner_name, TRUE, FALSE, FALSE, TRUE,
               FALSE, FALSE, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_move
        """
    )
    run(
        """
        INSERT INTO account_move_line (%(line_columns)s)
        SELECT id, 'BENCH/' || lpad(num::text, 8, '0'), 10, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(income)s, partner_id,
               'posted', 'product', 'Service', due - 30, due - 30, NULL,
               1, amount, amount, amount, 0, amount, -amount, -amount, 0, 0,
               FALSE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_move
         UNION ALL
        SELECT id, 'BENCH/' || lpad(num::text, 8, '0'), 20, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(receivable)s,
               partner_id, 'posted', 'payment_term', NULL, due - 30, due - 30,
               due, 0, 0, 0, 0, amount, 0, amount, amount, amount, amount,
               FALSE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_move
        """
    )
    commit_and_analyze(
        env,
        (
            "res_partner",
            "res_partner_dunning_role_rel",
            "account_move",
            "account_move_line",
            "dunning_action",
            "dunning_action_move_line_rel",
        ),
    )


# ----------------------------------------------------------------------
# Measure
# ----------------------------------------------------------------------
@contextmanager
def phase_timers(env, stats):
    """Time the PHASES methods of the registry's model classes into stats.

    stats[label] = [seconds, queries], summed over the calls of the method.
    """

    def timed(original, label):
        def wrapper(self, *args, **kwargs):
            cr = self.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                stats[label][0] += time.perf_counter() - start
                stats[label][1] += cr.sql_log_count - queries

        return wrapper

    with ExitStack() as stack:
        for label, model, name in PHASES:
            stats[label] = [0.0, 0]
            cls = env.registry[model]
            stack.enter_context(
                patch.object(cls, name, timed(getattr(cls, name), label))
            )
        yield


def peak_mib():
    """Return the peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def target_verdict(row):
    """Return the target that applies to ``row`` and whether it is met, or
    None when it is below every target."""
    for lines, seconds in TARGETS:
        if row["lines"] >= lines:
            met = row["seconds"] < seconds and row["peak_mib"] < TARGET_PEAK_MIB
            return (
                f"{lines:,} lines in < {seconds:.0f} s with a peak memory "
                f"< {TARGET_PEAK_MIB:,} MiB: {'met' if met else 'MISSED'} "
                f"({row['lines']:,} lines in {row['seconds']:.2f} s, "
                f"{row['peak_mib']:,.0f} MiB)"
            )
    return None


# The tables a run writes to, in the order of their foreign keys: the run,
# then a row per reminder or per line of a reminder.
FLOOR_TABLES = (
    ("dunning_run", "id"),
    ("dunning_action", "run_id"),
    ("dunning_action_move_line_rel", "action_id"),
    ("dunning_action_partner_to_rel", "action_id"),
    ("dunning_action_partner_cc_rel", "action_id"),
    ("dunning_action_channel", "action_id"),
)


def copy_run_rows(env, run):
    """Return the rows the run wrote, ``{table: CSV bytes}``, read before the
    run is rolled back (:func:`measure_write_floor`)."""
    cr = env.cr
    env.flush_all()
    rows = {}
    for table, key in FLOOR_TABLES:
        ids = run.ids if key in ("id", "run_id") else run.action_ids.ids
        query = cr.mogrify(
            SQL(
                "COPY (SELECT * FROM %s WHERE %s = ANY(%s)) TO STDOUT",
                SQL.identifier(table),
                SQL.identifier(key),
                ids,
            )
        )
        buffer = io.BytesIO()
        cr._obj.copy_expert(query, buffer)
        rows[table] = buffer.getvalue()
    return rows


def measure_write_floor(env, rows):
    """Return the seconds PostgreSQL takes to write a run's rows alone,
    ``{"with foreign keys": s, "without": s}``.

    ``rows`` (:func:`copy_run_rows`) were read from a run since rolled back,
    and the tables vacuumed: they are loaded into temporary tables, then
    inserted into Odoo's with one ``INSERT ... SELECT`` per table. No Python,
    no planning, no reading of the ledger: the floor of a run that writes
    what the engine writes, on this machine. Then the same with the
    foreign-key triggers off (``session_replication_role = replica``, for a
    superuser only, else that figure is left out): what PostgreSQL's checks
    cost, one per foreign key and row (an action has one per many2one, a
    many2many's row one per column). Everything is rolled back.
    """
    cr = env.cr
    for table, _key in FLOOR_TABLES:
        copy = SQL.identifier(f"floor_{table}")
        cr.execute(SQL("CREATE TEMP TABLE %s (LIKE %s)", copy, SQL.identifier(table)))
        cr._obj.copy_expert(
            cr.mogrify(SQL("COPY %s FROM STDIN", copy)), io.BytesIO(rows[table])
        )
        cr.execute(SQL("ANALYZE %s", copy))
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    modes = [("with foreign keys", False)]
    if cr.fetchone()[0]:
        modes.append(("without", True))
    floor = {}
    for label, replica in modes:
        cr.execute("SAVEPOINT bench_write_floor")
        if replica:
            cr.execute("SET LOCAL session_replication_role = replica")
        start = time.perf_counter()
        for table, _key in FLOOR_TABLES:
            cr.execute(
                SQL(
                    "INSERT INTO %s SELECT * FROM %s",
                    SQL.identifier(table),
                    SQL.identifier(f"floor_{table}"),
                )
            )
        floor[label] = time.perf_counter() - start
        cr.execute("ROLLBACK TO SAVEPOINT bench_write_floor")
    cr.rollback()
    env.invalidate_all()
    return floor


def measure_run(env, company, on_date, profiler=None, write_floor=False):
    """Time one run without sending, then roll it back; return its figures.

    With ``write_floor``, also :func:`measure_write_floor` on the rows it
    wrote.
    """
    cr = env.cr
    run = env["dunning.run"].create({"date": on_date, "company_id": company.id})
    env.flush_all()
    env.invalidate_all()
    phases = {}
    with phase_timers(env, phases):
        queries, start = cr.sql_log_count, time.perf_counter()
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        run.with_context(dunning_skip_execute=True).action_run()
        env.flush_all()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries
    # The tables of the actions were analyzed empty: keep these counts simple.
    action_ids = run.action_ids.ids
    cr.execute(
        SQL(
            "SELECT count(*) FROM dunning_action_move_line_rel"
            " WHERE action_id = ANY(%s)",
            action_ids,
        )
    )
    actions, linked = len(action_ids), cr.fetchone()[0]
    state = run.state
    rows = copy_run_rows(env, run) if write_floor else None
    cr.rollback()
    # The rolled-back actions left dead rows behind statistics that still say
    # "empty": analyze again, so that each run starts as the first one would.
    commit_and_analyze(
        env,
        ("dunning_action", "dunning_action_move_line_rel", "dunning_action_channel"),
    )
    if state != "done":
        sys.exit(f"the run ended in state {state!r}")
    floor = measure_write_floor(env, rows) if write_floor else {}
    top = [phases[label] for label, *_rest in PHASES[:2]]
    phases["rest of the run"] = [
        seconds - sum(s for s, _q in top),
        queries - sum(q for _s, q in top),
    ]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": peak_mib(),
        "queries": queries,
        "actions": actions,
        "linked": linked,
        "phases": phases,
        "floor": floor,
    }


def count_open_lines(env, company):
    """Return the number of open receivable lines the engine reads.

    Counted in SQL on the engine's own query: never the whole ledger in this
    process' memory (its peak is a figure of the benchmark).
    """
    env.flush_all()
    env.cr.execute(
        SQL(
            "SELECT count(*) FROM (%s) AS lines",
            env["dunning.planner"]._lines_query(company),
        )
    )
    return env.cr.fetchone()[0]


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
COLUMNS = [
    ("size", "<6", lambda r: r["size"]),
    ("debtors", ">8", lambda r: f"{r['debtors']:,}"),
    ("lines", ">8", lambda r: f"{r['lines']:,}"),
    ("actions", ">8", lambda r: f"{r['actions']:,}"),
    ("lines in actions", ">16", lambda r: f"{r['linked']:,}"),
    ("run s", ">7", lambda r: f"{r['seconds']:.2f}"),
    ("cpu s", ">6", lambda r: f"{r['cpu']:.2f}"),
    ("lines/s", ">8", lambda r: f"{r['lines'] / r['seconds']:,.0f}"),
    ("queries", ">8", lambda r: f"{r['queries']:,}"),
    ("peak MiB", ">8", lambda r: f"{r['peak_mib']:,.0f}"),
]


def floor_figures(row):
    """``with foreign keys 1.73 s, without 0.43 s``: the row's write floor
    (:func:`measure_write_floor`)."""
    return ", ".join(
        f"{label} {seconds:.2f} s" for label, seconds in row["floor"].items()
    )


def print_table(rows):
    header = "  ".join(f"{title:{fmt}}" for title, fmt, _ in COLUMNS)
    print(header)
    print("-" * len(header))
    for row in rows:
        print("  ".join(f"{get(row):{fmt}}" for _title, fmt, get in COLUMNS))
    small, large = rows
    print(
        f"large / small: lines x{large['lines'] / small['lines']:.1f}, "
        f"time x{large['seconds'] / small['seconds']:.1f}, "
        f"queries x{large['queries'] / small['queries']:.2f} "
        f"({small['queries']:,} -> {large['queries']:,})"
    )
    print()
    header = f"{'phase: seconds / queries':<26}" + "".join(
        f"{row['size']:>20}" for row in rows
    )
    print(header)
    print("-" * len(header))
    for label in rows[0]["phases"]:
        print(
            f"{label:<26}"
            + "".join(
                f"{row['phases'][label][0]:>11.2f} /{row['phases'][label][1]:>7,}"
                for row in rows
            )
        )
    for row in rows:
        if row["floor"]:
            print(
                f"{row['size']}: PostgreSQL alone writing the run's rows again "
                f"({row['actions']:,} actions, {row['linked']:,} lines): "
                f"{floor_figures(row)}"
            )
    verdict = target_verdict(large)
    if verdict:
        print(f"\ntarget: {verdict}")


def print_profile(profiler, path, top=30):
    profiler.dump_stats(path)
    print(f"\nProfile of one more large run saved to {path}; top {top}:")
    stats = pstats.Stats(path, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def markdown(args, rows):
    """The table of BENCHMARKS.md: one row per size, then the verdicts."""
    small, large = rows
    notes = [
        f"Queries large / small: x{large['queries'] / small['queries']:.2f} for "
        f"x{large['lines'] / small['lines']:.0f} lines.",
    ]
    for row in rows:
        if row["floor"]:
            notes.append(
                f"PostgreSQL alone writing the rows of the {row['lines']:,}-line "
                f"run again: {floor_figures(row)}."
            )
    verdict = target_verdict(large)
    if verdict:
        notes.append(f"Target {verdict}.")
    return markdown_section(
        "Engine",
        command_line(
            "bench_engine.py", args, ("debtors", "invoices", "repeat", "write_floor")
        ),
        [
            "debtors",
            "open lines",
            "actions",
            "run s",
            "lines/s",
            "SQL queries",
            "peak MiB",
        ],
        [
            [
                f"{row['debtors']:,}",
                f"{row['lines']:,}",
                f"{row['actions']:,}",
                f"{row['seconds']:.2f}",
                f"{row['lines'] / row['seconds']:,.0f}",
                f"{row['queries']:,}",
                f"{row['peak_mib']:,.0f}",
            ]
            for row in rows
        ],
        notes,
    )


# ----------------------------------------------------------------------
def measure_sizes(env, args):
    """Seed and measure both sizes; return the rows of the table."""
    small_debtors = args.debtors // 10
    sizes = [("small", small_debtors), ("large", args.debtors)]
    print(
        f"Collections engine benchmark on {args.database}: "
        f"{small_debtors:,} then {args.debtors:,} debtors x {args.invoices} "
        "open invoices; one run without sending (dunning_skip_execute)."
    )
    rows = []
    company = env.company
    today = fields.Date.context_today(env["dunning.run"])
    # The install gives every company a starter scenario (post_init_hook),
    # which the benchmark's default scenario replaces: only actions or open
    # lines tell a database that is not fresh.
    if env["dunning.action"].search_count([("company_id", "=", company.id)]):
        sys.exit("this database already has reminders: use a fresh one")
    if count_open_lines(env, company):
        sys.exit("this database already has open receivable lines")
    create_scenario(env, company)
    env.cr.commit()
    seeded = 0
    for size, debtors in sizes:
        start = time.perf_counter()
        seed(env, company, seeded, debtors, args.invoices, today)
        seeded = debtors
        expected = debtors * args.invoices
        lines = count_open_lines(env, company)
        print(
            f"[{size}] seeded up to {debtors:,} debtors in "
            f"{time.perf_counter() - start:.1f} s; the engine sees "
            f"{lines:,} open receivable lines (expected {expected:,})"
        )
        if lines != expected:
            sys.exit("the engine does not see the seeded lines")
        env.invalidate_all()
        if args.warmup and not rows:
            measure_run(env, company, today)
        # The fastest of the repeats: the least disturbed by other work.
        result = min(
            (
                measure_run(env, company, today, write_floor=args.write_floor)
                for _i in range(args.repeat)
            ),
            key=lambda result: result["seconds"],
        )
        rows.append({"size": size, "debtors": debtors, "lines": lines, **result})
    print()
    print_table(rows)
    if args.profile:
        profiler = cProfile.Profile()
        measure_run(env, company, today, profiler=profiler)
        print_profile(profiler, args.profile)
    return rows


def main(argv=None):
    args = parse_args(argv)
    # With --markdown, the standard output is the table alone.
    log = sys.stderr if args.markdown else sys.stdout
    with environment(args) as env, redirect_stdout(log):
        rows = measure_sizes(env, args)
    if args.markdown:
        sys.stdout.write(markdown(args, rows))


if __name__ == "__main__":
    main()
