# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestInteractions(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env.ref(
            "account_dunning_advanced.dunning_dispute_reason_price"
        )
        cls.collector = cls.env["res.users"].create(
            {"name": "Paul Collector", "login": "paul", "email": "paul@x.example"}
        )
        cls.debtor.dunning_collector_id = cls.collector

    def _dispute(self, moves):
        return self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [Command.set(moves.ids)],
                "reason_id": self.reason.id,
            }
        )

    def _promise(self, on, amount=0.0, moves=None, made="2026-03-08"):
        return self.env["dunning.promise"].create(
            {
                "partner_id": self.debtor.id,
                "date_made": made,
                "date": on,
                "amount": amount,
                "move_ids": [Command.set(moves.ids)] if moves else [],
            }
        )

    def test_dispute_excludes_then_rejected_comes_back_at_its_level(self):
        disputed = self._invoice(self.debtor, 500, "2026-03-01")
        other = self._invoice(self.debtor, 200, "2026-03-01")
        self._run("2026-03-06")
        dispute = self._dispute(disputed)
        self.assertTrue(dispute.name.startswith("DISP/"))
        self.assertEqual(dispute.amount, 500)
        self.assertIn(dispute.name, disputed.message_ids[0].body)
        self._run("2026-03-21")
        second = self._actions().filtered(lambda a: a.date == d("2026-03-21"))
        self.assertEqual(second.line_ids.move_id, other, "the disputed one waits")
        dispute.action_reject()
        self.assertEqual(dispute.state, "rejected")
        self._run("2026-03-25")
        back = self._actions().filtered(lambda a: a.date == d("2026-03-25"))
        self.assertEqual(back.line_ids.move_id, disputed)
        self.assertEqual(back.level_id, self.lvl_2, "from the level it had reached")

    def test_promise_pauses_then_kept(self):
        invoice = self._invoice(self.debtor, 300, "2026-03-01")
        promise = self._promise(d("2026-03-20"), 300, invoice)
        self._run("2026-03-10")
        self.assertFalse(self._actions(), "paused by the promise")
        self._pay(invoice, on=d("2026-03-18"))
        self._run("2026-03-21")
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.received_amount, 300)
        self.assertFalse(self._actions(), "paid: nothing to chase")

    def test_broken_promise_escalates_and_notifies(self):
        self.lvl_3.after_broken_promise = True
        invoice = self._invoice(self.debtor, 300, "2026-03-01")
        self._run("2026-03-06")
        self.assertEqual(invoice.dunning_level_id, self.lvl_1)
        promise = self._promise(d("2026-03-12"), 300, invoice)
        self._run("2026-03-12")
        self.assertEqual(promise.state, "open")
        self._run("2026-03-13")
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.date_broken, d("2026-03-13"))
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        escalated = self._actions().filtered(lambda a: a.date == d("2026-03-13"))
        self.assertEqual(escalated.level_id, self.lvl_3, "skips to the flagged level")
        self._run("2026-03-14")
        self.assertEqual(len(self._actions()), 2, "escalated once, not again")

    def test_withdrawn_promise_resumes_the_chase(self):
        self._invoice(self.debtor, 300, "2026-03-01")
        promise = self._promise(d("2026-03-30"))
        self._run("2026-03-10")
        self.assertFalse(self._actions())
        promise.action_cancel()
        self._run("2026-03-11")
        self.assertEqual(self._actions().level_id, self.lvl_1)
