# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
from contextlib import contextmanager
from datetime import timedelta

from psycopg2.errors import TransactionRollbackError

from odoo import api, fields, models
from odoo.tools import SQL, config

from odoo.addons.account_dunning_advanced.models.chase.dunning_run import RUN_LOCK_KEY
from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError

# The channel of every collections job; its capacity is the administrator's
# (queue_job's ``[queue_job] channels = root:4,root.dunning:2``).
CHANNEL = "root.dunning"
# A job that is not over yet: it holds its company's run lock.
PENDING_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")
# The batch jobs, counted by the progress.
BATCH_METHODS = ("_dunning_job_plan", "_dunning_job_execute")
# Seconds before a batch that met a concurrent transaction is tried again.
RETRY_SECONDS = 5
# After this many minutes without any job started, the run's form says that no
# job runner seems to serve the database.
RUNNER_WAIT_MINUTES = 3


def batch_hash(ids):
    """A short digest of a batch's content, for its job's identity key."""
    return hashlib.sha1(str(sorted(ids)).encode()).hexdigest()[:16]


@contextmanager
def retry_on_concurrency():
    """Turn a concurrent-update error into a retry of the job.

    The work is done in a savepoint, so the transaction stays usable; the job
    is tried again later from the start of its batch (a batch is idempotent).
    """
    try:
        yield
    except TransactionRollbackError as error:  # serialization failure, deadlock
        raise RetryableJobError(str(error), seconds=RETRY_SECONDS) from error


class DunningRun(models.Model):
    """The run as a graph of jobs: a job per batch of debtors plans, then a
    job per batch of actions sends, then a job finishes (thank-you notes,
    log, state)."""

    _inherit = "dunning.run"

    queue_job_count = fields.Integer(string="Jobs", compute="_compute_queue_job_counts")
    queue_job_failed_count = fields.Integer(
        string="Failed jobs", compute="_compute_queue_job_counts"
    )
    queue_waiting_warning = fields.Char(
        string="Waiting for the job runner",
        compute="_compute_queue_job_counts",
        help="Shown when none of the run's jobs has started for "
        "a few minutes: no job runner serves the database.",
    )

    # ------------------------------------------------------------------
    # The run's jobs
    # ------------------------------------------------------------------
    def _dunning_job_key(self, step, ids=None):
        """The identity key of the run's job for ``step`` (and batch ``ids``):
        a job already waiting with this key is not created twice."""
        self.ensure_one()
        key = f"dunning.run/{self.id}/{step}"
        return f"{key}/{batch_hash(ids)}" if ids is not None else key

    def _dunning_jobs_domain(self):
        """The jobs of the run's current attempt (a failed run started again
        enqueues new ones)."""
        self.ensure_one()
        domain = [("identity_key", "=like", f"dunning.run/{self.id}/%")]
        if self.started_at:
            domain.append(("date_created", ">=", self.started_at))
        return domain

    def _compute_queue_job_counts(self):
        Job = self.env["queue.job"].sudo()
        for run in self:
            if not run.id:
                run.queue_job_count = run.queue_job_failed_count = 0
                continue
            counts = dict(
                Job._read_group(run._dunning_jobs_domain(), ["state"], ["__count"])
            )
            run.queue_job_count = sum(counts.values())
            run.queue_job_failed_count = counts.get("failed", 0)
            run.queue_waiting_warning = run._dunning_queue_waiting_warning(counts)

    def _dunning_queue_waiting_warning(self, counts):
        """Return the warning of a run none of whose jobs has left the queue
        (``pending``, or waiting for those) ``RUNNER_WAIT_MINUTES`` after the
        run started: the server was started without queue_job's job runner
        (see the addon's CONFIGURE); the run would otherwise look frozen."""
        self.ensure_one()
        if (
            self.state != "running"
            or not self.started_at
            or not counts
            or not set(counts) <= {"pending", "wait_dependencies"}
        ):
            return False
        waiting = fields.Datetime.now() - self.started_at
        if waiting < timedelta(minutes=RUNNER_WAIT_MINUTES):
            return False
        return self.env._(
            "None of the %(count)s jobs of this run has started in %(minutes)s "
            "minutes: no job runner seems to serve this database. Start Odoo "
            "with server_wide_modules = web,queue_job (and workers), or "
            'uninstall the addon "Dunning: Job Queue" to run in one process.',
            count=sum(counts.values()),
            minutes=int(waiting.total_seconds() // 60),
        )

    def _compute_batch_progress(self):
        """While the jobs run, the progress counts the batch jobs done (the
        jobs do not write on the run: parallel workers would conflict on its
        row)."""
        result = super()._compute_batch_progress()
        Job = self.env["queue.job"].sudo()
        for run in self.filtered(lambda r: r.state == "running" and r.batch_total):
            done = Job.search_count(
                run._dunning_jobs_domain()
                + [("method_name", "in", BATCH_METHODS), ("state", "=", "done")]
            )
            run.batch_progress = 100.0 * min(done, run.batch_total) / run.batch_total
        return result

    def action_view_failed_jobs(self):
        """Open the failed jobs of the run: their errors, to requeue them."""
        action = self.action_view_jobs()
        action["domain"] = action["domain"] + [("state", "=", "failed")]
        return action

    def action_view_jobs(self):
        """Open the jobs of the run."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "queue_job.action_queue_job"
        )
        action.update(
            {
                "name": self.env._("Jobs of %(run)s", run=self.name),
                "domain": self._dunning_jobs_domain(),
                "context": {},
            }
        )
        return action

    # ------------------------------------------------------------------
    # Lock
    # ------------------------------------------------------------------
    @api.model
    def _dunning_queue_busy(self, company_id):
        """Whether a run of ``company_id`` is running with jobs not over yet."""
        Job = self.env["queue.job"].sudo()
        for run in self.sudo().search(
            [("company_id", "=", company_id), ("state", "=", "running")]
        ):
            if Job.search_count(
                run._dunning_jobs_domain() + [("state", "in", PENDING_JOB_STATES)],
                limit=1,
            ):
                return True
        return False

    @api.model
    def _dunning_try_lock(self, company_id):
        """A run whose jobs are pending holds the company's lock, checked
        under the advisory lock (two runs started together see each other)."""
        locked = super()._dunning_try_lock(company_id)
        if not locked or not self._dunning_use_queue():
            return locked
        if not self._dunning_queue_busy(company_id):
            return True
        if self.env.context.get("dunning_auto_commit"):
            # The session lock would outlive the refusal.
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK_KEY, company_id)
            )
        return False

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _dunning_use_queue(self):
        """Whether the run goes to the job queue.

        The context key ``dunning_queue`` decides when given; otherwise the
        queue is used, except in tests (the other addons' tests expect the
        in-process run: their jobs would wait for a job runner).
        """
        forced = self.env.context.get("dunning_queue")
        if forced is not None:
            return bool(forced)
        return not config["test_enable"]

    def _job_prepare_context_before_enqueue_keys(self):
        return (
            *super()._job_prepare_context_before_enqueue_keys(),
            "dunning_skip_execute",
        )

    def _dunning_delayable(self, step, ids=None):
        return self.delayable(
            channel=CHANNEL,
            identity_key=self._dunning_job_key(step, ids),
            description=self.env._(
                "%(run)s: %(step)s", run=self.name, step=self._dunning_step_label(step)
            ),
        )

    def _dunning_step_label(self, step):
        return {
            "plan": self.env._("plan a batch of debtors"),
            "schedule": self.env._("list the actions to send"),
            "execute": self.env._("send a batch of actions"),
            "finish": self.env._("finish"),
        }[step]

    def _run(self):
        """Enqueue the run: one job per batch of debtors, then a job that
        lists the actions to send and enqueues them (they exist only once
        planned). The run stays running until its last job."""
        if not self._dunning_use_queue():
            return super()._run()
        self.ensure_one()
        self._dunning_cancel_jobs()
        self._dunning_start()
        batches = self._dunning_plan_batches()
        self._dunning_progress(total=len(batches))
        schedule = self._dunning_delayable("schedule")._dunning_job_schedule()
        if batches:
            group(
                *(
                    self._dunning_delayable("plan", ids)._dunning_job_plan(ids)
                    for ids in batches
                )
            ).on_done(schedule).delay()
        else:
            schedule.delay()
        self._commit()

    def _dunning_cancel_jobs(self):
        """Cancel the jobs a failed attempt of the run left waiting (behind
        its failed job): the run starts again with new ones."""
        self.env["queue.job"].sudo().search(
            [
                ("identity_key", "=like", f"dunning.run/{self.id}/%"),
                ("state", "in", ("wait_dependencies", "pending", "enqueued")),
            ]
        ).button_cancelled()

    def _dunning_progress(self, total=None, done=0):
        if self.env.context.get("dunning_queue_job"):
            # Counted from the jobs: no write on the run's row in parallel.
            done = 0
        return super()._dunning_progress(total=total, done=done)

    def _dunning_sync_progress(self):
        """Store the number of batch jobs done (the jobs that write it run
        one at a time: the schedule and finish jobs)."""
        done = (
            self.env["queue.job"]
            .sudo()
            .search_count(
                self._dunning_jobs_domain()
                + [("method_name", "in", BATCH_METHODS), ("state", "=", "done")]
            )
        )
        self.batch_done = min(done, self.batch_total)

    def _dunning_job_plan(self, partner_ids):
        """Job: plan a batch of debtors and create their actions."""
        with retry_on_concurrency():
            lines, created = self.with_context(
                dunning_queue_job=True
            )._dunning_plan_batch(partner_ids)
        return self.env._(
            "%(lines)s open lines read, %(created)s actions created.",
            lines=lines,
            created=created,
        )

    def _dunning_job_schedule(self):
        """Job: once planned, enqueue a job per batch of actions to send,
        then the finish job."""
        self._dunning_sync_progress()
        finish = self._dunning_delayable("finish")._dunning_job_finish()
        batches = (
            []
            if self.env.context.get("dunning_skip_execute")
            else self._dunning_execute_batches()
        )
        if not batches:
            finish.delay()
            return self.env._("No action to send.")
        self._dunning_progress(total=self.batch_total + len(batches))
        group(
            *(
                self._dunning_delayable("execute", ids)._dunning_job_execute(ids)
                for ids in batches
            )
        ).on_done(finish).delay()
        return self.env._("%(count)s batches of actions to send.", count=len(batches))

    def _dunning_job_execute(self, action_ids):
        """Job: send the actions of a batch still pending."""
        with retry_on_concurrency(), self.env.cr.savepoint():
            done = self.with_context(dunning_queue_job=True)._dunning_execute_batch(
                action_ids
            )
        return self.env._("%(count)s actions sent.", count=done)

    def _dunning_job_finish(self):
        """Job: thank the payers, write the log, mark the run done."""
        thanked = 0
        if not self.env.context.get("dunning_skip_execute"):
            thanked = self._send_thank_you()
        self._dunning_sync_progress()
        log = self.env._(
            "%(batches)s batches run on the job queue: %(created)s actions, "
            "%(executed)s sent, %(thanked)s thank-you notes.",
            batches=self.batch_done,
            created=self.action_count,
            executed=self.action_done_count,
            thanked=thanked,
        )
        self._dunning_finish(log)
        return log

    def _dunning_job_on_fail(self, exc_info=None, exc_name=None, exc_message=None):
        """A job of the run failed for good: the run is failed, with the
        error (its jobs are listed on the run; requeued, the job resumes)."""
        self.write(
            {
                "state": "failed",
                "log": self.env._(
                    "A job of the run failed: %(error)s (see the run's jobs).",
                    error=exc_message or exc_name,
                ),
            }
        )
