# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import time
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from .dunning_level import VALIDATED_TYPES

_logger = logging.getLogger(__name__)

# First key of the PostgreSQL advisory lock taken by a run; the second is the
# company id.  Any constant will do as long as it is unique to this lock.
RUN_LOCK_KEY = 460_137_801
# An invoice paid more than this many days before the run gets no thank-you.
THANKS_WINDOW_DAYS = 30


class DunningRunLockedError(UserError):
    """Another run holds the company's lock."""


class DunningRun(models.Model):
    """A pass of the engine over the receivables of a company on a date."""

    _name = "dunning.run"
    _description = "Collections run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The date the engine works for: the levels due on that date are "
        "computed, as if the run happened that day.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Started by", default=lambda self: self.env.user
    )
    is_automatic = fields.Boolean(readonly=True, help="Started by the daily job.")
    action_ids = fields.One2many("dunning.action", "run_id", string="Actions")
    action_count = fields.Integer(compute="_compute_action_counts")
    action_draft_count = fields.Integer(compute="_compute_action_counts")
    action_done_count = fields.Integer(compute="_compute_action_counts")
    action_error_count = fields.Integer(compute="_compute_action_counts")
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    log = fields.Text(readonly=True)
    batch_total = fields.Integer(
        string="Batches", readonly=True, help="Batches of debtors and of actions."
    )
    batch_done = fields.Integer(string="Batches done", readonly=True)
    batch_progress = fields.Float(
        string="Progress", compute="_compute_batch_progress", help="Batches done, in %."
    )

    @api.depends("action_ids.state")
    def _compute_action_counts(self):
        counts = defaultdict(int)
        for run, state, count in self.env["dunning.action"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
        ):
            counts[(run.id, state)] = count
        for run in self:
            run.action_draft_count = counts[(run.id, "draft")]
            run.action_done_count = counts[(run.id, "done")]
            run.action_error_count = counts[(run.id, "error")]
            run.action_count = sum(
                count for (run_id, _state), count in counts.items() if run_id == run.id
            )

    @api.depends("batch_total", "batch_done")
    def _compute_batch_progress(self):
        for run in self:
            run.batch_progress = (
                100.0 * run.batch_done / run.batch_total if run.batch_total else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("dunning.run")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_run(self):
        """Compute the reminders due on the run's date and send the automatic ones.

        A run can be started again after a failure: it resumes, and what was
        already created or sent is not created or sent twice.
        """
        for run in self:
            if run.state == "done":
                raise UserError(
                    self.env._(
                        "The run %(run)s is already done. Start a new run.",
                        run=run.name,
                    )
                )
            run._run_locked()
        return True

    def action_print_letters(self):
        """Print the letters of this run's actions as one PDF."""
        self.ensure_one()
        actions = self.action_ids.filtered(
            lambda a: a.state == "done" and "letter" in a.channel_ids.mapped("channel")
        )
        if not actions:
            raise UserError(self.env._("This run produced no letter."))
        return self.env.ref(
            "account_dunning_advanced.action_report_dunning_letter"
        ).report_action(actions)

    def action_view_actions(self):
        """Open the actions of this run."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_action_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_by_state": 0}
        return action

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    def _lock(self):
        """Take the company's run lock, or refuse with a clear message.

        The lock is held until the run's work is committed, so that a second
        run never starts on top of uncommitted actions (it would block on them
        instead of being refused):

        - the daily job (``dunning_auto_commit``) commits after each batch: it
          takes a session-level PostgreSQL advisory lock, which survives those
          commits, and releases it after its last commit (``_unlock``);
          PostgreSQL releases it as well if the process dies, so a crashed run
          never blocks the next one;
        - an interactive run commits once, when the request ends: it takes a
          transaction-level lock, released by that commit (or rollback).
        """
        self.ensure_one()
        if not self._dunning_try_lock(self.company_id.id):
            raise DunningRunLockedError(
                self.env._(
                    "A collections run is already in progress for %(company)s. "
                    "Wait until it is finished, then try again.",
                    company=self.company_id.name,
                )
            )

    @api.model
    def _dunning_try_lock(self, company_id):
        """Try to take the run lock of ``company_id``; return whether it was.

        See ``_lock`` for the lock's lifetime.
        """
        function = (
            "pg_try_advisory_lock"
            if self.env.context.get("dunning_auto_commit")
            else "pg_try_advisory_xact_lock"
        )
        self.env.cr.execute(
            SQL("SELECT %s(%s, %s)", SQL.identifier(function), RUN_LOCK_KEY, company_id)
        )
        return self.env.cr.fetchone()[0]

    def _unlock(self):
        """Release the daily job's session lock (see ``_lock``).

        The transaction-level lock of an interactive run goes with its commit.
        """
        if self.env.context.get("dunning_auto_commit"):
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_unlock(%s, %s)",
                    RUN_LOCK_KEY,
                    self.company_id.id,
                )
            )

    def _run_locked(self):
        self.ensure_one()
        self._lock()
        try:
            self._run()
        except Exception:
            if self.env.context.get("dunning_auto_commit"):
                # What the batches committed stays; the session lock must be
                # released on a usable transaction.
                self.env.cr.rollback()
            raise
        finally:
            self._unlock()

    def _commit(self):
        """Commit between batches in the daily job only.

        Interactive runs and tests stay in one transaction; the cron commits
        each batch so that a crash keeps what was done and a rerun resumes.
        """
        if self.env.context.get("dunning_auto_commit"):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _batch_size(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dunning_advanced.batch_size", 500)
        )

    def _run(self):
        """Plan and create the actions by batches of debtors, then send the
        automatic ones by batches of actions.

        The batches are the units a job queue distributes (the addon
        ``account_dunning_queue`` runs each as a job): ``_dunning_plan_batches``
        / ``_dunning_plan_batch`` and ``_dunning_execute_batches`` /
        ``_dunning_execute_batch``. Each batch is idempotent: started again
        after a crash, it creates and sends nothing twice.
        """
        self.ensure_one()
        start = time.perf_counter()
        self._dunning_start()
        lines = created = 0
        batches = self._dunning_plan_batches()
        self._dunning_progress(total=len(batches))
        for partner_ids in batches:
            batch_lines, batch_created = self._dunning_plan_batch(partner_ids)
            lines += batch_lines
            created += batch_created
        executed = thanked = 0
        if not self.env.context.get("dunning_skip_execute"):
            executed = self._execute_automatic()
            thanked = self._send_thank_you()
        self._dunning_finish(
            self.env._(
                "%(lines)s open receivable lines read, %(created)s actions "
                "created, %(executed)s sent automatically, %(thanked)s thank-you "
                "notes in %(seconds).1f s.",
                lines=lines,
                created=created,
                executed=executed,
                thanked=thanked,
                seconds=time.perf_counter() - start,
            )
        )

    def _dunning_start(self):
        """Mark the run as running and do what comes before the batches:
        the promises due and the payment plans' follow-up."""
        self.write(
            {
                "state": "running",
                "started_at": fields.Datetime.now(),
                "log": False,
                "batch_total": 0,
                "batch_done": 0,
            }
        )
        self._commit()
        self.env["dunning.promise"]._check_due_promises(self.company_id, self.date)
        if not self.env.context.get("dunning_skip_execute"):
            self.env["dunning.payment.plan"]._follow_up(self.company_id, self.date)

    def _dunning_finish(self, log):
        self.write({"state": "done", "finished_at": fields.Datetime.now(), "log": log})
        self._commit()

    def _dunning_progress(self, total=None, done=0):
        """Record the number of batches of the run and those done."""
        vals = {}
        if total is not None:
            vals["batch_total"] = total
        if done:
            vals["batch_done"] = self.batch_done + done
        if vals:
            self.write(vals)

    def _dunning_plan_batches(self):
        """Return the debtors to plan, as lists of commercial partner ids of
        at most ``_batch_size()`` debtors (one query: the debtors that have a
        collectible line, ``account.move.line._dunning_collectible_sql``)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE %s
              ORDER BY 1
                """,
                self.env["account.move.line"]._dunning_collectible_sql(
                    "aml", self.company_id
                ),
            )
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        size = self._batch_size()
        return [
            partner_ids[start : start + size]
            for start in range(0, len(partner_ids), size)
        ]

    def _dunning_plan_batch(self, partner_ids):
        """Plan the debtors ``partner_ids`` on the run's date and create their
        actions, in a savepoint (committed by the daily job).

        :return: ``(lines read, actions created)``.
        """
        self.ensure_one()
        with self.env.cr.savepoint():
            plan, lines = self.env["dunning.planner"]._compute_plan(
                self.company_id, self.date, partner_ids
            )
            created = self._create_actions(plan.proposals)
            self._dunning_progress(done=1)
        self._commit()
        return len(lines), created

    def _dunning_execute_batches(self):
        """Return the pending actions of automatic levels, as lists of ids of
        at most ``_batch_size()`` actions.

        Picks up the automatic actions left unsent by an interrupted run as
        well: nobody is forgotten, and a sent action is never sent again.
        """
        self.ensure_one()
        action_ids = self.env["dunning.action"]._search(
            self._dunning_execute_domain(), order="id"
        )
        action_ids = list(action_ids)
        size = self._batch_size()
        return [
            action_ids[start : start + size]
            for start in range(0, len(action_ids), size)
        ]

    def _dunning_execute_domain(self):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("kind", "=", "reminder"),
            ("state", "=", "draft"),
            ("level_id.auto_execute", "=", True),
            ("date", "<=", self.date),
        ]
        if not self.company_id.dunning_allow_auto_formal_notice:
            # Formal notices and hand-offs wait for a collector, whatever
            # their level says (a level ticked before the setting was off).
            domain.append(("level_id.level_type", "not in", VALIDATED_TYPES))
        return domain

    def _dunning_execute_batch(self, action_ids):
        """Send the actions ``action_ids`` still pending (committed by the
        daily job); return how many are done.

        Only the actions still in draft are sent: a batch started again (a
        crashed worker's, a retried job) never sends an action twice.
        """
        self.ensure_one()
        batch = (
            self.env["dunning.action"]
            .browse(action_ids)
            .filtered_domain(self._dunning_execute_domain())
        )
        batch._execute()
        executed = len(batch.filtered(lambda a: a.state == "done"))
        self._dunning_progress(done=1)
        self._commit()
        return executed

    def _prepare_action_vals(self, proposal):
        """Return the values of the dunning.action created for a proposal.

        :param proposal: a planner.Proposal.
        """
        return {
            "run_id": self.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "kind": "reminder",
            "partner_id": proposal.partner_id,
            "currency_id": proposal.currency_id,
            "level_id": proposal.level_id,
            "scenario_id": proposal.scenario_id,
            "line_ids": [Command.set(proposal.line_ids)],
            "amount_due": proposal.amount,
            "amount_overdue": proposal.amount_overdue,
        }

    def _create_actions(self, proposals):
        """Create the actions of ``proposals`` (a batch of debtors).

        The values of each action are ``_prepare_action_vals`` (the hook),
        their recipients ``dunning.action._prepare_recipients_vals`` (the
        e-mail channel's choice, for the whole batch); the actions, their
        lines, recipients and channels are then inserted in a few statements
        (``dunning.action._dunning_create_reminders``).

        :return: the number of actions created (those already there are not
            created again).
        """
        if not proposals:
            return 0
        Action = self.env["dunning.action"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        vals_list = [self._prepare_action_vals(proposal) for proposal in proposals]
        actions = Action._dunning_create_reminders(
            Action._prepare_recipients_vals(vals_list)
        )
        created = len(actions)
        # What the batch read (its lines, debtors, contacts) leaves the
        # cache: a run holds one batch in memory, never the whole ledger.
        self.env.invalidate_all()
        return created

    def _execute_automatic(self):
        """Send the pending actions of automatic levels, by batches.

        :return: the number of actions done.
        """
        batches = self._dunning_execute_batches()
        self._dunning_progress(total=self.batch_total + len(batches))
        return sum(self._dunning_execute_batch(action_ids) for action_ids in batches)

    def _send_thank_you(self):
        """Thank the debtors for the invoices paid after a reminder, once each.

        An invoice qualifies when it is fully paid, received at least one
        reminder, and its debtor's scenario has a thank-you e-mail.  It is
        written to the recipients of its last reminder's level.
        """
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("paid", "in_payment")),
                ("dunning_thanked", "=", False),
                # Paid recently: never thank for old invoices after an upgrade.
                (
                    "line_ids.matched_credit_ids.max_date",
                    ">=",
                    self.date - timedelta(days=THANKS_WINDOW_DAYS),
                ),
                ("line_ids.dunning_action_ids.kind", "=", "reminder"),
                ("line_ids.dunning_action_ids.state", "=", "done"),
            ]
        )
        if not moves:
            return 0
        partners = moves.commercial_partner_id
        scenarios = self.env["dunning.scenario"]._resolve_for_partners(
            partners, self.company_id
        )
        Action = self.env["dunning.action"]
        last_reminders = Action.search(
            [
                ("line_ids.move_id", "in", moves.ids),
                ("kind", "=", "reminder"),
                ("state", "=", "done"),
            ],
            order="date desc, id desc",
        )
        paid = self._dunning_paid_amounts(moves)
        penalties_due = self._dunning_penalties_due(moves)
        thanked = self.env["account.move"]
        for move in moves:
            template = scenarios[move.commercial_partner_id.id].thankyou_template_id
            reminder = last_reminders.filtered(
                lambda a, m=move: m in a.line_ids.move_id
            )[:1]
            if not template or not reminder:
                continue
            to, cc, _note = Action._select_recipients(
                move.commercial_partner_id, reminder.level_id, move.partner_id
            )
            if not to:
                continue
            Action._dunning_queue_email(
                template,
                move,
                move,
                to,
                cc,
                self.env["ir.attachment"],
                render_context={
                    "dunning_paid_amount": format_amount(
                        self.env, paid.get(move.id, 0.0), move.currency_id
                    ),
                    "dunning_penalties_due": format_amount(
                        self.env, penalties_due[move.id], move.currency_id
                    )
                    if penalties_due.get(move.id)
                    else "",
                },
            )
            thanked |= move
        thanked.write({"dunning_thanked": True})
        return len(thanked)

    @api.model
    def _dunning_paid_amounts(self, moves):
        """Return ``{move id: amount received}`` in each invoice's currency.

        What the payments (and bank statement lines) reconciled with the
        invoice brought, not its total: credit notes are not a payment.
        """
        partials = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).matched_credit_ids
        partials.credit_move_id.move_id.mapped("move_type")
        paid = defaultdict(float)
        for partial in partials:
            if partial.credit_move_id.move_id.is_invoice(include_receipts=True):
                continue
            paid[partial.debit_move_id.move_id.id] += partial.debit_amount_currency
        return paid

    @api.model
    def _dunning_penalties_due(self, moves):
        """Return ``{move id: penalties still due}`` on the run's date.

        The late-payment interest and indemnity claimed and not yet invoiced
        (the invoices' own penalty computation), plus what is left to pay of
        the penalty invoices already issued for them.
        """
        Penalty = self.env["dunning.penalty"].sudo()
        start_dates, indemnity_done = Penalty._get_invoiced(moves)
        results = moves._dunning_penalty_compute(
            self.date, start_dates=start_dates, indemnity_done=indemnity_done
        )
        due = {
            move.id: float(results[move.id].total) if move.id in results else 0.0
            for move in moves
        }
        for penalty in Penalty.search(
            [("move_id", "in", moves.ids), ("penalty_state", "=", "posted")]
        ):
            penalty_move = penalty.penalty_move_id
            if penalty_move.payment_state in ("paid", "in_payment", "reversed"):
                continue
            # One penalty invoice may claim for several invoices: each keeps
            # its share of what is left to pay.
            share = (
                penalty_move.amount_residual / penalty_move.amount_total
                if penalty_move.amount_total
                else 0.0
            )
            due[penalty.move_id.id] += (penalty.interest + penalty.indemnity) * share
        return {move_id: amount for move_id, amount in due.items() if amount > 0.005}

    @api.model
    def _cron_run(self):
        """Daily job: one run per company that has an active scenario."""
        self = self.with_context(dunning_auto_commit=True)
        companies = [
            company
            for [company] in self.env["dunning.scenario"]._read_group(
                [("level_ids", "!=", False)], ["company_id"]
            )
        ]
        for company in companies:
            today = fields.Date.context_today(self.with_company(company))
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date", "=", today),
                    ("state", "in", ("draft", "running", "failed")),
                ],
                limit=1,
            ) or self.create(
                {"company_id": company.id, "date": today, "is_automatic": True}
            )
            self._commit()
            try:
                run.with_company(company).action_run()
            except DunningRunLockedError:
                _logger.info("Collections run for %s skipped: locked", company.name)
            except Exception as error:  # noqa: BLE001 - one company never stops the others
                self.env.cr.rollback()
                _logger.exception("Collections run %s failed", run.name)
                run.write({"state": "failed", "log": str(error)})
                self._commit()
        return True
