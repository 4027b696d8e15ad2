# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningScoreGrade(models.Model):
    """A payment behaviour grade: A (best) to E, or "not enough history"."""

    _name = "dunning.score.grade"
    _description = "Payment behaviour grade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a grade must be unique."),
    ]

    def _by_code(self):
        """Return a dict code -> grade of all the grades."""
        return {grade.code: grade for grade in self.search([])}
