# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_payment_token_ids = fields.One2many(
        "dunning.payment.token",
        "partner_id",
        string="Payment page links",
        groups="account_dunning_advanced.group_dunning_manager",
    )

    def action_dunning_revoke_payment_links(self):
        """Invalidate every payment page link sent to the debtor (this company).

        The next reminder carries a new link.
        """
        partners = self.commercial_partner_id
        tokens = (
            self.env["dunning.payment.token"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                    ("revoked", "=", False),
                ]
            )
        )
        tokens._dunning_revoke()
        for partner in partners:
            partner.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Payment page links revoked (%(company)s).",
                    company=self.env.company.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
