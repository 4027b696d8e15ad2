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
#   DEMO_ADDONS     addons installed in step (c) below (default: accounting,
#                   the French chart, our three addons and payment_demo, the
#                   test-mode payment provider of the payment page's demo)
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

DB="${DEMO_DB:-dunning_demo}"
PORT="${HTTP_PORT:-8069}"
# Installing account for a French company would auto-install
# l10n_fr_account anyway (its manifest: countries ['fr'], auto_install):
# listed to make it explicit.
# payment_demo: no addon depends on it (a test-mode provider has no place in
# production); the demo server installs it for the payment page.
DEMO_ADDONS="${DEMO_ADDONS:-account,l10n_fr_account,account_dunning_advanced,account_dunning_payment,account_dunning_score,payment_demo}"

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
    log "Creating $DB (1/3): base + French language"
    "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i base --stop-after-init \
        --load-language=fr_FR --log-level=warn
    # (b) the main company becomes a French company, the admin a French user.
    log "Creating $DB (2/3): French main company"
    "$PY" -m odoo shell -c "$ODOO_CFG" -d "$DB" --log-level=warn <<'EOF'
eur = env.ref("base.EUR")
eur.active = True
env.ref("base.main_company").write(
    {
        "name": "Atelier Durand SAS",
        "street": "12 rue de la République",
        "zip": "69002",
        "city": "Lyon",
        "country_id": env.ref("base.fr").id,
        "currency_id": eur.id,
        "email": "contact@atelier-durand.example",
        "phone": "+33 4 78 00 00 00",
    }
)
env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
env.cr.commit()  # odoo shell rolls back at the end otherwise
EOF
    # (c) accounting (French chart) and our addons, with their demo data.
    log "Creating $DB (3/3): $DEMO_ADDONS"
    "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -i "$DEMO_ADDONS" --stop-after-init \
        --log-level=warn
}

# The debtor's payment page, ready to try: a bank account for the transfer
# block and its EPC QR code, and Odoo's demo payment provider (test mode: no
# real payment) published for the company. Once per database.
prepare_payment_demo() {
    "$PY" -m odoo shell -c "$ODOO_CFG" -d "$DB" --log-level=warn <<'EOF'
company = env.ref("base.main_company")
if "dunning.payment.token" in env and not company.partner_id.bank_ids:
    bank = env["res.bank"].create({"name": "La Banque Postale", "bic": "PSSTFRPPLYO"})
    env["res.partner.bank"].create(
        {
            "acc_number": "FR1420041010050500013M02606",
            "partner_id": company.partner_id.id,
            "bank_id": bank.id,
        }
    )
    method = env.ref("payment_demo.payment_method_demo")
    method.active = True
    env.ref("payment.payment_provider_demo").write(
        {
            "company_id": company.id,
            "state": "test",
            "is_published": True,
            "payment_method_ids": [(6, 0, method.ids)],
        }
    )
env.cr.commit()
EOF
}

# Print the payment page of the debtor who owes the most overdue, as a
# debtor would reach it from a reminder.
debtor_page_link() {
    "$PY" -m odoo shell -c "$ODOO_CFG" -d "$DB" --log-level=error 2>/dev/null <<'EOF' | grep '^DEBTOR_PAGE ' | cut -d' ' -f2- || true
from odoo import fields

if "dunning.payment.token" in env:
    from odoo.addons.account_dunning_payment.models.dunning_payment_token import (
        group_code,
    )
    company = env.ref("base.main_company")
    groups = env["account.move"]._read_group(
        [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.today()),
        ],
        ["commercial_partner_id"],
        ["amount_residual_signed:sum"],
        order="amount_residual_signed:sum desc",
        limit=1,
    )
    if groups:
        partner = groups[0][0]
        token = env["dunning.payment.token"]._dunning_create_token(partner, company)
        env.cr.commit()
        print(f"DEBTOR_PAGE {partner.name}: /c/{group_code(token)}")
EOF
}

if db_exists "$DB"; then
    log "Reusing database $DB (drop it to start afresh: dropdb $DB)"
    if [ "${SKIP_UPDATE:-0}" != 1 ]; then
        # The code may have changed since the database was made.
        log "Updating our addons in $DB (SKIP_UPDATE=1 to skip)"
        "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --stop-after-init --log-level=warn \
            -u account_dunning_advanced,account_dunning_payment,account_dunning_score
        # A database made when account_dunning_payment depended on it has
        # payment_demo; one made without it gets it now (a no-op otherwise).
        "$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --stop-after-init --log-level=warn \
            -i payment_demo
    fi
else
    # A half-made database would be reused next time: drop it on failure.
    trap 'log "Creation failed: dropping $DB"; dropdb --if-exists --force "$DB"' EXIT
    create_demo_db
    trap - EXIT
fi
log "Payment page demo (IBAN, demo payment provider)"
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
