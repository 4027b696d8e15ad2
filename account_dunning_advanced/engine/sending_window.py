# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""When a text message may reach a debtor, and when a call may be planned.

Plain Python, free of Odoo: the sending window is made of the working days
(Monday to Friday, French public holidays excluded) and of the company's
opening hours, in local time.  This is the product's rule of courtesy for
the SMS and the calls of the collections, not a quotation of a statute.
"""

from datetime import date, datetime, time, timedelta

from dateutil.easter import easter

#: French public holidays on a fixed date (month, day).
FIXED_HOLIDAYS = (
    (1, 1),  # Jour de l'an
    (5, 1),  # Fete du travail
    (5, 8),  # Victoire 1945
    (7, 14),  # Fete nationale
    (8, 15),  # Assomption
    (11, 1),  # Toussaint
    (11, 11),  # Armistice
    (12, 25),  # Noel
)


def french_public_holidays(year):
    """Return the set of the French public holidays of ``year`` (mainland).

    The fixed dates, plus Easter Monday, Ascension Thursday (39 days after
    Easter) and Whit Monday (50 days after Easter).
    """
    easter_day = easter(year)
    holidays = {date(year, month, day) for month, day in FIXED_HOLIDAYS}
    holidays |= {
        easter_day + timedelta(days=1),
        easter_day + timedelta(days=39),
        easter_day + timedelta(days=50),
    }
    return holidays


def is_working_day(day):
    """Return whether ``day`` (a date) is a weekday that is not a holiday."""
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def _hour_to_time(hour):
    """Return a float hour (9.5) as a time (09:30)."""
    minutes = round(hour * 60)
    if minutes >= 24 * 60:
        return time(23, 59, 59)
    return time(minutes // 60, minutes % 60)


def is_open(moment, start_hour=9.0, end_hour=18.0):
    """Return whether the local naive datetime ``moment`` is in the window."""
    return is_working_day(moment.date()) and _hour_to_time(
        start_hour
    ) <= moment.time() < _hour_to_time(end_hour)


def next_opening(moment, start_hour=9.0, end_hour=18.0):
    """Return ``moment`` if the window is open then, else its next opening.

    :param moment: a naive datetime in the company's local time.
    :return: a naive local datetime.
    """
    if is_open(moment, start_hour, end_hour):
        return moment
    start = _hour_to_time(start_hour)
    day = moment.date()
    if moment.time() >= start:
        day += timedelta(days=1)
    # A working day always comes within a few days; the bound is a guard.
    for _index in range(366):
        if is_working_day(day):
            return datetime.combine(day, start)
        day += timedelta(days=1)
    raise ValueError("No working day within a year")  # pragma: no cover
