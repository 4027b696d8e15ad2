# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestDoubtfulDebts(DunningCommon):
    """Doubtful and irrecoverable debts as journal entries, checked in the
    ledger (balances of 411, 416, 491, 6817, 7817, 654, VAT)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        Account = cls.env["account.account"]

        def account(code, name, account_type, reconcile=False):
            return Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": reconcile,
                    "company_ids": [Command.set(company.ids)],
                }
            )

        cls.acc_416 = account("416900", "Doubtful", "asset_current", True)
        cls.acc_6817 = account("681790", "Provision expense", "expense")
        cls.acc_491 = account("491900", "Provision", "asset_current")
        cls.acc_7817 = account("781790", "Provision reversal", "income")
        cls.acc_654 = account("654900", "Loss", "expense")
        cls.acc_7714 = account("771490", "Recovered", "income")
        company.write(
            {
                "dunning_doubtful_account_id": cls.acc_416.id,
                "dunning_provision_expense_account_id": cls.acc_6817.id,
                "dunning_provision_account_id": cls.acc_491.id,
                "dunning_provision_reversal_account_id": cls.acc_7817.id,
                "dunning_bad_debt_account_id": cls.acc_654.id,
                "dunning_bad_debt_recovery_account_id": cls.acc_7714.id,
            }
        )
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 20 test",
                "amount": 20.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": company.id,
            }
        )
        cls.acc_vat = account("445790", "VAT collected", "liability_current")
        (
            cls.tax.invoice_repartition_line_ids | cls.tax.refund_repartition_line_ids
        ).filtered(lambda line: line.repartition_type == "tax").account_id = cls.acc_vat
        cls.acc_411 = cls.debtor.with_company(company).property_account_receivable_id
        # 1000 excl. VAT + 200 VAT, due 2025-01-31.
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.debtor.id,
                "invoice_date": d("2025-01-01"),
                "invoice_date_due": d("2025-01-31"),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goods",
                            "quantity": 1,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.set(cls.tax.ids)],
                        }
                    )
                ],
            }
        )
        cls.invoice.action_post()

    def _balance(self, account, partner=True):
        domain = [
            ("account_id", "=", account.id),
            ("parent_state", "=", "posted"),
            ("company_id", "=", self.company.id),
        ]
        if partner:
            domain.append(("partner_id", "=", self.debtor.id))
        return sum(self.env["account.move.line"].search(domain).mapped("balance"))

    def _ledger(self):
        return {
            "411": self._balance(self.acc_411),
            "416": self._balance(self.acc_416),
            "491": self._balance(self.acc_491),
            "6817": self._balance(self.acc_6817),
            "7817": self._balance(self.acc_7817),
            "654": self._balance(self.acc_654),
            "7714": self._balance(self.acc_7714),
            "vat": self._balance(self.acc_vat, partner=False),
        }

    def _transfer(self, rate=0.0, on="2025-12-31"):
        return self.env["dunning.doubtful.debt"]._dunning_transfer(
            self.invoice, d(on), rate
        )

    def test_transfer_moves_the_debt_to_416(self):
        debt = self._transfer()
        self.assertEqual(debt.state, "doubtful")
        self.assertEqual((debt.amount, debt.amount_untaxed), (1200.0, 1000.0))
        ledger = self._ledger()
        self.assertEqual((ledger["411"], ledger["416"]), (0.0, 1200.0))
        # The invoice shows paid by the transfer; the chase no longer sees it.
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        Line = self.env["account.move.line"]
        self.assertFalse(
            Line.search(
                [*Line._dunning_collectible_domain(), ("move_id", "=", self.invoice.id)]
            )
        )
        # Twice on the same invoice: nothing new.
        self.assertFalse(self._transfer())

    def test_provision_adjust_and_release(self):
        debt = self._transfer(rate=50.0)
        self.assertEqual(debt.state, "provisioned")
        ledger = self._ledger()
        # 50 % of the amount excluding VAT, not of the 1200 incl. VAT.
        self.assertEqual((ledger["6817"], ledger["491"]), (500.0, -500.0))
        debt._dunning_set_provision(80.0, d("2026-12-31"))
        ledger = self._ledger()
        self.assertEqual((ledger["6817"], ledger["491"]), (800.0, -800.0))
        debt._dunning_set_provision(30.0, d("2027-12-31"))
        ledger = self._ledger()
        self.assertEqual((ledger["491"], ledger["7817"]), (-300.0, -500.0))
        self.assertEqual(debt.provision_amount, 300.0)
        debt._dunning_set_provision(0.0, d("2028-12-31"))
        self.assertEqual(self._ledger()["491"], 0.0)
        self.assertEqual(debt.state, "doubtful")
        self.assertEqual(self._ledger()["416"], 1200.0)

    def test_write_off_recovers_vat_by_credit_note(self):
        vat_before = self._ledger()["vat"]
        self.assertEqual(vat_before, -200.0)
        debt = self._transfer(rate=100.0)
        debt._dunning_write_off(d("2026-06-30"))
        self.assertEqual(debt.state, "written_off")
        ledger = self._ledger()
        self.assertEqual(ledger["411"], 0.0)
        self.assertEqual(ledger["416"], 0.0)
        # Provision released, loss excl. VAT, VAT collected cancelled.
        self.assertEqual(
            (ledger["491"], ledger["6817"], ledger["7817"]), (0, 1000, -1000)
        )
        self.assertEqual(ledger["654"], 1000.0)
        self.assertEqual(ledger["vat"], 0.0)
        credit_note = debt.credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.amount_tax, 200.0)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment", "reversed"))
        self.assertTrue(
            all(
                line.reconciled
                for line in debt.write_off_move_id.line_ids
                if line.account_id in (self.acc_411, self.acc_416)
            )
        )
        with self.assertRaises(UserError):
            debt._dunning_write_off(d("2026-06-30"))

    def test_partial_payment_then_write_off(self):
        self._pay(self.invoice, amount=600.0, on=d("2025-03-01"))
        debt = self._transfer()
        self.assertEqual((debt.amount, debt.amount_untaxed), (600.0, 500.0))
        debt._dunning_write_off(d("2026-06-30"))
        ledger = self._ledger()
        self.assertEqual((ledger["411"], ledger["416"]), (0.0, 0.0))
        self.assertEqual(ledger["654"], 500.0)
        # Half the VAT recovered: the half paid stays collected.
        self.assertEqual(ledger["vat"], -100.0)

    def _payment_lines(self, amount, on):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.debtor.id,
                "amount": amount,
                "date": d(on),
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment.move_id.line_ids.filtered(
            lambda line: line.account_id == self.acc_411
        )

    def test_payment_after_transfer(self):
        debt = self._transfer(rate=50.0)
        lines = self._payment_lines(1200.0, "2026-02-15")
        debt._dunning_recover(d("2026-02-15"), lines)
        self.assertEqual(debt.state, "recovered")
        ledger = self._ledger()
        self.assertEqual((ledger["411"], ledger["416"], ledger["491"]), (0, 0, 0))
        self.assertEqual((ledger["6817"], ledger["7817"]), (500.0, -500.0))
        self.assertTrue(lines.reconciled)
        self.assertEqual(ledger["vat"], -200.0)

    def test_payment_after_write_off(self):
        debt = self._transfer()
        debt._dunning_write_off(d("2026-06-30"))
        lines = self._payment_lines(1200.0, "2027-03-01")
        debt._dunning_recover(d("2027-03-01"), lines)
        ledger = self._ledger()
        self.assertEqual(ledger["411"], 0.0)
        self.assertTrue(lines.reconciled)
        # Income of the recovery excl. VAT; the VAT is due again (CGI 272-1).
        self.assertEqual(ledger["7714"], -1000.0)
        self.assertEqual(ledger["vat"], -200.0)
        self.assertEqual(ledger["654"], 1000.0)

    def test_closing_candidates(self):
        late = self.invoice  # due 2025-01-31
        recent = self._invoice(self.debtor, 300.0, "2025-11-30")
        other = self._create_debtor("In Court SARL")
        in_court = self._invoice(other, 400.0, "2025-11-30")
        other.dunning_litigation = True
        candidates = self.env["dunning.doubtful.debt"]._dunning_closing_candidates(
            self.company, d("2026-03-31")
        )
        by_invoice = {c["invoice"]: c for c in candidates}
        self.assertIn(late, by_invoice)
        self.assertEqual(by_invoice[late]["reason"], "late")
        self.assertEqual(by_invoice[in_court]["reason"], "litigation")
        self.assertEqual(by_invoice[in_court]["rate"], 100.0)
        self.assertNotIn(recent, by_invoice)
        debts = self.env["dunning.doubtful.debt"]._dunning_closing_apply(
            d("2026-03-31"),
            [(c["action"], c["invoice"], c["debt"], c["rate"]) for c in candidates],
        )
        self.assertEqual(debts.invoice_id, late | in_court)
        again = self.env["dunning.doubtful.debt"]._dunning_closing_candidates(
            self.company, d("2026-03-31")
        )
        self.assertEqual({c["action"] for c in again}, {"provision"})
