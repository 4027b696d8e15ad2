# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtors' list grouped, sorted and searched by payment grade."""

from odoo import fields, models
from odoo.tools import SQL

from ..engine import scoring


class ResPartner(models.Model):
    # The list's groupings apart from the score's computation.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_grade_id = fields.Many2one(search="_search_dunning_grade_id")

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        if fname == "dunning_grade_id":
            self.check_field_access_rights("read", [fname])
            return self._dunning_grade_sql(alias)
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    def _dunning_grade_sql(self, alias):
        """Return the SQL of the grade of the partner ``alias`` in the current
        company: the twin of :meth:`_compute_dunning_score` (the grade of the
        commercial partner's score row, "not enough history" without a row,
        none for a person the company does not score)."""
        company = self.env.company
        self.env["dunning.partner.score"].flush_model()
        commercial = SQL.identifier(
            alias,
            "commercial_partner_id",
            to_flush=self._fields["commercial_partner_id"],
        )
        no_history = (
            self.env["dunning.score.grade"].sudo()._by_code().get(scoring.NO_HISTORY)
        )
        grade = SQL(
            """(COALESCE(
                (SELECT ARRAY[score.grade_id]
                   FROM dunning_partner_score score
                  WHERE score.partner_id = %(commercial)s
                    AND score.company_id = %(company)s),
                ARRAY[%(no_history)s::int]))[1]""",
            commercial=commercial,
            company=company.id,
            no_history=no_history.id if no_history else None,
        )
        if company.dunning_score_people:
            return grade
        return SQL(
            """CASE WHEN (SELECT person.dunning_natural_person FROM res_partner person
                           WHERE person.id = %(commercial)s)
                    THEN NULL ELSE %(grade)s END""",
            commercial=commercial,
            grade=grade,
        )

    def _search_dunning_grade_id(self, operator, value):
        """Debtors by grade: the group they are listed in."""
        return self._dunning_search_sql("dunning_grade_id", operator, value)
