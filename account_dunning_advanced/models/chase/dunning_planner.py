# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ...engine import planner


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

        Columns, in order: line id, commercial partner id, currency id, due
        date, open amount in the line currency, in the company currency,
        excluded flag, last reached level (id, delay, date), pending flag (a
        reminder in draft or error, or the last one's registered letter not
        received yet: see ``_reached_level_sql``), date of the debt (invoice
        date, else accounting date).
        """
        Line = self.env["account.move.line"]
        # The batch's lines through the partner index of the lines
        # (account_move_line_partner_id_ref_idx): a batch never scans the
        # whole ledger.
        partner_filter = (
            SQL(
                "AND aml.partner_id IN (SELECT id FROM res_partner"
                " WHERE commercial_partner_id = ANY(%s))",
                list(partner_ids),
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
                   last.level_id,
                   last.delay_days,
                   last.date,
                   COALESCE(last.awaiting_receipt, FALSE) OR EXISTS (
                       SELECT 1
                         FROM dunning_action_move_line_rel pr
                        -- Driven by the line, see _reached_level_sql.
                        CROSS JOIN LATERAL (
                             SELECT 1
                               FROM dunning_action pa
                              WHERE pa.id = pr.action_id
                                AND pa.kind = 'reminder'
                                AND pa.state IN ('draft', 'error')
                             OFFSET 0
                        ) pa
                        WHERE pr.move_line_id = aml.id
                   ),
                   COALESCE(am.invoice_date, am.date)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
              LEFT JOIN LATERAL %(reached)s last ON TRUE
             WHERE %(collectible)s
               %(partner_filter)s
            """,
            due_date=Line._dunning_due_date_sql("aml"),
            collectible=Line._dunning_collectible_sql("aml", company),
            partner_filter=partner_filter,
            reached=self._reached_level_sql("aml"),
        )

    @api.model
    def _reached_level_sql(self, alias="aml"):
        """Return the SQL subquery of the level a line reached, for a LATERAL.

        THE line's level, shared by the planner and the analysis views: the
        level of the last done reminder of the line ``alias`` (drafts, errors
        and cancelled ones do not count). Columns: ``level_id``,
        ``delay_days``, ``date``, ``awaiting_receipt``. Use it as
        ``LEFT JOIN LATERAL <this> last ON TRUE``.

        The level is reached when the debtor is put on notice. For a reminder
        sent by registered letter (``dunning.registered.letter``) that is its
        receipt, not the day it was produced: ``date`` is the date of the
        acknowledgement, or of the first presentation of a letter not claimed
        (the start of its deadline to pay, Code de procédure civile art. 669
        and Code civil art. 1344; see the letter's class). While the letter is
        still to post or posted without an outcome, ``awaiting_receipt`` is
        true: the next level waits (the planner reads it as a pending
        reminder). A letter returned undelivered keeps the action's date.
        """
        return SQL(
            """(
                SELECT a.level_id,
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
                  FROM dunning_action_move_line_rel r
                  -- A LATERAL fenced by OFFSET 0: the line's rel rows drive
                  -- (their index on the line), the actions are read by id,
                  -- whatever the statistics of the actions (empty before the
                  -- first run, or the run's previous batches not analyzed
                  -- yet): never a scan of the actions per line.
                 CROSS JOIN LATERAL (
                      SELECT act.id, act.level_id, act.date
                        FROM dunning_action act
                       WHERE act.id = r.action_id
                         AND act.state = 'done'
                      OFFSET 0
                 ) a
                  JOIN dunning_level lvl ON lvl.id = a.level_id
                  LEFT JOIN LATERAL (
                      SELECT l.state, l.acknowledgement_date, l.presentation_date
                        FROM dunning_registered_letter l
                       WHERE l.action_id = a.id
                    ORDER BY l.id DESC
                       LIMIT 1
                  ) rl ON TRUE
                 WHERE r.move_line_id = %s.id
              ORDER BY a.date DESC, a.id DESC
                 LIMIT 1
            )""",
            SQL.identifier(alias),
        )

    @api.model
    def _fetch_lines(self, company, partner_ids=None):
        """Return the open receivable lines as a list of planner.Line."""
        self.env.flush_all()
        self.env.cr.execute(self._lines_query(company, partner_ids))
        return [
            planner.Line(
                id=row[0],
                partner_id=row[1],
                currency_id=row[2],
                due_date=row[3],
                amount=row[4],
                amount_company=row[5],
                excluded=row[6],
                reached_level_id=row[7],
                reached_delay=row[8],
                reached_date=row[9],
                pending=row[10],
                invoice_date=row[11],
            )
            for row in self.env.cr.fetchall()
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
        scenario_by_partner = self.env["dunning.scenario"]._resolve_for_partners(
            partners, company, overdue
        )
        # The views (analysis, forecast, cockpit) read this resolution.
        self.env["dunning.debtor.status"]._dunning_store(company, scenario_by_partner)
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
