"""Benchmark of the payment scores (account_dunning_score).

Usage, on a throw-away database with account_dunning_score installed without
demo data (the benchmark commits its seeded data)::

    createdb ... ; odoo -d DB -i account_dunning_score --without-demo=all \\
        --stop-after-init
    python3 scripts/bench_score.py -c odoo.conf -d DB \\
        [--partners 10000] [--invoices 20]
    dropdb DB

What is measured
----------------
Debtors are seeded in bulk with SQL (company partners, no contact), each with
``--invoices`` posted customer invoices (a receivable and an income line)
whose due dates spread over the last 14 months and the next one. About 90 %
of the invoices due are paid: a payment move with one receivable credit line
and an ``account_partial_reconcile`` row between the two receivable lines
(``max_date`` = the payment date), the invoice's line marked reconciled.
Each debtor has a behaviour (pays 0, 5, 15, 30 or 60 days late, +/- 3 days).

Two sizes in the same database: a tenth of the debtors, then all of them.
For each, ``dunning.partner.score._compute_scores(company)`` is timed twice:
the first run creates the score rows and the snapshots, the second updates
them. The scoring streams the debtors by batches of ``--batch-size``
(``account_dunning_score.batch_size``, one ``_dunning_score_batch`` each, the
predicted payment dates of their open invoices included). Printed: seconds,
CPU seconds of this process, SQL queries (``cr.sql_log_count``), rows
written, debtors per second and the peak memory of the process so far
(``ru_maxrss``: the seeding runs in PostgreSQL, so it is the scoring's). The
query count grows with the number of batches only. Targets: 10,000 debtors
in < 30 s; 100,000 debtors x 20 invoices (issue 15) in < 120 s with a peak
under 1.5 GiB. Prints figures; asserts nothing. ``--markdown``
prints the table in the form of BENCHMARKS.md on the standard output, the
rest on the standard error.
"""

import resource
import sys
import time
from contextlib import redirect_stdout

from bench_common import (
    add_markdown_option,
    command_line,
    commit_and_analyze,
    markdown_section,
    seed_values,
)
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields
from odoo.tools import SQL

# (debtors, seconds): the target of the largest size not above --partners.
TARGETS = ((10_000, 30.0), (100_000, 120.0))
TARGET_PEAK_MIB = 1536
SMALL_PARTNERS = 1_000


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=20, help="per debtor")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="debtors per batch (default: account_dunning_score.batch_size)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"quick smoke check: {SMALL_PARTNERS:,} debtors (overrides --partners)",
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.small:
        args.partners = SMALL_PARTNERS
    if args.partners < 10 or args.invoices < 1:
        parser.error("--partners must be at least 10, --invoices at least 1")
    return args


def seed(env, company, first, last, invoices, today):
    """Insert debtors first..last-1 with their invoices and payments, in SQL."""
    cr = env.cr
    values = seed_values(
        env, company, bank=True, first=first, last=last, invoices=invoices, today=today
    )

    def run(query):
        cr.execute(SQL(query, **values))

    # A bulk load of rows consistent by construction: without the foreign
    # key triggers (checked row by row, they made most of the time of the
    # seeding: millions of lookups for 100,000 debtors). Superuser only; for
    # this transaction only, on a throw-away database.
    run("SET LOCAL session_replication_role = replica")
    run(
        """
        CREATE TEMP TABLE bench_debtor ON COMMIT DROP AS
        SELECT g AS num, nextval('res_partner_id_seq') AS id,
               'Score Debtor ' || lpad(g::text, 6, '0') AS name,
               (ARRAY[0, 5, 15, 30, 60])[1 + mod(g * 7, 5)] AS delay
          FROM generate_series(%(first)s, %(last)s - 1) g
        """
    )
    run(
        """
        INSERT INTO res_partner (
            id, name, complete_name, commercial_company_name,
            commercial_partner_id, is_company, type, active, lang,
            autopost_bills, customer_rank, supplier_rank, partner_share,
            create_uid, write_uid, create_date, write_date)
        SELECT id, name, name, name, id, TRUE, 'contact', TRUE, 'en_US', 'ask',
               1, 0, TRUE, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_debtor
        """
    )
    # One row per invoice: due dates from 420 days ago to 30 days ahead.
    run(
        """
        CREATE TEMP TABLE bench_move ON COMMIT DROP AS
        SELECT nextval('account_move_id_seq') AS id,
               nextval('account_move_id_seq') AS pay_id,
               d.id AS partner_id, d.name AS partner_name, k.num,
               k.due,
               round(100 + mod(k.num * 7919, 90000) / 100.0, 2) AS amount,
               k.due + d.delay + mod(k.num, 7)::int - 3 AS paid_on
          FROM bench_debtor d
         CROSS JOIN generate_series(0, %(invoices)s - 1) j
         CROSS JOIN LATERAL (
               SELECT d.num::bigint * %(invoices)s + j AS num,
                      %(today)s::date + 30
                        - mod((d.num::bigint * %(invoices)s + j) * 37, 451)::int
                        AS due
         ) k
        """
    )
    # Paid: due, paid before today, and not one in ten.
    run(
        """
        ALTER TABLE bench_move ADD COLUMN paid boolean;
        UPDATE bench_move
           SET paid = paid_on < %(today)s AND mod(num * 13, 10) != 0,
               paid_on = GREATEST(paid_on, due - 30);
        """
    )
    run(
        """
        INSERT INTO account_move (%(move_columns)s)
        SELECT id, 'SCORE/' || lpad(num::text, 8, '0'), 'SCORE/', num,
               %(journal)s, %(company)s, partner_id, partner_id, %(currency)s,
               'posted', 'out_invoice', 'no', due - 30, due - 30, due,
               CASE WHEN paid THEN 'paid' ELSE 'not_paid' END,
               amount, 0, amount, CASE WHEN paid THEN 0 ELSE amount END,
               amount, amount, 0, amount, amount,
               CASE WHEN paid THEN 0 ELSE amount END,
               1.0, partner_name, TRUE, FALSE, FALSE, TRUE, FALSE,
               mod(num, 97) = 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_move
         UNION ALL
        SELECT pay_id, 'SPAY/' || lpad(num::text, 8, '0'), 'SPAY/', num,
               %(bank)s, %(company)s, partner_id, partner_id, %(currency)s,
               'posted', 'entry', 'no', paid_on, NULL, NULL, 'not_paid',
               0, 0, amount, 0, 0, 0, 0, 0, 0, 0, 1.0, partner_name, TRUE,
               FALSE, FALSE, TRUE, FALSE, FALSE, %(uid)s, %(uid)s,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM bench_move WHERE paid
        """
    )
    run(
        """
        CREATE TEMP TABLE bench_line ON COMMIT DROP AS
        SELECT m.*, nextval('account_move_line_id_seq') AS rec_id,
               nextval('account_move_line_id_seq') AS pay_line_id
          FROM bench_move m
        """
    )
    run(
        """
        INSERT INTO account_move_line (id, %(line_columns)s)
        SELECT nextval('account_move_line_id_seq'), id,
               'SCORE/' || lpad(num::text, 8, '0'), 10, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(income)s, partner_id,
               'posted', 'product', 'Service', due - 30, due - 30, NULL,
               1, amount, amount, amount, 0, amount, -amount, -amount, 0, 0,
               FALSE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_line
         UNION ALL
        SELECT rec_id, id, 'SCORE/' || lpad(num::text, 8, '0'), 20, %(journal)s,
               %(company)s, %(currency)s, %(currency)s, %(receivable)s,
               partner_id, 'posted', 'payment_term', NULL, due - 30, due - 30,
               due, 0, 0, 0, 0, amount, 0, amount, amount,
               CASE WHEN paid THEN 0 ELSE amount END,
               CASE WHEN paid THEN 0 ELSE amount END,
               paid, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_line
         UNION ALL
        SELECT pay_line_id, pay_id, 'SPAY/' || lpad(num::text, 8, '0'), 10,
               %(bank)s, %(company)s, %(currency)s, %(currency)s,
               %(receivable)s, partner_id, 'posted', 'product', 'Payment',
               paid_on, NULL, NULL, 0, 0, 0, 0, 0, amount, -amount, -amount,
               0, 0, TRUE, 0, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC'
          FROM bench_line WHERE paid
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
          FROM bench_line WHERE paid
        """
    )
    commit_and_analyze(
        env,
        (
            "res_partner",
            "account_move",
            "account_move_line",
            "account_partial_reconcile",
            "dunning_partner_score",
            "dunning_partner_score_history",
        ),
    )


def measure(env, company):
    """Time one scoring of company; return its figures (committed)."""
    cr = env.cr
    env.invalidate_all()
    queries, start, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
    scores = env["dunning.partner.score"]._compute_scores(company)
    env.flush_all()
    result = {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "queries": cr.sql_log_count - queries,
        "scored": len(scores),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    result["per_s"] = result["scored"] / result["seconds"] if result["seconds"] else 0
    cr.commit()
    return result


def measure_sizes(env, args):
    """Seed and score both sizes; return the rows of the table."""
    company = env.company
    today = fields.Date.context_today(env["dunning.partner.score"])
    if env["dunning.partner.score"].search_count([]):
        sys.exit("this database already has scores: use a fresh one")
    if args.batch_size:
        env["ir.config_parameter"].sudo().set_param(
            "account_dunning_score.batch_size", args.batch_size
        )
    print(
        f"batch size: {env['dunning.partner.score']._score_batch_size():,} debtors",
        flush=True,
    )
    rows = []
    seeded = 0
    for size in (args.partners // 10, args.partners):
        start = time.perf_counter()
        seed(env, company, seeded, size, args.invoices, today)
        seeded = size
        print(
            f"seeded {size:,} debtors x {args.invoices} invoices in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        for label in ("create", "update"):
            rows.append({"debtors": size, "run": label, **measure(env, company)})
    return rows


def print_table(args, rows):
    header = (
        f"{'debtors':>8}  {'invoices':>9}  {'run':<7} {'seconds':>8} "
        f"{'cpu s':>6} {'queries':>8} {'scored':>8} {'debtors/s':>9} "
        f"{'peak MiB':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['debtors']:>8,}  {row['debtors'] * args.invoices:>9,}  "
            f"{row['run']:<7} {row['seconds']:>8.2f} {row['cpu']:>6.2f} "
            f"{row['queries']:>8,} {row['scored']:>8,} {row['per_s']:>9,.0f} "
            f"{row['peak_mib']:>8,.0f}"
        )
    verdict = target_verdict(args, rows)
    if verdict:
        print(f"\n{verdict}")


def target_verdict(args, rows):
    """The target line, when the large size is at least a target's."""
    targets = [target for target in TARGETS if target[0] <= args.partners]
    if not targets:
        return ""
    partners, seconds = targets[-1]
    runs = [row for row in rows if row["debtors"] == args.partners]
    worst = max(row["seconds"] for row in runs)
    peak = max(row["peak_mib"] for row in runs)
    met = worst < seconds and (partners < 100_000 or peak < TARGET_PEAK_MIB)
    memory = f" and a peak < {TARGET_PEAK_MIB:,} MiB" if partners >= 100_000 else ""
    return (
        f"target: {partners:,} debtors in < {seconds:.0f} s{memory}: "
        f"{'met' if met else 'MISSED'} (slowest run {worst:.2f} s, peak "
        f"{peak:,.0f} MiB)"
    )


def markdown(args, rows):
    """The table of BENCHMARKS.md: one row per size and run."""
    verdict = target_verdict(args, rows)
    return markdown_section(
        "Scoring",
        command_line("bench_score.py", args, ("partners", "invoices", "batch_size")),
        [
            "debtors",
            "invoices",
            "run",
            "seconds",
            "SQL queries",
            "scored",
            "debtors/s",
            "peak MiB",
        ],
        [
            [
                f"{row['debtors']:,}",
                f"{row['debtors'] * args.invoices:,}",
                row["run"],
                f"{row['seconds']:.2f}",
                f"{row['queries']:,}",
                f"{row['scored']:,}",
                f"{row['per_s']:,.0f}",
                f"{row['peak_mib']:,.0f}",
            ]
            for row in rows
        ],
        [verdict[0].upper() + verdict[1:] + "."] if verdict else (),
    )


def main(argv=None):
    args = parse_args(argv)
    # With --markdown, the standard output is the table alone.
    log = sys.stderr if args.markdown else sys.stdout
    with environment(args) as env, redirect_stdout(log):
        rows = measure_sizes(env, args)
        print_table(args, rows)
    if args.markdown:
        sys.stdout.write(markdown(args, rows))


if __name__ == "__main__":
    main()
