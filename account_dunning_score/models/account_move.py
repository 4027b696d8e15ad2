# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_predicted_date = fields.Date(
        string="Predicted payment date",
        compute="_compute_dunning_predicted_date",
        store=True,
        copy=False,
        help="Due date + the debtor's typical delay (recent invoices weigh "
        "more) + the company's transfer lag. Updated when the invoice changes "
        "and, for all open invoices, each time the scores are computed.",
    )
    dunning_credit_warning = fields.Char(
        string="Credit warning", compute="_compute_dunning_credit_warning"
    )

    @api.depends("invoice_date_due", "state", "payment_state", "commercial_partner_id")
    def _compute_dunning_predicted_date(self):
        open_moves = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
            and m.invoice_date_due
        )
        delays = {}
        if open_moves:
            for score in (
                self.env["dunning.partner.score"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", open_moves.commercial_partner_id.ids),
                        ("company_id", "in", open_moves.company_id.ids),
                    ]
                )
            ):
                delays[(score.partner_id.id, score.company_id.id)] = score.typical_delay
        for move in self:
            if move not in open_moves:
                move.dunning_predicted_date = False
                continue
            delay = delays.get((move.commercial_partner_id.id, move.company_id.id), 0)
            move.dunning_predicted_date = move.invoice_date_due + timedelta(
                days=delay + move.company_id.dunning_score_transfer_lag
            )

    @api.depends("partner_id", "move_type", "state", "company_id")
    def _compute_dunning_credit_warning(self):
        for move in self:
            partner = move.partner_id.with_company(move.company_id)
            if move.move_type == "out_invoice" and move.state == "draft" and partner:
                move.dunning_credit_warning = partner.dunning_credit_message
            else:
                move.dunning_credit_warning = False
