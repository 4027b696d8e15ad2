# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How many SMS a text costs: the GSM 03.38 (GSM 7-bit) alphabet.

A text written only with the GSM 7-bit basic table, and its extension table
(each extension character takes two septets), travels as 160 characters per
SMS, 153 per part once split.  A single other character (a typographic
apostrophe, a no-break space, "e" with a circumflex...) turns the whole text
into UCS-2: 70 characters per SMS, 67 per part.
"""

import math

#: GSM 03.38 basic character set.
GSM7_BASIC = set(
    "@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5"
    "\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u00c6\u00e6\u00df\u00c9"
    " !\"#\u00a4%&'()*+,-./0123456789:;<=>?"
    "\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6\u00d1\u00dc\u00a7"
    "\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0"
)
#: GSM 03.38 extension table: each character is sent as ESC + character.
GSM7_EXTENSION = set("\f^{}\\[~]|\u20ac")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def non_gsm7_chars(text):
    """Return the characters of ``text`` outside GSM 7-bit, in order, once."""
    seen = []
    for char in text or "":
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION and char not in seen:
            seen.append(char)
    return seen


def gsm7_parts(text):
    """Return ``(is_gsm7, parts)``: the encoding of ``text`` and its SMS count.

    GSM 7-bit: 160 septets in one SMS, else 153 per part; an extension
    character counts two.  Otherwise UCS-2: 70 characters in one SMS, else 67
    per part (a character outside the Basic Multilingual Plane, an emoji,
    counts two).  An empty text is one SMS.
    """
    text = text or ""
    if not non_gsm7_chars(text):
        length = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, part = GSM7_SINGLE, GSM7_PART
        is_gsm7 = True
    else:
        length = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
        single, part = UCS2_SINGLE, UCS2_PART
        is_gsm7 = False
    if length <= single:
        return is_gsm7, 1
    return is_gsm7, math.ceil(length / part)


#: Look-alike characters replaced before sending, to stay in GSM 7-bit: the
#: spaces Odoo's number formats use in French, typographic quotes, dashes.
GSM7_REPLACEMENTS = {
    "\u00a0": " ",  # no-break space (before "EUR" symbol, French ":")
    "\u202f": " ",  # narrow no-break space (French thousands separator)
    "\u2009": " ",  # thin space
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00c0": "A",  # capital A grave: not in GSM 7-bit
}


def gsm7_clean(text):
    """Return ``text`` with its look-alike characters made GSM 7-bit.

    Only typography (spaces, quotes, dashes, ellipsis, capital A grave):
    letters such as "e" with a circumflex are left alone, the text is
    rephrased instead.
    """
    return "".join(GSM7_REPLACEMENTS.get(char, char) for char in text or "")
