# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Classify an incoming e-mail and find the date or invoices it names.

Plain Python, no Odoo: the rules (class, regular expression) come from the
database, the text from the mail gateway.
"""

import re
from datetime import date

MONTHS = {
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5,
    "juin": 6, "juillet": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
}  # fmt: skip

NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
# "vendredi 12": the next 12th of a month.
WEEKDAY_DATE = re.compile(
    r"\b(?:%s)\s+(\d{1,2})\b(?!\s*[/.-])" % WEEKDAYS, re.IGNORECASE
)
WORD_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(%s)(?:\s+(\d{4}))?\b" % "|".join(MONTHS), re.IGNORECASE
)


def classify(text, rules):
    """Return the first matching rule of rules for text, or None.

    :param rules: iterable of (key, pattern), in order of priority;
        patterns are regular expressions, matched case-insensitively.
    """
    for key, pattern in rules:
        try:
            if re.search(pattern, text or "", re.IGNORECASE):
                return key
        except re.error:
            continue
    return None


def _make(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text, today):
    """Return the first future-looking date written in text, or None.

    Understands 12/03/2026, 12/03 (this year, or next if already past),
    2026-03-12, "12 mars" / "12 March 2026" and "vendredi 12" (the next 12th).
    Day first, as in French.
    """
    text = text or ""
    candidates = []
    for match in ISO_DATE.finditer(text):
        candidates.append((match.start(), _make(*map(int, match.groups()))))
    for match in NUMERIC_DATE.finditer(text):
        day, month, year = match.groups()
        year = int(year) if year else today.year
        if year < 100:
            year += 2000
        found = _make(year, int(month), int(day))
        if found and not match.group(3) and found < today:
            found = _make(year + 1, int(month), int(day))
        candidates.append((match.start(), found))
    for match in WORD_DATE.finditer(text):
        day, month, year = match.groups()
        month = MONTHS[month.lower()]
        year = int(year) if year else today.year
        found = _make(year, month, int(day))
        if found and not match.group(3) and found < today:
            found = _make(year + 1, month, int(day))
        candidates.append((match.start(), found))
    for match in WEEKDAY_DATE.finditer(text):
        if any(pos == match.start() for pos, _found in candidates):
            continue
        day = int(match.group(1))
        year, month = today.year, today.month
        found = _make(year, month, day)
        if not found or found < today:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            found = _make(year, month, day)
        candidates.append((match.start(), found))
    dated = sorted((pos, found) for pos, found in candidates if found)
    return dated[0][1] if dated else None


def find_references(text, references):
    """Return the references (e.g. invoice numbers) written in text.

    Matching ignores case and the separators people retype differently
    ("FAC/2026/0012", "FAC-2026-0012", "fac 2026 0012").
    """

    def squash(value):
        return re.sub(r"[^0-9a-z]", "", value.lower())

    haystack = squash(text or "")
    return [ref for ref in references if ref and squash(ref) in haystack]
