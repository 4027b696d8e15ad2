# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.models.chase.dunning_run import DunningRun
from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d
from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models.dunning_run import CHANNEL, batch_hash
from .common import trap_jobs


class _Rollback(Exception):
    """Undo a block of a test (a savepoint rolled back)."""


@tagged("post_install", "-at_install")
class TestQueueRun(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtors = cls.debtor | cls.env["res.partner"].concat(
            *(cls._create_debtor(f"Debtor {i}") for i in range(4))
        )
        for debtor in cls.debtors:
            cls._invoice(debtor, 100, "2026-03-01")
        # Five debtors, two a batch: three batches to plan, three to send.
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_advanced.batch_size", 2
        )

    def _new_run(self, on="2026-03-10"):
        return (
            self.env["dunning.run"]
            .create({"date": d(on), "company_id": self.company.id})
            .with_context(dunning_queue=True)
        )

    def _received(self):
        """What the debtors received: (debtor, level, state, e-mails)."""
        return sorted(
            (
                action.partner_id.name,
                action.level_id.name,
                action.state,
                len(self._mails(action.partner_id)),
            )
            for action in self.env["dunning.action"].search(
                [("partner_id", "in", self.debtors.ids)]
            )
        )

    def _run_stored_jobs(self, run):
        """Run the run's stored jobs as the job runner does (the controller's
        code), each once its dependencies are done; return how many ran."""
        ran = 0
        Job_ = self.env["queue.job"].sudo()
        while True:
            self.env.flush_all()
            pending = Job_.search(
                run._dunning_jobs_domain() + [("state", "=", "pending")],
                order="id",
            )
            if not pending:
                return ran
            for record in pending:
                env = self.env(su=True)
                job = Job.load(env, record.uuid)
                job.set_started()
                job.store()
                RunJobController._runjob(env, job)
                ran += 1

    def test_jobs_per_batch_on_the_dunning_channel(self):
        run = self._new_run()
        with trap_jobs() as trap:
            run.action_run()
            debtor_ids = sorted(self.debtors.ids)
            batches = [debtor_ids[i : i + 2] for i in (0, 2, 4)]
            trap.assert_jobs_count(3, only=run._dunning_job_plan)
            trap.assert_jobs_count(1, only=run._dunning_job_schedule)
            for ids in batches:
                trap.assert_enqueued_job(
                    run._dunning_job_plan,
                    args=(ids,),
                    properties={
                        "channel": CHANNEL,
                        "identity_key": f"dunning.run/{run.id}/plan/{batch_hash(ids)}",
                    },
                )
            self.assertEqual(run.state, "running")
            self.assertFalse(run.action_ids, "nothing planned before the jobs run")
            trap.perform_enqueued_jobs()
            # Planned: the schedule job enqueued a job per batch of actions
            # and the finish job.
            self.assertEqual(len(run.action_ids), 5)
            self.assertEqual(run.state, "running")
            trap.assert_jobs_count(3, only=run._dunning_job_execute)
            trap.assert_jobs_count(1, only=run._dunning_job_finish)
            action_ids = sorted(run.action_ids.ids)
            trap.assert_enqueued_job(
                run._dunning_job_execute,
                args=(action_ids[:2],),
                properties={
                    "channel": CHANNEL,
                    "identity_key": f"dunning.run/{run.id}/execute/"
                    f"{batch_hash(action_ids[:2])}",
                },
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_done_count, 5)
        self.assertIn("job queue", run.log)

    def test_same_actions_and_mails_as_in_process(self):
        try:
            with self.env.cr.savepoint():
                self._run("2026-03-10")
                in_process = self._received()
                raise _Rollback
        except _Rollback:
            self.env.invalidate_all()
        self.assertFalse(self._received(), "the in-process run was undone")
        run = self._new_run()
        with trap_jobs() as trap:
            run.action_run()
            trap.perform_enqueued_jobs()
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(in_process), 5)
        self.assertEqual(self._received(), in_process)

    def test_batch_job_run_twice_sends_nothing_twice(self):
        run = self._new_run()
        with trap_jobs() as trap:
            run.action_run()
            trap.perform_enqueued_jobs()
            # A batch of two actions (the jobs of a group come in any order).
            first = next(
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_dunning_job_execute" and len(job.args[0]) == 2
            )
            first.perform()
            mails = {debtor: len(self._mails(debtor)) for debtor in self.debtors}
            self.assertEqual(sum(mails.values()), 2)
            # A crashed worker's batch picked up by another one: the same job
            # again, and the planning batches again.
            first.perform()
            run._dunning_job_plan(sorted(self.debtors.ids)[:2])
            self.assertEqual(len(run.action_ids), 5, "no action created twice")
            self.assertEqual(
                {debtor: len(self._mails(debtor)) for debtor in self.debtors}, mails
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        for debtor in self.debtors:
            self.assertEqual(len(self._mails(debtor)), 1, debtor.name)

    def test_concurrency_error_is_retried(self):
        run = self._new_run()
        original = DunningRun._create_actions
        calls = []

        def conflict_once(self_run, proposals):
            calls.append(len(proposals))
            if len(calls) == 1:
                raise SerializationFailure("could not serialize access")
            return original(self_run, proposals)

        with (
            trap_jobs() as trap,
            patch.object(DunningRun, "_create_actions", conflict_once),
        ):
            run.action_run()
            job = next(
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_dunning_job_plan"
            )
            with self.assertRaises(RetryableJobError):
                job.perform()
            self.assertFalse(run.action_ids, "the conflicting batch left nothing")
            job.perform()
            self.assertEqual(len(run.action_ids), len(job.args[0]))
            trap.perform_enqueued_jobs()
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.action_ids), 5)

    def test_second_run_refused_while_jobs_are_pending(self):
        run = self._new_run()
        run.action_run()  # jobs stored, waiting for a worker
        self.assertEqual(run.state, "running")
        self.assertEqual(run.queue_job_count, 4)
        other = self._new_run(on="2026-03-11")
        with self.assertRaisesRegex(UserError, "already in progress"):
            other.action_run()
        with self.assertRaisesRegex(UserError, "already in progress"):
            run.action_run()
        self._run_stored_jobs(run)
        self.assertEqual(run.state, "done")
        # The jobs are over: the company is free again.
        other.action_run()
        self.assertEqual(other.state, "running")

    def test_progress_counts_the_batches(self):
        run = self._new_run()
        run.action_run()
        self.assertEqual((run.batch_done, run.batch_total), (0, 3))
        self.assertEqual(run.batch_progress, 0.0)
        ran = self._run_stored_jobs(run)
        # 3 plan + schedule + 3 send + finish.
        self.assertEqual(ran, 8)
        run.invalidate_recordset()
        self.assertEqual((run.batch_done, run.batch_total), (6, 6))
        self.assertEqual(run.batch_progress, 100.0)
        self.assertEqual(run.queue_job_count, 8)
        self.assertEqual(run.action_done_count, 5)

    def test_waiting_for_the_job_runner(self):
        """A run whose jobs have not started a few minutes after its start
        says that no job runner serves the database; not before, not once a
        job ran."""
        run = self._new_run()
        run.action_run()
        self.assertEqual(run.state, "running")
        self.assertFalse(run.queue_waiting_warning)
        run.started_at = fields.Datetime.now() - timedelta(minutes=10)
        run.invalidate_recordset()
        self.assertIn("server_wide_modules", run.queue_waiting_warning)
        # 3 batches to plan and the job that lists the actions to send.
        self.assertIn("4 jobs", run.queue_waiting_warning)
        self._run_stored_jobs(run)
        run.invalidate_recordset()
        self.assertEqual(run.state, "done")
        self.assertFalse(run.queue_waiting_warning)

    def test_failed_batch_fails_the_run(self):
        run = self._new_run()
        run.action_run()
        with patch.object(
            DunningRun, "_create_actions", side_effect=ValueError("planner broke")
        ):
            job = Job.load(
                self.env,
                self.env["queue.job"]
                .sudo()
                .search(
                    run._dunning_jobs_domain()
                    + [("method_name", "=", "_dunning_job_plan")],
                    limit=1,
                )
                .uuid,
            )
            with self.assertRaises(ValueError):
                job.perform()
        # What queue_job's runner calls on a job failed for good.
        job.on_fail({"exc_message": "planner broke"})
        self.assertEqual(run.state, "failed")
        self.assertIn("planner broke", run.log)
        # Fixed, the run is started again: the jobs its failure left waiting
        # are cancelled, new ones do the work once.
        Jobs = self.env["queue.job"].sudo()
        first_jobs = Jobs.search(run._dunning_jobs_domain())
        run.action_run()
        self.assertEqual(set(first_jobs.mapped("state")), {"cancelled"})
        self._run_stored_jobs(run)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_done_count, 5)
        for debtor in self.debtors:
            self.assertEqual(len(self._mails(debtor)), 1, debtor.name)

    def test_without_the_queue_the_run_is_in_process(self):
        with trap_jobs() as trap:
            run = self._run("2026-03-10")
            trap.assert_jobs_count(0)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_done_count, 5)
