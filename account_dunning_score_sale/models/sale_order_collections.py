# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

VIEWER_GROUP = "account_dunning_advanced.group_dunning_viewer"

# sale.order field -> the customer's (commercial partner's) field it shows.
PANEL_FIELDS = {
    "dunning_partner_level_id": "dunning_level_id",
    "dunning_partner_overdue_amount": "dunning_overdue_amount",
    "dunning_partner_currency_id": "dunning_currency_id",
    "dunning_partner_last_reminder_date": "dunning_last_reminder_date",
    "dunning_partner_promise_count": "dunning_open_promise_count",
    "dunning_partner_dispute_count": "dunning_open_dispute_count",
    "dunning_partner_grade_id": "dunning_grade_id",
    "dunning_partner_score_explanation": "dunning_score_explanation",
    "dunning_partner_expected_date": "dunning_expected_payment_date",
}


class SaleOrder(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "sale.order"

    # The customer's collections, on the quotation: read from the customer's
    # fields in the order's company (one definition), for the viewers.
    dunning_partner_level_id = fields.Many2one(
        "dunning.level",
        string="Collections level",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_overdue_amount = fields.Monetary(
        string="Overdue",
        compute="_compute_dunning_partner_panel",
        currency_field="dunning_partner_currency_id",
        groups=VIEWER_GROUP,
    )
    dunning_partner_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_last_reminder_date = fields.Date(
        string="Last reminder",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_promise_count = fields.Integer(
        string="Open promises",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_dispute_count = fields.Integer(
        string="Open disputes",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_grade_id = fields.Many2one(
        "dunning.score.grade",
        string="Payment grade",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_score_explanation = fields.Text(
        string="Why this grade",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )
    dunning_partner_expected_date = fields.Date(
        string="Expected payment date",
        compute="_compute_dunning_partner_panel",
        groups=VIEWER_GROUP,
    )

    @api.depends("partner_id", "company_id")
    @api.depends_context("uid")
    def _compute_dunning_partner_panel(self):
        for company, orders in self.grouped("company_id").items():
            customers = orders.partner_id.commercial_partner_id.with_company(company)
            for order in orders:
                customer = order.partner_id.commercial_partner_id.with_company(
                    company
                ).with_prefetch(customers._prefetch_ids)
                for order_field, partner_field in PANEL_FIELDS.items():
                    order[order_field] = customer[partner_field] if customer else False
