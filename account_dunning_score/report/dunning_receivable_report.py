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
        return SQL(
            """%s
            LEFT JOIN dunning_partner_score score
                ON score.partner_id = partner.id
               AND score.company_id = aml.company_id
            """,
            super()._from(),
        )
