"""Benchmark of sending reminders: executing draft actions (account_dunning_advanced).

Run it through ``setup/bench.sh`` (``BENCH=send``), which creates a throw-away
database with the addon installed (no demo data) and drops it afterwards. By
hand::

    python3 scripts/bench_send.py -c odoo.conf -d DB --actions 10000

What is measured
----------------
The database gets the engine benchmark's scenario (``bench_engine.py``: four
e-mail levels) and ``--actions`` debtors seeded in bulk with SQL, each with an
accounts-payable contact holding the accounting role and one open invoice.
One draft reminder per debtor is created through the ORM (recipients chosen
as the run does) at the level "First", e-mail only, then executed as the daily
run does: ``dunning.action._execute()`` on batches of
``account_dunning_advanced.batch_size`` actions (500 by default), each batch
flushed and committed.

Two cases, in the same database:

- ``e-mail``: ``--actions`` reminders without attachments;
- ``e-mail + PDF`` (unless ``--no-attachments``): ``--pdf-actions`` reminders (1,000
  by default) at the level "Second", which attaches the PDF of the invoice:
  every PDF is rendered (wkhtmltopdf) then kept on the invoice. The time for
  ``--actions`` such reminders is extrapolated linearly from it when
  ``--pdf-actions`` is smaller, and said so.

Printed, per case: actions executed, wall time, actions per second, SQL
queries (and per action: a batch of 500 shares its queries), and the
split of the time between the render of the e-mails
(``dunning.channel.email._render_emails``), the invoice PDFs
(``_invoice_pdfs``), the writing of the messages and mails
(``_create_emails``) and the rest (the batch's savepoint, the channels'
status and the actions' state written by one flush, and the commit). It
checks that every action is done with one e-mail in the queue; it asserts
no time.

``--profile FILE`` runs the e-mail case under cProfile (CPU time of the
process) and prints where the time goes. ``--markdown`` prints the table in
the form of BENCHMARKS.md on the standard output, the rest on the standard
error.
"""

import argparse
import cProfile
import pstats
import re
import shutil
import socket
import sys
import time
from contextlib import ExitStack, contextmanager, redirect_stdout
from unittest.mock import patch

from bench_common import add_markdown_option, command_line, markdown_section
from bench_engine import create_scenario, seed
from odoo_script import environment
from odoo_script import parser as odoo_parser

import odoo
from odoo import Command, fields
from odoo.service import server
from odoo.tools import SQL

TARGET_ACTIONS = 10_000
TARGET_EMAIL_SECONDS = 60.0
TARGET_PDF_SECONDS = 600.0

# Parts of the execution timed on their own: (label, model, method).
PHASES = [
    ("render e-mails", "dunning.channel.email", "_render_emails"),
    ("invoice PDFs", "dunning.channel.email", "_invoice_pdfs"),
    ("write messages + mails", "dunning.channel.email", "_create_emails"),
]


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument(
        "--actions", type=int, default=10_000, help="reminders (one per debtor)"
    )
    parser.add_argument(
        "--attachments",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure reminders attaching one invoice PDF each",
    )
    parser.add_argument(
        "--pdf-actions",
        type=int,
        default=1_000,
        help="reminders with a PDF measured (the rest extrapolated)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="quick smoke check: 1,000 reminders, 100 with a PDF",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the e-mail case")
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.small:
        args.actions, args.pdf_actions = 1_000, 100
    args.pdf_actions = min(args.pdf_actions, args.actions)
    if args.actions < 10 or args.pdf_actions < 1:
        parser.error("--actions must be at least 10, --pdf-actions at least 1")
    return args


@contextmanager
def phase_timers(env, stats):
    """Time the PHASES methods into stats[label] = [seconds, queries], the
    outermost call only (a phase calling itself is not counted twice)."""
    depth = {}

    def timed(original, label):
        def wrapper(self, *args, **kwargs):
            if depth.get(label):
                return original(self, *args, **kwargs)
            depth[label] = True
            cr = self.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[label] = False
                stats[label][0] += time.perf_counter() - start
                stats[label][1] += cr.sql_log_count - queries

        return wrapper

    with ExitStack() as stack:
        for label, model, name in PHASES:
            stats[label] = [0.0, 0]
            cls = env.registry[model]
            if not hasattr(cls, name):  # an older version of the addon
                continue
            stack.enter_context(
                patch.object(cls, name, timed(getattr(cls, name), label))
            )
        yield


def serve_http(env):
    """Serve this database over HTTP on a free port, in this process.

    wkhtmltopdf reads the reports' stylesheets from the server
    (``report.url``): without them it gives an empty PDF.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    odoo.tools.config["http_interface"] = "127.0.0.1"
    odoo.tools.config["http_port"] = port
    # wkhtmltopdf has no session: the server must know the database alone.
    odoo.tools.config["dbfilter"] = f"^{re.escape(env.cr.dbname)}$"
    httpd = server.ThreadedServer(odoo.http.root)
    httpd.http_spawn()
    env["ir.config_parameter"].sudo().set_param(
        "report.url", f"http://127.0.0.1:{port}"
    )
    env.cr.commit()
    return httpd


def create_actions(env, company, level, partners, today):
    """Create one draft reminder at ``level`` per debtor, listing its open
    invoice, as the run does (recipients included); return their ids."""
    Action = env["dunning.action"]
    lines = env["account.move.line"].search(
        [
            ("partner_id", "in", partners.ids),
            ("display_type", "=", "payment_term"),
            ("reconciled", "=", False),
        ]
    )
    line_of = {line.partner_id.id: line.id for line in lines}
    ids = []
    for start in range(0, len(partners), 1000):
        vals_list = [
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "level_id": level.id,
                "scenario_id": level.scenario_id.id,
                "date": today,
                "kind": "reminder",
                "state": "draft",
                "line_ids": [Command.set([line_of[partner.id]])],
            }
            for partner in partners[start : start + 1000]
        ]
        ids += Action.create(Action._prepare_recipients_vals(vals_list)).ids
        env.flush_all()
        env.invalidate_all()
    env.cr.commit()
    return ids


def execute(env, action_ids, batch_size, profiler=None):
    """Execute the actions by batches as the run does, each batch committed;
    return the figures."""
    cr = env.cr
    phases = {}
    with phase_timers(env, phases):
        queries, start = cr.sql_log_count, time.perf_counter()
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        for index in range(0, len(action_ids), batch_size):
            actions = env["dunning.action"].browse(
                action_ids[index : index + batch_size]
            )
            actions._execute()
            env.flush_all()
            cr.commit()
            env.invalidate_all()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries
    cr.execute(
        SQL(
            """
            SELECT count(*) FILTER (WHERE a.state = 'done'),
                   count(m.id) FILTER (WHERE m.state = 'outgoing')
              FROM dunning_action a
              LEFT JOIN mail_mail m ON m.mail_message_id = a.message_id
             WHERE a.id = ANY(%s)
            """,
            action_ids,
        )
    )
    done, queued = cr.fetchone()
    if done != len(action_ids) or queued != len(action_ids):
        sys.exit(
            f"{len(action_ids):,} actions: {done:,} done, {queued:,} e-mails queued"
        )
    phases["rest (status, flush, commit)"] = [
        seconds - sum(s for s, _q in phases.values()),
        queries - sum(q for _s, q in phases.values()),
    ]
    return {
        "actions": len(action_ids),
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "phases": phases,
    }


def print_rows(rows):
    header = (
        f"{'case':<14}{'actions':>9}{'run s':>9}{'cpu s':>8}"
        f"{'actions/s':>11}{'queries':>10}{'q/action':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['case']:<14}{row['actions']:>9,}{row['seconds']:>9.2f}"
            f"{row['cpu']:>8.2f}{row['actions'] / row['seconds']:>11,.1f}"
            f"{row['queries']:>10,}{row['queries'] / row['actions']:>10.2f}"
        )
    print()
    header = f"{'phase: seconds / queries':<30}" + "".join(
        f"{row['case']:>22}" for row in rows
    )
    print(header)
    print("-" * len(header))
    for label in rows[0]["phases"]:
        print(
            f"{label:<30}"
            + "".join(
                f"{row['phases'][label][0]:>12.2f} /{row['phases'][label][1]:>8,}"
                for row in rows
            )
        )
    print()
    for note in verdicts(rows):
        print(note)


def verdicts(rows):
    notes = []
    for row in rows:
        per_action = row["seconds"] / row["actions"]
        target = (
            TARGET_PDF_SECONDS
            if row["case"] == "e-mail + PDF"
            else TARGET_EMAIL_SECONDS
        )
        estimate = per_action * TARGET_ACTIONS
        how = (
            "measured"
            if row["actions"] == TARGET_ACTIONS
            else f"extrapolated from {row['actions']:,}"
        )
        verdict = "met" if estimate < target else "MISSED"
        notes.append(
            f"Target {TARGET_ACTIONS:,} {row['case']} reminders in under "
            f"{target:.0f} s: {verdict} ({estimate:.0f} s, {how})."
        )
    return notes


def print_profile(profiler, path, top=30):
    profiler.dump_stats(path)
    print(f"\nProfile of the e-mail case saved to {path}; top {top}:")
    stats = pstats.Stats(path, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def markdown(args, rows):
    return markdown_section(
        "Sending",
        command_line("bench_send.py", args, ("actions", "attachments", "pdf_actions")),
        [
            "case",
            "actions",
            "run s",
            "actions/s",
            "SQL queries",
            "render s",
            "PDF s",
            "messages + mails s",
            "rest s",
        ],
        [
            [
                row["case"],
                f"{row['actions']:,}",
                f"{row['seconds']:.2f}",
                f"{row['actions'] / row['seconds']:,.1f}",
                f"{row['queries']:,}",
                *(f"{seconds:.2f}" for seconds, _q in row["phases"].values()),
            ]
            for row in rows
        ],
        verdicts(rows),
    )


def measure(env, args):
    company = env.company
    today = fields.Date.context_today(env["dunning.run"])
    if env["dunning.action"].search_count([("company_id", "=", company.id)]):
        sys.exit("this database already has reminders: use a fresh one")
    batch_size = int(
        env["ir.config_parameter"]
        .sudo()
        .get_param("account_dunning_advanced.batch_size", 500)
    )
    print(
        f"Sending benchmark on {args.database}: {args.actions:,} e-mail "
        f"reminders (batches of {batch_size}), wkhtmltopdf: "
        f"{shutil.which('wkhtmltopdf') or 'NOT FOUND (PDFs fall back to HTML)'}."
    )
    scenario = create_scenario(env, company)
    levels = scenario.level_ids.sorted("sequence")
    first, second = levels[1], levels[2]
    second.attach_invoices = True
    (first | second).write(
        {"channel_email": True, "channel_sms": False, "channel_letter": False}
    )
    env.cr.commit()
    start = time.perf_counter()
    seed(env, company, 0, args.actions, 1, today)
    partners = env["res.partner"].search(
        [("name", "=like", "Bench Debtor %"), ("parent_id", "=", False)], order="id"
    )
    print(f"seeded {len(partners):,} debtors in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    action_ids = create_actions(env, company, first, partners, today)
    print(
        f"created {len(action_ids):,} draft reminders in "
        f"{time.perf_counter() - start:.1f} s"
    )
    # CPU time of this process: on a shared machine, the wall time of a
    # function says more about the neighbours than about the function.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    rows = [{"case": "e-mail", **execute(env, action_ids, batch_size, profiler)}]
    if args.attachments:
        serve_http(env)
        pdf_ids = create_actions(
            env, company, second, partners[: args.pdf_actions], today
        )
        rows.append({"case": "e-mail + PDF", **execute(env, pdf_ids, batch_size)})
    print()
    print_rows(rows)
    if profiler:
        print_profile(profiler, args.profile)
    return rows


def main(argv=None):
    args = parse_args(argv)
    log = sys.stderr if args.markdown else sys.stdout
    with environment(args) as env, redirect_stdout(log):
        rows = measure(env, args)
    if args.markdown:
        sys.stdout.write(markdown(args, rows))


if __name__ == "__main__":
    main()
