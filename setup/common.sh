# shellcheck shell=bash
# Shared settings and helpers, sourced by setup/*.sh (not run on its own).
#
# Environment (all optional):
#   ODOO_PYTHON  Python interpreter that can `import odoo` (default: python3)
#   PGHOST       PostgreSQL host or unix-socket directory (default: local socket)
#   PGPORT       PostgreSQL port (default: 5432)
#   PGUSER       PostgreSQL role (default: the current unix user)
#   PGPASSWORD   read by libpq directly; never written to any file

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${ODOO_PYTHON:-python3}"

# Exported so that psql/createdb/dropdb and Odoo (through libpq) all talk to
# the same server as the same role.
export PGHOST="${PGHOST:-/var/run/postgresql}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-$(id -un)}"

log() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# A unix-socket directory or a loopback name means "the PostgreSQL of this
# machine", which we may start; anything else is a remote server we only use.
pg_is_local() {
    case "$PGHOST" in
        /* | localhost | 127.0.0.1 | ::1) return 0 ;;
        *) return 1 ;;
    esac
}

# Run a command as the postgres unix user (peer authentication on the local
# socket), which is how a fresh Debian cluster lets us in.
as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -n -u postgres -- "$@"
    fi
}

# Make sure a PostgreSQL server answers and that $PGUSER can log in as a
# superuser (Odoo creates and drops databases). CI starts on a machine where
# no service runs, so a local cluster is started here when needed.
ensure_postgres() {
    if ! pg_isready -q; then
        pg_is_local || die "PostgreSQL at $PGHOST:$PGPORT does not answer (remote: not started by us)"
        local cluster
        # The Debian cluster on $PGPORT, as "<version> <name>" (e.g. "15 main").
        cluster="$(pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port {print $1, $2; exit}')"
        if [ -z "$cluster" ]; then
            [ -z "$(pg_lsclusters -h 2>/dev/null)" ] || die "no local PostgreSQL cluster on port $PGPORT (see pg_lsclusters)"
            # Installed but no cluster at all (e.g. removed): make one.
            local ver
            ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
            [ -n "$ver" ] || die "PostgreSQL is not installed (run setup/install.sh)"
            log "Creating PostgreSQL cluster $ver/main"
            pg_createcluster -p "$PGPORT" "$ver" main >/dev/null
            cluster="$ver main"
        fi
        log "Starting PostgreSQL cluster ${cluster/ //}"
        # shellcheck disable=SC2086  # "$ver $name" must split in two args
        pg_ctlcluster $cluster start
        for _ in $(seq 1 30); do
            pg_isready -q && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL did not start (see /var/log/postgresql/)"
    fi
    # Can $PGUSER connect? If not, create it as a superuser (local only).
    if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        pg_is_local || die "cannot connect to $PGHOST:$PGPORT as $PGUSER"
        log "Creating PostgreSQL superuser role $PGUSER"
        as_postgres psql -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
            "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER" >/dev/null
    fi
}

db_exists() {
    [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]
}

# Comma-separated addons path: our repo root (the addons live at its top
# level) plus Odoo's own addons. A pip-installed Odoo ships them inside the
# package (odoo/addons); a source checkout also has them in odoo/../addons.
odoo_addons_path() {
    "$PY" "$REPO_ROOT/setup/odoo_addons_path.py" "$REPO_ROOT"
}

# A private temporary directory for the Odoo config file (and, for tests,
# the filestore and logs). Sets ODOO_TMPDIR; the caller removes it.
make_odoo_tmpdir() {
    ODOO_TMPDIR="$(mktemp -d -t dunning-odoo.XXXXXX)"
}

# Write $ODOO_TMPDIR/odoo.conf and set ODOO_CFG to it. Arguments: extra
# "key = value" lines (e.g. "data_dir = ...", "max_cron_threads = 0").
write_odoo_config() {
    local addons_path line
    addons_path="$(odoo_addons_path)" || die "cannot import odoo with $PY (run setup/install.sh)"
    ODOO_CFG="$ODOO_TMPDIR/odoo.conf"
    {
        echo "[options]"
        echo "addons_path = $addons_path"
        echo "db_host = $PGHOST"
        echo "db_port = $PGPORT"
        echo "db_user = $PGUSER"
        # db_password is left out on purpose: libpq reads PGPASSWORD itself.
        # Demo data on: the demo server shows it and the tests exercise it;
        # WITHOUT_DEMO=1 installs a database as a company would in production.
        if [ "${WITHOUT_DEMO:-0}" = 1 ]; then
            echo "without_demo = all"
        else
            echo "without_demo = False"
        fi
        for line in "$@"; do echo "$line"; done
    } >"$ODOO_CFG"
}

# Work in a throw-away database $1 (named by the variable $2 in messages):
# refuse an existing one (never drop what we did not create), make the
# temporary directory and the config (filestore inside it, no cron threads:
# they would race with the work), and drop both on exit, whatever happens.
use_throwaway_db() {
    THROWAWAY_DB=$1
    ! db_exists "$THROWAWAY_DB" ||
        die "database $THROWAWAY_DB already exists: drop it or set another $2"
    make_odoo_tmpdir
    trap drop_throwaway_db EXIT
    trap 'exit 130' INT TERM
    write_odoo_config "data_dir = $ODOO_TMPDIR/data" "max_cron_threads = 0"
}

# shellcheck disable=SC2317  # called by the EXIT trap of use_throwaway_db
drop_throwaway_db() {
    local rc=$?
    log "Dropping database $THROWAWAY_DB"
    dropdb --if-exists --force "$THROWAWAY_DB" || true
    rm -rf "$ODOO_TMPDIR"
    exit "$rc"
}
