# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .dunning_partner_score import TREND_MONTHS

#: Grades moved at once (A -> C, B -> D...) that make a change sharp.
SHARP_GRADE_STEPS = 2


class DunningDataIssue(models.Model):
    _inherit = "dunning.data.issue"

    kind = fields.Selection(
        selection_add=[("grade_change", "Grade changed sharply")],
        ondelete={"grade_change": "cascade"},
    )

    @api.model
    def _dunning_data_checks(self):
        return {
            **super()._dunning_data_checks(),
            "grade_change": "_dunning_check_grade_change",
        }

    @api.model
    def _dunning_check_grade_change(self, company, today):
        """Debtors whose grade moved by ``SHARP_GRADE_STEPS`` grades or more
        since the oldest monthly snapshot of the last ``TREND_MONTHS`` months
        (the window of the score's trend), both graded (enough history)."""
        month = today.replace(day=1)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT score.partner_id, past.month, old.id, cur.id
                  FROM dunning_partner_score score
                  JOIN dunning_score_grade cur ON cur.id = score.grade_id
                  JOIN LATERAL (
                       SELECT snapshot.month, snapshot.grade_id
                         FROM dunning_partner_score_history snapshot
                        WHERE snapshot.partner_id = score.partner_id
                          AND snapshot.company_id = score.company_id
                          AND snapshot.has_history
                          AND snapshot.month >= %(since)s
                          AND snapshot.month < %(month)s
                        ORDER BY snapshot.month
                        LIMIT 1
                  ) past ON TRUE
                  JOIN dunning_score_grade old ON old.id = past.grade_id
                 WHERE score.company_id = %(company)s
                   AND score.has_history
                   AND cur.code != 'none'
                   AND old.code != 'none'
                   AND ABS(cur.sequence - old.sequence) >= %(steps)s
                """,
                since=month - relativedelta(months=TREND_MONTHS),
                month=month,
                company=company.id,
                steps=SHARP_GRADE_STEPS,
            )
        )
        Grade = self.env["dunning.score.grade"]
        Grade.browse({row[2] for row in rows} | {row[3] for row in rows}).fetch(
            ["name", "sequence"]
        )
        findings = []
        for partner_id, since, old_id, new_id in rows:
            old, new = Grade.browse(old_id), Grade.browse(new_id)
            findings.append(
                {
                    "key": str(partner_id),
                    "partner_id": partner_id,
                    "message": (
                        self.env._(
                            "The grade fell from %(old)s to %(new)s since "
                            "%(since)s: check the credit limit and the scenario.",
                            old=old.name,
                            new=new.name,
                            since=format_date(self.env, since, date_format="MMMM y"),
                        )
                        if new.sequence > old.sequence
                        else self.env._(
                            "The grade rose from %(old)s to %(new)s since "
                            "%(since)s.",
                            old=old.name,
                            new=new.name,
                            since=format_date(self.env, since, date_format="MMMM y"),
                        )
                    ),
                }
            )
        return findings
