# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The invoice in the chase: excluded or not, its reminders and level."""

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_excluded = fields.Boolean(
        string="Excluded from reminders",
        tracking=True,
        copy=False,
        help="Disputed or otherwise not to be chased: no reminder lists this "
        "invoice until the box is cleared.",
    )
    dunning_thanked = fields.Boolean(
        string="Thanked for the payment",
        copy=False,
        help="The thank-you e-mail of the collections was sent for this invoice.",
    )
    dunning_exclude_reason = fields.Char(
        string="Exclusion reason", tracking=True, copy=False
    )
    dunning_action_ids = fields.Many2many(
        "dunning.action",
        string="Reminders",
        compute="_compute_dunning_action_ids",
        groups="account_dunning_advanced.group_dunning_user",
    )
    dunning_level_id = fields.Many2one(
        "dunning.level",
        string="Collections level",
        compute="_compute_dunning_action_ids",
        groups="account_dunning_advanced.group_dunning_user",
        help="Last level reached by this invoice.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        debtors = posted.line_ids.partner_id.commercial_partner_id
        if debtors:
            # The new debtors' scenario and collector, for the SQL views.
            self.env["dunning.debtor.status"].sudo()._dunning_fill_missing(
                posted.company_id, debtors
            )
        return posted

    @api.depends("line_ids")
    def _compute_dunning_action_ids(self):
        actions = self.env["dunning.action"].search(
            [("line_ids.move_id", "in", self.ids)], order="date desc, id desc"
        )
        for move in self:
            move_actions = actions.filtered(lambda a, m=move: m in a.line_ids.move_id)
            move.dunning_action_ids = move_actions
            move.dunning_level_id = move_actions.filtered(lambda a: a.state == "done")[
                :1
            ].level_id

    def action_dunning_force_level(self):
        """Open the wizard forcing the level of these invoices."""
        partner = self.commercial_partner_id[:1]
        return partner._dunning_force_level_action(moves=self)
