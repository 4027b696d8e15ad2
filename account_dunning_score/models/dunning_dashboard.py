# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL


class DunningDashboard(models.TransientModel):
    _inherit = "dunning.dashboard"

    grade_id = fields.Many2one(
        "dunning.score.grade",
        help="Only the debtors of this grade: every figure, the top debtors, "
        "the alerts and the lists opened from the dashboard.",
    )

    @api.model
    def _dunning_filter_fields(self):
        return super()._dunning_filter_fields() + ["grade_id"]

    def _dunning_filters(self):
        filters = super()._dunning_filters()
        filters["grade"] = self.grade_id
        return filters

    @api.model
    def _dunning_report_filter(self, alias, company, grade=None, **filters):
        """Add the grade of the debtor (its score in the company)."""
        condition = super()._dunning_report_filter(alias, company, **filters)
        if grade:
            condition = SQL("%s AND %s.grade_id = %s", condition, SQL(alias), grade.id)
        return condition

    def _dunning_report_domain(self):
        domain = super()._dunning_report_domain()
        if self.grade_id:
            domain.append(("grade_id", "=", self.grade_id.id))
        return domain

    @api.model
    def _dunning_alert_kinds(self):
        kinds = super()._dunning_alert_kinds()
        kinds["grade_dropped"] = self.env._("Grade dropped")
        return kinds

    @api.model
    def _dunning_alert_queries(self, company, today, portfolio):
        """Add the debtors whose grade is worse than in the last snapshot.

        The current score row is compared with the newest monthly snapshot of
        a previous month (the current month's snapshot follows the score).
        """
        queries = super()._dunning_alert_queries(company, today, portfolio)
        queries.append(
            SQL(
                """
                SELECT 'grade_dropped', score.partner_id
                  FROM dunning_partner_score score
                  JOIN dunning_score_grade grade ON grade.id = score.grade_id
                  JOIN res_partner partner ON partner.id = score.partner_id
                  JOIN LATERAL (
                      SELECT hist.grade_id
                        FROM dunning_partner_score_history hist
                       WHERE hist.partner_id = score.partner_id
                         AND hist.company_id = score.company_id
                         AND hist.month < %(month)s
                         AND hist.has_history
                       ORDER BY hist.month DESC
                       LIMIT 1
                  ) last ON TRUE
                  JOIN dunning_score_grade old ON old.id = last.grade_id
                 WHERE score.company_id = %(company)s
                   AND score.has_history
                   AND grade.sequence > old.sequence
                   AND %(portfolio)s
                """,
                month=today.replace(day=1),
                company=company.id,
                portfolio=portfolio,
            )
        )
        return queries

    @api.model
    def _top_debtor_columns(self, top, company=None):
        """Add the grade of the top debtors in the dashboard's company."""
        columns = super()._top_debtor_columns(top, company=company)
        company = company or self.env.company
        self._dunning_check_company(company)
        partners = self.env["res.partner"].browse([row["partner"].id for row in top])
        # No sudo: the company was checked, collections users read the scores.
        scores = self.env["dunning.partner.score"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
            ]
        )
        columns.append(
            (
                self.env._("Grade"),
                {score.partner_id.id: score.grade_id.display_name for score in scores},
            )
        )
        return columns
