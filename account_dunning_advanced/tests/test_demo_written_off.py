# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's written-off debtor, on a chart without the French accounts."""

from odoo.tests import tagged

from ..demo import generator
from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestDemoWrittenOff(DunningCommon):
    def test_written_off_debtor(self):
        company = self.company
        if company._get_dunning_books_accounts(raise_if_missing=False)["doubtful"]:
            self.skipTest("the test company's chart has the French accounts")
        debtor = self._create_debtor(generator.WRITTEN_OFF_DEBTORS[0])
        old = self._invoice(debtor, 1000.0, "2026-05-31", d("2026-05-01"))
        recent = self._invoice(debtor, 500.0, "2026-11-30", d("2026-11-01"))
        invoices = old | recent
        generator._create_written_off_debt(self.env, company, d("2026-12-03"), invoices)
        debt = self.env["dunning.doubtful.debt"].search(
            [("partner_id", "=", debtor.id)]
        )
        self.assertEqual(debt.invoice_id, old, "the oldest invoice, not the recent one")
        self.assertEqual(debt.state, "written_off")
        self.assertEqual(old.payment_state, "paid")
        self.assertEqual(recent.payment_state, "not_paid")
        accounts = company._get_dunning_books_accounts()
        self.assertEqual(accounts["doubtful"].code, "416000")
        self.assertTrue(accounts["doubtful"].reconcile)
        Line = self.env["account.move.line"]

        def balance(key):
            return sum(
                Line.search([("account_id", "=", accounts[key].id)]).mapped("balance")
            )

        # 416 and 491 settled; the loss on 654, the provision booked and released.
        self.assertEqual(balance("doubtful"), 0.0)
        self.assertEqual(balance("provision"), 0.0)
        self.assertEqual(balance("loss"), 1000.0)
        self.assertEqual(balance("provision_expense"), 500.0)
        self.assertEqual(balance("provision_reversal"), -500.0)
        # Run again (another demo company, or twice): the accounts are reused.
        generator._create_books_accounts(self.env, company)
        self.assertEqual(
            self.env["account.account"].search_count(
                [("code", "=", "416000"), ("company_ids", "in", company.ids)]
            ),
            1,
        )
