# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models, tools


class AccountAccount(models.Model):
    _inherit = "account.account"

    @api.model
    @tools.ormcache()
    def _dunning_receivable_account_ids(self):
        """Return the ids of the receivable accounts (every company's), a
        tuple: the accounts of ``account.move.line._dunning_receivable_domain``.

        Cached for the registry (every worker): the accounts change seldom,
        and the runtime queries of what is owed read them at every call. The
        cache is cleared when an account is created, deleted or changes type.
        """
        return tuple(self.sudo()._search([("account_type", "=", "asset_receivable")]))

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        self.env.registry.clear_cache()
        return accounts

    def write(self, vals):
        result = super().write(vals)
        if "account_type" in vals:
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
