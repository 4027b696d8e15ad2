# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

STATEMENT_REPORT = "report.account_dunning_advanced.report_dunning_statement"


class DunningStatementWizard(models.TransientModel):
    """Choose the period of a debtor's account statement, then print or view it."""

    _name = "dunning.statement.wizard"
    _description = "Collections account statement"

    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        domain=[("parent_id", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env[STATEMENT_REPORT]._get_default_period()[0],
        help="The opening balance is the balance before this date.",
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=fields.Date.context_today,
        help="The open items and their ageing are those of this date.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The statement cannot start after it ends.")
                )

    def _get_report_data(self):
        """Return the data of the statement report for this wizard."""
        self.ensure_one()
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
            # The web client does not send the records of a report with data.
            "partner_ids": self.partner_id.commercial_partner_id.ids,
        }

    def _report_action(self, xmlid):
        self.ensure_one()
        return self.env.ref(xmlid).report_action(
            self.partner_id.commercial_partner_id, data=self._get_report_data()
        )

    # Read-only: the statement's action reads only (replica, db_replica_host).
    @api.readonly
    def action_print(self):
        """Print the statement (PDF)."""
        return self._report_action(
            "account_dunning_advanced.action_report_dunning_statement"
        )

    @api.readonly
    def action_view(self):
        """Show the statement on screen."""
        return self._report_action(
            "account_dunning_advanced.action_report_dunning_statement_html"
        )
