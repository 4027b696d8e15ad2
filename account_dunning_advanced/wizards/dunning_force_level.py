# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models


class DunningForceLevel(models.TransientModel):
    """Force a debtor, or some of its invoices, to a level of its scenario.

    The level is recorded as reached on the chosen date; the engine then goes
    on automatically from there with the scenario's next levels.
    """

    _name = "dunning.force.level"
    _description = "Force a collections level"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        domain=[("parent_id", "=", False)],
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('state', '=', 'posted')]",
        help="Leave empty to force every open invoice of the debtor.",
    )
    scenario_id = fields.Many2one(
        "dunning.scenario", compute="_compute_scenario_id", store=True, readonly=False
    )
    level_id = fields.Many2one(
        "dunning.level",
        required=True,
        domain="[('scenario_id', '=', scenario_id)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text(required=True)

    @api.depends("partner_id", "company_id")
    def _compute_scenario_id(self):
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id
            wizard.scenario_id = (
                self.env["dunning.scenario"]
                ._resolve_for_partners(partner, wizard.company_id)
                .get(partner.id)
                if partner
                else False
            )

    def _get_lines(self):
        """Return the open receivable lines concerned by the forced level."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id._dunning_force_level_lines(
            self.company_id, self.move_ids
        )

    def action_confirm(self):
        """Record the level as reached (the rule: res.partner)."""
        self.ensure_one()
        actions = self.partner_id.commercial_partner_id._dunning_force_level(
            self.company_id,
            self.level_id,
            self.date,
            self.reason,
            moves=self.move_ids,
            scenario=self.scenario_id,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "dunning.action",
            "view_mode": "list,form",
            "domain": [("id", "in", actions.ids)],
            "name": self.env._("Forced level"),
        }
