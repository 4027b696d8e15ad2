"""Benchmark of a collections run on the job queue (account_dunning_queue)
with 1, 2, 4... job workers.

Run it through ``setup/bench.sh`` (``BENCH=queue``), which creates a throw-away
database with account_dunning_queue (and so queue_job) installed, no demo
data, and drops it afterwards. By hand::

    python3 scripts/bench_queue.py -c odoo.conf -d DB --workers 1,2,4

What is measured
----------------
The data of the engine's benchmark (``scripts/bench_engine.py``: its
scenario of four automatic e-mail levels and its SQL seeding): ``--debtors``
debtors x ``--invoices`` open invoices, 100,000 lines by default, every debtor
due one e-mail reminder (no attachment).

For each worker count N of ``--workers``, an Odoo server is started on the
database with ``--workers=N``, ``server_wide_modules = web,queue_job`` and
``[queue_job] channels = root:N,root.dunning:N`` (its job runner hands N jobs
at a time to the workers); a run of today is started (``action_run``: it
enqueues a job per batch of debtors) and the script polls the database until
the run is done. Printed, per worker count: the wall time of the planning
(from the start until the job that lists the actions to send is done; the
actions are created), of the execution (until the run is done: every
reminder rendered and in the mail queue, nothing sent out: the mail queue's
cron does not run) and in all, lines/s and actions/s. Between two worker
counts the server is stopped and the run's actions, e-mails and jobs are
deleted, so that each count starts from the same state.

This script prints figures; it asserts no time. It exits non-zero when a run
fails or does not end within ``--timeout`` seconds. ``--markdown`` prints the
table in the form of BENCHMARKS.md on the standard output, the rest on the
standard error.
"""

import configparser
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout

from bench_common import add_markdown_option, command_line, markdown_section
from bench_engine import count_open_lines, create_scenario, seed
from odoo_script import environment
from odoo_script import parser as odoo_parser

import odoo
from odoo import fields
from odoo.tools import SQL

SMALL_DEBTORS = 1_000
SMALL_INVOICES = 10


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--debtors", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=10)
    parser.add_argument(
        "--workers", default="1,2,4", help="comma-separated job worker counts"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"quick smoke check: {SMALL_DEBTORS:,} debtors x {SMALL_INVOICES}",
    )
    parser.add_argument(
        "--timeout", type=int, default=3600, help="seconds a run may take"
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.small:
        args.debtors, args.invoices = SMALL_DEBTORS, SMALL_INVOICES
    args.worker_counts = [int(n) for n in args.workers.split(",") if n.strip()]
    if not args.worker_counts or min(args.worker_counts) < 1:
        parser.error("--workers: counts of at least 1")
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_config(args, workers, port, directory):
    """Write the server's configuration: the script's one, with the workers
    and the job runner's settings."""
    config = configparser.ConfigParser(interpolation=None)
    if args.config:
        config.read(args.config)
    if not config.has_section("options"):
        config.add_section("options")
    config["options"].update(
        {
            "http_port": str(port),
            # Its own port for the websocket worker: others may run on 8072.
            "gevent_port": str(free_port()),
            "workers": str(workers),
            "server_wide_modules": "web,queue_job",
            "max_cron_threads": "0",
            "db_name": args.database,
            "dbfilter": f"^{args.database}$",
            "limit_time_cpu": "3600",
            "limit_time_real": "7200",
        }
    )
    config["queue_job"] = {"channels": f"root:{workers},root.dunning:{workers}"}
    path = os.path.join(directory, f"odoo-{workers}.conf")
    with open(path, "w") as handle:
        config.write(handle)
    return path


def odoo_command():
    """How to start Odoo: through ``odoo-bin`` when there is one (the server
    starts its websocket worker again with ``sys.argv[0]``, which ``-m odoo``
    leaves unusable), else ``-m odoo``."""
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    if os.path.isfile(odoo_bin):
        return [sys.executable, odoo_bin]
    return [sys.executable, "-m", "odoo"]


def start_server(config, port, log):
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*odoo_command(), "-c", config, "--log-level=warn"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.flush()
            with open(log.name) as handle:
                print(handle.read()[-3000:])
            sys.exit(f"the Odoo server stopped (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    sys.exit("the Odoo server did not answer within 120 s")


def stop_server(process):
    """Stop the server we started (its process group: the workers too)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def reset(env, company):
    """Delete the runs, their actions, e-mails and jobs (a fresh start)."""
    cr = env.cr
    cr.execute(SQL("DELETE FROM queue_job"))
    cr.execute(SQL("DELETE FROM mail_mail"))
    cr.execute(SQL("DELETE FROM dunning_action WHERE company_id = %s", company.id))
    cr.execute(SQL("DELETE FROM dunning_run WHERE company_id = %s", company.id))
    cr.commit()
    env.invalidate_all()


def measure(env, company, today, args):
    """Start a run and poll until it is done; return its figures."""
    run = env["dunning.run"].create({"company_id": company.id, "date": today})
    env.cr.commit()
    start = time.perf_counter()
    run.with_context(dunning_queue=True).action_run()
    env.cr.commit()
    planned = None
    schedule_key = run._dunning_job_key("schedule")
    while True:
        time.sleep(0.5)
        elapsed = time.perf_counter() - start
        env.cr.rollback()  # a new snapshot
        env.cr.execute(
            SQL("SELECT state FROM queue_job WHERE identity_key = %s", schedule_key)
        )
        row = env.cr.fetchone()
        if planned is None and row and row[0] == "done":
            planned = elapsed
        env.cr.execute(SQL("SELECT state, log FROM dunning_run WHERE id = %s", run.id))
        state, log = env.cr.fetchone()
        if state in ("done", "failed"):
            break
        if elapsed > args.timeout:
            sys.exit(f"the run did not end within {args.timeout} s")
    total = time.perf_counter() - start
    if state == "failed":
        sys.exit(f"the run failed: {log}")
    env.invalidate_all()
    env.cr.execute(
        SQL(
            "SELECT count(*), count(*) FILTER (WHERE state = 'done') "
            "FROM dunning_action WHERE run_id = %s",
            run.id,
        )
    )
    actions, sent = env.cr.fetchone()
    planned = planned if planned is not None else total
    return {
        "planned": planned,
        "executed": total - planned,
        "total": total,
        "actions": actions,
        "sent": sent,
    }


def print_table(rows, lines):
    print(
        f"{'workers':>7} {'plan s':>8} {'lines/s':>9} {'send s':>8} "
        f"{'actions/s':>9} {'total s':>8} {'actions':>8} {'sent':>7}"
    )
    for row in rows:
        print(
            f"{row['workers']:>7} {row['planned']:>8.1f} "
            f"{lines / row['planned']:>9,.0f} {row['executed']:>8.1f} "
            f"{row['sent'] / row['executed'] if row['executed'] else 0:>9,.0f} "
            f"{row['total']:>8.1f} {row['actions']:>8,} {row['sent']:>7,}"
        )


def markdown(args, rows, lines):
    return markdown_section(
        "Collections run on the job queue (account_dunning_queue)",
        command_line("bench_queue.py", args, ["debtors", "invoices", "workers"]),
        ["job workers", "plan s", "lines/s", "send s", "actions/s", "total s"],
        [
            [
                str(row["workers"]),
                f"{row['planned']:.1f}",
                f"{lines / row['planned']:,.0f}",
                f"{row['executed']:.1f}",
                f"{row['sent'] / row['executed'] if row['executed'] else 0:,.0f}",
                f"{row['total']:.1f}",
            ]
            for row in rows
        ],
        notes=[
            f"{lines:,} open lines over {args.debtors:,} debtors; every debtor "
            "gets one e-mail reminder (rendered and queued, not sent out).",
        ],
    )


def main(argv=None):
    args = parse_args(argv)
    log = sys.stderr if args.markdown else sys.stdout
    rows = []
    with environment(args) as env, redirect_stdout(log):
        company = env.company
        today = fields.Date.context_today(env["dunning.run"])
        if count_open_lines(env, company):
            sys.exit("this database already has open receivable lines")
        create_scenario(env, company)
        env.cr.commit()
        start = time.perf_counter()
        seed(env, company, 0, args.debtors, args.invoices, today)
        lines = count_open_lines(env, company)
        print(
            f"Job queue benchmark on {args.database}: {args.debtors:,} debtors "
            f"x {args.invoices} invoices seeded in "
            f"{time.perf_counter() - start:.1f} s ({lines:,} open lines)"
        )
        env.cr.commit()
        with tempfile.TemporaryDirectory() as directory:
            for workers in args.worker_counts:
                reset(env, company)
                port = free_port()
                config = server_config(args, workers, port, directory)
                with open(os.path.join(directory, f"odoo-{workers}.log"), "w") as out:
                    server = start_server(config, port, out)
                    try:
                        result = measure(env, company, today, args)
                    finally:
                        stop_server(server)
                rows.append({"workers": workers, **result})
                print(
                    f"[{workers} workers] planned in {result['planned']:.1f} s, "
                    f"sent in {result['executed']:.1f} s "
                    f"({result['sent']:,} of {result['actions']:,} actions)"
                )
        reset(env, company)
        print()
        print_table(rows, lines)
    if args.markdown:
        sys.stdout.write(markdown(args, rows, lines))


if __name__ == "__main__":
    main()
