# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What changes a stored month end (the snapshots it drops) or a debtor's
stored open receivables of the day (the debtors it touches:
``dunning.open.figure``)."""

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
        # The debtors of the receivable lines, whose open lines came or went
        # (the lines' debtors do not change with the state or the date).
        self.env["dunning.open.figure"]._dunning_touch_lines(self.line_ids)
        return result

    def unlink(self):
        MonthEnd = self.env["dunning.month.end"]
        posted = self.filtered(lambda move: move.state == "posted")
        MonthEnd._dunning_invalidate(
            MonthEnd._dunning_oldest(posted._dunning_month_end_pairs())
        )
        self.env["dunning.open.figure"]._dunning_touch_lines(posted.line_ids)
        return super().unlink()


class AccountMoveLine(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move.line"

    def write(self, vals):
        if not MONTH_END_LINE_FIELDS.intersection(vals):
            return super().write(vals)
        OpenFigure = self.env["dunning.open.figure"]
        debtors = OpenFigure._dunning_line_debtors(self)  # before the change
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
        OpenFigure._dunning_touch(debtors | OpenFigure._dunning_line_debtors(self))
        return result


class AccountPartialReconcile(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.partial.reconcile"

    def _dunning_ledger_changed(self):
        """Drop the month ends from the reconciliations' dates on, touch the
        debtors of both lines."""
        MonthEnd = self.env["dunning.month.end"]
        MonthEnd._dunning_invalidate(
            MonthEnd._dunning_oldest(
                (partial.company_id.id, partial.max_date) for partial in self
            )
        )
        self.env["dunning.open.figure"]._dunning_touch_lines(
            self.debit_move_id | self.credit_move_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._dunning_ledger_changed()
        return partials

    def unlink(self):
        self._dunning_ledger_changed()
        return super().unlink()


class ResPartner(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    def write(self, vals):
        # A contact (and its own contacts) moved to another commercial
        # partner: its lines leave a debtor for another, in every company.
        if "parent_id" not in vals and "is_company" not in vals:
            return super().write(vals)
        moved = self.with_context(active_test=False).search(
            [("id", "child_of", self.ids)]
        )
        before = set(moved.commercial_partner_id.ids)
        result = super().write(vals)
        after = set(moved.commercial_partner_id.ids)
        self.env["dunning.open.figure"]._dunning_touch(
            (None, partner_id) for partner_id in before | after
        )
        return result


class PartnerMerge(models.TransientModel):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # The merge moves the lines of the merged contacts to the one kept in
        # SQL (``_update_foreign_keys``): touch the debtors before and after.
        partners = self.env["res.partner"].browse(partner_ids).exists()
        before = set(partners.commercial_partner_id.ids)
        result = super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )
        after = set(partners.exists().commercial_partner_id.ids)
        if dst_partner:
            after |= set(dst_partner.exists().commercial_partner_id.ids)
        # The merged contacts are deleted (with their stored rows).
        kept = self.env["res.partner"].browse(before | after).exists()
        self.env["dunning.open.figure"]._dunning_touch(
            (None, partner_id) for partner_id in kept.ids
        )
        return result
