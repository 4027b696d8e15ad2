# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged

from ..models.channels.dunning_channel_email import DunningChannelEmail
from ..models.chase.dunning_run import RUN_LOCK_KEY, DunningRun
from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestRobustness(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtors = cls.debtor | cls.env["res.partner"].concat(
            *(cls._create_debtor(f"Debtor {i}") for i in range(4))
        )
        for debtor in cls.debtors:
            cls._invoice(debtor, 100, "2026-03-01")

    def test_one_failing_action_never_stops_the_others(self):
        original = DunningChannelEmail._execute
        broken = self.debtors[2]

        def flaky(channel, action):
            if action.partner_id == broken:
                raise ValueError("SMTP template exploded")
            return original(channel, action)

        with patch.object(DunningChannelEmail, "_execute", flaky):
            run = self._run("2026-03-10")
        self.assertEqual(run.state, "done")
        self.assertEqual(run.action_done_count, 4)
        self.assertEqual(run.action_error_count, 1)
        failed = self._actions(broken)
        self.assertEqual(failed.state, "error")
        self.assertIn("SMTP template exploded", failed.error_message)
        self.assertFalse(self._mails(broken), "nothing half-sent")
        # Fixed: the collector sends it again, the rest is not resent.
        failed.action_execute()
        self.assertEqual(failed.state, "done")
        for debtor in self.debtors:
            self.assertEqual(len(self._mails(debtor)), 1)

    def test_interrupted_creation_then_rerun(self):
        self.env["ir.config_parameter"].set_param(
            "account_dunning_advanced.batch_size", 2
        )
        original = DunningRun._prepare_action_vals
        fourth = self.debtors.sorted("id")[3]

        def crash(run, proposal):
            if proposal.partner_id == fourth.id:
                raise RuntimeError("worker killed")
            return original(run, proposal)

        run = self.env["dunning.run"].create({"date": "2026-03-10"})
        with patch.object(DunningRun, "_prepare_action_vals", crash):
            with self.assertRaisesRegex(RuntimeError, "worker killed"):
                run.action_run()
        actions = self.env["dunning.action"].search(
            [("partner_id", "in", self.debtors.ids)]
        )
        self.assertEqual(len(actions), 2, "the first batch was kept whole")
        self.assertEqual(run.state, "running")
        run.action_run()  # resume the same run
        self.assertEqual(run.state, "done")
        actions = self.env["dunning.action"].search(
            [("partner_id", "in", self.debtors.ids)]
        )
        self.assertEqual(len(actions), 5, "nobody forgotten")
        self.assertEqual(set(actions.mapped("state")), {"done"})
        for debtor in self.debtors:
            self.assertEqual(len(self._mails(debtor)), 1, "nothing sent twice")
        self._run("2026-03-10")
        self.assertEqual(
            len(
                self.env["dunning.action"].search(
                    [("partner_id", "in", self.debtors.ids)]
                )
            ),
            5,
        )

    def test_interrupted_sending_then_rerun(self):
        with patch.object(
            DunningRun, "_execute_automatic", side_effect=RuntimeError("power cut")
        ):
            with self.assertRaisesRegex(RuntimeError, "power cut"):
                self._run("2026-03-10")
        actions = self.env["dunning.action"].search(
            [("partner_id", "in", self.debtors.ids)]
        )
        self.assertEqual(set(actions.mapped("state")), {"draft"})
        self._run("2026-03-11")
        self.assertEqual(set(actions.mapped("state")), {"done"})
        for debtor in self.debtors:
            self.assertEqual(len(self._mails(debtor)), 1)

    def test_second_run_refused_while_locked(self):
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute(
                "SELECT pg_advisory_lock(%s, %s)", (RUN_LOCK_KEY, self.company.id)
            )
            try:
                with self.assertRaisesRegex(UserError, "already in progress"):
                    self._run("2026-03-10")
            finally:
                other.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", (RUN_LOCK_KEY, self.company.id)
                )
        self.assertFalse(self._actions(), "the refused run did nothing")
        self._run("2026-03-10")
        self.assertTrue(self._actions(), "the lock was released")

    def test_lock_held_until_the_run_is_committed(self):
        """A run that returned but is not committed yet keeps the company's
        lock: a second run on another cursor is refused with the clear
        message instead of blocking on the first one's actions."""
        self._run("2026-03-10")
        self.assertTrue(self._actions(), "the first run created its actions")
        # This test's transaction (the first run) is not committed.
        with db_connect(self.env.cr.dbname).cursor() as other:
            other_env = api.Environment(other, SUPERUSER_ID, {})
            Run = other_env["dunning.run"]
            self.assertFalse(
                Run._dunning_try_lock(self.company.id),
                "the interactive run's lock lasts until its commit",
            )
            self.assertFalse(
                Run.with_context(dunning_auto_commit=True)._dunning_try_lock(
                    self.company.id
                ),
                "the daily job's lock waits for it too",
            )
            other.rollback()
        # Another company is not locked.
        with db_connect(self.env.cr.dbname).cursor() as other:
            other_env = api.Environment(other, SUPERUSER_ID, {})
            self.assertTrue(
                other_env["dunning.run"]._dunning_try_lock(
                    self.env.ref("base.main_company").id
                )
            )
            other.rollback()

    def test_run_reports_its_batches(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_advanced.batch_size", 2
        )
        run = self._run("2026-03-10")
        # Five debtors: three batches to plan, then three batches of actions
        # to send (five automatic e-mails).
        self.assertEqual((run.batch_done, run.batch_total), (6, 6))
        self.assertEqual(run.batch_progress, 100.0)
        self.assertEqual(run.action_done_count, 5)

    def test_daily_job(self):
        today = fields.Date.context_today(self.env["dunning.run"])
        fresh = self._create_debtor("Fresh")
        self._invoice(fresh, 100, today - timedelta(days=10))
        Run = self.env["dunning.run"].sudo()
        commits = []
        # Tests cannot commit: count the commits the job asks for instead.
        with patch.object(DunningRun, "_commit", lambda run: commits.append(run)):
            Run._cron_run()
        self.assertGreaterEqual(len(commits), 3, "the job commits batch by batch")
        run = Run.search([("company_id", "=", self.company.id), ("date", "=", today)])
        self.assertEqual(len(run), 1)
        self.assertTrue(run.is_automatic)
        self.assertEqual(run.state, "done")
        self.assertEqual(self._actions(fresh).state, "done")
        with patch.object(DunningRun, "_commit", lambda run: None):
            Run._cron_run()
        self.assertEqual(len(self._actions(fresh)), 1, "the second pass adds nothing")
