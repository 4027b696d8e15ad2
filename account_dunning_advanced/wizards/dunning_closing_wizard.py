# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models

REASONS = [
    ("proceedings", "Insolvency proceedings"),
    ("litigation", "In litigation"),
    ("agency", "With a collection agency"),
    ("late", "More than 12 months late"),
    ("doubtful", "Doubtful debt: review the provision"),
]
ACTIONS = [
    ("transfer", "Transfer to doubtful debts"),
    ("provision", "Set the provision"),
    ("write_off", "Write off"),
    ("skip", "Nothing"),
]


class DunningClosingWizard(models.TransientModel):
    """The closing assistant: the debts to review and the entries proposed.

    A thin form on ``dunning.doubtful.debt._dunning_closing_candidates`` and
    ``_dunning_closing_apply`` (models/books/).
    """

    _name = "dunning.closing.wizard"
    _description = "Collections closing assistant"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Closing date", required=True, default=fields.Date.context_today
    )
    line_ids = fields.One2many("dunning.closing.wizard.line", "wizard_id")

    @api.onchange("company_id", "date")
    def _onchange_load_candidates(self):
        if not (self.company_id and self.date):
            return
        candidates = self.env["dunning.doubtful.debt"]._dunning_closing_candidates(
            self.company_id, self.date
        )
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "partner_id": item["partner"].id,
                    "invoice_id": item["invoice"].id,
                    "debt_id": item["debt"].id,
                    "amount": item["amount"],
                    "days_late": item["days_late"],
                    "reason": item["reason"],
                    "action": item["action"],
                    "rate": item["rate"],
                }
            )
            for item in candidates
        ]

    def action_book(self):
        """Book the entries proposed (lines set to "Nothing" are left out)."""
        self.ensure_one()
        debts = self.env["dunning.doubtful.debt"]._dunning_closing_apply(
            self.date,
            [
                (line.action, line.invoice_id, line.debt_id, line.rate)
                for line in self.line_ids
                if line.action != "skip"
            ],
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Doubtful debts"),
            "res_model": "dunning.doubtful.debt",
            "view_mode": "list,form",
            "domain": [("id", "in", debts.ids)],
        }


class DunningClosingWizardLine(models.TransientModel):
    _name = "dunning.closing.wizard.line"
    _description = "Collections closing assistant: a debt to review"

    wizard_id = fields.Many2one(
        "dunning.closing.wizard", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True)
    debt_id = fields.Many2one("dunning.doubtful.debt", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.company_id.currency_id")
    amount = fields.Monetary(string="Open amount", readonly=True)
    days_late = fields.Integer(readonly=True)
    reason = fields.Selection(REASONS, readonly=True)
    action = fields.Selection(ACTIONS, required=True, default="skip")
    rate = fields.Float(string="Provision (%)")
