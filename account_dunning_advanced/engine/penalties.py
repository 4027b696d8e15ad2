# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""French late-payment penalties (pénalités de retard), free of Odoo.

The models read the receivable lines, their payments and the rate table in a
few queries and hand them to this module, which does the arithmetic.

Rules
-----
* Interest runs from the day after the due date (Code de commerce L441-10:
  penalties are due from the day following the payment date on the invoice) up
  to the calculation date included.
* Each late day accrues ``open amount of that day x annual rate / 365``: the
  day count is *actual days / 365*, leap years included (a year of 366 days
  therefore yields 366/365 of the annual rate).
* The open amount of a day comes from a history of ``(date, open amount after
  that date)``: the amount of day D is the one of the last entry dated strictly
  before D. A payment on day D stops the interest on the paid part from D + 1:
  the payment day still counts, so a payment n days after the due date is n
  days late.
* The rate of a day is set by its half-year (1 January - 30 June, 1 July - 31
  December): ``legal`` mode applies the ECB main refinancing rate in force on
  the first day of the half-year plus 10 points; ``contractual`` mode applies
  the contract rate, raised to ``floor_factor`` (3) times the legal interest
  rate of the half-year when it is lower (L441-10: a contract cannot stipulate
  less). A half-year missing from the table uses the latest earlier rate and is
  flagged ``stale``.
* Exactness: each segment contributes ``base x rate x days`` (exact decimal
  products); the sum is divided by 36,500 once and rounded half-up to the
  currency's decimals once. Segment amounts are rounded for display only: the
  rounded segments may differ from the total by a cent.
* The fixed recovery indemnity (D441-5, 40 EUR) is due once per invoice paid
  late, when the creditor claims it and the debtor is not exempt.

Insolvency proceedings
----------------------
The opening judgment of a safeguard, receivership or liquidation stops the
interest of the debts born before it (Code de commerce L622-28, L631-14,
L641-3): :func:`stay_cutoff` gives the last day counted for such an invoice,
the day before the judgment (it takes effect at zero hour on its date). The
indemnity follows: an invoice not yet late on that day owes none.

Debtor regimes
--------------
The rules above are those of a ``professional`` debtor (Code de commerce
L441-10, D441-5). The other regimes change the rate, the first day and the
indemnity; the creditor's ``none`` mode still means no interest at all:

* ``consumer`` — the legal interest rate of each half-year (the rate "for all
  other cases", the creditor being a company), never a contractual rate,
  running only from the formal notice (Code civil 1231-6 and 1344-1): from the
  day after ``notice_date``, and not at all without one; no indemnity.
* ``public`` — a public buyer (Code de la commande publique, R2192-31): the ECB
  rate in force on the first day of the half-year in which the interest
  started to run (the day after the due date) plus 8 points, that one rate for
  the whole delay; the 40 EUR indemnity as for a professional. No contractual
  rate.
"""

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

MODE_NONE = "none"
MODE_LEGAL = "legal"
MODE_CONTRACTUAL = "contractual"

REGIME_PROFESSIONAL = "professional"
REGIME_CONSUMER = "consumer"
REGIME_PUBLIC = "public"

#: L441-10: the ECB refinancing rate "majoré de 10 points de pourcentage".
LEGAL_MARGIN = Decimal(10)
#: Code de la commande publique R2192-31: the ECB rate + 8 points.
PUBLIC_MARGIN = Decimal(8)
#: L441-10: a contractual rate cannot be lower than 3 x the legal interest rate.
FLOOR_FACTOR = Decimal(3)
#: Actual days / 365 (percent rates, hence x 100).
DAY_COUNT_DIVISOR = Decimal(36500)
#: Enough digits for exact products of amounts, rates and day counts.
PRECISION = 60

ONE_DAY = timedelta(days=1)
ZERO = Decimal(0)


def to_decimal(value):
    """Return value as a Decimal; floats go through their shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value or 0)


def round_amount(value, digits=2):
    """Round half-up to digits decimals (the only rounding of the module)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def half_year_start(day):
    """Return the first day of the half-year of day (1 January or 1 July)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year_start(day):
    """Return the first day of the half-year after the one of day."""
    if day.month <= 6:
        return date(day.year, 7, 1)
    return date(day.year + 1, 1, 1)


@dataclass(frozen=True)
class RatePeriod:
    """Reference rates of a half-year, in percent."""

    date_from: date
    ecb_rate: Decimal
    legal_rate: Decimal

    @classmethod
    def make(cls, date_from, ecb_rate, legal_rate):
        return cls(date_from, to_decimal(ecb_rate), to_decimal(legal_rate))


@dataclass(frozen=True)
class Segment:
    """Consecutive late days sharing one base and one rate."""

    date_from: date
    date_to: date
    days: int
    base: Decimal
    rate: Decimal
    exact: Decimal
    amount: Decimal
    rate_date: date = None
    stale: bool = False
    floored: bool = False


@dataclass(frozen=True)
class Interest:
    """Interest of one receivable (or of one invoice, see :func:`combine`)."""

    amount: Decimal = ZERO
    exact: Decimal = ZERO
    days_late: int = 0
    segments: tuple = field(default_factory=tuple)

    @property
    def late(self):
        """True when some amount stayed open after the due date."""
        return self.days_late > 0

    @property
    def stale(self):
        """True when a late day fell in a half-year missing from the table."""
        return any(segment.stale for segment in self.segments)

    @property
    def date_from(self):
        return self.segments[0].date_from if self.segments else None

    @property
    def date_to(self):
        return self.segments[-1].date_to if self.segments else None


class RateTable:
    """The half-yearly rates, looked up by day."""

    def __init__(self, periods):
        self.periods = sorted(periods, key=lambda period: period.date_from)
        self.dates = [period.date_from for period in self.periods]

    def __bool__(self):
        return bool(self.periods)

    def period_for(self, day):
        """Return ``(period, stale)`` for day.

        ``stale`` is True when the half-year of day has no rate of its own:
        the latest earlier rate applies (or the earliest one for a day before
        the table).
        """
        if not self.periods:
            return None, True
        index = bisect.bisect_right(self.dates, day) - 1
        if index < 0:
            return self.periods[0], True
        period = self.periods[index]
        return period, period.date_from < half_year_start(day)

    def missing_half_years(self, until):
        """Return the half-year starts after the last rate up to until's."""
        if not self.periods:
            return []
        missing = []
        start = next_half_year_start(self.periods[-1].date_from)
        while start <= until:
            missing.append(start)
            start = next_half_year_start(start)
        return missing


def applicable_rate(
    period,
    mode,
    contract_rate=None,
    floor_factor=FLOOR_FACTOR,
    regime=REGIME_PROFESSIONAL,
):
    """Return ``(annual rate in percent, floored)`` for a half-year.

    ``mode`` is the creditor's choice (``none``, ``legal``, ``contractual``);
    the contractual rate applies to professional debtors only: a consumer owes
    the legal interest rate, a public buyer the ECB rate + 8 points.
    """
    if mode not in (MODE_LEGAL, MODE_CONTRACTUAL):
        return ZERO, False
    if regime == REGIME_CONSUMER:
        return period.legal_rate, False
    if regime == REGIME_PUBLIC:
        return period.ecb_rate + PUBLIC_MARGIN, False
    if mode == MODE_LEGAL:
        return period.ecb_rate + LEGAL_MARGIN, False
    if mode == MODE_CONTRACTUAL:
        rate = to_decimal(contract_rate)
        floor = to_decimal(floor_factor) * period.legal_rate
        if rate < floor:
            return floor, True
        return rate, False
    return ZERO, False


class _History:
    """The open amount of a receivable day by day."""

    def __init__(self, history):
        entries = sorted(
            ((day, to_decimal(amount)) for day, amount in history),
            key=lambda entry: entry[0],
        )
        self.dates = [day for day, _amount in entries]
        self.amounts = [amount for _day, amount in entries]

    def amount_on(self, day):
        """Open amount accruing interest on day (last entry before day)."""
        index = bisect.bisect_left(self.dates, day) - 1
        return self.amounts[index] if index >= 0 else ZERO

    def changes(self, first, last):
        """Days in ]first, last] on which the open amount may change."""
        return {day + ONE_DAY for day in self.dates if first < day + ONE_DAY <= last}


def _periods(first, last, cut_days):
    """Split [first, last] at cut_days; yield (start, end) inclusive."""
    starts = sorted({first} | {day for day in cut_days if first < day <= last})
    ends = [start - ONE_DAY for start in starts[1:]] + [last]
    return zip(starts, ends, strict=True)


def days_late(due_date, history, on_date):
    """Return the number of days after due_date with an open amount > 0."""
    first = due_date + ONE_DAY
    if on_date < first:
        return 0
    amounts = history if isinstance(history, _History) else _History(history)
    return sum(
        (end - start).days + 1
        for start, end in _periods(first, on_date, amounts.changes(first, on_date))
        if amounts.amount_on(start) > 0
    )


def compute_interest(
    due_date,
    history,
    rates,
    on_date,
    mode=MODE_LEGAL,
    contract_rate=None,
    floor_factor=FLOOR_FACTOR,
    start=None,
    digits=2,
    regime=REGIME_PROFESSIONAL,
    notice_date=None,
):
    """Return the :class:`Interest` of one receivable on on_date.

    :param due_date: the due date; the first late day is the day after.
    :param history: ``(date, open amount after that date)`` entries, the first
        one the original amount; later ones the amount left after payments.
    :param rates: a :class:`RateTable` or an iterable of :class:`RatePeriod`.
    :param on_date: the calculation date, last day counted.
    :param mode: ``none``, ``legal`` or ``contractual``.
    :param contract_rate: the annual contract rate in percent (contractual).
    :param floor_factor: the floor of a contract rate, in legal interest rates.
    :param start: first day to count (e.g. the day after the last invoiced
        date); days before it are neither counted nor shown. ``days_late``
        still counts from the due date.
    :param digits: decimals of the currency for the rounding.
    :param regime: the debtor's regime (``professional``, ``consumer``,
        ``public``), see the module's docstring.
    :param notice_date: consumer: the date of the formal notice; the interest
        runs from the day after, none without a formal notice.
    """
    amounts = _History(history)
    late = days_late(due_date, amounts, on_date)
    first = due_date + ONE_DAY
    table = rates if isinstance(rates, RateTable) else RateTable(rates)
    # Public buyer: one rate, the one of the half-year the interest started in.
    fixed = table.period_for(first) if regime == REGIME_PUBLIC and table else None
    if regime == REGIME_CONSUMER:
        if not notice_date:
            return Interest(days_late=late)
        first = max(first, notice_date + ONE_DAY)
    if start and start > first:
        first = start
    if mode not in (MODE_LEGAL, MODE_CONTRACTUAL) or on_date < first or not table:
        return Interest(days_late=late)
    cuts = amounts.changes(first, on_date)
    day = next_half_year_start(first)
    while day <= on_date:
        cuts.add(day)
        day = next_half_year_start(day)
    segments = []
    total = ZERO
    with localcontext() as context:
        context.prec = PRECISION
        for seg_start, seg_end in _periods(first, on_date, cuts):
            base = amounts.amount_on(seg_start)
            if base <= 0:
                continue
            period, stale = fixed or table.period_for(seg_start)
            rate, floored = applicable_rate(
                period, mode, contract_rate, floor_factor, regime
            )
            days = (seg_end - seg_start).days + 1
            numerator = base * rate * days
            total += numerator
            exact = numerator / DAY_COUNT_DIVISOR
            segments.append(
                Segment(
                    date_from=seg_start,
                    date_to=seg_end,
                    days=days,
                    base=base,
                    rate=rate,
                    exact=exact,
                    amount=round_amount(exact, digits),
                    rate_date=period.date_from,
                    stale=stale,
                    floored=floored,
                )
            )
        exact_total = total / DAY_COUNT_DIVISOR
    return Interest(
        amount=round_amount(exact_total, digits),
        exact=exact_total,
        days_late=late,
        segments=tuple(segments),
    )


def combine(interests, digits=2):
    """Return the :class:`Interest` of an invoice made of several receivables.

    Installments are computed separately, then added without intermediate
    rounding: only the invoice total is rounded.
    """
    interests = list(interests)
    with localcontext() as context:
        context.prec = PRECISION
        exact = sum((interest.exact for interest in interests), ZERO)
    segments = sorted(
        (segment for interest in interests for segment in interest.segments),
        key=lambda segment: (segment.date_from, segment.date_to),
    )
    return Interest(
        amount=round_amount(exact, digits),
        exact=exact,
        days_late=max((interest.days_late for interest in interests), default=0),
        segments=tuple(segments),
    )


@dataclass(frozen=True)
class InvoicePenalty:
    """The penalties of one invoice: interest and fixed indemnity."""

    interest: Interest = field(default_factory=Interest)
    indemnity: Decimal = ZERO

    @property
    def total(self):
        return self.interest.amount + self.indemnity


def indemnity(
    late, enabled, exempt, amount, already_invoiced=False, regime=REGIME_PROFESSIONAL
):
    """Return the fixed recovery indemnity due for one invoice.

    Professionals and public buyers owe it once per invoice paid late; a
    consumer never does.
    """
    if regime == REGIME_CONSUMER:
        return ZERO
    if not late or not enabled or exempt or already_invoiced:
        return ZERO
    return to_decimal(amount)


def stay_cutoff(on_date, invoice_date, judgment_date):
    """Return the last day of interest of an invoice on ``on_date``.

    ``on_date`` itself, unless an insolvency judgment dated ``judgment_date``
    stopped the interest of the debts born before it (L622-28): then the day
    before the judgment, if earlier. A debt dated on the judgment day or
    later is not concerned (L622-17).
    """
    if not judgment_date or (invoice_date and invoice_date >= judgment_date):
        return on_date
    return min(on_date, judgment_date - ONE_DAY)
