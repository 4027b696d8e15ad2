# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools.sql import create_index


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

    def init(self):
        res = super().init()
        # The scoring reads the customer invoices of a batch of debtors
        # (``dunning.partner.score._invoices_query``, the predicted dates'
        # UPDATE, ``_partners_to_score``): without it, each batch scans all
        # the moves of the company.
        create_index(
            self.env.cr,
            "account_move_dunning_score_partner_idx",
            self._table,
            ["company_id", "commercial_partner_id"],
            where="move_type = 'out_invoice' AND state = 'posted'",
        )
        return res

    @api.model
    def _dunning_predicted_date_domain(self):
        """Return the domain of the invoices that get a predicted payment date.

        The open customer invoices with a due date. Read by the compute below
        and by the scoring's bulk UPDATE
        (``dunning.partner.score._update_predicted_dates``): override here to
        change both.
        """
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "!=", False),
        ]

    @api.depends("invoice_date_due", "state", "payment_state", "commercial_partner_id")
    def _compute_dunning_predicted_date(self):
        """The date of ``dunning.partner.score._predicted_date`` (due date +
        the debtor's typical delay + the company's transfer lag)."""
        Score = self.env["dunning.partner.score"].sudo()
        open_moves = self.filtered_domain(self._dunning_predicted_date_domain())
        scores = {}
        if open_moves:
            scores = {
                (score.partner_id.id, score.company_id.id): score
                for score in Score.search(
                    [
                        ("partner_id", "in", open_moves.commercial_partner_id.ids),
                        ("company_id", "in", open_moves.company_id.ids),
                    ]
                )
            }
        for move in self:
            if move not in open_moves:
                move.dunning_predicted_date = False
                continue
            score = scores.get((move.commercial_partner_id.id, move.company_id.id))
            move.dunning_predicted_date = Score._predicted_date(
                move.invoice_date_due, move.company_id, score
            )

    @api.depends("partner_id", "move_type", "state", "company_id")
    def _compute_dunning_credit_warning(self):
        for move in self:
            partner = move.partner_id.with_company(move.company_id)
            if move.move_type == "out_invoice" and move.state == "draft" and partner:
                move.dunning_credit_warning = partner.dunning_credit_message
            else:
                move.dunning_credit_warning = False
