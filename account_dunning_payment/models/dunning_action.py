# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .dunning_payment_token import group_code


class DunningAction(models.Model):
    _inherit = "dunning.action"

    def _dunning_prepare_links(self):
        """Create the payment links of the actions that have none yet in this
        transaction, in one statement (``_dunning_create_tokens``)."""
        res = super()._dunning_prepare_links()
        cache = self.env.cr.cache.setdefault("dunning_payment_links", {})
        missing = self.filtered(lambda action: action.id not in cache)
        if missing:
            cache.update(
                self.env["dunning.payment.token"]._dunning_create_tokens(missing)
            )
        return res

    def _dunning_get_links(self):
        """Add the debtor's payment page to the messages of the action.

        One link per action: the clear token only lives in the messages, so it
        is kept for the transaction to give the same link to the e-mail, the
        SMS and the letter of one action.
        """
        links = super()._dunning_get_links()
        cache = self.env.cr.cache.setdefault("dunning_payment_links", {})
        token = cache.get(self.id)
        if not token:
            token = self.env["dunning.payment.token"]._dunning_create_token(
                self.partner_id, self.company_id, action=self
            )
            cache[self.id] = token
        base_url = self.company_id.get_base_url().rstrip("/")
        links.append(
            {
                "label": self.env._("Pay online / see your account"),
                "url": f"{base_url}/collections/{token}",
                # For the SMS and the letters: short, and typeable by hand.
                "short_url": f"{base_url}/c/{group_code(token)}",
            }
        )
        return links
