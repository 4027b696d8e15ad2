#!/usr/bin/env python3
# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fingerprint every wording we ever shipped for our noupdate templates.

Developer tool, run from the repository root before a release that changes
the wording of a mail or SMS template shipped ``noupdate``::

    python3 setup/template_fingerprints.py [OUTPUT_JSON]

It walks the git history of the template data files and of the French
translation, and writes, per template XML id, per text field and per
language (``en_US`` from the XML and the ``msgid`` of the po file, ``fr_FR``
from its ``msgstr``), the sha256 of every value ever shipped, normalized by
:func:`normalize` of the migration script itself. The migration
``migrations/<version>/template_wording.py`` of account_dunning_advanced reads
this file to tell a template the user never edited (every stored value is
one we shipped: reload it) from one the user edited (keep it).

Default output: the migration folder of the addon's current version.
"""

import ast
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import polib
from lxml import etree

ADDON = "account_dunning_advanced"
# The text fields a user edits, per model; other fields (model, auto_delete)
# are settings.
TEXT_FIELDS = {
    "mail.template": (
        "name",
        "subject",
        "email_from",
        "lang",
        "description",
        "body_html",
    ),
    "sms.template": ("name", "lang", "body"),
}
PO_FILE = f"{ADDON}/i18n/fr.po"
PO_OCCURRENCE = re.compile(
    r"model:(mail\.template|sms\.template),(\w+):" + ADDON + r"\.(\w+)$"
)
REPO = Path(__file__).resolve().parent.parent


def _migration_script(version):
    """Load template_wording.py of the migration of version (normalize's home)."""
    path = REPO / ADDON / "migrations" / version / "template_wording.py"
    spec = importlib.util.spec_from_file_location("dunning_template_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(*args):
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout


def data_files(commit):
    """Return the data XML files of the addon at commit, from its manifest."""
    manifest = ast.literal_eval(git("show", f"{commit}:{ADDON}/__manifest__.py"))
    return [f for f in manifest.get("data", []) if f.endswith(".xml")]


def xml_values(content):
    """Yield (xmlid, field, value) of the templates in one data file.

    Values are built as odoo.tools.convert builds them: ``type="html"`` is
    the HTML serialization of the children, any other field its text; a
    text field the record does not set is shipped empty.
    """
    root = etree.fromstring(content.encode())
    for record in root.iter("record"):
        fields = TEXT_FIELDS.get(record.get("model"))
        if not fields:
            continue
        unset = set(fields)
        for field in record.iterchildren("field"):
            name = field.get("name")
            if name not in fields or field.get("ref") or field.get("eval"):
                continue
            unset.discard(name)
            if field.get("type") == "html":
                value = "".join(
                    etree.tostring(n, method="html", encoding="unicode") for n in field
                )
            else:
                value = field.text or ""
            yield record.get("id"), name, value
        for name in unset:
            yield record.get("id"), name, ""


def po_values(content):
    """Yield (xmlid, field, lang, value) of the templates in one po file."""
    for entry in polib.pofile(content):
        if entry.obsolete:
            continue
        for occurrence, _line in entry.occurrences:
            match = PO_OCCURRENCE.match(occurrence)
            if not match:
                continue
            model, name, xmlid = match.groups()
            if name not in TEXT_FIELDS[model]:
                continue
            yield xmlid, name, "en_US", entry.msgid
            if entry.msgstr:
                yield xmlid, name, "fr_FR", entry.msgstr


def current_version():
    return ast.literal_eval((REPO / ADDON / "__manifest__.py").read_text())["version"]


def main():
    version = current_version()
    output = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else REPO / ADDON / "migrations" / version / "template_fingerprints.json"
    )
    fingerprint = _migration_script(version).fingerprint
    prints = {}
    current = set()

    def add(xmlid, name, lang, value):
        langs = prints.setdefault(xmlid, {}).setdefault(name, {})
        langs.setdefault(lang, set()).add(fingerprint(value))

    commits = git("log", "--format=%H", "--", f"{ADDON}/data", PO_FILE).split()
    for commit in commits:
        for path in data_files(commit):
            try:
                content = git("show", f"{commit}:{ADDON}/{path}")
            except subprocess.CalledProcessError:
                continue
            if (
                'model="mail.template"' not in content
                and 'model="sms.template"' not in content
            ):
                continue
            for xmlid, name, value in xml_values(content):
                add(xmlid, name, "en_US", value)
                if commit == commits[0]:
                    current.add(xmlid)
        try:
            po = git("show", f"{commit}:{PO_FILE}")
        except subprocess.CalledProcessError:
            continue
        for xmlid, name, lang, value in po_values(po):
            add(xmlid, name, lang, value)
    result = {
        "commits": len(commits),
        # The templates the current XML ships (the ones an upgrade reloads).
        "current": sorted(current),
        "templates": {
            xmlid: {
                name: {lang: sorted(values) for lang, values in sorted(langs.items())}
                for name, langs in sorted(fields.items())
            }
            for xmlid, fields in sorted(prints.items())
        },
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"{output}: {len(prints)} templates from {len(commits)} commits")


if __name__ == "__main__":
    main()
