# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What changes a stored month end: the snapshots it drops."""

from odoo import api, models

#: The fields of a receivable line that the month-end figures read.
MONTH_END_LINE_FIELDS = {"date_maturity", "partner_id", "account_id"}


class AccountMove(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move"

    def _dunning_month_end_pairs(self):
        """Return ``(company id, date)`` of the moves of self that count
        in the month-end figures: customer invoices and credit notes (the
        sales), and every move with a receivable line (the stocks)."""
        return [
            (move.company_id.id, move.date)
            for move in self
            if move.move_type in ("out_invoice", "out_refund")
            or "asset_receivable" in move.line_ids.account_id.mapped("account_type")
        ]

    def write(self, vals):
        if "state" not in vals and "date" not in vals:
            return super().write(vals)
        # Posted, reset to draft or cancelled: before (the old date) and after.
        pairs = self._dunning_month_end_pairs()
        result = super().write(vals)
        pairs += self._dunning_month_end_pairs()
        MonthEnd = self.env["dunning.month.end"]
        MonthEnd._dunning_invalidate(MonthEnd._dunning_oldest(pairs))
        return result

    def unlink(self):
        MonthEnd = self.env["dunning.month.end"]
        MonthEnd._dunning_invalidate(
            MonthEnd._dunning_oldest(
                self.filtered(
                    lambda move: move.state == "posted"
                )._dunning_month_end_pairs()
            )
        )
        return super().unlink()


class AccountMoveLine(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move.line"

    def write(self, vals):
        if not MONTH_END_LINE_FIELDS.intersection(vals):
            return super().write(vals)
        pairs = [
            (line.company_id.id, line.date)
            for line in self
            if line.parent_state == "posted"
            and line.account_id.account_type == "asset_receivable"
        ]
        result = super().write(vals)
        pairs += [
            (line.company_id.id, line.date)
            for line in self
            if line.parent_state == "posted"
            and line.account_id.account_type == "asset_receivable"
        ]
        MonthEnd = self.env["dunning.month.end"]
        MonthEnd._dunning_invalidate(MonthEnd._dunning_oldest(pairs))
        return result


class AccountPartialReconcile(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.partial.reconcile"

    def _dunning_month_end_invalidate(self):
        MonthEnd = self.env["dunning.month.end"]
        MonthEnd._dunning_invalidate(
            MonthEnd._dunning_oldest(
                (partial.company_id.id, partial.max_date) for partial in self
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._dunning_month_end_invalidate()
        return partials

    def unlink(self):
        self._dunning_month_end_invalidate()
        return super().unlink()
