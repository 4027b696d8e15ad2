# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read the ``Authentication-Results`` header of an incoming e-mail (RFC 8601).

Plain Python, no Odoo. The receiving mail server writes this header after
checking the message (DKIM signature, SPF record). Anybody can write such a
header into the message they send, so only the header(s) added by our own
receiving server can be believed: the topmost one (the last added), or, when
the administrator names the authserv-id of the server, the topmost one with
that id. The server must also strip the headers the sender forged (see the
module's CONFIGURE).
"""

import re
from dataclasses import dataclass, field

_EQUAL = re.compile(r"\s*=\s*")


@dataclass
class AuthResult:
    """One ``method=result property=value ...`` of the header."""

    method: str
    result: str
    properties: dict = field(default_factory=dict)


@dataclass
class AuthHeader:
    """A parsed header: the id of the server that wrote it and its results."""

    authserv_id: str
    results: list = field(default_factory=list)
    raw: str = ""


def _split(value):
    """Return the ``;``-separated parts of value, comments removed.

    Comments are (possibly nested) parentheses outside quoted strings;
    a ``;`` inside a quoted string or a comment does not separate.
    """
    parts, current, depth, quoted, escaped = [], [], 0, False, False
    for char in value:
        if escaped:
            if not depth:
                current.append(char)
            escaped = False
        elif char == "\\" and (quoted or depth):
            escaped = True
            if not depth:
                current.append(char)
        elif quoted:
            current.append(char)
            if char == '"':
                quoted = False
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth:
            continue
        elif char == '"':
            quoted = True
            current.append(char)
        elif char == ";":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


def parse(value):
    """Parse the value of one Authentication-Results header.

    :return: an :class:`AuthHeader`; its authserv_id is empty when the server
        wrote none (some do, against the RFC). Unreadable parts are skipped.
    """
    raw = " ".join(str(value or "").split())
    parts = _split(raw)
    header = AuthHeader(authserv_id="", raw=raw)
    if parts and "=" not in parts[0]:
        # "mx.example.com" or "mx.example.com 1" (a version).
        header.authserv_id = parts.pop(0).split()[0].lower()
    for part in parts:
        tokens = _EQUAL.sub("=", part).split()
        if not tokens or "=" not in tokens[0]:
            continue  # "none", or garbage
        method, result = tokens[0].split("=", 1)
        properties = {}
        for token in tokens[1:]:
            if "=" in token:
                key, prop = token.split("=", 1)
                properties[key.lower()] = _unquote(prop)
        header.results.append(
            AuthResult(
                method=method.split("/")[0].lower(),
                result=_unquote(result).lower(),
                properties=properties,
            )
        )
    return header


def select(headers, authserv_id=None):
    """Return the header to believe among headers (topmost first), or None.

    :param authserv_id: the id our receiving server writes; when given, the
        topmost header with this id, else the topmost header.
    """
    for value in headers or ():
        header = parse(value)
        if not authserv_id or header.authserv_id == authserv_id.strip().lower():
            return header
    return None


def _domain(address):
    """The domain of an address, of "@domain" or of a bare domain, lowercased."""
    return (address or "").rsplit("@", 1)[-1].strip().strip(".").lower()


def is_authenticated(header, sender):
    """Whether header says the sender's domain passed DKIM or SPF.

    DKIM passes for the domain of the From address when the signing domain
    (``header.d``, or the domain of ``header.i``) is exactly that domain; SPF
    when the envelope sender (``smtp.mailfrom``) is in that domain. A pass for
    any other domain proves nothing about the From address.
    """
    if not header or not sender or "@" not in sender:
        return False
    domain = _domain(sender)
    if not domain:
        return False
    for result in header.results:
        if result.result != "pass":
            continue
        props = result.properties
        if result.method == "dkim":
            signers = {props.get("header.d"), props.get("header.i")} - {None, ""}
            if any(_domain(signer) == domain for signer in signers):
                return True
        elif result.method == "spf" and props.get("smtp.mailfrom"):
            if _domain(props["smtp.mailfrom"]) == domain:
                return True
    return False


def sender_authenticated(headers, sender, authserv_id=None):
    """Shorthand: select the header to believe, check the sender with it."""
    return is_authenticated(select(headers, authserv_id), sender)
