# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Amounts and dates of the debtor's page, written as QWeb's widgets write
them, the language read once per page instead of once per value."""

import ast

import babel.dates
from markupsafe import Markup

from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from odoo.addons.base.models.res_lang import intersperse

NBSP = "\N{NO-BREAK SPACE}"
# Odoo's monetary widget keeps a minus sign with its number.
MINUS = "-\N{ZERO WIDTH NO-BREAK SPACE}"
NUMBER = '<span class="oe_currency_value">{number}</span>'
BEFORE = Markup("{symbol}" + NBSP + NUMBER)
AFTER = Markup(NUMBER + NBSP + "{symbol}")


class PageFormatter:
    """Formats the amounts and dates of one page in the language of ``env``
    (its context's, as QWeb's widgets read it).

    ``amount(value, currency)`` is what ``<span t-out="value"
    t-options="{'widget': 'monetary', 'display_currency': currency}"/>``
    shows (``ir.qweb.field.monetary.value_to_html`` without options), and
    ``date(value)`` what the ``date`` widget shows (``tools.format_date``).
    Each widget looks the language up again for every value, through
    several registry cache lookups: 100 µs an amount and 40 µs a date on
    this project's 2-core machine, against 13 µs and 3 µs here (and 46 µs
    once per page to read the language). With two of them per open
    invoice, the widgets took 5 ms of a 40 ms page (BENCHMARKS.md).
    ``test_page_format`` pins the text to the widgets' own, in
    several languages and currencies.
    """

    __slots__ = ("_decimal_point", "_grouping", "_locale", "_date_format", "_sep")

    def __init__(self, env):
        lang = get_lang(env)
        self._grouping = ast.literal_eval(lang.grouping)
        self._sep = lang.thousands_sep or ""
        self._decimal_point = lang.decimal_point
        self._locale = babel_locale_parse(lang.code)
        self._date_format = posix_to_ldml(lang.date_format, locale=self._locale)

    def number(self, value, digits):
        """``value`` with ``digits`` decimals, grouped as the language does
        (``res.lang.format("%.<digits>f", value, grouping=True)``)."""
        parts = f"{value:.{digits}f}".split(".")
        parts[0] = intersperse(parts[0], self._grouping, self._sep)[0]
        return self._decimal_point.join(parts)

    def amount(self, value, currency):
        """``value`` rounded and written in ``currency``, with its symbol
        (Markup, as the ``monetary`` widget)."""
        number = (
            self.number(currency.round(value), currency.decimal_places)
            .replace(" ", NBSP)
            .replace("-", MINUS)
        )
        symbol = currency.symbol or ""
        pattern = AFTER if currency.position != "before" else BEFORE
        return pattern.format(number=number, symbol=symbol)

    def date(self, value):
        """``value`` (a date) as the ``date`` widget writes it."""
        if not value:
            return ""
        return babel.dates.format_date(
            value, format=self._date_format, locale=self._locale
        )
