# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class DunningDebtorRecord(models.AbstractModel):
    """A numbered record of a debtor's answer (a dispute, a payment plan).

    The reference comes from the ``ir.sequence`` whose code is the model's
    name; the record has a chatter and activities, and belongs to one company.
    """

    _name = "dunning.debtor.record"
    _description = "Collections: numbered record of a debtor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name)
        return super().create(vals_list)
