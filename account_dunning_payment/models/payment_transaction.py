# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        """Once an online payment is booked, update the chase at once."""
        result = super()._post_process()
        self.filtered(
            lambda tx: tx.state == "done" and tx.invoice_ids
        )._dunning_after_payment()
        return result

    def _dunning_after_payment(self):
        """Cancel the reminders still to send whose invoices are now paid.

        Without this, a collector validating today's reminders would still see
        the invoices the debtor has just paid online (the next run would
        cancel them too, but only then).
        """
        if not self:
            return
        actions = (
            self.env["dunning.action"]
            .sudo()
            .search(
                [
                    ("state", "in", ("draft", "error")),
                    ("line_ids.move_id", "in", self.invoice_ids.ids),
                ]
            )
        )
        open_lines = actions.line_ids._dunning_collectible()
        paid = actions.filtered(lambda action: not action.line_ids & open_lines)
        paid.write(
            {
                "state": "cancel",
                "note": self.env._("Paid online before the reminder was sent."),
            }
        )
