# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models

MAX_FAILURES = 10
WINDOW_MINUTES = 10


class DunningPaymentTokenAttempt(models.Model):
    """A failed access to a payment page, to lock out token guessing.

    Stored in the database so that the limit holds across workers.
    """

    _name = "dunning.payment.token.attempt"
    _description = "Failed payment page access"
    _order = "id desc"
    _log_access = False

    ip = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    @api.model
    def _dunning_is_locked(self, ip):
        since = fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)
        return (
            self.sudo().search_count(
                [("ip", "=", ip or ""), ("date", ">=", since)], limit=MAX_FAILURES
            )
            >= MAX_FAILURES
        )

    @api.model
    def _dunning_log_failure(self, ip):
        self.sudo().create({"ip": ip or ""})

    @api.autovacuum
    def _gc_attempts(self):
        since = fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)
        self.sudo().search([("date", "<", since)]).unlink()
