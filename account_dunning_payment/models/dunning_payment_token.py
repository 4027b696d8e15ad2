# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models

TOKEN_BYTES = 32


def hash_token(token):
    """Return the SHA-256 hex digest of ``token``: only the digest is stored."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class DunningPaymentToken(models.Model):
    """A secret link giving a debtor access to its payment page.

    The token itself (``secrets.token_urlsafe``, 32 bytes) is only shown in
    the messages sent to the debtor; the database keeps its SHA-256 digest.
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
    last_used = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "A link token must be unique.")
    ]

    @api.model
    def _dunning_create_token(self, partner, company, action=None):
        """Create a link for ``partner`` in ``company``; return the clear token."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        validity = company.dunning_payment_link_validity
        self.sudo().create(
            {
                "partner_id": partner.commercial_partner_id.id,
                "company_id": company.id,
                "token_hash": hash_token(token),
                "action_id": action.id if action else False,
                "date_expiry": fields.Datetime.now() + timedelta(days=validity)
                if validity
                else False,
            }
        )
        return token

    @api.model
    def _dunning_find(self, token):
        """Return the valid (sudoed) token record matching ``token``, or nothing."""
        if not token or len(token) < 40 or len(token) > 100:
            return self.sudo().browse()
        digest = hash_token(token)
        record = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if not record or not hmac.compare_digest(record.token_hash, digest):
            return self.sudo().browse()
        if record.revoked or (
            record.date_expiry and record.date_expiry < fields.Datetime.now()
        ):
            return self.sudo().browse()
        return record

    def _dunning_revoke(self):
        self.sudo().write({"revoked": True})
