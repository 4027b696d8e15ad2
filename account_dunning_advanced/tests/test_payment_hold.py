# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import d
from .test_data_checks import DataCheckCommon


@tagged("post_install", "-at_install")
class TestPaymentHold(DataCheckCommon):
    """A reminder is never sent for an invoice an unreconciled payment of the
    same customer may cover, unless a collector confirms."""

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(self.debtor, 1000, "2026-02-01")

    def _draft_action(self):
        """The reminder the run of 10 February proposes, to validate (the
        payments of the tests come after it: the collector validates it
        later)."""
        self._run("2026-02-10", execute=False)
        action = self._actions(state="draft")
        self.assertEqual(len(action), 1)
        return action

    def test_held_then_confirmed(self):
        action = self._draft_action()
        payment = self._payment_entry(self.debtor, 1000, d("2026-02-11"))
        result = action.action_execute()
        self.assertEqual(action.state, "draft")
        self.assertTrue(action.payment_hold)
        self.assertIn(payment.name, action.payment_hold_message)
        self.assertIn(self.invoice.name, action.payment_hold_message)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertFalse(self._mails())
        self.assertTrue(
            action.activity_ids.filtered(
                lambda a: a.summary == "Payment to check before the reminder"
            )
        )
        # Sending again holds it again, without a second activity.
        action.action_execute()
        self.assertEqual(action.state, "draft")
        self.assertEqual(len(action.activity_ids), 1)
        # The collector checked: sent anyway, and the chatter says so.
        # The tests' environment disables the tracking; a user's does not.
        action.with_context(
            tracking_disable=False, mail_notrack=False
        ).action_payment_hold_confirm()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.payment_hold_confirmed)
        self.assertFalse(action.payment_hold)
        self.assertTrue(self._mails())
        # The tracking messages are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = action.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "payment_hold_confirmed"
        )
        self.assertTrue(tracked)

    def test_automatic_run_holds(self):
        """The daily run's automatic sending holds it too: two invoices of
        1,000 are open, a payment of 1,000 is not reconciled (the debtor
        still owes 1,000, the run proposes both invoices)."""
        second = self._invoice(self.debtor, 1000, "2026-02-02")
        self._payment_entry(self.debtor, 1000, d("2026-02-08"))
        run = self._run("2026-02-10", execute=False)
        action = self._actions()
        # Held as soon as the run proposes it, among those to validate.
        self.assertTrue(action.payment_hold)
        self.assertEqual(len(action.activity_ids), 1)
        run._execute_automatic()
        self.assertEqual(action.line_ids.move_id, self.invoice | second)
        self.assertEqual(action.state, "draft")
        self.assertTrue(action.payment_hold)
        self.assertEqual(len(action.activity_ids), 1)
        self.assertFalse(self._mails())

    def test_reconciled_releases(self):
        """Once the payment is reconciled with another invoice, the reminder
        goes."""
        action = self._draft_action()
        payment = self._payment_entry(self.debtor, 1000, d("2026-02-11"))
        action.action_execute()
        self.assertTrue(action.payment_hold)
        other_invoice = self._invoice(self.debtor, 1000, "2026-03-31")
        (payment.line_ids | other_invoice.line_ids).filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        action.action_execute()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.payment_hold)

    def test_not_held(self):
        """A smaller payment, another customer's payment or a payment in
        another company does not hold the reminder."""
        action = self._draft_action()
        other = self._create_debtor("Other SA")
        self._invoice(other, 500, "2026-02-01")
        self._payment_entry(other, 1000, d("2026-02-11"))
        self._payment_entry(self.debtor, 300, d("2026-02-11"))
        company_data_b = self.setup_other_company(name="Hold B")
        self._payment_entry(
            self.debtor, 1000, d("2026-02-11"), company_data=company_data_b
        )
        action.action_execute()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.payment_hold)
        self.assertTrue(self._mails())
