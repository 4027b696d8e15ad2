# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The legal maximum payment terms (L441-10 I, R2192-10): the rule, the
invoice's banner and the cockpit's alert."""

from unittest import TestCase

from odoo.tests import Form, tagged

from ..engine import payment_terms
from .common import DunningCommon, d


class TestLegalMaxEngine(TestCase):
    """The rule in plain Python, on fixed dates."""

    def test_professional(self):
        # 2026-01-10: +60 days = 03-11; +45 days = 02-24, end of month 02-28.
        self.assertEqual(
            payment_terms.legal_max_due_date(d("2026-01-10"), "professional"),
            d("2026-03-11"),
        )
        # 2026-01-20: +60 = 03-21; +45 = 03-06, end of month 03-31: the later.
        self.assertEqual(
            payment_terms.legal_max_due_date(d("2026-01-20"), "professional"),
            d("2026-03-31"),
        )
        # A sector agreement's figures (L441-11).
        self.assertEqual(
            payment_terms.legal_max_due_date(
                d("2026-01-20"), "professional", days=90, eom_days=0
            ),
            d("2026-04-20"),
        )

    def test_public_and_consumer(self):
        self.assertEqual(
            payment_terms.legal_max_due_date(d("2026-01-20"), "public"),
            d("2026-02-19"),
        )
        self.assertIsNone(payment_terms.legal_max_due_date(d("2026-01-20"), "consumer"))


@tagged("post_install", "-at_install")
class TestLegalMaxTerms(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"dunning_terms_max_days": 60, "dunning_terms_max_eom_days": 45}
        )
        cls.consumer = cls.env["res.partner"].create({"name": "Jean Dupont"})
        cls.public = cls._create_debtor("Mairie de Test", dunning_public_buyer=True)

    def test_banner_professional(self):
        # Dated 01-20: the maximum is 03-31 (45 days end of month).
        ok = self._invoice(self.debtor, 100.0, "2026-03-31", d("2026-01-20"))
        self.assertFalse(ok.dunning_terms_warning)
        late = self._invoice(self.debtor, 100.0, "2026-04-01", d("2026-01-20"))
        self.assertIn("03/31/2026", late.dunning_terms_warning)
        self.assertIn("L441-10", late.dunning_terms_warning)
        # A sector agreement allowing 90 days: no more warning.
        self.company.dunning_terms_max_days = 90
        self.assertFalse(late.dunning_terms_warning)

    def test_banner_public_and_consumer(self):
        public = self._invoice(self.public, 100.0, "2026-02-20", d("2026-01-20"))
        self.assertIn("R2192-10", public.dunning_terms_warning)
        self.assertFalse(
            self._invoice(
                self.public, 100.0, "2026-02-19", d("2026-01-20")
            ).dunning_terms_warning
        )
        consumer = self._invoice(self.consumer, 100.0, "2026-12-31", d("2026-01-20"))
        self.assertFalse(consumer.dunning_terms_warning)

    def test_banner_on_draft_form(self):
        """The collector sees it while typing the invoice, before posting."""
        with Form(
            self.env["account.move"].with_context(default_move_type="out_invoice")
        ) as form:
            form.partner_id = self.debtor
            form.invoice_date = d("2026-01-10")
            form.invoice_date_due = d("2026-03-11")
            self.assertFalse(form.dunning_terms_warning)
            form.invoice_date_due = d("2026-03-12")
            self.assertTrue(form.dunning_terms_warning)
            with form.invoice_line_ids.new() as line:
                line.name = "Service"
                line.price_unit = 10.0

    def test_cockpit_alert(self):
        Alerts = self.env["dunning.dashboard"]
        other = self._create_debtor("Other SAS")
        self._invoice(self.debtor, 100.0, "2026-04-01", d("2026-01-20"))  # over
        self._invoice(other, 100.0, "2026-03-31", d("2026-01-20"))  # at the max
        self._invoice(self.consumer, 100.0, "2026-12-31", d("2026-01-20"))
        self._invoice(self.public, 100.0, "2026-03-01", d("2026-01-20"))  # over

        def flagged(today):
            return {
                partner
                for kind, partner in Alerts._dunning_alerts(self.company, today=today)
                if kind == "terms_over_legal_max"
            }

        self.assertEqual(flagged(d("2026-01-22")), {self.debtor, self.public})
        # Dated more than 7 days ago: no longer new.
        self.assertEqual(flagged(d("2026-02-10")), set())
