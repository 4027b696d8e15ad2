# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The score reads what is owed through the one collectible definition."""

from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestScoreLines(DunningCommon):
    """Open and overdue amounts of the score = the collectible lines'."""

    ON = d("2026-06-30")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score = cls.env["dunning.partner.score"]
        cls.Line = cls.env["account.move.line"]
        cls.eur = cls.setup_other_currency("EUR")
        debtor = cls.debtor
        cls.partial = cls._invoice(debtor, 1000, "2026-05-31")
        cls._pay(cls.partial, amount=400, on=d("2026-06-10"))
        cls.paid = cls._invoice(debtor, 500, "2026-04-30")
        cls._pay(cls.paid, on=d("2026-05-05"))
        cls.offset = cls._invoice(debtor, 1000, "2026-06-15")
        refund = cls.offset._reverse_moves([{"invoice_date": d("2026-06-01")}])
        refund.invoice_line_ids.price_unit = 300
        refund.action_post()
        # Posting a credit note of an invoice reconciles it with the invoice.
        cls.foreign = cls._invoice(debtor, 800, "2026-06-20", currency=cls.eur)
        cls.not_due = cls._invoice(debtor, 200, "2026-07-31")

    def _score(self):
        self.Score._compute_scores(self.company, on_date=self.ON)
        return self.Score.search(
            [("partner_id", "=", self.debtor.id), ("company_id", "=", self.company.id)]
        )

    def _lines_sum(self, domain):
        lines = self.Line.search(
            [*domain, ("partner_id", "=", self.debtor.id)],
        )
        return sum(lines.mapped("amount_residual"))

    def test_open_and_overdue_are_the_collectible_lines(self):
        foreign = self.foreign.amount_residual_signed
        self.assertNotEqual(foreign, 800)  # converted to the company currency
        self.assertEqual(self.offset.amount_residual, 700)
        score = self._score()
        # 600 left on the partial one, 700 after the credit note, the foreign
        # one and 200 not due yet; the paid one owes nothing.
        self.assertAlmostEqual(score.open_amount, 600 + 700 + foreign + 200)
        self.assertAlmostEqual(score.overdue_amount, 600 + 700 + foreign)
        self.assertAlmostEqual(
            score.open_amount,
            self._lines_sum(self.Line._dunning_collectible_domain(self.company)),
        )
        self.assertAlmostEqual(
            score.overdue_amount,
            self._lines_sum(self.Line._dunning_overdue_domain(self.ON, self.company)),
        )

    def test_an_override_of_the_definition_changes_the_score(self):
        """An addon that stops chasing foreign-currency lines changes the
        score's open and overdue amounts too."""
        Model = type(self.Line)
        original = Model._dunning_collectible_domain
        currency = self.company.currency_id

        def own_currency_only(self, company=None):
            return [*original(self, company), ("currency_id", "=", currency.id)]

        with patch.object(Model, "_dunning_collectible_domain", own_currency_only):
            score = self._score()
        self.assertAlmostEqual(score.open_amount, 600 + 700 + 200)
        self.assertAlmostEqual(score.overdue_amount, 600 + 700)
