# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class AccountAccount(models.Model):
    _inherit = "account.account"

    # The receivable accounts of what is owed are cached
    # (``account.move.line._dunning_receivable_account_ids``): a new, changed
    # or deleted account clears the cache (in every worker, as Odoo's own
    # cached settings) and the open receivables stored for the day
    # (``dunning.open.figure._dunning_drop_open``).
    def _dunning_receivables_changed(self):
        self.env.registry.clear_cache()
        self.env["dunning.open.figure"]._dunning_drop_open()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(account.account_type == "asset_receivable" for account in records):
            self._dunning_receivables_changed()
        return records

    def write(self, vals):
        if "account_type" not in vals:
            return super().write(vals)
        receivable = any(account.account_type == "asset_receivable" for account in self)
        result = super().write(vals)
        if receivable or vals["account_type"] == "asset_receivable":
            self._dunning_receivables_changed()
        return result

    def unlink(self):
        receivable = any(account.account_type == "asset_receivable" for account in self)
        result = super().unlink()
        if receivable:
            self._dunning_receivables_changed()
        return result
