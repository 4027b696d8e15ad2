# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import secrets
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

# 128 bits: the link is printed on letters and sent by SMS, so it must stay
# short enough to type; 128 random bits cannot be guessed (and bad guesses
# lock the address out, see dunning.payment.token.attempt).
TOKEN_BYTES = 16
# Crockford's base 32: no I, L, O, U; read back case-insensitively, with
# O as 0 and I or L as 1, dashes and spaces ignored.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 26  # ceil(128 / 5)
TYPING_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
# ``last_used`` is written at most once per link in this window: a GET of the
# page writes nothing shared in the request's transaction (see
# ``DunningPaymentToken._dunning_mark_used``).
LAST_USED_THROTTLE = timedelta(minutes=5)


def generate_code():
    """Return a random 128-bit code in Crockford's base 32 (26 characters)."""
    number = int.from_bytes(secrets.token_bytes(TOKEN_BYTES), "big")
    digits = []
    for _i in range(CODE_LENGTH):
        number, digit = divmod(number, 32)
        digits.append(CROCKFORD[digit])
    return "".join(reversed(digits))


def group_code(code):
    """``ABCDE-FGHIJ-...``: the code as printed, easier to copy by hand."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalize_token(token):
    """The canonical form of a link token, or ``None`` when it cannot be one.

    A code (26 characters of Crockford's base 32, as typed: any case, dashes,
    O for 0, I or L for 1), or a long token of the first links
    (``secrets.token_urlsafe(32)``, kept valid until they expire).
    """
    if not token or len(token) > 100:
        return None
    code = token.upper().translate(TYPING_FIXES)
    if len(code) == CODE_LENGTH and all(char in CROCKFORD for char in code):
        return code
    if len(token) >= 40:
        return token
    return None


def hash_token(token):
    """Return the SHA-256 hex digest of ``token``: only the digest is stored."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class DunningPaymentToken(models.Model):
    """A secret link giving a debtor access to its payment page.

    The token itself (128 random bits written in Crockford's base 32, see
    :func:`generate_code`) is only shown in the messages sent to the debtor;
    the database keeps its SHA-256 digest.
    Regenerating the links of a debtor revokes every earlier token.
    """

    _name = "dunning.payment.token"
    _description = "Collections payment page link"
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    token_hash = fields.Char(required=True, index=True, readonly=True, copy=False)
    action_id = fields.Many2one(
        "dunning.action", string="Reminder", ondelete="set null", readonly=True
    )
    date_expiry = fields.Datetime(
        string="Expires on", help="Empty: valid until revoked."
    )
    revoked = fields.Boolean(readonly=True, copy=False)
    last_used = fields.Datetime(
        readonly=True,
        copy=False,
        help="The last visit of the page through this link, to within five "
        "minutes (written at most once every five minutes).",
    )

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "A link token must be unique.")
    ]

    @api.model
    def _dunning_create_token(self, partner, company, action=None):
        """Create a link for ``partner`` in ``company``; return the clear token."""
        return self._dunning_create_token_list([(partner, company, action)])[0]

    @api.model
    def _dunning_create_tokens(self, actions):
        """Create one link per action (its debtor, its company) in one
        statement; return ``{action id: clear token}``."""
        tokens = self._dunning_create_token_list(
            [(action.partner_id, action.company_id, action) for action in actions]
        )
        return dict(zip(actions.ids, tokens, strict=True))

    @api.model
    def _dunning_create_token_list(self, requests):
        """Create the links ``requests`` (``(partner, company, action or
        None)``) at once; return their clear tokens, in the same order."""
        tokens = [generate_code() for _request in requests]
        now = fields.Datetime.now()
        self.sudo().create(
            [
                {
                    "partner_id": partner.commercial_partner_id.id,
                    "company_id": company.id,
                    "token_hash": hash_token(token),
                    "action_id": action.id if action else False,
                    "date_expiry": now
                    + timedelta(days=company.dunning_payment_link_validity)
                    if company.dunning_payment_link_validity
                    else False,
                }
                for token, (partner, company, action) in zip(
                    tokens, requests, strict=True
                )
            ]
        )
        return tokens

    @api.model
    def _dunning_find(self, token):
        """Return the valid (sudoed) token record matching ``token``, or nothing."""
        token = normalize_token(token)
        if not token:
            return self.sudo().browse()
        digest = hash_token(token)
        # One query: the token's row with what the page reads of it (the
        # checks below, the debtor, the company, the reminder, the visit).
        record = self.sudo().search_fetch(
            [("token_hash", "=", digest)],
            [
                "token_hash",
                "revoked",
                "date_expiry",
                "last_used",
                "partner_id",
                "company_id",
                "action_id",
            ],
            limit=1,
        )
        if not record or not hmac.compare_digest(record.token_hash, digest):
            return self.sudo().browse()
        if record.revoked or (
            record.date_expiry and record.date_expiry < fields.Datetime.now()
        ):
            return self.sudo().browse()
        return record

    def _dunning_revoke(self):
        self.sudo().write({"revoked": True})

    def _dunning_mark_used(self):
        """Record that the link was just used: ``last_used``, throttled.

        A GET of the page must write nothing shared: many visitors (or one
        debtor's colleagues, or a proxy's prefetch) open the same link at
        once, and an ``UPDATE`` of the token's row in the request's
        transaction (REPEATABLE READ) serialized them, the losers failing on a
        serialization conflict. So:

        * nothing is written while ``last_used`` (as read by the request) is
          younger than :data:`LAST_USED_THROTTLE`: the common GET opens no
          cursor and writes nothing;
        * otherwise one statement, in a cursor of its own committed at once
          (never in the request's transaction, whose snapshot it would
          conflict with), updates the row only when it is still stale and
          not locked: ``SELECT ... FOR UPDATE SKIP LOCKED`` never waits for
          a concurrent visitor's update, and the ``WHERE`` on ``last_used``
          skips a row another visitor has just refreshed. Should a concurrent
          update commit between that cursor's snapshot and its lock, the
          serialization failure is swallowed: someone else has just written
          the same value.

        Only ``last_used`` is written (not ``write_date``/``write_uid``): it
        is a marker of visits, not a change of the link.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        if self.last_used and self.last_used > now - LAST_USED_THROTTLE:
            return False
        query = SQL(
            """
            UPDATE dunning_payment_token
               SET last_used = %(now)s
             WHERE id IN (
                SELECT id
                  FROM dunning_payment_token
                 WHERE id = %(id)s
                   AND (last_used IS NULL OR last_used < %(stale)s)
                   FOR UPDATE SKIP LOCKED)
            """,
            now=now,
            id=self.id,
            stale=now - LAST_USED_THROTTLE,
        )
        with self.env.registry.cursor() as cr:
            try:
                cr.execute(query, log_exceptions=False)
                updated = bool(cr.rowcount)
            except (
                psycopg2.errors.SerializationFailure,
                psycopg2.errors.LockNotAvailable,
            ):
                cr.rollback()
                updated = False
        if updated:
            # The request's cache still holds the old value.
            self.invalidate_recordset(["last_used"])
        return updated
