# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d
from odoo.addons.account_dunning_queue.models.dunning_run import (
    CHANNEL,
    batch_hash,
)
from odoo.addons.account_dunning_queue.tests.common import trap_jobs


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestScoreQueue(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtors = cls.debtor | cls.env["res.partner"].concat(
            *(cls._create_debtor(f"Debtor {i}") for i in range(2))
        )
        for index, debtor in enumerate(cls.debtors):
            move = cls._invoice(debtor, 100, "2026-01-31")
            cls._pay(move, on=d(f"2026-02-{1 + 10 * index:02d}"))
            cls._invoice(debtor, 50, "2026-03-01")
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_score.batch_size", 2
        )

    def _scores(self):
        return sorted(
            (s.partner_id.name, s.score, s.grade_id.code, s.invoice_count)
            for s in self.env["dunning.partner.score"].search(
                [("partner_id", "in", self.debtors.ids)]
            )
        )

    def test_one_job_per_batch_of_debtors(self):
        Score = self.env["dunning.partner.score"].with_context(dunning_queue=True)
        try:
            with self.env.cr.savepoint():
                Score.with_context(dunning_queue=False)._cron_compute_scores()
                in_process = self._scores()
                raise _Rollback
        except _Rollback:
            self.env.invalidate_all()
        self.assertEqual(len(in_process), 3)
        self.assertFalse(self._scores())
        with trap_jobs() as trap:
            Score._cron_compute_scores()
            ids = sorted(self.debtors.ids)
            mine = [job for job in trap.enqueued_jobs if job.args[0] == self.company]
            self.assertEqual([job.args[2] for job in mine], [ids[:2], ids[2:]])
            for job in mine:
                self.assertEqual(job.channel, CHANNEL)
                self.assertTrue(job.identity_key.endswith(batch_hash(job.args[2])))
            self.assertFalse(self._scores(), "nothing scored before the jobs run")
            for job in mine:
                job.perform()
        self.assertEqual(self._scores(), in_process)
