# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

MAX_FAILURES = 10
WINDOW_MINUTES = 10
# The table never holds more rows than this: the oldest go first.
MAX_ROWS = 10000


class DunningPaymentTokenAttempt(models.Model):
    """A failed access to a payment page, to slow down token guessing.

    Stored in the database so that the limit holds across workers. A failure
    is counted per client address (``ip``, as Odoo sees it: the proxy's
    ``X-Forwarded-For`` only with ``proxy_mode``) and per link tried
    (``token_digest``, the SHA-256 digest of the token, never the token).

    The lockout only ever refuses *unknown* tokens: a valid link is served
    from any address, so that guessers sharing a debtor's address (a company
    network, a mobile operator's NAT) cannot lock the debtor out. A locked
    address is no longer recorded: the table is bounded by the number of
    addresses, and by :data:`MAX_ROWS` in any case.
    """

    _name = "dunning.payment.token.attempt"
    _description = "Failed payment page access"
    _order = "id desc"
    _log_access = False

    ip = fields.Char(required=True, index=True)
    token_digest = fields.Char(index=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    @api.model
    def _dunning_window_start(self):
        return fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)

    @api.model
    def _dunning_is_locked(self, ip):
        """Whether ``ip`` failed too often lately (its unknown tokens are then
        refused without being recorded)."""
        return (
            self.sudo().search_count(
                [("ip", "=", ip or ""), ("date", ">=", self._dunning_window_start())],
                limit=MAX_FAILURES,
            )
            >= MAX_FAILURES
        )

    @api.model
    def _dunning_link_failures(self, token_digest):
        """The recent failures on one link (a revoked or expired one)."""
        return self.sudo().search_count(
            [
                ("token_digest", "=", token_digest),
                ("date", ">=", self._dunning_window_start()),
            ]
        )

    @api.model
    def _dunning_log_failure(self, ip, token_digest=None):
        """Record a failure of ``ip``, unless the address is already locked;
        prune the old rows and keep the table under :data:`MAX_ROWS`."""
        if self._dunning_is_locked(ip):
            return self.browse()
        self._dunning_prune()
        return self.sudo().create({"ip": ip or "", "token_digest": token_digest})

    @api.model
    def _dunning_prune(self, max_rows=MAX_ROWS):
        """Delete the rows out of the window, then the oldest beyond ``max_rows``."""
        table = SQL.identifier(self._table)
        self.env.cr.execute(
            SQL("DELETE FROM %s WHERE date < %s", table, self._dunning_window_start())
        )
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE id <= (SELECT id FROM %s ORDER BY id DESC "
                "OFFSET %s LIMIT 1)",
                table,
                table,
                max(max_rows - 1, 0),
            )
        )
        self.invalidate_model()

    @api.autovacuum
    def _gc_attempts(self):
        self._dunning_prune()
