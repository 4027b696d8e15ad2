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

    def action_print(self):
        """Print the table (PDF)."""
        self.ensure_one()
        return self.env.ref(
            "account_dunning_advanced.action_report_dunning_payment_terms"
        ).report_action(
            self.company_id,
            data={
                "company_id": self.company_id.id,
                "date": fields.Date.to_string(self.date),
            },
        )

    def action_export_xlsx(self):
        """Download the table as a spreadsheet."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"D441-6_{fields.Date.to_string(self.date)}.xlsx",
                "datas": base64.b64encode(
                    self.env[REPORT]._get_xlsx(self.company_id, self.date)
                ),
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
