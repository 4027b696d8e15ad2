#!/usr/bin/env python3
# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Snapshots of a database before and after an upgrade, and their comparison.

Used by setup/upgrade-check.sh::

    upgrade_snapshot.py before -c CFG -d DB -o BEFORE.json
    upgrade_snapshot.py after -c CFG -d DB -o AFTER.json --before BEFORE.json
    upgrade_snapshot.py compare BEFORE.json AFTER.json

``before`` also creates a payment link (its clear code is kept in the
snapshot: the database only stores its digest) and edits the body of one
template (a marker the upgrade must keep). ``after`` resolves that link,
lists the models of ours left in ``ir_model`` without code, and reads the
wording of the templates. ``compare`` prints a table (model, records before,
after, same sample?) and exits 1 when records are lost, a sample differs, the
link no longer resolves, a leftover model remains, an edited template lost
its text or an unedited one did not get the current wording.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

SAMPLE = 50
OURS = "account_dunning"
EDITED_TEMPLATE = "account_dunning_advanced.mail_template_dunning_first"
EDIT_MARKER = "<p>Edited by the user before the upgrade.</p>"
EXTRA_MODELS = ("account.move", "account.move.line", "res.partner", "res.company")
# Stored values an upgrade may legitimately change: bookkeeping of the ORM.
IGNORED_FIELDS = {"write_date", "write_uid", "__last_update"}
REPO = Path(__file__).resolve().parent.parent


def _env(config, database):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", config, "-d", database])
    registry = Registry(database)
    cr = registry.cursor()
    return cr, odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def _digest(value):
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str).encode()
    ).hexdigest()


def _models(env):
    """Our stored models, plus the standard ones we extend (our fields only)."""
    names = sorted(
        name
        for name, model in env.registry.items()
        if name.startswith("dunning.") and not model._abstract and not model._transient
    )
    return names + [name for name in EXTRA_MODELS if name in env]


def _fields(model, ours_only):
    result = []
    for name, field in model._fields.items():
        if (
            not field.store
            or field.type in ("one2many", "binary")
            or name in IGNORED_FIELDS
        ):
            continue
        if ours_only and not (field._module or "").startswith(OURS):
            continue
        result.append(name)
    return sorted(result)


def _model_snapshot(env, name):
    model = env[name].with_context(active_test=False)
    ours_only = not name.startswith("dunning.")
    fields = _fields(model, ours_only)
    count = model.search_count([])
    records = model.search([], order="id", limit=SAMPLE)
    rows = (
        records.read(fields, load=None) if fields else [{"id": i} for i in records.ids]
    )
    return {
        "count": count,
        "sql_view": not model._auto,
        "ids": records.ids,
        # Per field, per record: the records created by the upgrade (new
        # data) do not make the records that were there differ.
        "fields": {
            field: {str(row["id"]): _digest(row[field])[:16] for row in rows}
            for field in fields
        },
    }


def _templates(env):
    """The en/fr digests of our templates' texts, and the edited marker."""
    result = {}
    installed = {code for code, _name in env["res.lang"].get_installed()}
    langs = sorted(installed | {"en_US"})
    for model in ("mail.template", "sms.template"):
        field = "body_html" if model == "mail.template" else "body"
        data = env["ir.model.data"].search(
            [("module", "like", OURS), ("model", "=", model)]
        )
        for xmlid in data:
            record = env[model].browse(xmlid.res_id).exists()
            if not record:
                continue
            key = f"{xmlid.module}.{xmlid.name}"
            result[key] = {
                lang: {
                    "body": record.with_context(lang=lang)[field] or "",
                    "subject": record.with_context(lang=lang)["name"] or "",
                }
                for lang in langs
            }
    return result


def before(args):
    cr, env = _env(args.config, args.database)
    with cr:
        template = env.ref(EDITED_TEMPLATE)
        template.body_html = f"{template.body_html}{EDIT_MARKER}"
        partner = (
            env["account.move"]
            .search(
                [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
                order="id",
                limit=1,
            )
            .commercial_partner_id
        )
        code = env["dunning.payment.token"]._dunning_create_token(partner, env.company)
        snapshot = {
            "models": {name: _model_snapshot(env, name) for name in _models(env)},
            "token": {"code": code, "partner_id": partner.id},
            "templates": _templates(env),
        }
        cr.commit()
    Path(args.output).write_text(json.dumps(snapshot, indent=1, sort_keys=True))


def _expected_wording():
    """{xmlid: {lang: normalized body}} of the current XML and fr.po."""
    import polib

    sys.path.insert(0, str(REPO / "setup"))
    import template_fingerprints as prints

    migration = prints._migration_script(prints.current_version())
    addon = REPO / prints.ADDON
    expected = {}
    for path in sorted((addon / "data").glob("*template*.xml")):
        for xmlid, name, value in prints.xml_values(path.read_text()):
            if name in ("body_html", "body"):
                expected.setdefault(f"{prints.ADDON}.{xmlid}", {})["en_US"] = value
    french = {}
    for entry in polib.pofile(str(addon / "i18n" / "fr.po")):
        for occurrence, _line in entry.occurrences:
            match = prints.PO_OCCURRENCE.match(occurrence)
            if match and match.group(2) in ("body_html", "body") and entry.msgstr:
                french[(f"{prints.ADDON}.{match.group(3)}", entry.msgid)] = entry.msgstr
    for xmlid, langs in expected.items():
        english = langs["en_US"]
        for (key, msgid), msgstr in french.items():
            if key == xmlid and migration.normalize(msgid) == migration.normalize(
                english
            ):
                langs["fr_FR"] = msgstr
    return expected, migration.normalize


def after(args):
    before_snapshot = json.loads(Path(args.before).read_text())
    cr, env = _env(args.config, args.database)
    with cr:
        token = env["dunning.payment.token"]._dunning_find(
            before_snapshot["token"]["code"]
        )
        env.cr.execute(
            "SELECT model FROM ir_model WHERE model LIKE 'dunning.%%' ORDER BY model"
        )
        leftovers = [name for (name,) in env.cr.fetchall() if name not in env]
        snapshot = {
            "models": {name: _model_snapshot(env, name) for name in _models(env)},
            "token": {"partner_id": token.partner_id.id},
            "leftover_models": leftovers,
            "templates": _templates(env),
        }
        expected, normalize = _expected_wording()
        checks = {}
        langs = {"en_US"} | {code for code, _name in env["res.lang"].get_installed()}
        for xmlid, values in snapshot["templates"].items():
            stored = {
                lang: normalize(v["body"])
                for lang, v in values.items()
                if lang in langs
            }
            if xmlid == EDITED_TEMPLATE:
                checks[xmlid] = (
                    "kept" if EDIT_MARKER in values["en_US"]["body"] else "LOST EDIT"
                )
                continue
            wanted = expected.get(xmlid, {})
            wrong = [
                lang
                for lang, text in wanted.items()
                if lang in stored and stored[lang] != normalize(text)
            ]
            checks[xmlid] = "current" if not wrong else "OLD " + ",".join(sorted(wrong))
            if "fr_FR" in langs and "fr_FR" in wanted and "fr_FR" not in wrong:
                checks[xmlid] += " (en, fr)"
            elif "fr_FR" in langs and not wrong:
                checks[xmlid] += " (en; fr.po has no translation of this body)"
        snapshot["template_checks"] = checks
    Path(args.output).write_text(json.dumps(snapshot, indent=1, sort_keys=True))


def compare(args):
    first = json.loads(Path(args.before).read_text())
    second = json.loads(Path(args.after).read_text())
    failures = []
    print(f"{'model':40} {'before':>8} {'after':>8}  same sample?")
    for name in sorted(set(first["models"]) | set(second["models"])):
        old, new = first["models"].get(name), second["models"].get(name)
        if not new:
            print(f"{name:40} {old['count']:>8} {'gone':>8}  -")
            if old["count"]:
                failures.append(f"{name}: model gone with {old['count']} records")
            continue
        if not old:
            print(f"{name:40} {'new':>8} {new['count']:>8}  -")
            continue
        common = sorted(set(old["fields"]) & set(new["fields"]))
        same_ids = set(old["ids"]) <= set(new["ids"])
        kept = [str(i) for i in old["ids"] if i in set(new["ids"])]
        differ = [
            f
            for f in common
            if any(old["fields"][f][i] != new["fields"][f][i] for i in kept)
        ]
        verdict = (
            "yes"
            if same_ids and not differ
            else "NO " + ",".join((["ids"] if not same_ids else []) + differ)
        )
        if new["sql_view"] and verdict != "yes":
            verdict += " (SQL view: recomputed)"
        print(f"{name:40} {old['count']:>8} {new['count']:>8}  {verdict}")
        if new["count"] < old["count"] and not new["sql_view"]:
            failures.append(f"{name}: {old['count'] - new['count']} records lost")
        if verdict != "yes" and not new["sql_view"]:
            failures.append(f"{name}: sample differs ({verdict})")
    token_ok = first["token"]["partner_id"] == second["token"]["partner_id"]
    link = "resolves to the same debtor" if token_ok else "BROKEN"
    print(f"payment link created before the upgrade: {link}")
    if not token_ok:
        failures.append("payment link no longer resolves")
    leftovers = ", ".join(second["leftover_models"]) or "none"
    print(f"models left in ir_model without code: {leftovers}")
    if second["leftover_models"]:
        failures.append("leftover models")
    for xmlid, check in sorted(second["template_checks"].items()):
        print(f"template {xmlid}: {check}")
        if check != "kept" and not check.startswith("current"):
            failures.append(f"{xmlid}: {check}")
    for failure in failures:
        print(f"FAIL {failure}")
    print("upgrade check: " + ("FAILED" if failures else "OK"))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("before", "after"):
        command = sub.add_parser(name)
        command.add_argument("-c", "--config", required=True)
        command.add_argument("-d", "--database", required=True)
        command.add_argument("-o", "--output", required=True)
        if name == "after":
            command.add_argument("--before", required=True)
    command = sub.add_parser("compare")
    command.add_argument("before")
    command.add_argument("after")
    args = parser.parse_args()
    if args.command == "compare":
        return compare(args)
    (before if args.command == "before" else after)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
