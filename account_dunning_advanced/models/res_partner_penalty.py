# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models

PENALTY_GROUP = "account_dunning_advanced.group_dunning_user"


class ResPartner(models.Model):
    """Late-payment penalties on the debtor.

    Kept apart from res_partner.py, which another part of the collections
    owns: the per-debtor indemnity switch and the penalties accrued.
    """

    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_no_indemnity = fields.Boolean(
        string="No fixed recovery indemnity",
        tracking=True,
        groups=PENALTY_GROUP,
        help="Never claim the fixed indemnity for recovery costs (art. D441-5) "
        "from this debtor: consumers, public bodies...",
    )
    dunning_penalty_total = fields.Monetary(
        string="Late-payment penalties",
        compute="_compute_dunning_penalty_total",
        currency_field="dunning_penalty_currency_id",
        groups=PENALTY_GROUP,
        help="Interest and indemnities accrued today on the debtor's open "
        "invoices, invoiced or not, in the company currency.",
    )
    dunning_penalty_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_penalty_total",
        groups=PENALTY_GROUP,
    )

    @api.depends_context("company", "dunning_date")
    def _compute_dunning_penalty_total(self):
        company = self.env.company
        Move = self.env["account.move"]
        on_date = Move._dunning_date()
        commercials = self.commercial_partner_id.filtered(
            lambda partner: isinstance(partner.id, int)
        )
        moves = Move.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("dunning_is_penalty", "=", False),
                ("payment_state", "in", ("not_paid", "partial")),
                ("commercial_partner_id", "in", commercials.ids),
            ]
        )
        results = moves._dunning_penalty_compute(on_date)
        rates = {}
        totals = defaultdict(float)
        for move in moves:
            currency = move.currency_id
            if currency not in rates:
                rates[currency] = self.env["res.currency"]._get_conversion_rate(
                    currency, company.currency_id, company, on_date
                )
            totals[move.commercial_partner_id.id] += (
                float(results[move.id].total) * rates[currency]
            )
        for partner in self:
            partner.dunning_penalty_currency_id = company.currency_id
            partner.dunning_penalty_total = company.currency_id.round(
                totals[partner.commercial_partner_id.id]
            )
