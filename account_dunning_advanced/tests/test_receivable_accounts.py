# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivable accounts of the one definition of what is owed: read once
per query (the analyses too are queries built at each read), so that an
account created after the install is chased and shown everywhere."""

from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestReceivableAccounts(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second customer account, created after the views were: e.g. the
        # accountant's 411100 "Clients - groupe" for related companies.
        cls.group_account = cls.env["account.account"].create(
            {
                "code": "411100",
                "name": "Clients - groupe",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.sister = cls._create_debtor("Sister SAS")
        cls.sister.with_company(
            cls.company
        ).property_account_receivable_id = cls.group_account
        cls.invoice = cls._invoice(cls.sister, 700, "2026-02-01")

    def test_account_created_after_the_views_is_chased_and_shown(self):
        line = self.invoice.line_ids.filtered(
            lambda aml: aml.account_id == self.group_account
        )
        self.assertEqual(line.amount_residual, 700)
        # Runtime queries: the domain and its SQL twin.
        Line = self.env["account.move.line"]
        self.assertIn(line, Line.search(Line._dunning_collectible_domain(self.company)))
        plan, lines = self.env["dunning.planner"]._compute_plan(
            self.company, self.invoice.invoice_date_due, self.sister.ids
        )
        self.assertEqual([planned.id for planned in lines], line.ids)
        # The analysis, defined at the install, before the account: it
        # reads the receivable accounts when it is read.
        report = self.env["dunning.receivable.report"].search(
            [("partner_id", "=", self.sister.id)]
        )
        self.assertEqual(sum(report.mapped("amount_residual")), 700)
