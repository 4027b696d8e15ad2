# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ...engine import planner
from .bulk_insert import ids_array


class DunningPlanner(models.AbstractModel):
    """Feeds the engine (engine/planner.py) with rows read in bulk.

    A handful of queries whatever the number of lines: one SQL query for the
    open receivable lines with the level each one reached, one grouped read for
    the debtors' last reminder dates, and the scenarios' levels.
    """

    _name = "dunning.planner"
    _description = "Collections engine: data access"

    @api.model
    def _lines_query(self, company, partner_ids=None):
        """Return the SQL selecting the collectible lines of company.

        The lines are those of ``account.move.line._dunning_collectible_sql``
        (the one definition), their due date its ``_dunning_due_date_sql``.
        The level each line reached is read apart, for the lines of a batch
        (:meth:`_reached_level_sql`, :meth:`_pending_line_sql`).

        Columns, in order: line id, commercial partner id, currency id, due
        date, open amount in the line currency, in the company currency,
        excluded flag (the invoice is excluded, in an open dispute or a
        running payment plan), date of the debt (invoice date, else
        accounting date).
        """
        Line = self.env["account.move.line"]
        # The batch's lines through the partner index of the lines
        # (account_move_line_partner_id_ref_idx): a batch never scans the
        # whole ledger.
        partner_filter = (
            SQL(
                "AND aml.partner_id IN (SELECT id FROM res_partner"
                " WHERE commercial_partner_id = ANY(%s))",
                ids_array(partner_ids),
            )
            if partner_ids is not None
            else SQL()
        )
        return SQL(
            """
            SELECT aml.id,
                   p.commercial_partner_id,
                   aml.currency_id,
                   %(due_date)s,
                   aml.amount_residual_currency,
                   aml.amount_residual,
                   COALESCE(am.dunning_excluded, FALSE) OR EXISTS (
                       SELECT 1
                         FROM dunning_dispute_move_rel dr
                         JOIN dunning_dispute d ON d.id = dr.dispute_id
                        WHERE dr.move_id = am.id
                          AND d.state = 'open'
                   ) OR EXISTS (
                       SELECT 1
                         FROM dunning_payment_plan_move_rel pr
                         JOIN dunning_payment_plan pp ON pp.id = pr.plan_id
                        WHERE pr.move_id = am.id
                          AND pp.state = 'running'
                   ),
                   COALESCE(am.invoice_date, am.date)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE %(collectible)s
               %(partner_filter)s
            """,
            due_date=Line._dunning_due_date_sql("aml"),
            collectible=Line._dunning_collectible_sql("aml", company),
            partner_filter=partner_filter,
        )

    @api.model
    def _reached_levels_sql(self, line_alias=None):
        """Return the SQL relation of the level each line reached.

        THE line's level, shared by the planner, the analysis views and the
        cockpit: the level of the last done reminder of the line (drafts,
        errors and cancelled ones do not count). One row per line listed in a
        done action; columns ``move_line_id``, ``level_id``, ``delay_days``,
        ``date``, ``awaiting_receipt``. Join it by line (``LEFT JOIN <this>
        last ON last.move_line_id = aml.id``), or, with ``line_alias``, read
        it for the one line of that alias in a LATERAL
        (:meth:`_reached_level_sql`).

        The level is reached when the debtor is put on notice. For a reminder
        sent by registered letter (``dunning.registered.letter``) that is its
        receipt, not the day it was produced: ``date`` is the date of the
        acknowledgement, or of the first presentation of a letter not claimed
        (the start of its deadline to pay, Code de procédure civile art. 669
        and Code civil art. 1344; see the letter's class). While the letter is
        still to post or posted without an outcome, ``awaiting_receipt`` is
        true: the next level waits (the planner reads it as a pending
        reminder). A letter returned undelivered keeps the action's date.

        A set for the queries that read every open line (the analysis).
        For one line, its actions are read through the index of the lines'
        actions, then each by its key (:meth:`_line_actions_sql`). The
        planner also turns sequential scans off for that read
        (:meth:`_fetch_lines`): the statistics of the action tables lag
        behind a run. The other per-line readers (the cockpit's top debtors,
        the debtors' list) read them between runs, with current statistics.
        """
        return SQL(
            """(
                SELECT DISTINCT ON (r.move_line_id)
                       r.move_line_id,
                       a.level_id,
                       lvl.delay_days,
                       CASE rl.state
                           WHEN 'received' THEN
                               COALESCE(rl.acknowledgement_date, a.date)
                           WHEN 'not_claimed' THEN
                               COALESCE(rl.presentation_date, a.date)
                           ELSE a.date
                       END AS date,
                       COALESCE(rl.state IN ('to_post', 'posted'), FALSE)
                           AS awaiting_receipt
                  FROM %(actions)s
                  JOIN dunning_level lvl ON lvl.id = a.level_id
                  LEFT JOIN LATERAL (
                      SELECT l.state, l.acknowledgement_date, l.presentation_date
                        FROM dunning_registered_letter l
                       WHERE l.action_id = a.id
                    ORDER BY l.id DESC
                       LIMIT 1
                  ) rl ON TRUE
              ORDER BY r.move_line_id, a.date DESC, a.id DESC
            )""",
            actions=self._line_actions_sql(SQL("a.state = 'done'"), line_alias),
        )

    @api.model
    def _line_actions_sql(self, action_condition, line_alias=None):
        """Return the FROM items ``r`` (the lines' actions) and ``a`` (their
        actions, those ``action_condition`` keeps).

        With ``line_alias``, for the one line of that alias only, read in a
        fixed order: its rows of the lines' actions, then each action by its
        key (``OFFSET 0`` keeps the subqueries as they are: as a join,
        PostgreSQL started from the actions when their statistics said they
        were a handful, and read all the drafts for every line). The order
        alone does not choose the index: on a table its statistics take for
        empty, PostgreSQL still scanned the lines' actions once per line
        (a batch of 5,000 lines: seconds, growing with the run); the planner
        turns sequential scans off for its read (:meth:`_fetch_lines`).
        """
        if not line_alias:
            return SQL(
                """dunning_action_move_line_rel r
                  JOIN dunning_action a ON a.id = r.action_id AND %s""",
                action_condition,
            )
        return SQL(
            """(
                SELECT r.move_line_id, r.action_id
                  FROM dunning_action_move_line_rel r
                 WHERE r.move_line_id = %(line)s.id
                OFFSET 0
            ) r
            JOIN LATERAL (
                SELECT a.*
                  FROM dunning_action a
                 WHERE a.id = r.action_id
                OFFSET 0
            ) a
            ON %(condition)s""",
            line=SQL.identifier(line_alias),
            condition=action_condition,
        )

    @api.model
    def _reached_level_sql(self, alias="aml"):
        """Return the level reached by the line ``alias``, for a LATERAL.

        :meth:`_reached_levels_sql` for one line, for the queries that read
        some lines (``LEFT JOIN LATERAL <this> last ON TRUE``).
        """
        return SQL("(SELECT * FROM %s one)", self._reached_levels_sql(alias))

    @api.model
    def _pending_line_sql(self, alias):
        """Return whether the line ``alias`` is listed in a reminder not
        sent yet (draft or error), for a LATERAL: the next level waits for
        it. One row ``(pending)`` or none."""
        return SQL(
            "(SELECT TRUE AS pending FROM %s LIMIT 1)",
            self._line_actions_sql(
                SQL("a.kind = 'reminder' AND a.state IN ('draft', 'error')"), alias
            ),
        )

    @api.model
    def _fetch_lines(self, company, partner_ids=None):
        """Return the open receivable lines as a list of planner.Line.

        Two queries: the lines (:meth:`_lines_query`), then, by line id, the
        level each reached (:meth:`_reached_level_sql`) and whether a
        reminder not sent yet lists it (:meth:`_pending_line_sql`).

        The second query probes the action tables line by line (a LATERAL
        per id of the batch, through the index of the lines' actions), so
        that its cost is the batch's, whatever the size of those tables and
        their statistics. As a set (``move_line_id = ANY(ids)`` joined to
        the actions), PostgreSQL chose, within a run, to read the whole
        table of the actions' lines and to hash every draft reminder the run
        had created so far, for each batch: at 1,000,000 open lines the two
        reads went from 43 to 101 ms a batch as the run went on (24 s of the
        run's 96 s, ``auto_explain``).
        """
        self.env.flush_all()
        cr = self.env.cr
        # A batch's queries read a few thousand lines through indexes, but on
        # a large ledger their cost estimate passes ``jit_above_cost``: the
        # JIT compilation took 60 ms a batch, longer than the query (100,000
        # open lines). For the transaction (the batch, in the daily job).
        cr.execute(SQL("SET LOCAL jit = off"))
        cr.execute(self._lines_query(company, partner_ids))
        rows = cr.fetchall()
        # Line by line through the indexes, whatever the statistics say of
        # the action tables (see _line_actions_sql): within a run they lag
        # behind it, and a table taken for a handful of rows is read whole,
        # once per line. For this query only: restored after it (an error
        # rolls it back with the savepoint or transaction it aborts).
        cr.execute(
            "SELECT current_setting('enable_seqscan'),"
            " set_config('enable_seqscan', 'off', true)"
        )
        seqscan = cr.fetchone()[0]
        cr.execute(
            SQL(
                """
                SELECT batch.id, last.level_id, last.delay_days, last.date,
                       COALESCE(last.awaiting_receipt, FALSE)
                           OR COALESCE(waiting.pending, FALSE)
                  FROM unnest(%(ids)s) AS batch(id)
                  LEFT JOIN LATERAL %(reached)s last ON TRUE
                  LEFT JOIN LATERAL %(pending)s waiting ON TRUE
                 WHERE last.level_id IS NOT NULL OR waiting.pending
                """,
                ids=ids_array([row[0] for row in rows]),
                reached=self._reached_level_sql("batch"),
                pending=self._pending_line_sql("batch"),
            )
        )
        reached = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(SQL("SELECT set_config('enable_seqscan', %s, true)", seqscan))
        none = (None, None, None, False)
        # In the order of planner.LINE_FIELDS: id, partner, currency, due
        # date, amount, amount in the company currency, reached level, its
        # delay and date, pending, excluded, invoice date.
        make = planner.Line.from_values
        lines = []
        for row in rows:
            level_id, delay, date, pending = reached.get(row[0], none)
            lines.append(
                make(
                    (
                        *row[:6],
                        level_id,
                        delay,
                        date,
                        pending,
                        row[6],
                        row[7],
                    )
                )
            )
        return lines

    @api.model
    def _dunning_debtor_fields(self):
        """Return the fields of the debtors a batch reads at once: those of
        the scenario's choice (forced scenario, the assignment rules'
        criteria), of the collector and of the engine's pauses. An extension
        whose rule reads another field adds it here."""
        return [
            "dunning_scenario_id",
            "category_id",
            "country_id",
            "dunning_collector_id",
            "user_id",
            "dunning_paused_until",
            "dunning_opt_out",
            "dunning_litigation",
            "dunning_proceeding_date",
        ]

    @api.model
    def _fetch_debtors(self, company, lines, on_date):
        """Return (debtors, scenarios) for the partners of lines.

        :return: a dict partner id -> planner.Debtor and the dict of the
            scenarios they use as planner.Scenario objects.
        """
        overdue = defaultdict(float)
        for line in lines:
            if line.amount_company > 0 and line.due_date < on_date:
                overdue[line.partner_id] += line.amount_company
        partners = self.env["res.partner"].browse({line.partner_id for line in lines})
        # Only the fields the choice of scenario and collector and the
        # engine read: the first access to one of them would otherwise read
        # every column of the batch's partners, company-dependent ones
        # (a jsonb lookup and an existence check each) included.
        partners.fetch(self._dunning_debtor_fields())
        # The scenario chasing each debtor, with its arm in a champion/
        # challenger test (the challenger's levels for the challenger arm).
        arms = self.env["dunning.scenario"]._dunning_resolve_arms(
            partners, company, overdue, on_date
        )
        scenario_by_partner = {pid: arm[0] for pid, arm in arms.items()}
        # The views (analysis, forecast, cockpit) read this resolution.
        self.env["dunning.debtor.status"]._dunning_store(
            company, scenario_by_partner, arms, on_date
        )
        last_dates = dict(
            self.env["dunning.action"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("kind", "=", "reminder"),
                    ("state", "in", ("draft", "done")),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        promises = self.env["dunning.promise"]._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids),
                ("state", "in", ("open", "broken")),
            ],
            ["partner_id", "state"],
            ["date:max", "date_broken:max"],
        )
        # An open promise pauses the chase until the day after its date.
        promised = {
            partner: day + timedelta(days=1)
            for partner, state, day, _broken in promises
            if state == "open"
        }
        broken = {
            partner: day for partner, state, _day, day in promises if state == "broken"
        }
        # Insolvency proceedings: the debts prior to the judgment are stayed.
        judgments = self.env["dunning.proceeding"]._dunning_judgment_dates(partners)
        debtors = {
            partner.id: planner.Debtor(
                partner_id=partner.id,
                scenario_id=scenario_by_partner[partner.id].id or None,
                last_reminder_date=last_dates.get(partner),
                paused_until=max(
                    filter(None, (partner.dunning_paused_until, promised.get(partner))),
                    default=None,
                ),
                opt_out=partner.dunning_opt_out,
                litigation=partner.dunning_litigation,
                broken_promise_date=broken.get(partner),
                proceeding_date=judgments.get(partner.id),
            )
            for partner in partners
        }
        scenarios = self.env["dunning.scenario"].union(*scenario_by_partner.values())
        return debtors, scenarios._get_engine_scenarios()

    @api.model
    def _compute_plan(self, company, on_date, partner_ids=None):
        """Run the engine for company on on_date.

        :param partner_ids: restrict to these commercial partners (None: all).
        :return: (plan, lines): the engine's Plan and the lines it read.
        """
        sudo_self = self.sudo().with_company(company)
        lines = sudo_self._fetch_lines(company, partner_ids)
        debtors, scenarios = sudo_self._fetch_debtors(company, lines, on_date)
        tolerance = company.dunning_tolerance
        result = planner.plan(lines, debtors, scenarios, on_date, tolerance)
        return result, lines
