# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models

REPORT = "report.account_dunning_advanced.report_dunning_payment_terms"


class DunningPaymentTermsWizard(models.TransientModel):
    """Choose the closing date of the payment-terms report (D441-6)."""

    _name = "dunning.payment.terms.wizard"
    _description = "Payment terms report (D441-6)"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Closing date",
        required=True,
        default=fields.Date.context_today,
        help="The receivables are read as they stood that day.",
    )

    supplier = fields.Boolean(
        string="Supplier invoices too",
        help="Add the table of the invoices received and not paid at the "
        "closing date whose term is past, with their share of the year's "
        "purchases (art. D441-6 I).",
    )

    def _report_data(self):
        return {
            "company_id": self.company_id.id,
            "date": fields.Date.to_string(self.date),
            "supplier": self.supplier,
        }

    def action_print(self):
        """Print the table (PDF)."""
        self.ensure_one()
        return self.env.ref(
            "account_dunning_advanced.action_report_dunning_payment_terms"
        ).report_action(self.company_id, data=self._report_data())

    def _download(self, extension, content):
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"D441-6_{fields.Date.to_string(self.date)}.{extension}",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        """Download the table as a spreadsheet."""
        self.ensure_one()
        return self._download(
            "xlsx",
            self.env[REPORT]._get_xlsx(self.company_id, self.date, self.supplier),
        )

    def action_export_csv(self):
        """Download the table as CSV."""
        self.ensure_one()
        return self._download(
            "csv", self.env[REPORT]._get_csv(self.company_id, self.date, self.supplier)
        )
