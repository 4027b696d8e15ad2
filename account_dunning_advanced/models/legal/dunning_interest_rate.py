# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import re
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ...engine import penalties


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
    legal_rate_consumer = fields.Float(
        string="Legal interest rate, natural persons (%)",
        digits=(16, 4),
        help="French legal interest rate of the half-year for creditors who are "
        "natural persons not acting for professional needs (for information).",
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
    def _get_missing_half_years(self, on_date=None, days_ahead=10):
        """Return the first days of the half-years that need rates soon.

        The current half-year when it has no complete row (a row without its
        legal interest rate is incomplete), and the next one when it starts
        within ``days_ahead`` days and has no complete row.

        :param on_date: the day of the check (default: the collections date).
        :return: sorted list of dates (1 January / 1 July).
        """
        on_date = on_date or self.env["account.move"]._dunning_date()
        starts = [penalties.half_year_start(on_date)]
        upcoming = penalties.next_half_year_start(on_date)
        if (upcoming - on_date).days <= days_ahead:
            starts.append(upcoming)
        # A row imported from the ECB without its legal rates is incomplete.
        known = set(
            self.sudo()
            .search([("date_from", "in", starts), ("legal_rate_professional", ">", 0)])
            .mapped("date_from")
        )
        return [start for start in starts if start not in known]

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

    # Largest CSV accepted by the import of the ECB rates (bytes).
    _ECB_CSV_MAX_SIZE = 5 * 1024 * 1024
    _ECB_DATE_HEADERS = ("DATE", "TIME_PERIOD", "TIME PERIOD", "PERIOD")
    _ECB_VALUE_HEADERS = ("OBS_VALUE", "OBS VALUE", "OBS.VALUE", "VALUE")
    _ECB_SERIES = "FM.B.U2.EUR.4F.KR.MRR_FR.LEV"

    @api.model
    def _parse_ecb_csv(self, content):
        """Read the ECB's main refinancing rates from a CSV export.

        The ECB Data Portal export of the series
        FM.B.U2.EUR.4F.KR.MRR_FR.LEV: a date column (``DATE``,
        ``TIME_PERIOD`` or ``TIME PERIOD``) and a value column (``OBS_VALUE``
        or the column named after the series), separated by commas or
        semicolons; decimal point or comma.

        :param content: the file, bytes.
        :return: sorted list of (date, rate) observations.
        :raise UserError: the file is not such a CSV.
        """
        if not content:
            raise UserError(self.env._("The file is empty."))
        if len(content) > self._ECB_CSV_MAX_SIZE:
            raise UserError(
                self.env._("The file is too large for a table of ECB rates.")
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise UserError(self.env._("The file is empty."))
        delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error as error:
            raise UserError(
                self.env._("The file is not a valid CSV file: %(error)s", error=error)
            ) from error
        header = [cell.strip().strip('"').upper() for cell in rows[0]]
        date_col = next(
            (header.index(name) for name in self._ECB_DATE_HEADERS if name in header),
            None,
        )
        value_col = next(
            (header.index(name) for name in self._ECB_VALUE_HEADERS if name in header),
            None,
        )
        if value_col is None:
            value_col = next(
                (i for i, name in enumerate(header) if self._ECB_SERIES in name),
                None,
            )
        if date_col is None or value_col is None:
            raise UserError(
                self.env._(
                    "This is not an export of the ECB's main refinancing rates: "
                    "the file needs a date column (DATE or TIME_PERIOD) and a "
                    "value column (OBS_VALUE or the series "
                    "FM.B.U2.EUR.4F.KR.MRR_FR.LEV). Columns found: %(columns)s.",
                    columns=", ".join(header) or "-",
                )
            )
        observations = []
        for number, row in enumerate(rows[1:], start=2):
            if len(row) <= max(date_col, value_col):
                raise UserError(
                    self.env._(
                        "Line %(line)s of the file has too few columns.", line=number
                    )
                )
            raw_date = row[date_col].strip()
            raw_value = row[value_col].strip().replace(",", ".")
            if not raw_value or raw_value.upper() in ("NAN", "NA", "-"):
                continue
            day = self._parse_ecb_date(raw_date)
            if not day or not re.fullmatch(r"-?\d{1,3}(\.\d+)?", raw_value):
                raise UserError(
                    self.env._(
                        "Line %(line)s of the file is not a date and a rate: "
                        "%(date)s, %(value)s.",
                        line=number,
                        date=raw_date[:20],
                        value=row[value_col].strip()[:20],
                    )
                )
            observations.append((day, float(raw_value)))
        if not observations:
            raise UserError(self.env._("The file holds no rate."))
        return sorted(observations)

    @api.model
    def _parse_ecb_date(self, text):
        """Return the date of an ECB export cell, or None."""
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return None

    @api.model
    def _import_ecb_rates(self, content, date_from=None, on_date=None, filename=None):
        """Set the ECB rate of each half-year from an ECB CSV export.

        For each half-year from ``date_from`` whose first day has passed, the
        rate in force on that day: the latest observation dated on or before
        it. Existing rows get their ECB rate updated; a missing half-year gets
        a row whose legal interest rates are left to enter (0).

        :param content: the CSV file, bytes.
        :param date_from: first half-year to set (default: the earliest row of
            the table, else 1 January of last year).
        :param on_date: the day of the import (default: the collections date).
        :return: the rows created or updated.
        """
        observations = self._parse_ecb_csv(content)
        on_date = on_date or self.env["account.move"]._dunning_date()
        existing = {row.date_from: row for row in self.search([])}
        if not date_from:
            date_from = min(existing) if existing else date(on_date.year - 1, 1, 1)
        start = penalties.half_year_start(date_from)
        if start < date_from:
            start = penalties.next_half_year_start(start)
        note = self.env._(
            "ECB rate imported from %(file)s", file=(filename or "CSV")[:60]
        )
        rows = self.browse()
        to_create = []
        while start <= on_date:
            known = [rate for day, rate in observations if day <= start]
            if known:
                if start in existing:
                    row = existing[start]
                    if row.ecb_rate != known[-1]:
                        row.write({"ecb_rate": known[-1], "note": note})
                    rows |= row
                else:
                    to_create.append(
                        {
                            "date_from": start,
                            "ecb_rate": known[-1],
                            "legal_rate_professional": 0.0,
                            "note": self.env._(
                                "%(note)s; legal interest rates to enter", note=note
                            ),
                        }
                    )
            start = penalties.next_half_year_start(start)
        if not rows and not to_create:
            raise UserError(
                self.env._(
                    "The file holds no rate in force on the first day of a "
                    "half-year from %(date)s.",
                    date=format_date(self.env, date_from),
                )
            )
        return rows | self.create(to_create)
