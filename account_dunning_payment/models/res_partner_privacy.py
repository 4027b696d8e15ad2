# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResPartner(models.Model):
    """The payment page's traces in the retention policy and the right of
    access."""

    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    def _dunning_retention_targets(self, company, cutoffs):
        """The requests the person made on the payment page go."""
        targets = super()._dunning_retention_targets(company, cutoffs)
        requests = (
            self.env["dunning.payment.page.request"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("company_id", "=", company.id)])
        )
        if requests:
            targets.append(
                {
                    "key": "dunning.payment.page.request",
                    "label": self.env._("Requests on the payment page"),
                    "records": requests,
                    "values": None,
                    "partner_of": {r.id: r.partner_id.id for r in requests},
                }
            )
        return targets

    def _dunning_personal_data(self):
        data = super()._dunning_personal_data()
        data["payment_page_links"] = self._dunning_export_section(
            "dunning.payment.token",
            ("company_id", "create_date", "date_expiry", "revoked", "last_used"),
            with_messages=False,
            sudo=True,
        )
        data["payment_page_requests"] = self._dunning_export_section(
            "dunning.payment.page.request",
            ("date", "company_id", "kind", "files_size"),
            with_messages=False,
            sudo=True,
        )
        return data
