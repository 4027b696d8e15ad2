# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
        domain = [
            *self.env["account.move.line"]._dunning_collectible_domain(self.company_id),
            (
                "partner_id.commercial_partner_id",
                "=",
                self.partner_id.commercial_partner_id.id,
            ),
            ("amount_residual", ">", 0),
        ]
        if self.move_ids:
            domain.append(("move_id", "in", self.move_ids.ids))
        return self.env["account.move.line"].search(domain)

    def action_confirm(self):
        """Record the level as reached and cancel the reminders it supersedes."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        lines = self._get_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "%(partner)s has no open invoice to force to a level.",
                    partner=partner.display_name,
                )
            )
        Action = self.env["dunning.action"]
        pending = Action.search(
            [
                ("line_ids", "in", lines.ids),
                ("kind", "=", "reminder"),
                ("state", "in", ("draft", "error")),
            ]
        )
        pending.write(
            {
                "state": "cancel",
                "note": self.env._("Superseded by a forced level."),
            }
        )
        by_currency = defaultdict(lambda: self.env["account.move.line"])
        for line in lines:
            by_currency[line.currency_id] |= line
        actions = Action.create(
            [
                {
                    "kind": "forced",
                    "state": "done",
                    "company_id": self.company_id.id,
                    "date": self.date,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "level_id": self.level_id.id,
                    "scenario_id": self.scenario_id.id,
                    "line_ids": [Command.set(currency_lines.ids)],
                    "amount_due": sum(
                        currency_lines.mapped("amount_residual_currency")
                    ),
                    "amount_overdue": sum(
                        currency_lines.filtered(
                            lambda line: (line.date_maturity or line.date) < self.date
                        ).mapped("amount_residual_currency")
                    ),
                    "note": self.reason,
                    "executed_at": fields.Datetime.now(),
                    "executed_by_id": self.env.uid,
                }
                for currency, currency_lines in by_currency.items()
            ]
        )
        body = Markup("%s<br/>%s") % (
            self.env._(
                "Collections level forced to %(level)s on %(date)s for %(invoices)s.",
                level=self.level_id.display_name,
                date=self.date,
                invoices=", ".join(lines.move_id.mapped("name")),
            ),
            self.env._("Reason: %(reason)s", reason=self.reason),
        )
        partner.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        for move in self.move_ids:
            move.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.act_window",
            "res_model": "dunning.action",
            "view_mode": "list,form",
            "domain": [("id", "in", actions.ids)],
            "name": self.env._("Forced level"),
        }
