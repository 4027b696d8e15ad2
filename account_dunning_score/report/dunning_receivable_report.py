# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL


class DunningReceivableReport(models.Model):
    _inherit = "dunning.receivable.report"

    grade_id = fields.Many2one("dunning.score.grade", readonly=True)

    def _select(self):
        return SQL("%s, score.grade_id AS grade_id", super()._select())

    def _from(self):
        """The debtor's score, joined on the debtor's id as the line carries
        it (``line_partner.commercial_partner_id``), not on the debtor's
        row: a query that reads no debtor column (the totals, the ageing)
        then pays for neither join (PostgreSQL 15 keeps a LEFT JOIN another
        join's condition reads, even once that join is dropped)."""
        return SQL(
            """%s
            LEFT JOIN dunning_partner_score score
                ON score.partner_id = line_partner.commercial_partner_id
               AND score.company_id = aml.company_id
            """,
            super()._from(),
        )
