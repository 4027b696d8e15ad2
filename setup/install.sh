#!/usr/bin/env bash
# Install what the project needs on Debian 12; safe to run again (a second
# run installs nothing and only checks).
#
# Environment (optional): ODOO_PYTHON (see setup/common.sh),
#   ODOO_PIP_SPEC     pip requirement to install Odoo 18.0 with, when
#                     `import odoo` fails (e.g. a path to an Odoo source tree)
#   ODOO_NIGHTLY_URL  Odoo 18.0 source tarball tried when ODOO_PIP_SPEC is unset
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# A dated nightly, not "latest": the same sources on every machine.
ODOO_NIGHTLY_URL="${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.20250506.tar.gz}"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

# --- Debian packages ---------------------------------------------------------
# postgresql*: the database; libpq-dev, build-essential, python3-dev,
# libldap2-dev, libsasl2-dev: to build psycopg2/python-ldap when pip has no
# wheel; wkhtmltopdf: PDF reports; chromium: Odoo's browser (tour) tests;
# fonts-dejavu-core: fonts for the PDFs.
APT_PACKAGES=(postgresql postgresql-contrib libpq-dev build-essential python3-dev
    libldap2-dev libsasl2-dev wkhtmltopdf poppler-utils chromium fonts-dejavu-core)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    # "install ok installed" only: a removed package keeps a dpkg entry.
    dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "run as root to install: ${missing[*]}"
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "Debian packages: all present"
fi

# --- Python packages ---------------------------------------------------------
# Our requirements are ranges around Odoo 18's own pins: with Odoo already
# installed, this changes nothing.
log "pip install -r requirements.txt"
"$PY" -m pip install -q -r "$REPO_ROOT/requirements.txt"

# --- Odoo 18.0 ---------------------------------------------------------------
odoo_installed() {
    "$PY" -c 'import importlib.util, sys; sys.exit(not importlib.util.find_spec("odoo"))'
}
odoo_version() {
    "$PY" -c 'import odoo.release; print(odoo.release.version_info[:2])'
}

# Old sdists among Odoo's pins do not build with setuptools >= 81; the
# PIP_CONSTRAINT variable also reaches pip's isolated build environments.
pip_install_with_constraints() {
    echo 'setuptools<81' >"$INSTALL_TMP/constraints.txt"
    PIP_CONSTRAINT="$INSTALL_TMP/constraints.txt" "$PY" -m pip install -q "$@"
}

download() {  # url dest; Python rather than curl: $PY is there anyway
    "$PY" "$REPO_ROOT/setup/download.py" "$1" "$2"
}

install_odoo() {
    if [ -n "${ODOO_PIP_SPEC:-}" ]; then
        log "Installing Odoo: pip install $ODOO_PIP_SPEC"
        pip_install_with_constraints "$ODOO_PIP_SPEC"
        return
    fi
    log "Downloading $ODOO_NIGHTLY_URL"
    download "$ODOO_NIGHTLY_URL" "$INSTALL_TMP/odoo.tar.gz" || return 1
    tar -xzf "$INSTALL_TMP/odoo.tar.gz" -C "$INSTALL_TMP" || return 1
    local src
    src="$(find "$INSTALL_TMP" -mindepth 2 -maxdepth 2 -name requirements.txt -printf '%h\n' | head -n 1)"
    [ -n "$src" ] || return 1
    # Odoo's pin cbor2==5.4.2 does not build on this platform; 5.6.2 does.
    sed -e 's/^cbor2==5\.4\.2\b/cbor2==5.6.2/' "$src/requirements.txt" >"$INSTALL_TMP/odoo-req.txt"
    log "Installing Odoo's pinned requirements"
    pip_install_with_constraints -r "$INSTALL_TMP/odoo-req.txt" || return 1
    log "Installing Odoo from $src"
    pip_install_with_constraints "$src"
}

if ! odoo_installed; then
    log "Odoo is not importable by $PY: installing it"
    INSTALL_TMP="$(mktemp -d -t dunning-install.XXXXXX)"
    trap 'rm -rf "$INSTALL_TMP"' EXIT
    if ! install_odoo || ! odoo_installed; then
        die "Odoo 18.0 must be importable by $PY. Either install it yourself
(e.g. '$PY -m pip install /path/to/odoo-18.0-source-tree', after installing
its requirements.txt), or set ODOO_PIP_SPEC to a pip requirement spec for
Odoo 18.0, then run setup/install.sh again."
    fi
fi
version="$(odoo_version)" || die "$PY finds Odoo but cannot import it (error above)"
[ "$version" = "(18, 0)" ] || die "$PY imports Odoo $version, but this project needs 18.0"
log "Odoo: $version with $PY"
log "install.sh: done"
