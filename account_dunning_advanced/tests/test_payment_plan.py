# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestPaymentPlan(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.debtor, 1000, "2026-02-01")
        cls.collector = cls.env["res.users"].create(
            {"name": "Plan Collector", "login": "plan_c", "email": "pc@x.example"}
        )
        cls.debtor.dunning_collector_id = cls.collector

    def _plan(self):
        plan = self.env["dunning.payment.plan"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "down_payment": 100,
                "split_count": 3,
                "split_period": "monthly",
                "split_start": "2026-03-05",
                "tolerance_days": 5,
                "remind_days_before": 3,
            }
        )
        plan.action_split()
        plan.action_start()
        return plan

    def _plan_mails(self, plan):
        return self.env["mail.mail"].search(
            [("model", "=", "dunning.payment.plan"), ("res_id", "=", plan.id)],
            order="id",
        )

    def test_even_split_with_down_payment(self):
        plan = self._plan()
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids],
            [
                (d("2026-03-05"), 100),
                (d("2026-04-05"), 300),
                (d("2026-05-05"), 300),
                (d("2026-06-05"), 300),
            ],
        )
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.amount_start, 1000)

    def test_start_refuses_a_plan_that_does_not_add_up(self):
        plan = self.env["dunning.payment.plan"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "line_ids": [Command.create({"date": "2026-03-10", "amount": 500})],
            }
        )
        with self.assertRaisesRegex(UserError, "add up to"):
            plan.action_start()

    def test_running_plan_stops_the_chase_and_reminds_instalments(self):
        plan = self._plan()
        self._run("2026-03-02")
        self.assertFalse(self._actions(), "no reminder while the plan runs")
        self.assertEqual(len(self._plan_mails(plan)), 1, "down payment due soon")
        self.assertIn("falls due", self._plan_mails(plan).body_html)
        self._run("2026-03-03")
        self.assertEqual(len(self._plan_mails(plan)), 1, "reminded once")
        # Paid from the accounting: down payment and first instalment.
        self._pay(self.invoice, amount=400, on=d("2026-03-05"))
        self._run("2026-04-03")
        states = plan.line_ids.mapped("state")
        self.assertEqual(states, ["paid", "paid", "pending", "pending"])
        self.assertEqual(plan.amount_paid, 400)
        self.assertFalse(self._actions())

    def test_missed_instalment_breaks_the_plan(self):
        plan = self._plan()
        self._pay(self.invoice, amount=100, on=d("2026-03-05"))
        self._run("2026-04-07")
        missed = self._plan_mails(plan)[-1]
        self.assertIn("has not been received", missed.body_html)
        self.assertEqual(plan.state, "running", "within the tolerance")
        self._run("2026-04-11")
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.activity_ids.user_id, self.collector)
        self.assertTrue(self._actions(), "the invoice is chased again")

    def test_instalment_paid_late_within_tolerance(self):
        plan = self._plan()
        self._pay(self.invoice, amount=100, on=d("2026-03-05"))
        self._pay(self.invoice, amount=300, on=d("2026-04-08"))
        self._run("2026-04-09")
        self.assertEqual(plan.state, "running", "3 days late, tolerance 5")
        self.assertEqual(plan.line_ids[1].state, "paid")
        self._run("2026-04-12")
        self.assertEqual(plan.state, "running")

    def test_plan_paid_in_full(self):
        plan = self._plan()
        self._pay(self.invoice, on=d("2026-03-05"))
        self._run("2026-03-06")
        self.assertEqual(plan.state, "done")
