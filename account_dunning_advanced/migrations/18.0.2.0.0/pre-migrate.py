# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""New wording for the templates the user never edited.

Our mail and SMS templates are shipped ``noupdate``: an upgrade never
touches them, so a company keeps the wording of the release it installed.
Here, before the data files are loaded, each template whose every text value
(in every language) is one we shipped in the past (the fingerprints in
``template_fingerprints.json``, built by ``setup/template_fingerprints.py``
from the git history) is made updatable for this upgrade, the OpenUpgrade
way: its XML id gets ``noupdate = false`` so that Odoo reloads it from the
XML, and its translations other than English are dropped so that the
translations loaded right after the data (the new ``i18n/*.po``) fill them,
as on a fresh install (without ``--i18n-overwrite``: Odoo only fills missing
translations of a ``noupdate`` record otherwise). ``end-migrate.py`` sets
``noupdate`` back. A template with any edited value is left as it is.
"""

import hashlib
import json
import logging
import re
from pathlib import Path

_logger = logging.getLogger(__name__)

MODULE = "account_dunning_advanced"
FINGERPRINTS = Path(__file__).with_name("template_fingerprints.json")
TABLES = {"mail.template": "mail_template", "sms.template": "sms_template"}


def normalize(value):
    """Return value with every run of white space made one space, stripped.

    Also ``<br>``/``<br/>`` and ``<t .../>``/``<t ...></t>`` spelled one way,
    so that the serialization of the XML loader and of the po export agree.
    ``setup/template_fingerprints.py`` imports this very function.
    """
    value = re.sub(r"\s+", " ", value or "").strip()
    value = re.sub(r"\s*/>", ">", value)
    value = re.sub(r">\s+<", "><", value)
    return re.sub(r"<(t|br|img|hr)(\s[^>]*)?></\1>", r"<\1\2>", value)


def fingerprint(value):
    return hashlib.sha256(normalize(value).encode()).hexdigest()


def load_fingerprints():
    return json.loads(FINGERPRINTS.read_text())


def _columns(cr, table):
    cr.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = %s",
        (table,),
    )
    return dict(cr.fetchall())


def _is_shipped(stored, shipped, translated):
    """Tell whether every language of one stored field value was shipped.

    :param stored: the column value (a dict per language when translated)
    :param shipped: {lang: [sha256, ...]} of the values we shipped
    """
    if not translated:
        stored = {"en_US": stored}
    elif not stored:
        stored = {"en_US": None}
    english = set(shipped.get("en_US", ()))
    for lang, value in stored.items():
        # A language we never translated holds the English text.
        if fingerprint(value) not in english | set(shipped.get(lang, ())):
            return False
    return True


def template_states(cr, prints=None):
    """Return {xmlid: (model, res_id, unedited)} of our noupdate templates.

    Only templates still present (XML id and record), still ``noupdate`` and
    still shipped by the current XML are listed.
    """
    prints = prints or load_fingerprints()
    current = set(prints["current"])
    states = {}
    for model, table in TABLES.items():
        columns = _columns(cr, table)
        cr.execute(
            "SELECT name, res_id FROM ir_model_data"
            " WHERE module = %s AND model = %s AND noupdate",
            (MODULE, model),
        )
        xmlids = {name: res_id for name, res_id in cr.fetchall() if name in current}
        if not xmlids:
            continue
        fields = sorted(
            {f for name in xmlids for f in prints["templates"].get(name, {})} & set(columns)
        )
        selected = ", ".join(f'"{field}"' for field in fields)
        extra = ", auto_delete" if "auto_delete" in columns else ""
        cr.execute(
            f"SELECT id, {selected}{extra} FROM {table} WHERE id IN %s",  # noqa: S608
            (tuple(xmlids.values()),),
        )
        rows = {row[0]: row for row in cr.fetchall()}
        for name, res_id in xmlids.items():
            row = rows.get(res_id)
            if row is None:
                continue
            shipped = prints["templates"].get(name, {})
            unedited = bool(shipped) and all(
                _is_shipped(row[1 + i], shipped.get(field, {}), columns[field] == "jsonb")
                for i, field in enumerate(fields)
                if field in shipped
            )
            if extra and row[-1]:
                # Shipped with auto_delete False: the user changed a setting.
                unedited = False
            states[name] = (model, res_id, unedited)
    return states


def reload_unedited_templates(cr, prints=None):
    """Make the unedited templates reloadable; return their XML ids."""
    prints = prints or load_fingerprints()
    states = template_states(cr, prints)
    reloaded = []
    for name, (model, res_id, unedited) in sorted(states.items()):
        if not unedited:
            continue
        table = TABLES[model]
        translated = [c for c, t in _columns(cr, table).items() if t == "jsonb"]
        translated = [c for c in translated if c in prints["templates"][name]]
        if translated:
            assignments = ", ".join(
                f"\"{c}\" = jsonb_build_object('en_US', \"{c}\" -> 'en_US')"
                for c in translated
            )
            cr.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                (res_id,),
            )
        cr.execute(
            "UPDATE ir_model_data SET noupdate = false"
            " WHERE module = %s AND name = %s",
            (MODULE, name),
        )
        reloaded.append(name)
    kept = sorted(name for name, state in states.items() if not state[2])
    _logger.info(
        "Collections templates: %d reloaded with the new wording, %d edited kept: %s",
        len(reloaded),
        len(kept),
        ", ".join(kept) or "none",
    )
    return reloaded


def migrate(cr, version):
    if not version:
        return
    reload_unedited_templates(cr)
