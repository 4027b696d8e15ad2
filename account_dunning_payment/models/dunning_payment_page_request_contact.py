# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

#: How many times a day one link (or debtor under ``/my``) may change how it
#: is contacted: each change is logged and told to the collector.
CONTACT_MAX_DAILY = 3


class DunningPaymentPageRequest(models.Model):
    _inherit = "dunning.payment.page.request"

    kind = fields.Selection(
        selection_add=[("contact", "Contact preferences")],
        ondelete={"contact": "cascade"},
    )

    @api.model
    def _dunning_quota_limit(self, kind, company):
        if kind == "contact":
            return CONTACT_MAX_DAILY
        return super()._dunning_quota_limit(kind, company)
