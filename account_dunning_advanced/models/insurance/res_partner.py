# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The insured debtor: its limits, its exposure against the limit valid
today, the declaration to the insurer.

A folder of its own: credit insurance is a contract with a third party (the
insurer), neither the chase, the law of ``legal/`` nor the hand-off of
``litigation/``; the limits are records (one per grant, with dates and a
state, several policies over time) rather than fields on the partner, so the
history of the grants stays and a limit can be prepared before it starts.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..chase.res_partner import DUNNING_GROUP


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_credit_limit_ids = fields.One2many(
        "dunning.credit.limit",
        "partner_id",
        string="Insured limits",
        groups=DUNNING_GROUP,
    )
    dunning_credit_limit_id = fields.Many2one(
        "dunning.credit.limit",
        string="Insured limit valid today",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
    )
    dunning_credit_insurer_id = fields.Many2one(
        "res.partner",
        string="Credit insurer",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
    )
    dunning_credit_limit_amount = fields.Monetary(
        string="Insured limit",
        compute="_compute_dunning_credit",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
    )
    dunning_credit_exposure = fields.Monetary(
        string="Exposure",
        compute="_compute_dunning_credit",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
        help="The debtor's open receivables in the company's currency, "
        "against its insured limit.",
    )
    dunning_credit_over_limit = fields.Boolean(
        string="Over the insured limit",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
    )
    dunning_credit_declaration_deadline = fields.Date(
        string="Declare to the insurer by",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
        help="The earliest overdue invoice's original due date plus the "
        "policy's declaration days.",
    )
    dunning_credit_declaration_due = fields.Boolean(
        string="Declaration due",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
        help="The declaration deadline is within the policy's notice days and "
        "the debts are not declared yet.",
    )
    dunning_credit_declared = fields.Boolean(
        string="Declared to the insurer",
        compute="_compute_dunning_credit",
        groups=DUNNING_GROUP,
    )

    @api.depends_context("company")
    @api.depends("dunning_credit_limit_ids.state", "dunning_credit_limit_ids.amount")
    def _compute_dunning_credit(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        Limit = self.env["dunning.credit.limit"]
        limits = Limit._dunning_valid_limits(self, company, today)
        exposures = Limit._dunning_exposures(self, company)
        earliest = Limit._dunning_earliest_overdue(self, company, today)
        for partner in self:
            key = partner.commercial_partner_id.id
            limit = limits.get(key, Limit)
            due = earliest.get(key) if limit else None
            deadline = due and due + timedelta(days=limit.policy_id.declaration_days)
            partner.dunning_credit_limit_id = limit
            partner.dunning_credit_insurer_id = limit.policy_id.insurer_id
            partner.dunning_credit_limit_amount = limit.amount
            partner.dunning_credit_exposure = exposures.get(key, 0.0)
            partner.dunning_credit_over_limit = bool(limit) and (
                company.currency_id.compare_amounts(
                    partner.dunning_credit_exposure, limit.amount
                )
                > 0
            )
            partner.dunning_credit_declaration_deadline = deadline
            partner.dunning_credit_declared = bool(limit.declaration_date)
            partner.dunning_credit_declaration_due = bool(
                deadline
                and not limit.declaration_date
                and deadline - timedelta(days=limit.policy_id.notice_days) <= today
            )

    def action_dunning_credit_declare(self):
        """Declare the overdue debts to the insurer and download the file."""
        self.ensure_one()
        self._dunning_check_group()
        limit = self.dunning_credit_limit_id
        if not limit:
            raise UserError(
                self.env._(
                    "%(debtor)s has no insured limit valid today.",
                    debtor=self.display_name,
                )
            )
        attachment = limit._dunning_declare()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
