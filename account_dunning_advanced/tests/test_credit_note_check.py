# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import d
from .test_data_checks import DataCheckCommon


@tagged("post_install", "-at_install")
class TestCreditNoteCheck(DataCheckCommon):
    """A customer credit note left unreconciled while the same debtor has
    open invoices: the data checks flag it and the reminder it may cover is
    held, as for a payment."""

    @classmethod
    def _credit_note(cls, partner, amount, on, company=None):
        """Post a customer credit note of ``amount`` on ``on``."""
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "invoice_date": on,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Returned goods",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _reconcile(self, *moves):
        lines = self.env["account.move"].concat(*moves).line_ids
        lines.filtered(lambda line: line.account_type == "asset_receivable").reconcile()

    def test_credit_note_flagged_then_fixed(self):
        invoice = self._invoice(self.debtor, 1000, "2026-02-01")
        credit_note = self._credit_note(self.debtor, 1000, d("2026-02-05"))
        # A customer owing nothing: their credit note is not a reminder's
        # concern.
        other = self._create_debtor("Credited SA")
        self._credit_note(other, 400, d("2026-02-05"))
        self._check()
        issue = self._issues("unreconciled_credit_note")
        self.assertEqual(len(issue), 1)
        self.assertEqual(issue.partner_id, self.debtor)
        self.assertEqual(issue.move_line_id.move_id, credit_note)
        self.assertIn(credit_note.name, issue.message)
        self.assertIn("1,000.00", issue.message)
        # A credit note is not reported as a payment.
        self.assertFalse(self._issues("unreconciled_payment"))
        # The fix opens the debtor's open invoice, where the credit note is
        # among the outstanding credits; the other button the credit note.
        action = issue.action_fix()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
        self.assertEqual(issue.action_open_payment()["res_id"], credit_note.id)
        # Found again the next day: the same issue.
        self._check(d("2026-03-11"))
        self.assertEqual(self._issues("unreconciled_credit_note"), issue)
        self.assertEqual(issue.state, "open")
        # Reconciled with the invoice: fixed by the next run.
        self._reconcile(credit_note, invoice)
        self._check(d("2026-03-12"))
        self.assertEqual(issue.state, "fixed")

    def test_reconciled_credit_note_not_flagged(self):
        """A credit note set against an invoice is not flagged, even while
        another invoice of the debtor is open."""
        invoice = self._invoice(self.debtor, 600, "2026-02-01")
        self._invoice(self.debtor, 900, "2026-02-15")
        credit_note = self._credit_note(self.debtor, 600, d("2026-02-05"))
        self._reconcile(credit_note, invoice)
        self._check()
        self.assertFalse(self._issues("unreconciled_credit_note"))

    def test_other_company_not_seen(self):
        """The checks of a company see only its credit notes and invoices."""
        company_b = self.setup_other_company(name="Credit B")["company"]
        self._invoice(self.debtor, 1000, "2026-02-01", company=company_b)
        self._credit_note(self.debtor, 1000, d("2026-02-05"), company=company_b)
        # The debtor owes the test company nothing: nothing found there.
        self._check()
        self.assertFalse(self._issues("unreconciled_credit_note"))
        # In company B, the credit note is found, in company B only.
        self.env["dunning.data.issue"]._dunning_run_data_checks(
            company_b, d("2026-03-10")
        )
        issue = self.env["dunning.data.issue"].search(
            [("kind", "=", "unreconciled_credit_note")]
        )
        self.assertEqual(issue.company_id, company_b)

    def _draft_action(self):
        """The reminder the run of 10 February proposes, to validate."""
        self._run("2026-02-10", execute=False)
        action = self._actions(state="draft")
        self.assertEqual(len(action), 1)
        return action

    def test_credit_note_holds_the_reminder(self):
        """A credit note covering an invoice of a reminder holds it, as an
        unreconciled payment of the same amount does."""
        invoice = self._invoice(self.debtor, 1000, "2026-02-01")
        action = self._draft_action()
        credit_note = self._credit_note(self.debtor, 1000, d("2026-02-11"))
        result = action.action_execute()
        self.assertEqual(action.state, "draft")
        self.assertTrue(action.payment_hold)
        self.assertIn(credit_note.name, action.payment_hold_message)
        self.assertIn(invoice.name, action.payment_hold_message)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertFalse(self._mails())
        # Set against the invoice: nothing left to chase, nothing sent.
        self._reconcile(credit_note, invoice)
        action.action_execute()
        self.assertFalse(action.payment_hold)
        self.assertFalse(self._mails())

    def test_smaller_credit_note_does_not_hold(self):
        """A credit note below the invoice's open amount does not hold the
        reminder (the debtor still owes the rest)."""
        self._invoice(self.debtor, 1000, "2026-02-01")
        action = self._draft_action()
        self._credit_note(self.debtor, 300, d("2026-02-11"))
        action.action_execute()
        self.assertFalse(action.payment_hold)
        self.assertEqual(action.state, "done")
        self.assertTrue(self._mails())
