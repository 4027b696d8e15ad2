#!/usr/bin/env bash
# Check that an upgrade keeps every record: install a previous release (a git
# ref, default 86b895d) with demo data and French in a throw-away database,
# snapshot it (record counts and a sample of values per model, a payment link,
# an edited template), upgrade it with the current code (-u), snapshot again,
# serve it and open the link, then print the comparison. Exits non-zero when
# records are lost, a sample differs, the link is broken, a removed model left
# rows in ir_model, or a template got the wrong wording.
#
#   setup/upgrade-check.sh [PREVIOUS_REF]
#
# Environment (optional), besides those of setup/common.sh:
#   UPGRADE_DB          database name (default: dunning_upgrade_<pid>)
#   UPGRADE_CHECK_PORT  HTTP port of the upgraded instance (default: 8099)
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"

PREVIOUS="${1:-86b895d}"
DB="${UPGRADE_DB:-dunning_upgrade_$$}"
PORT="${UPGRADE_CHECK_PORT:-8099}"
OURS="account_dunning_advanced,account_dunning_payment,account_dunning_score,account_dunning_score_sale"
ADDONS="account_dunning_advanced,account_dunning_payment,account_dunning_score,sale,account_dunning_score_sale,payment_demo"

git rev-parse --verify -q "$PREVIOUS^{commit}" >/dev/null || die "unknown git ref: $PREVIOUS"
ensure_postgres
use_throwaway_db "$DB" UPGRADE_DB

# --- the previous release, from git --------------------------------------------
OLD_TREE="$ODOO_TMPDIR/previous"
mkdir -p "$OLD_TREE"
git archive "$PREVIOUS" | tar -x -C "$OLD_TREE"
OLD_CFG="$ODOO_TMPDIR/previous.conf"
sed "s#^addons_path = $REPO_ROOT,#addons_path = $OLD_TREE,#" "$ODOO_CFG" >"$OLD_CFG"
grep -q "^addons_path = $OLD_TREE," "$OLD_CFG" || die "cannot point the addons path at $OLD_TREE"

log "Installing $PREVIOUS ($(git log -1 --format=%s "$PREVIOUS" | cut -c1-60)) in $DB, with demo data and French"
"$PY" -m odoo -c "$OLD_CFG" -d "$DB" -i "$ADDONS" --load-language=fr_FR \
    --stop-after-init --log-level=warn >"$ODOO_TMPDIR/install.log" 2>&1 ||
    { tail -n 40 "$ODOO_TMPDIR/install.log"; die "install of $PREVIOUS failed"; }

log "Snapshot before (link created, template edited)"
"$PY" setup/upgrade_snapshot.py before -c "$OLD_CFG" -d "$DB" -o "$ODOO_TMPDIR/before.json"

# --- the upgrade ------------------------------------------------------------------
log "Upgrading $DB with the current code ($(git rev-parse --short HEAD))"
"$PY" -m odoo -c "$ODOO_CFG" -d "$DB" -u "$OURS" --stop-after-init --log-level=info \
    >"$ODOO_TMPDIR/upgrade.log" 2>&1 ||
    { tail -n 40 "$ODOO_TMPDIR/upgrade.log"; die "upgrade failed"; }
grep -E " (WARNING|ERROR|CRITICAL) |Collections templates: |dunning.demo" "$ODOO_TMPDIR/upgrade.log" | cut -c1-300 || true

log "Snapshot after"
"$PY" setup/upgrade_snapshot.py after -c "$ODOO_CFG" -d "$DB" -o "$ODOO_TMPDIR/after.json" \
    --before "$ODOO_TMPDIR/before.json"

# --- the link sent before the upgrade, on a served instance -------------------------
code="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"]["code"])' \
    "$ODOO_TMPDIR/before.json")"
"$PY" -m odoo -c "$ODOO_CFG" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --log-level=warn >"$ODOO_TMPDIR/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/web/health" 2>/dev/null && break
    sleep 1
done
short="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/c/$code")"
page="$(curl -s -L -o "$ODOO_TMPDIR/page.html" -w '%{http_code}' "http://127.0.0.1:$PORT/c/$code")"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
link_ok=0
if [ "$short" = 303 ] && [ "$page" = 200 ] && grep -q 'collections' "$ODOO_TMPDIR/page.html"; then
    link_ok=1
fi
echo "GET /c/<code of a link sent before>: $short, page after redirect: $page"

# --- the verdict --------------------------------------------------------------------
rc=0
"$PY" setup/upgrade_snapshot.py compare "$ODOO_TMPDIR/before.json" "$ODOO_TMPDIR/after.json" || rc=$?
if [ "$link_ok" != 1 ]; then
    echo "FAIL the payment page of a link sent before the upgrade is not served"
    rc=1
fi
exit "$rc"
