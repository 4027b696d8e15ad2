# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""New wording for the templates the user never edited (used by the
pre-, post- and end-migrate scripts of this folder).

Our mail and SMS templates are shipped ``noupdate``: an upgrade never
touches them, so a company keeps the wording of the release it installed.

1. pre-migrate (:func:`reload_unedited_templates`): each template whose
   every text value (in every language) is one we shipped in the past (the
   fingerprints in ``template_fingerprints.json``, built by
   ``setup/template_fingerprints.py`` from the git history) gets
   ``ir_model_data.noupdate = false`` (the mark of "to reload") and loses its
   translations other than English, so that the translations loaded after
   the data (the new ``i18n/*.po``) fill them as on a fresh install (Odoo
   only fills missing translations of a ``noupdate`` record, unless
   ``--i18n-overwrite``).
2. post-migrate (:func:`load_marked_templates`): the marked templates are
   loaded from the current XML by Odoo's own loader (Odoo 18 skips every
   existing record of a ``noupdate="1"`` block whatever its XML id says, so
   the records are loaded from a copy of them outside such a block).
3. end-migrate (:func:`restore_noupdate`): ``noupdate`` is set back.

A template with any edited value (or a changed ``auto_delete``) is left as
it is.
"""

import hashlib
import json
import logging
import re
from copy import deepcopy
from pathlib import Path

from lxml import etree

_logger = logging.getLogger(__name__)

MODULE = "account_dunning_advanced"
FINGERPRINTS = Path(__file__).with_name("template_fingerprints.json")
TABLES = {"mail.template": "mail_template", "sms.template": "sms_template"}
DATA_FILES = (
    "data/mail_template_data.xml",
    "data/mail_template_acknowledgement_data.xml",
    "data/sms_template_data.xml",
)


def normalize(value):
    """Return value with every run of white space made one space, stripped.

    Also ``<br>``/``<br/>`` and ``<t .../>``/``<t ...></t>`` spelled one way,
    so that the serialization of the XML loader and of the po export agree.
    ``setup/template_fingerprints.py`` uses this very function.
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
            {f for name in xmlids for f in prints["templates"].get(name, {})}
            & set(columns)
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
                _is_shipped(
                    row[1 + i], shipped.get(field, {}), columns[field] == "jsonb"
                )
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


def _marked(cr):
    cr.execute(
        "SELECT name FROM ir_model_data WHERE module = %s AND NOT noupdate"
        " AND model IN ('mail.template', 'sms.template')",
        (MODULE,),
    )
    return {name for (name,) in cr.fetchall()}


def load_marked_templates(env, data_files=DATA_FILES):
    """Load the marked templates from the current XML; return their XML ids."""
    from odoo.tools.convert import xml_import
    from odoo.tools.misc import file_path

    marked = _marked(env.cr)
    loaded = []
    for filename in data_files:
        path = file_path(f"{MODULE}/{filename}")
        root = etree.parse(path).getroot()
        copy = etree.Element("odoo")
        for record in root.iter("record"):
            if record.get("model") in TABLES and record.get("id") in marked:
                copy.append(deepcopy(record))
                loaded.append(record.get("id"))
        if len(copy):
            xml_import(
                env, MODULE, {}, "update", noupdate=False, xml_filename=path
            ).parse(copy)
    return loaded


def restore_noupdate(cr, prints=None):
    """Our templates are ``noupdate`` again, as the XML ships them."""
    prints = prints or load_fingerprints()
    cr.execute(
        "UPDATE ir_model_data SET noupdate = true WHERE module = %s AND name IN %s"
        " AND model IN ('mail.template', 'sms.template')",
        (MODULE, tuple(prints["current"])),
    )
