# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

import werkzeug.exceptions

from odoo import api, models, tools
from odoo.tools.image import image_data_uri


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _dunning_qr_code_base64(
        self, amount, free_communication, structured_communication, currency, debtor
    ):
        """The EPC (SEPA) QR code to pay ``amount`` to this account, as a
        ``data:`` URI, or ``None`` when none can be built (see
        ``build_qr_code_base64``, whose checks and payload it reuses).

        The image is rendered once per payload (see :meth:`_dunning_qr_image`):
        the page of a debtor shows the same code at every visit until the
        amount, the reference or the account changes.
        """
        self.ensure_one()
        vals = self._build_qr_code_vals(
            amount,
            free_communication,
            structured_communication,
            currency,
            debtor,
            qr_method="sct_qr",
            silent_errors=True,
        )
        if not vals:
            return None
        params = self._get_qr_code_generation_params(**vals)
        if not params:
            return None
        return self._dunning_qr_image(tuple(sorted(params.items())))

    @api.model
    @tools.ormcache("params")
    def _dunning_qr_image(self, params):
        """The barcode image of ``params`` (sorted ``(name, value)`` pairs of
        ``ir.actions.report.barcode``; the QR's payload is ``value``) as a
        ``data:`` URI.

        Cached per content in the registry's bounded LRU (``ormcache``, the
        ``default`` cache of 8,192 entries per worker, about 1 KB each): the
        image depends on nothing but ``params``, so no invalidation is needed.
        """
        try:
            barcode = self.env["ir.actions.report"].barcode(**dict(params))
        except (ValueError, AttributeError) as error:
            raise werkzeug.exceptions.HTTPException(
                description="Cannot convert into barcode."
            ) from error
        return image_data_uri(base64.b64encode(barcode))
