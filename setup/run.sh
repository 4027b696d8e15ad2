#!/usr/bin/env bash
# Start a local demo server: a French company ("Atelier Durand SAS", Lyon)
# with the French chart of accounts, Odoo's demo data and our three addons.
# The database is created on the first run and reused afterwards.
#
# Environment (optional), besides those of setup/common.sh:
#   SKIP_INSTALL=1  do not run setup/install.sh first
#   DEMO_DB         database name (default: dunning_demo)
#   HTTP_PORT       port to serve on (default: 8069)
#   SKIP_UPDATE=1   reuse an existing database without updating our addons
#   ACCOUNTING_ADDONS  addons installed in step (c) below, before ours, with
#                   the chart of accounts (default: account, l10n_fr_account)
#   DEMO_ADDONS     addons installed in step (d) below (default: our three
#                   addons and payment_demo, the test-mode payment provider of
#                   the payment page's demo, and the Dashboards app with the
#                   Collections dashboard)
#
# The demo data itself (debtors, invoices, reminder history, the company's
# IBAN) is account_dunning_advanced's (demo/generator.py); the three Python
# scripts run here configure what only a demo server has:
# scripts/demo_company.py (French company), scripts/demo_payment.py (Odoo's
# demo payment provider) and scripts/print_demo_link.py (a debtor's payment
# page).
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

DB="${DEMO_DB:-dunning_demo}"
PORT="${HTTP_PORT:-8069}"
# Installing account for a French company would auto-install
# l10n_fr_account anyway (its manifest: countries ['fr'], auto_install):
# listed to make it explicit. The chart of accounts is loaded at the end of
# that install: our demo data needs it, hence two steps.
ACCOUNTING_ADDONS="${ACCOUNTING_ADDONS:-account,l10n_fr_account}"
# payment_demo: no addon depends on it (a test-mode provider has no place in
# production); the demo server installs it for the payment page.
DEMO_ADDONS="${DEMO_ADDONS:-account_dunning_advanced,account_dunning_payment,account_dunning_score,account_dunning_learn,payment_demo,spreadsheet_dashboard,account_dunning_spreadsheet_dashboard}"

[ "${SKIP_INSTALL:-0}" = 1 ] || "$REPO_ROOT/setup/install.sh"
ensure_postgres
# The config file must outlive this script (exec below), so this small
# temporary directory is left in place; the filestore uses Odoo's default
# data_dir, to live as long as the database.
make_odoo_tmpdir
# shellcheck disable=SC2119  # no extra config lines here
write_odoo_config

create_demo_db() {
    # (a) base only, with demo data and French loaded, so that the company
    # gets its country before `account` is installed: the chart of accounts
    # is chosen from the company's country when account is installed.
    log "Creating $DB (1/4): base + French language"
    "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i base --stop-after-init \
        --load-language=fr_FR --log-level=warn
    # (b) the main company becomes a French company, the admin a French user.
    log "Creating $DB (2/4): French main company"
    "$PY" "$REPO_ROOT/scripts/demo_company.py" -c "$ODOO_CFG" -d "$DB"
    # (c) accounting and the French chart, loaded once all the modules of
    # this step are (account does it last): before our addons, whose demo
    # data invoices with it.
    log "Creating $DB (3/4): $ACCOUNTING_ADDONS"
    "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i "$ACCOUNTING_ADDONS" --stop-after-init \
        --log-level=warn
    # (d) our addons, with their demo data (account_dunning_advanced/demo/).
    log "Creating $DB (4/4): $DEMO_ADDONS"
    "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i "$DEMO_ADDONS" --stop-after-init \
        --log-level=warn
}

# Odoo's demo payment provider (test mode: no real payment) published for the
# company on the debtor's payment page: see scripts/demo_payment.py.
prepare_payment_demo() {
    "$PY" "$REPO_ROOT/scripts/demo_payment.py" -c "$ODOO_CFG" -d "$DB"
}

# Print the payment page of the debtor who owes the most overdue, as a
# debtor would reach it from a reminder: see scripts/print_demo_link.py.
debtor_page_link() {
    "$PY" "$REPO_ROOT/scripts/print_demo_link.py" -c "$ODOO_CFG" -d "$DB" 2>/dev/null |
        grep '^DEBTOR_PAGE ' | cut -d' ' -f2- || true
}

if db_exists "$DB"; then
    log "Reusing database $DB (drop it to start afresh: dropdb $DB)"
    if [ "${SKIP_UPDATE:-0}" != 1 ]; then
        # The code may have changed since the database was made.
        log "Updating our addons in $DB (SKIP_UPDATE=1 to skip)"
        "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --stop-after-init --log-level=warn \
            -u account_dunning_advanced,account_dunning_payment,account_dunning_score
        # A database made when account_dunning_payment depended on it has
        # payment_demo; one made without it gets it now (a no-op otherwise),
        # and one made before the Collections dashboard gets the dashboard.
        "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --stop-after-init --log-level=warn \
            -i payment_demo,spreadsheet_dashboard,account_dunning_spreadsheet_dashboard
    fi
else
    # A half-made database would be reused next time: drop it on failure.
    trap 'log "Creation failed: dropping $DB"; dropdb --if-exists --force "$DB"' EXIT
    create_demo_db
    trap - EXIT
fi
log "Payment page demo (demo payment provider)"
prepare_payment_demo

page="$(debtor_page_link)"
cat <<EOF

  Odoo demo server: http://localhost:$PORT
  Login: admin / admin
  Collections: http://localhost:$PORT/odoo/action-account_dunning_advanced.dunning_action_action
EOF
if [ -n "$page" ]; then
    # "<debtor name>: /c/<code>"
    echo "  A debtor's payment page (${page%%: *}): http://localhost:$PORT${page#*: }"
fi
echo
exec "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --http-port="$PORT" --db-filter="^$DB\$"
