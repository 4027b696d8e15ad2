#!/usr/bin/env bash
# Benchmark one run of the collections engine: create a throw-away database
# with account_dunning_advanced installed (no demo data), seed debtors and open
# invoices in bulk, time a run at two sizes (scripts/bench_engine.py), then
# drop the database. Prints figures only; asserts no time.
#
# Arguments go to the benchmark, e.g.:
#   setup/bench.sh                                # 10,000 debtors x 10 invoices
#   setup/bench.sh --debtors 20000 --invoices 5
#   setup/bench.sh --small                        # 1,000 x 10, a smoke check
#   setup/bench.sh --repeat 3 --profile /tmp/engine.prof
#   setup/bench.sh --help                         # all the options
#
# Every benchmark, each in its own throw-away database, at its default size
# (or --small), and their tables written into BENCHMARKS.md (between its
# markers; scripts/bench_write.py):
#   setup/bench.sh --write [--small]
#
# Environment (optional), besides those of setup/common.sh:
#   SKIP_INSTALL=1  do not run setup/install.sh first
#   BENCH           engine (default), score, cockpit, payment_page,
#                   payment_http, send or queue: which benchmark
#                   (scripts/bench_$BENCH.py); queue starts Odoo servers with
#                   1, 2, 4 job workers (--workers 1,2,4)
#   BENCH_DB        database name (default: dunning_bench_<pid>); must not exist
#   BENCH_MARKDOWN  a file: the benchmark's table for BENCHMARKS.md goes there
#                   (its --markdown output), the rest to the terminal
set -euo pipefail
SETUP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -f "$SETUP_DIR/common.sh" ]; then
    # shellcheck source=setup/common.sh
    source "$SETUP_DIR/common.sh"
else
    # Minimal stand-ins for setup/common.sh: a PostgreSQL that already runs,
    # reached through libpq's defaults, and an Odoo importable by $PY.
    REPO_ROOT="$(cd "$SETUP_DIR/.." && pwd)"
    PY="${ODOO_PYTHON:-python3}"
    log() { printf '==> %s\n' "$*"; }
    die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
    ensure_postgres() {
        pg_isready -q || die "PostgreSQL does not answer"
    }
    db_exists() {
        [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]
    }
    make_odoo_tmpdir() {
        ODOO_TMPDIR="$(mktemp -d -t dunning-odoo.XXXXXX)"
    }
    write_odoo_config() {
        local odoo_addons line
        odoo_addons="$("$PY" -c 'import odoo.addons; print(",".join(odoo.addons.__path__))')" ||
            die "cannot import odoo with $PY"
        ODOO_CFG="$ODOO_TMPDIR/odoo.conf"
        {
            echo "[options]"
            echo "addons_path = $REPO_ROOT,$odoo_addons"
            for line in "$@"; do echo "$line"; done
        } >"$ODOO_CFG"
    }
fi
cd "$REPO_ROOT"

BENCHES=(engine score cockpit payment_page payment_http send queue)
if [ "${1:-}" = --write ]; then
    shift
    [ "$*" = "" ] || [ "$*" = --small ] || die "--write takes only --small"
    [ "${SKIP_INSTALL:-0}" = 1 ] || [ ! -x "$REPO_ROOT/setup/install.sh" ] ||
        "$REPO_ROOT/setup/install.sh"
    tables="$(mktemp -d -t dunning-bench.XXXXXX)"
    for bench in "${BENCHES[@]}"; do
        log "BENCH=$bench $0 $*"
        BENCH="$bench" SKIP_INSTALL=1 BENCH_DB="dunning_bench_${bench}_$$" \
            BENCH_MARKDOWN="$tables/$bench.md" "$0" "$@"
    done
    for bench in "${BENCHES[@]}"; do
        cat "$tables/$bench.md"
        echo
    done | "$PY" scripts/bench_write.py BENCHMARKS.md
    rm -rf "$tables"
    log "BENCHMARKS.md written (git diff BENCHMARKS.md)"
    exit 0
fi

# BENCH=engine (default): one collections run; score: the scoring; cockpit:
# the dashboard; payment_page: the debtor's page data; payment_http: the
# debtor's page over HTTP (an Odoo server with 2 workers, 16 clients); send:
# executing the reminders (e-mails, invoice PDFs); queue: a run on the job
# queue with 1, 2, 4 job workers (account_dunning_queue, queue_job).
BENCH="${BENCH:-engine}"
case "$BENCH" in
    engine | cockpit | send) BENCH_ADDON=account_dunning_advanced ;;
    score) BENCH_ADDON=account_dunning_score ;;
    payment_page) BENCH_ADDON=account_dunning_payment ;;
    payment_http) BENCH_ADDON=account_dunning_payment ;;
    queue) BENCH_ADDON=account_dunning_queue ;;
    *) die "BENCH must be one of: ${BENCHES[*]}" ;;
esac
BENCH_SCRIPT="scripts/bench_$BENCH.py"

for arg in "$@"; do
    case "$arg" in
        -h | --help) exec "$PY" "$BENCH_SCRIPT" --help ;;
    esac
done

DB="${BENCH_DB:-dunning_bench_$$}"

[ "${SKIP_INSTALL:-0}" = 1 ] || [ ! -x "$REPO_ROOT/setup/install.sh" ] ||
    "$REPO_ROOT/setup/install.sh"
ensure_postgres
use_throwaway_db "$DB" BENCH_DB

log "Installing $BENCH_ADDON in $DB (without demo data)"
install_log="$ODOO_TMPDIR/install.log"
if ! "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i "$BENCH_ADDON" \
    --without-demo=all --stop-after-init --log-level=warn --logfile="$install_log"; then
    tail -n 40 "$install_log" >&2 || true
    die "installing $BENCH_ADDON failed"
fi

log "$PY $BENCH_SCRIPT $*"
if [ -n "${BENCH_MARKDOWN:-}" ]; then
    "$PY" "$BENCH_SCRIPT" -c "$ODOO_CFG" -d "$DB" --markdown "$@" >"$BENCH_MARKDOWN"
else
    "$PY" "$BENCH_SCRIPT" -c "$ODOO_CFG" -d "$DB" "$@"
fi
