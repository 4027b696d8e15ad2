# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The page's amounts and dates are written exactly as QWeb's widgets write
them (``account_dunning_payment.formatting.PageFormatter``)."""

from datetime import date

from odoo.tests import TransactionCase, tagged

from ..formatting import PageFormatter

AMOUNTS = (0.0, 5, 0.005, -0.004, 12.5, -1234.567, 1234567.891, 98765432.1)
DATES = (date(2026, 3, 4), date(2026, 12, 31), date(1999, 1, 9))


@tagged("post_install", "-at_install")
class TestPageFormat(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "de_CH", "ar_001"):
            cls.env["res.lang"]._activate_lang(code)
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.currencies = Currency.search(
            [("name", "in", ("EUR", "USD", "JPY", "KWD", "CHF"))]
        )

    def test_amounts_as_the_monetary_widget(self):
        # Symbols on both sides, 0 to 3 decimals.
        self.assertEqual(set(self.currencies.mapped("position")), {"before", "after"})
        self.assertEqual(set(self.currencies.mapped("decimal_places")), {0, 2, 3})
        for code in ("en_US", "fr_FR", "de_CH", "ar_001"):
            env = self.env(context=dict(self.env.context, lang=code))
            page_format = PageFormatter(env)
            Monetary = env["ir.qweb.field.monetary"]
            for currency in self.currencies:
                for value in AMOUNTS:
                    with self.subTest(lang=code, currency=currency.name, value=value):
                        expected = Monetary.value_to_html(
                            value, {"display_currency": currency}
                        )
                        self.assertEqual(page_format.amount(value, currency), expected)

    def test_dates_as_the_date_widget(self):
        for code in ("en_US", "fr_FR", "de_CH", "ar_001"):
            env = self.env(context=dict(self.env.context, lang=code))
            page_format = PageFormatter(env)
            for value in DATES:
                with self.subTest(lang=code, value=value):
                    expected = env["ir.qweb.field.date"].value_to_html(value, {})
                    self.assertEqual(page_format.date(value), expected)
            self.assertEqual(page_format.date(False), "")

    def test_the_debtors_language_writes_the_page(self):
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        euro = self.env.ref("base.EUR")
        page_format = PageFormatter(env)
        self.assertEqual(
            page_format.amount(-1234.5, euro),
            '<span class="oe_currency_value">-\ufeff1\xa0234,50</span>\xa0€',
        )
        self.assertEqual(page_format.date(date(2026, 3, 4)), "04/03/2026")
