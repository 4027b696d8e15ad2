# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _dunning_invoice_pdf(self):
        """The invoice's PDF (sudoed attachment), rendered once.

        Odoo keeps the PDF of a sent invoice (``invoice_pdf_report_id``);
        when there is none yet it is generated here, once, and stored the
        same way (the official PDF of the invoice), so that the payment
        page serves the stored file and never renders per request.
        """
        self.ensure_one()
        move = self.sudo()
        if move.invoice_pdf_report_id:
            return move.invoice_pdf_report_id
        report = move.partner_id.invoice_template_pdf_report_id or self.env.ref(
            "account.account_invoices"
        )
        invoice_data = {move: {"pdf_report": report.sudo()}}
        Send = self.env["account.move.send"].sudo()
        Send._prepare_invoice_pdf_report(invoice_data)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(invoice_data[move]["pdf_attachment_values"])
        )
        move.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        return attachment
