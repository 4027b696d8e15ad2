# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""BODACC announcements of insolvency proceedings, free of Odoo.

Reads the open-data export of the BODACC (Bulletin officiel des annonces
civiles et commerciales, dataset ``annonces-commerciales`` published by the
DILA) as downloaded by the user: CSV (``;`` or ``,`` separated) or JSON (a
list of records, an Opendatasoft API answer ``{"results": [...]}``, or the
older ``[{"fields": {...}}]``). Only the announcements of the family
"Procédures collectives" whose judgment opens a safeguard, a receivership or a
liquidation become :class:`Announcement`; the others are counted as ignored.

Fields read: ``registre`` (SIREN, a list or a comma-separated text, with or
without spaces), ``familleavis``/``familleavis_lib``, ``dateparution``,
``tribunal``, ``commercant``, ``numeroannonce``/``id`` and ``jugement`` (a
JSON text or object with ``nature``, ``date`` and ``complementJugement``,
which names the court-appointed representative).
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

SAFEGUARD = "safeguard"
RECEIVERSHIP = "receivership"
LIQUIDATION = "liquidation"

#: Words of the judgment's nature, most specific first.
NATURES = (
    ("sauvegarde", SAFEGUARD),
    ("redressement", RECEIVERSHIP),
    ("liquidation", LIQUIDATION),
)
#: Judgments that do not open proceedings (plan, closure, conversion aside).
NOT_OPENING = ("clôture", "cloture", "plan de", "modification", "rapport", "infirm")
REPRESENTATIVE = re.compile(
    r"(?:mandataire judiciaire|liquidateur(?: judiciaire)?|administrateur judiciaire)"
    r"\s*:?\s*(?P<name>[^,;.]+)",
    re.IGNORECASE,
)


class BodaccError(ValueError):
    """The file cannot be read as a BODACC export."""


@dataclass(frozen=True)
class Announcement:
    """An opening judgment published in the BODACC."""

    sirens: tuple
    kind: str
    judgment_date: date
    publication_date: date = None
    court: str = ""
    name: str = ""
    reference: str = ""
    representative: str = ""


def siren(value):
    """Return the SIREN (9 digits) of a SIREN or SIRET, or None."""
    digits = re.sub(r"\D", "", value or "")
    return digits[:9] if len(digits) >= 9 else None


def _date(value):
    if not value:
        return None
    text = str(value).strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _records(content):
    """Return the records (dicts) of a CSV or JSON export."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("latin-1")
    text = content.strip()
    if not text:
        raise BodaccError("empty file")
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise BodaccError(f"invalid JSON: {error}") from error
        if isinstance(data, dict):
            data = data.get("results") or data.get("records") or [data]
        if not isinstance(data, list):
            raise BodaccError("a JSON list of announcements is expected")
        return [
            (item.get("fields") or item.get("record", {}).get("fields") or item)
            if isinstance(item, dict)
            else {}
            for item in data
        ]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "registre" not in reader.fieldnames:
        raise BodaccError("no column 'registre' (SIREN): not a BODACC export")
    return list(reader)


def _registre(value):
    if isinstance(value, list):
        values = value
    else:
        values = str(value or "").split(",")
    return tuple(dict.fromkeys(filter(None, (siren(item) for item in values))))


def _judgment(value):
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _kind(nature):
    text = (nature or "").lower()
    if not text or any(word in text for word in NOT_OPENING):
        return None
    if "ouverture" not in text and "prononçant" not in text:
        return None
    for word, kind in NATURES:
        if word in text:
            return kind
    return None


def parse(content):
    """Return ``(announcements, ignored)`` of a BODACC export.

    ``ignored``: the number of records that are not an opening judgment of
    insolvency proceedings (other families, closures, plans) or lack a SIREN
    or a judgment date. Raises :class:`BodaccError` on a file that is not a
    BODACC export.
    """
    announcements = []
    ignored = 0
    for record in _records(content):
        family = " ".join(
            str(record.get(key) or "") for key in ("familleavis", "familleavis_lib")
        ).lower()
        judgment = _judgment(record.get("jugement"))
        kind = _kind(judgment.get("nature"))
        sirens = _registre(record.get("registre"))
        judgment_date = _date(judgment.get("date"))
        if "collective" not in family or not kind or not sirens or not judgment_date:
            ignored += 1
            continue
        found = REPRESENTATIVE.search(judgment.get("complementJugement") or "")
        announcements.append(
            Announcement(
                sirens=sirens,
                kind=kind,
                judgment_date=judgment_date,
                publication_date=_date(record.get("dateparution")),
                court=str(record.get("tribunal") or "").strip(),
                name=str(record.get("commercant") or "").strip(),
                reference=str(
                    record.get("id") or record.get("numeroannonce") or ""
                ).strip(),
                representative=found.group("name").strip() if found else "",
            )
        )
    return announcements, ignored
