"""Benchmark of the debtor's payment page over real HTTP (account_dunning_payment).

Run it on a throw-away database where ``account_dunning_payment`` is
installed: its seeding is COMMITTED (the served database must see it)::

    python3 scripts/bench_payment_http.py -c odoo.conf -d DB

What is measured
----------------
One debtor of the first company gets ``--invoices`` posted, open customer
invoices (most of them overdue) and a link to its page; one of them gets the
access token of Odoo's own invoice portal page. An Odoo server is started on
the database (``--workers 2`` by default, no cron, a free port, the database
filtered), then ``--clients`` threads (``requests`` sessions, as browsers with
their cookie) hit, for ``--seconds`` each and one after the other:

* ``page``: the debtor's page, all on the one link
  (``/collections/<code>``);
* ``reference``: Odoo's invoice portal page of one of its invoices
  (``/my/invoices/<id>?access_token=...``), the reference to match.

Both get a warm-up (every worker renders each page a few times) first. The
two pages are measured in ``--rounds`` rounds (2 by default) whose order
alternates: the page then the reference, the reference then the page, so
that neither always runs on a server and a database fresher from the
seeding. Each page's round with the most requests per second is reported
(the least disturbed by the rest of the machine), with the median of its
rounds' requests/s (the rounds of one page spread by about 10 % on a 2-core
machine: with several rounds, the median tells more) and the failed requests
of all its rounds; every round is printed on the standard error. A
request failed when it raised or answered anything but 200 (a serialization
conflict answers 500). Printed per page: requests, requests/s, median and
95th percentile in ms, failed requests. Target: the page serves at least the
reference's requests/s and no request fails. The server's warnings and errors
go to ``<tmp>/bench_payment_http.log`` (printed path). This script asserts
no time. ``--markdown`` prints the table for BENCHMARKS.md.

``--in-process N`` first requests each page N times in the script's own
process, through Odoo's WSGI application and werkzeug's test client (no
server, no network, one request at a time), and prints each page's wall and
CPU milliseconds and SQL queries per request: what a page costs the server,
apart from the load.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta

import requests
from bench_common import (
    add_markdown_option,
    command_line,
    markdown_section,
    post_invoices,
)
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=20, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="Odoo HTTP workers")
    parser.add_argument(
        "--invoices", type=int, default=20, help="open invoices of the debtor"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="5 s per page instead of --seconds (a smoke run)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="rounds of both pages, the order alternating (the page first, "
        "then the reference first...); each page's best round is reported, "
        "with the median of its rounds",
    )
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="first, N requests of each page in this process (werkzeug's test "
        "client, no server, one request at a time): wall and CPU ms and SQL "
        "queries per request, the cost of each page without the network",
    )
    add_markdown_option(parser)
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def seed(env, count):
    """Create the debtor, its open invoices, its link and the reference
    invoice's access token; return ``(page path, reference path)``."""
    company = env["res.company"].search([], order="id", limit=1)
    today = fields.Date.context_today(env.user)
    partner = env["res.partner"].create(
        {"name": "Bench HTTP Debtor", "is_company": True, "lang": "en_US"}
    )
    moves = post_invoices(
        env,
        company,
        partner,
        [
            (index, today - timedelta(days=60) + timedelta(days=index * 70 // count))
            for index in range(count)
        ],
    )
    code = env["dunning.payment.token"]._dunning_create_token(partner, company)
    reference = moves[0]
    reference._portal_ensure_token()
    return (
        f"/collections/{code}",
        f"/my/invoices/{reference.id}?access_token={reference.access_token}",
    )


LAUNCHER = """import sys
import time

if sys.argv[1:2] == ["gevent"]:
    while True:
        time.sleep(3600)
from odoo.cli.command import main

main()
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, port, logfile):
    """Start ``odoo`` serving ``args.database`` on ``port``; return the
    process once it answers."""
    # A script, not ``python -m odoo``: the prefork server starts its
    # long-polling process with ``sys.argv[0] gevent``; the pages measured
    # use no long polling, so that process only sleeps (it would otherwise
    # compete for the CPU, or be restarted in a loop where gevent is missing).
    launcher = os.path.join(os.path.dirname(logfile), "bench_payment_http_odoo.py")
    with open(launcher, "w", encoding="utf-8") as file:
        file.write(LAUNCHER)
    command = [
        sys.executable,
        launcher,
        "-d",
        args.database,
        f"--db-filter=^{args.database}$",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
        "--log-level=warn",
        f"--logfile={logfile}",
        # Generous limits: the load must not get the workers killed.
        "--limit-time-real=600",
        "--limit-time-cpu=600",
        "--limit-request=100000",
    ]
    if args.config:
        command += ["-c", args.config]
    if args.addons_path:
        command += [f"--addons-path={args.addons_path}"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped (exit code {process.returncode}): {logfile}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit(f"the server did not answer within 120 s: {logfile}")


def load(url, clients, seconds):
    """``clients`` threads GET ``url`` for ``seconds``; return the latencies
    of the successful requests (s), the failures and the wall time."""
    latencies, failures = [], []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def client():
        own, failed = [], []
        with requests.Session() as session:
            while time.monotonic() < deadline:
                begin = time.perf_counter()
                try:
                    response = session.get(url, timeout=60)
                    ok = response.status_code == 200
                    reason = response.status_code
                except requests.RequestException as error:
                    ok, reason = False, type(error).__name__
                if ok:
                    own.append(time.perf_counter() - begin)
                else:
                    failed.append(reason)
        with lock:
            latencies.extend(own)
            failures.extend(failed)

    threads = [threading.Thread(target=client) for _i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.monotonic() - start


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(base, path, clients, seconds):
    url = base + path
    load(url, clients, 2)  # warm-up: every worker renders the page
    latencies, failures, wall = load(url, clients, seconds)
    done = len(latencies) + len(failures)
    return {
        "requests": done,
        "rate": done / wall,
        "median": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) * 1000,
        "failed": len(failures),
        "reasons": sorted(set(map(str, failures))),
    }


def best_round(results):
    """The round with the most requests per second, with the median of the
    rounds' requests per second and the failed requests
    (and their reasons) of every round."""
    best = dict(max(results, key=lambda result: result["rate"]))
    # The rounds of one page spread by about 10 % on a 2-core machine: the
    # median round tells more than the best one when there are several.
    best["median_rate"] = statistics.median(result["rate"] for result in results)
    best["failed"] = sum(result["failed"] for result in results)
    best["requests"] = sum(result["requests"] for result in results)
    best["reasons"] = sorted({reason for r in results for reason in r["reasons"]})
    return best


def in_process(database, paths, count):
    """GET each of ``paths`` (name, path) ``count`` times through Odoo's WSGI
    application in this process, after 10 warm-up requests; return
    ``{name: (wall ms, CPU ms, queries) per request}``."""
    from werkzeug.test import Client

    import odoo
    from odoo import sql_db

    odoo.tools.config["dbfilter"] = f"^{database}$"
    odoo.service.server.load_server_wide_modules()
    client = Client(odoo.http.root)
    figures = {}
    for name, path in paths:
        for _i in range(10):
            status = client.get(path).status_code
            if status != 200:
                sys.exit(f"{path}: HTTP {status} in process")
        queries = sql_db.sql_counter
        wall, cpu = time.perf_counter(), time.process_time()
        for _i in range(count):
            client.get(path)
        figures[name] = (
            (time.perf_counter() - wall) / count * 1000,
            (time.process_time() - cpu) / count * 1000,
            (sql_db.sql_counter - queries) / count,
        )
    return figures


def main(argv=None):
    args = parse_args(argv)
    seconds = 5 if args.small else args.seconds
    with environment(args, commit=True) as env:
        page, reference = seed(env, args.invoices)
    if args.in_process:
        figures = in_process(
            args.database, [("page", page), ("reference", reference)], args.in_process
        )
        for name, (wall, cpu, queries) in figures.items():
            print(
                f"in process: {name} {wall:.1f} ms, {cpu:.1f} ms of CPU, "
                f"{queries:.0f} queries a request ({args.in_process} requests)",
                file=sys.stderr,
            )
    port = free_port()
    logfile = os.path.join(tempfile.gettempdir(), "bench_payment_http.log")
    server = start_server(args, port, logfile)
    base = f"http://127.0.0.1:{port}"
    try:
        for path in (page, reference):
            response = requests.get(base + path, timeout=60)
            if response.status_code != 200:
                print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                return 1
        rounds = {"page": [], "reference": []}
        order = [("page", page), ("reference", reference)]
        for index in range(args.rounds):
            for name, path in order if index % 2 == 0 else order[::-1]:
                result = measure(base, path, args.clients, seconds)
                rounds[name].append(result)
                print(
                    f"round {index + 1}: {name} {result['rate']:.1f} requests/s, "
                    f"median {result['median']:.0f} ms, "
                    f"{result['failed']} failed of {result['requests']}",
                    file=sys.stderr,
                )
        results = [(name, best_round(measured)) for name, measured in rounds.items()]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    headers = ["page", "requests/s", "median round", "median ms", "p95 ms", "failed"]
    rows = [
        [
            name,
            f"{result['rate']:.1f}",
            f"{result['median_rate']:.1f}",
            f"{result['median']:.0f}",
            f"{result['p95']:.0f}",
            f"{result['failed']} / {result['requests']}",
        ]
        for name, result in results
    ]
    label = {
        "page": "debtor's page (/collections/<code>)",
        "reference": "Odoo's invoice portal (/my/invoices/<id>)",
    }
    if args.markdown:
        sys.stdout.write(
            markdown_section(
                "Payment page over HTTP",
                command_line(
                    "bench_payment_http.py",
                    args,
                    ("clients", "seconds", "workers", "invoices", "rounds", "small"),
                ),
                headers,
                [[label[row[0]], *row[1:]] for row in rows],
                notes=(
                    f"{args.clients} concurrent clients on one link, "
                    f"{args.workers} Odoo workers, {seconds:g} s per page and "
                    f"round, {args.rounds} rounds in alternating order: each "
                    "page's best round and the median of its rounds' "
                    "requests/s, the failed requests of all rounds out of all "
                    "their requests.",
                ),
            )
        )
    else:
        print(f"{args.clients} clients, {args.workers} workers, {seconds:g} s each")
        print(
            f"{'page':>10} {'req/s':>8} {'median round':>13} {'median ms':>10} "
            f"{'p95 ms':>8} {'failed':>12}"
        )
        for row in rows:
            print(
                f"{row[0]:>10} {row[1]:>8} {row[2]:>13} {row[3]:>10} {row[4]:>8} "
                f"{row[5]:>12}"
            )
    for name, result in results:
        if result["reasons"]:
            print(f"{name}: failures {result['reasons']}", file=sys.stderr)
    print(f"server log: {logfile}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
