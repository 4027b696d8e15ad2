# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL


class DunningDebtorStatus(models.Model):
    """The scenario and the collector the planner resolved for a debtor.

    One row per (commercial partner, company): the result of the Python
    resolution (forced scenario, assignment rules with their overridable
    ``_matches``, default scenario; the collector rule of
    :meth:`res.partner._dunning_resolve_collector`), stored so that the SQL
    views (receivables analysis, forecast, cockpit) show the same as the
    debtor's form without evaluating the rules in SQL.

    Written in bulk by every planner computation (:meth:`_dunning_store`),
    refreshed for the debtors concerned when what decides it changes (the
    partner's forced scenario, collector, salesperson, tags, country; the
    rules; the default scenario; a scenario archived), and filled on the fly
    for the debtors never computed yet (:meth:`_dunning_fill_missing`) before
    the views are read. What moves by itself (the overdue amount of the
    minimum-amount rules, the grade of account_dunning_score) is caught at
    the next planner computation (nightly run, the debtor's form).

    Indexes: the unique (partner, company) index serves the views' join and
    the upserts; company_id the refresh of a company.
    """

    _name = "dunning.debtor.status"
    _description = "Collections: resolved scenario and collector of a debtor"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True, readonly=True
    )
    scenario_id = fields.Many2one(
        "dunning.scenario", ondelete="set null", index="btree_not_null", readonly=True
    )
    collector_id = fields.Many2one(
        "res.users", ondelete="set null", index="btree_not_null", readonly=True
    )
    # Champion/challenger (dunning_scenario_challenger.py): the test the
    # debtor is part of, its arm and since when (the day it entered the arm).
    champion_id = fields.Many2one(
        "dunning.scenario",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    arm = fields.Selection(
        [("champion", "Champion"), ("challenger", "Challenger")],
        readonly=True,
    )
    arm_since = fields.Date(string="In this arm since", readonly=True)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "One resolved status per debtor and company.",
        )
    ]

    @api.model
    def _dunning_resolve(self, company, partners, overdue_by_partner=None):
        """Resolve in Python the scenario and collector of commercial partners.

        THE definition: :meth:`dunning.scenario._resolve_for_partners` and
        :meth:`res.partner._dunning_resolve_collector`.

        :return: dict partner id -> (dunning.scenario, res.users).
        """
        partners = partners.sudo().with_company(company)
        scenarios = (
            self.env["dunning.scenario"]
            .sudo()
            ._resolve_for_partners(partners, company, overdue_by_partner)
        )
        return {
            partner.id: (
                scenarios[partner.id].with_env(self.env),
                partner._dunning_resolve_collector(scenarios[partner.id]).with_env(
                    self.env
                ),
            )
            for partner in partners
        }

    @api.model
    def _dunning_store(
        self, company, scenario_by_partner, arm_by_partner=None, on_date=None
    ):
        """Store the scenarios the planner resolved, and their collectors.

        Two queries whatever the number of debtors: the stored rows are read,
        the changed or missing ones upserted in one statement (nothing is
        written when nothing changed, e.g. on the debtor's form).

        :param scenario_by_partner: dict commercial partner id ->
            dunning.scenario (possibly empty).
        :param arm_by_partner: dict commercial partner id -> (scenario,
            champion, arm) of :meth:`dunning.scenario._dunning_resolve_arms`;
            None keeps the stored arms. A debtor whose champion or arm
            changes gets ``arm_since = on_date`` (default today).
        """
        if not scenario_by_partner:
            return
        on_date = on_date or fields.Date.context_today(self)
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .browse(list(scenario_by_partner))
        )
        wanted = {
            partner.id: (
                scenario_by_partner[partner.id].id or None,
                partner._dunning_resolve_collector(scenario_by_partner[partner.id]).id
                or None,
            )
            for partner in partners
        }
        stored = self._dunning_read_stored_arms(company, list(wanted))
        for pid, value in wanted.items():
            if arm_by_partner is not None and pid in arm_by_partner:
                _scenario, champion, arm = arm_by_partner[pid]
                wanted[pid] = (*value, champion.id or None, arm or None)
            else:
                wanted[pid] = (*value, *stored.get(pid, (None,) * 4)[2:])
        changed = [pid for pid, value in wanted.items() if stored.get(pid) != value]
        if not changed:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO dunning_debtor_status AS status
                       (partner_id, company_id, scenario_id, collector_id,
                        champion_id, arm, arm_since)
                SELECT partner_id, %(company)s, scenario_id, collector_id,
                       champion_id, arm,
                       CASE WHEN arm IS NOT NULL THEN %(on_date)s::date END
                  FROM unnest(%(partners)s::int[], %(scenarios)s::int[],
                              %(collectors)s::int[], %(champions)s::int[],
                              %(arms)s::varchar[])
                       AS row(partner_id, scenario_id, collector_id,
                              champion_id, arm)
                    ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET scenario_id = EXCLUDED.scenario_id,
                       collector_id = EXCLUDED.collector_id,
                       champion_id = EXCLUDED.champion_id,
                       arm = EXCLUDED.arm,
                       arm_since = CASE
                           WHEN status.champion_id IS NOT DISTINCT FROM
                                EXCLUDED.champion_id
                            AND status.arm IS NOT DISTINCT FROM EXCLUDED.arm
                           THEN status.arm_since
                           ELSE EXCLUDED.arm_since END
                """,
                company=company.id,
                on_date=on_date,
                partners=changed,
                scenarios=[wanted[pid][0] for pid in changed],
                collectors=[wanted[pid][1] for pid in changed],
                champions=[wanted[pid][2] for pid in changed],
                arms=[wanted[pid][3] for pid in changed],
            )
        )
        self._dunning_invalidate_views()

    @api.model
    def _dunning_invalidate_views(self):
        """Forget the cached rows of the status and of the views reading it."""
        for model in (
            "dunning.debtor.status",
            "dunning.receivable.report",
            "dunning.forecast.report",
        ):
            self.env[model].invalidate_model()

    @api.model
    def _dunning_overdue(self, company, partner_ids, on_date=None):
        """Return {commercial partner id: overdue amount in company currency}.

        The amount the planner gives the rules: open collectible lines with
        a positive residual due before ``on_date`` (one grouped query).
        """
        on_date = on_date or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT partner.commercial_partner_id, SUM(aml.amount_residual)
                      FROM account_move_line aml
                      JOIN res_partner partner ON partner.id = aml.partner_id
                     WHERE %(overdue)s
                       AND partner.commercial_partner_id = ANY(%(partners)s)
                     GROUP BY 1
                    """,
                    overdue=self.env["account.move.line"]._dunning_overdue_sql(
                        on_date, "aml", company
                    ),
                    partners=list(partner_ids),
                )
            )
        )

    @api.model
    def _dunning_refresh(self, company, partners=None):
        """Resolve again and store the debtors of ``company``.

        :param partners: these commercial partners (default: every debtor of
            the company, stored or with collectible lines).
        """
        self.env.flush_all()
        if partners is None:
            partner_ids = [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        """
                        SELECT partner_id FROM dunning_debtor_status
                         WHERE company_id = %(company)s
                        UNION
                        SELECT partner.commercial_partner_id
                          FROM account_move_line aml
                          JOIN res_partner partner ON partner.id = aml.partner_id
                         WHERE %(collectible)s
                        """,
                        company=company.id,
                        collectible=self.env[
                            "account.move.line"
                        ]._dunning_collectible_sql("aml", company),
                    )
                )
            ]
            partners = self.env["res.partner"].browse(partner_ids)
        partners = partners.commercial_partner_id
        if not partners:
            return
        overdue = self._dunning_overdue(company, partners.ids)
        arms = (
            self.env["dunning.scenario"]
            .sudo()
            .with_company(company)
            ._dunning_resolve_arms(
                partners.sudo().with_company(company), company, overdue
            )
        )
        self._dunning_store(
            company,
            {pid: arm[0].with_env(self.env) for pid, arm in arms.items()},
            arms,
        )

    @api.model
    def _dunning_refresh_companies(self, companies):
        """Resolve again every debtor of ``companies`` (rules, default changed)."""
        for company in companies:
            self._dunning_refresh(company)

    @api.model
    def _dunning_refresh_partners(self, partners):
        """Refresh the stored debtors ``partners`` in every company storing them."""
        commercial = partners.commercial_partner_id
        if not commercial:
            return
        by_company = defaultdict(list)
        for company_id, partner_id in self.env.execute_query(
            SQL(
                "SELECT company_id, partner_id FROM dunning_debtor_status "
                "WHERE partner_id = ANY(%s)",
                commercial.ids,
            )
        ):
            by_company[company_id].append(partner_id)
        for company_id, partner_ids in by_company.items():
            self._dunning_refresh(
                self.env["res.company"].browse(company_id),
                self.env["res.partner"].browse(partner_ids),
            )

    @api.model
    def _dunning_resolution_moves(self, company):
        """Whether the resolution of the debtors of ``company`` can change
        without any write that refreshes their stored rows.

        It can when a rule reads the overdue amount (it moves with the
        payments and the due dates) or a scenario has a challenger (its test
        starts by date); other addons add theirs (account_dunning_score: the
        rules on the grade). Otherwise every change that decides a debtor's
        scenario and collector refreshes its row (see the class): the stored
        rows are what a resolution gives, and only the debtors without a row
        need resolving (the debtors' list,
        ``res.partner._dunning_refresh_listed_status``).
        """
        if (
            self.env["dunning.scenario.rule"]
            .sudo()
            .search_count(
                [("company_id", "=", company.id), ("min_overdue_amount", ">", 0)],
                limit=1,
            )
        ):
            return True
        return bool(
            self.env["dunning.scenario"]
            .sudo()
            .search_count(
                [("company_id", "=", company.id), ("challenger_id", "!=", False)],
                limit=1,
            )
        )

    @api.model
    def _dunning_fill_missing(self, companies=None, partners=None):
        """Resolve and store the debtors with collectible lines never resolved.

        Called when invoices are posted and when a contact moves to another
        commercial partner: the views never miss a debtor (the lines posted
        before this table existed: a migration calls it, else the next
        planner run stores them). One query when none is missing.

        :param companies: only these companies (default: all).
        :param partners: only these commercial partners (default: all).
        """
        self.env.flush_all()
        partner_filter = (
            SQL(
                "AND partner.commercial_partner_id = ANY(%s)",
                partners.commercial_partner_id.ids,
            )
            if partners is not None
            else SQL()
        )
        missing = defaultdict(set)
        for company_id, partner_id in self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT aml.company_id, partner.commercial_partner_id
                  FROM account_move_line aml
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE %(collectible)s %(partner_filter)s
                   AND NOT EXISTS (
                        SELECT 1 FROM dunning_debtor_status status
                         WHERE status.partner_id = partner.commercial_partner_id
                           AND status.company_id = aml.company_id)
                """,
                collectible=self.env["account.move.line"]._dunning_collectible_sql(
                    "aml", companies
                ),
                partner_filter=partner_filter,
            )
        ):
            missing[company_id].add(partner_id)
        for company_id, partner_ids in missing.items():
            self._dunning_refresh(
                self.env["res.company"].browse(company_id),
                self.env["res.partner"].browse(partner_ids),
            )

    @api.model
    def _dunning_read_stored(self, company, partner_ids):
        """Return {partner id: (scenario id, collector id)} as stored (one query)."""
        return {
            partner_id: (scenario_id, collector_id)
            for partner_id, scenario_id, collector_id in self.env.execute_query(
                SQL(
                    """
                    SELECT partner_id, scenario_id, collector_id
                      FROM dunning_debtor_status
                     WHERE company_id = %s AND partner_id = ANY(%s)
                    """,
                    company.id,
                    list(partner_ids),
                )
            )
        }

    @api.model
    def _dunning_read_stored_arms(self, company, partner_ids):
        """Return {partner id: (scenario id, collector id, champion id, arm)}
        as stored (one query)."""
        return {
            row[0]: row[1:]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT partner_id, scenario_id, collector_id, champion_id, arm
                      FROM dunning_debtor_status
                     WHERE company_id = %s AND partner_id = ANY(%s)
                    """,
                    company.id,
                    list(partner_ids),
                )
            )
        }

    @api.model
    def _dunning_status_of(self, company, partners, overdue_by_partner=None):
        """Return {commercial partner id: (scenario, collector)} of ``company``.

        The stored resolution, else (a debtor the planner never covered, e.g.
        without open lines) the Python resolution, not stored.
        """
        partners = partners.commercial_partner_id
        self.env.flush_all()
        Scenario = self.env["dunning.scenario"]
        Users = self.env["res.users"]
        result = {
            partner_id: (Scenario.browse(scenario_id), Users.browse(collector_id))
            for partner_id, (scenario_id, collector_id) in self._dunning_read_stored(
                company, partners.ids
            ).items()
        }
        missing = partners.filtered(lambda p: p.id not in result)
        if missing:
            result.update(self._dunning_resolve(company, missing, overdue_by_partner))
        return result

    @api.model
    def _dunning_join_sql(self, partner_column, company_column, alias="status"):
        """Return the SQL LEFT JOIN of the stored status as ``alias``.

        :param partner_column: SQL of the commercial partner id of the row.
        :param company_column: SQL of its company id.
        """
        return SQL(
            "LEFT JOIN dunning_debtor_status %s ON %s.partner_id = %s "
            "AND %s.company_id = %s",
            SQL.identifier(alias),
            SQL.identifier(alias),
            partner_column,
            SQL.identifier(alias),
            company_column,
        )
