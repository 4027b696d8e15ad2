# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtors' list grouped, sorted and searched by the responsible
collector, the scenario and the level of the current company.

The three fields are computed in Python (:meth:`_compute_dunning_status`);
Odoo 18 groups and sorts a field that :meth:`_field_to_sql` turns into SQL
(``Field._description_groupable``), so each gets its SQL twin built from the
same sources as the compute:

* collector and scenario: the stored resolution of ``dunning.debtor.status``
  (what the compute reads). Before a grouping or a sort on them, the status
  of the debtors listed is resolved again and stored, as the compute does
  when it shows them (:meth:`_dunning_refresh_listed_status`): the group of a
  debtor is the value its column shows, even just after a grade changed.
* level: the level reached by the debtor's collectible lines, highest by
  (delay, date), with the line's level of the planner
  (:meth:`dunning.planner._reached_level_sql`): always current, nothing
  stored.
"""

from odoo import api, fields, models
from odoo.tools import SQL

#: The debtor's fields resolved from the stored status (column of the table).
STATUS_FIELDS = {
    "dunning_effective_collector_id": "collector_id",
    "dunning_effective_scenario_id": "scenario_id",
}
#: The debtor's computed fields this file makes groupable and sortable.
LIST_SQL_FIELDS = {*STATUS_FIELDS, "dunning_level_id"}


def search_by_sql(model, fname, operator, value):
    """Return the domain searching the many2one ``fname`` of ``model``
    through its SQL twin (``model._field_to_sql``): a debtor is found by the
    value of the group it is listed in. A name searches the comodel."""
    field = model._fields[fname]
    if isinstance(value, str) or operator in ("like", "ilike", "not ilike"):
        names = model.env[field.comodel_name]._search(
            [("display_name", operator.replace("not ", ""), value)]
        )
        operator = "not in" if operator.startswith("not") else "in"
        value = list(names)
    query = model._where_calc([], active_test=False)
    query.add_where(
        model._condition_to_sql(model._table, fname, operator, value, query)
    )
    return [("id", "in", query)]


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_effective_scenario_id = fields.Many2one(
        search="_search_dunning_effective_scenario_id"
    )
    dunning_level_id = fields.Many2one(search="_search_dunning_level_id")

    # ------------------------------------------------------------------
    # SQL twins of the computed fields
    # ------------------------------------------------------------------
    @api.model
    def _dunning_status_fields(self):
        """Return the fields read from the stored status, whose grouping or
        sort first refreshes the status of the debtors listed."""
        return set(STATUS_FIELDS)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        if fname in LIST_SQL_FIELDS:
            self.check_field_access_rights("read", [fname])
            commercial = SQL.identifier(
                alias,
                "commercial_partner_id",
                to_flush=self._fields["commercial_partner_id"],
            )
            if fname == "dunning_level_id":
                return self._dunning_level_sql(commercial)
            return self._dunning_status_sql(
                commercial, SQL("%s", self.env.company.id), STATUS_FIELDS[fname]
            )
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    @api.model
    def _dunning_level_sql(self, commercial):
        """Return the SQL of the level of the commercial partner ``commercial``
        (SQL of its id) in the current company.

        The twin of :meth:`_compute_dunning_status`: among the collectible
        lines of the company (the planner's lines), the level each reached
        (:meth:`dunning.planner._reached_level_sql`), the highest by delay,
        then date.
        """
        company = self.env.company
        for model in ("dunning.action", "dunning.level", "dunning.registered.letter"):
            self.env[model].flush_model()
        return SQL(
            """(
            SELECT last.level_id
              FROM account_move_line aml
              JOIN res_partner line_partner ON line_partner.id = aml.partner_id
              JOIN LATERAL %(reached)s last ON TRUE
             WHERE %(collectible)s
               AND line_partner.commercial_partner_id = %(commercial)s
          ORDER BY last.delay_days DESC, last.date DESC, last.level_id DESC
             LIMIT 1
            )""",
            reached=self.env["dunning.planner"]._reached_level_sql("aml"),
            collectible=self.env["account.move.line"]._dunning_collectible_sql(
                "aml", company
            ),
            commercial=commercial,
        )

    @api.model
    def _dunning_status_sql(self, commercial, company, column):
        """Return the SQL of the stored ``column`` (scenario_id, collector_id)
        of a commercial partner in a company, as :meth:`dunning.debtor.status.
        _dunning_status_of` reads it.

        A debtor never resolved in the company (no collectible line, never
        listed in a grouping) gets the resolution without the assignment
        rules: its forced scenario, else the company's default scenario; its
        collector, else the scenario's, else the salesperson (the collector
        rule of :meth:`_dunning_resolve_collector`).

        :param commercial: SQL of the commercial partner's id.
        :param company: SQL of the company's id.
        """
        self.flush_model(["dunning_scenario_id", "dunning_collector_id", "user_id"])
        self.env["dunning.scenario"].flush_model()
        scenario = SQL(
            """COALESCE(
                (SELECT forced.id FROM dunning_scenario forced
                  WHERE forced.id = (cp.dunning_scenario_id->>(%(company)s)::text)::int
                    AND forced.active AND forced.company_id = %(company)s),
                (SELECT byd.id FROM dunning_scenario byd
                  WHERE byd.is_default AND byd.active
                    AND byd.company_id = %(company)s
               ORDER BY byd.sequence, byd.id LIMIT 1))""",
            company=company,
        )
        if column == "scenario_id":
            fallback = scenario
        else:
            fallback = SQL(
                """COALESCE(cp.dunning_collector_id,
                            (SELECT sc.user_id FROM dunning_scenario sc
                              WHERE sc.id = %s),
                            cp.user_id)""",
                scenario,
            )
        return SQL(
            """(COALESCE(
                (SELECT ARRAY[status.%(column)s]
                   FROM dunning_debtor_status status
                  WHERE status.partner_id = %(commercial)s
                    AND status.company_id = %(company)s),
                (SELECT ARRAY[%(fallback)s] FROM res_partner cp
                  WHERE cp.id = %(commercial)s)))[1]""",
            column=SQL.identifier(column),
            commercial=commercial,
            company=company,
            fallback=fallback,
        )

    def _search_dunning_effective_scenario_id(self, operator, value):
        """Debtors by scenario: the group they are listed in."""
        return self._dunning_search_sql(
            "dunning_effective_scenario_id", operator, value
        )

    def _search_dunning_level_id(self, operator, value):
        """Debtors by current level: the group they are listed in."""
        return self._dunning_search_sql("dunning_level_id", operator, value)

    @api.model
    def _dunning_search_sql(self, fname, operator, value):
        """Return the domain searching ``fname`` through its SQL twin."""
        return search_by_sql(self, fname, operator, value)

    # ------------------------------------------------------------------
    # Grouping and sorting agree with the column
    # ------------------------------------------------------------------
    def _dunning_list_uses_status(self, *specs):
        """Whether groupby/order specs read a field of the stored status."""
        names = self._dunning_status_fields()
        for spec in specs:
            if not spec:
                continue
            terms = spec.split(",") if isinstance(spec, str) else spec
            for term in terms:
                fname = term.strip().split(" ")[0].split(":")[0].split(".")[0]
                if fname in names:
                    return True
        return False

    @api.model
    def _dunning_refresh_listed_status(self, domain):
        """Resolve again and store the status of the debtors of ``domain``
        in the current company, as the compute does for the rows it shows:
        a grouping or a sort then reads the value each row's column shows.

        Only when that resolution can have moved since it was stored
        (``dunning.debtor.status._dunning_resolution_moves``: rules on the
        overdue amount or the grade, challengers); otherwise the stored rows
        are current and only the debtors without one are resolved (sorting
        100,000 debtors by collector resolved them all: 19.9 s).
        """
        # Refused before anything is resolved to a user who may not read them.
        self.check_field_access_rights("read", sorted(self._dunning_status_fields()))
        Status = self.env["dunning.debtor.status"].sudo()
        company = self.env.company
        # The listed debtors' commercial partners in SQL: mapping 100,000
        # records to their commercial partner took 8 s.
        unresolved = (
            SQL()
            if Status._dunning_resolution_moves(company)
            else SQL(
                """AND NOT EXISTS (
                       SELECT 1 FROM dunning_debtor_status status
                        WHERE status.partner_id = partner.commercial_partner_id
                          AND status.company_id = %s)""",
                company.id,
            )
        )
        partner_ids = [
            partner_id
            for (partner_id,) in self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT partner.commercial_partner_id
                      FROM res_partner partner
                     WHERE partner.id IN %s
                           %s
                    """,
                    self._search(domain or []).subselect(),
                    unresolved,
                )
            )
        ]
        if partner_ids:
            Status._dunning_refresh(company, self.browse(partner_ids))

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        if self._dunning_list_uses_status(groupby, order):
            self._dunning_refresh_listed_status(domain)
        return super()._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if order and self._dunning_list_uses_status(order):
            self._dunning_refresh_listed_status(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)
