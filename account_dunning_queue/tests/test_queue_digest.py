# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

from ..models.dunning_run import CHANNEL, batch_hash
from .common import trap_jobs


@tagged("post_install", "-at_install")
class TestQueueDigest(DunningCommon):
    def test_one_job_per_batch_of_recipients(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_advanced.batch_size", 2
        )
        self._invoice(self.debtor, 100, "2026-03-01")
        Subscription = self.env["dunning.digest.subscription"].with_context(
            dunning_queue=True
        )
        users = [
            new_test_user(
                self.env,
                login=f"digest_{i}",
                email=f"digest{i}@mycompany.example",
                groups="account_dunning_advanced.group_dunning_manager",
                company_id=self.company.id,
                company_ids=[self.company.id],
            )
            for i in range(3)
        ]
        subscriptions = Subscription.create(
            [{"user_id": user.id, "frequency": "daily"} for user in users]
        )
        day = d("2026-03-10")
        Mail = self.env["mail.mail"]
        domain = [("model", "=", "dunning.digest.subscription")]
        before = Mail.search_count(domain)
        with trap_jobs() as trap:
            due = Subscription._cron_send_digests(today=day)
            self.assertLessEqual(subscriptions, due)
            batches = [due[i : i + 2] for i in range(0, len(due), 2)]
            trap.assert_jobs_count(len(batches))
            for batch in batches:
                trap.assert_enqueued_job(
                    batch._dunning_job_send_digests,
                    args=(day,),
                    properties={
                        "channel": CHANNEL,
                        "identity_key": f"dunning.digest/{day}/{batch_hash(batch.ids)}",
                    },
                )
            self.assertEqual(Mail.search_count(domain), before, "nothing sent yet")
            trap.perform_enqueued_jobs()
            for subscription in subscriptions:
                self.assertEqual(subscription.last_sent, day)
            sent = Mail.search_count(domain)
            self.assertEqual(sent - before, len(due))
            # A job run again (a crashed worker's) sends nothing twice.
            subscriptions[:2]._dunning_job_send_digests(day)
            self.assertEqual(Mail.search_count(domain), sent)
