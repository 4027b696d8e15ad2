# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningDashboard(models.TransientModel):
    # The data checks on the cockpit, in a file of their own.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.dashboard"

    data_issue_count = fields.Integer(
        string="Data issues", compute="_compute_data_issues"
    )
    data_issues = fields.Html(
        string="Data checks", compute="_compute_data_issues", sanitize=False
    )

    def _compute_data_issues(self):
        Issue = self.env["dunning.data.issue"]
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            counts = Issue._dunning_open_counts(company)
            dashboard.data_issue_count = sum(count for _kind, _label, count in counts)
            dashboard.data_issues = self.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_dashboard_data_issues",
                {"counts": counts},
            )

    def action_open_data_issues(self):
        """Open the open issues of the data checks."""
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_data_issue_action"
        )
