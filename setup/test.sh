#!/usr/bin/env bash
# Run the test suite: install the addons (with demo data) in a throw-away
# database, then run their tests with pytest-odoo. Extra arguments go to
# pytest, e.g. `setup/test.sh -k dunning_level -x`.
#
# Environment (optional), besides those of setup/common.sh:
#   SKIP_INSTALL=1  do not run setup/install.sh first
#   TEST_DB         database name (default: dunning_test_<pid>); must not exist
#   ADDONS          comma-separated addons to install (default: our three, plus
#                   sale and the account_dunning_score_sale bridge it brings,
#                   payment_demo, whose test-mode provider the payment
#                   page's tests pay with: no addon depends on it, and
#                   queue_job with account_dunning_queue, the job path,
#                   and spreadsheet_dashboard with the Collections dashboard)
#   TEST_PATHS      space-separated paths given to pytest (default: the three
#                   addons and tests/); those without any test_*.py are skipped
#   WITHOUT_DEMO=1  install without demo data, as a company would in
#                   production (the tests build their own records)
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

ADDONS="${ADDONS:-account_dunning_advanced,account_dunning_payment,account_dunning_score,sale,account_dunning_score_sale,payment_demo,queue_job,account_dunning_queue,account_dunning_learn,spreadsheet_dashboard,account_dunning_spreadsheet_dashboard}"
TEST_PATHS="${TEST_PATHS:-account_dunning_advanced account_dunning_payment account_dunning_score account_dunning_score_sale account_dunning_queue account_dunning_score_queue account_dunning_learn account_dunning_spreadsheet_dashboard tests}"
DB="${TEST_DB:-dunning_test_$$}"

# Only the paths that hold tests (checked first, to fail before the install).
paths=()
for p in $TEST_PATHS; do
    if [ -n "$(find "$p" -name 'test_*.py' -print -quit 2>/dev/null)" ]; then
        paths+=("$p")
    fi
done
[ ${#paths[@]} -gt 0 ] || die "no test_*.py file under: $TEST_PATHS"

[ "${SKIP_INSTALL:-0}" = 1 ] || "$REPO_ROOT/setup/install.sh"
ensure_postgres
# The filestore goes into the temporary directory, so it goes away with it.
use_throwaway_db "$DB" TEST_DB

# --- install -----------------------------------------------------------------
# Odoo creates the database itself when it does not exist. Demo data is
# loaded (without_demo = False) so that our demo files are exercised too,
# unless WITHOUT_DEMO=1 (see setup/common.sh).
if [ "${WITHOUT_DEMO:-0}" = 1 ]; then demo_label="without demo data"; else demo_label="with demo data"; fi
log "Installing $ADDONS in $DB ($demo_label)"
install_log="$ODOO_TMPDIR/install.log"
rc=0
"$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i "$ADDONS" --stop-after-init \
    --log-level=warn --logfile="$install_log" || rc=$?
# Odoo may log a failed data file and still exit 0: read its log too.
error_re='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
if [ "$rc" -ne 0 ] || grep -qE "$error_re" "$install_log"; then
    echo "---- install failed (exit $rc); first errors:" >&2
    grep -E -A 25 "$error_re" "$install_log" | head -n 120 >&2 || true
    echo "---- end of the install log:" >&2
    tail -n 40 "$install_log" >&2 || true
    die "installing $ADDONS failed"
fi
log "Install OK"

# --- tests -------------------------------------------------------------------
log "pytest ${paths[*]} $*"
rc=0
"$PY" -m pytest -p no:cacheprovider --odoo-database="$DB" --odoo-config="$ODOO_CFG" \
    --odoo-http "${paths[@]}" "$@" || rc=$?
# pytest's 5 means "no tests collected": a green run that tested nothing.
[ "$rc" -ne 5 ] || die "pytest collected no tests (e.g. a -k that matches nothing)"
exit "$rc"
