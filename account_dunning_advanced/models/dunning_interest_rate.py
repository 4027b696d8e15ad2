# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..engine import penalties


class DunningInterestRate(models.Model):
    """Reference rates of a half-year for the late-payment penalties.

    Shared legal data (no company): the ECB main refinancing rate in force on
    the first day of the half-year and the French legal interest rate of the
    half-year for professional creditors. A row applies from its date to the
    next half-year; a missing half-year reuses the latest earlier row and is
    reported as a table to update.
    """

    _name = "dunning.interest.rate"
    _description = "Late-payment reference rates"
    _order = "date_from desc"

    date_from = fields.Date(
        string="From",
        required=True,
        index=True,
        help="First day of the half-year: 1 January or 1 July.",
    )
    date_to = fields.Date(string="To", compute="_compute_rates")
    ecb_rate = fields.Float(
        string="ECB refinancing rate (%)",
        digits=(16, 4),
        required=True,
        help="Rate of the ECB's most recent main refinancing operation on the "
        "first day of the half-year.",
    )
    legal_rate_professional = fields.Float(
        string="Legal interest rate (%)",
        digits=(16, 4),
        required=True,
        help="French legal interest rate of the half-year for creditors who are "
        "professionals (rate for 'all other cases' of the ministerial order).",
    )
    legal_penalty_rate = fields.Float(
        string="Legal penalty rate (%)",
        digits=(16, 4),
        compute="_compute_rates",
        help="ECB rate + 10 points (Commercial Code, art. L441-10).",
    )
    floor_rate = fields.Float(
        string="Contractual floor (%)",
        digits=(16, 4),
        compute="_compute_rates",
        help="3 x the legal interest rate: the lowest rate a contract may set.",
    )
    note = fields.Char(
        string="Source", help="e.g. the ministerial order, the ECB decision."
    )
    outdated_warning = fields.Char(
        string="Warning",
        compute="_compute_outdated_warning",
        help="Set on the latest row when later half-years have no rates yet.",
    )

    _sql_constraints = [
        (
            "date_from_unique",
            "unique(date_from)",
            "A half-year has one row of rates.",
        ),
    ]

    @api.depends("date_from", "ecb_rate", "legal_rate_professional")
    def _compute_rates(self):
        for rate in self:
            rate.date_to = rate.date_from and (
                penalties.next_half_year_start(rate.date_from) - penalties.ONE_DAY
            )
            rate.legal_penalty_rate = rate.ecb_rate + float(penalties.LEGAL_MARGIN)
            rate.floor_rate = rate.legal_rate_professional * float(
                penalties.FLOOR_FACTOR
            )

    @api.depends("date_from")
    @api.depends_context("dunning_date")
    def _compute_outdated_warning(self):
        message = self._get_outdated_message()
        latest = self.sudo().search([], limit=1)
        for rate in self:
            rate.outdated_warning = message if rate == latest else False

    @api.depends("date_from")
    def _compute_display_name(self):
        for rate in self:
            if not rate.date_from:
                rate.display_name = False
                continue
            rate.display_name = self.env._(
                "%(year)s, half-year %(half)s",
                year=rate.date_from.year,
                half=1 if rate.date_from.month == 1 else 2,
            )

    @api.constrains("date_from")
    def _check_date_from(self):
        for rate in self:
            if rate.date_from.day != 1 or rate.date_from.month not in (1, 7):
                raise ValidationError(
                    self.env._(
                        "The rates of a half-year start on 1 January or 1 July, "
                        "not on %(date)s.",
                        date=format_date(self.env, rate.date_from),
                    )
                )

    @api.model
    def _get_rate_table(self):
        """Return every row as an engine :class:`~penalties.RateTable`."""
        rows = self.sudo().search_fetch(
            [], ["date_from", "ecb_rate", "legal_rate_professional"]
        )
        return penalties.RateTable(
            penalties.RatePeriod.make(
                row.date_from, row.ecb_rate, row.legal_rate_professional
            )
            for row in rows
        )

    @api.model
    def _get_outdated_message(self, on_date=None):
        """Return the warning to show when the table lacks recent half-years."""
        on_date = on_date or self.env["account.move"]._dunning_date()
        table = self._get_rate_table()
        if not table:
            return self.env._(
                "The table of late-payment rates is empty: no interest can be "
                "computed. Enter the rates of the current half-year."
            )
        missing = table.missing_half_years(on_date)
        if not missing:
            return False
        return self.env._(
            "The late-payment rates are missing from %(date)s: the rates of "
            "%(latest)s still apply. Update the table (ECB refinancing rate on "
            "1 January / 1 July, legal interest rate of the half-year).",
            date=format_date(self.env, missing[0]),
            latest=format_date(self.env, table.periods[-1].date_from),
        )
