# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The legal maximum payment term of an invoice: the one definition.

* Between professionals (Code de commerce L441-10 I): the term agreed "ne
  peut dépasser soixante jours après la date d'émission de la facture" or, if
  agreed so, "quarante-cinq jours fin de mois". The latest due date allowed is
  the later of the two: ``max(invoice date + 60 days, end of the month of
  (invoice date + 45 days))`` (the reading of the DGCCRF: 45 days then the end
  of that month). Sector agreements may set other figures (L441-11), hence
  the company settings ``days`` / ``eom_days``.
* A public buyer (Code de la commande publique R2192-10): 30 days from the
  receipt of the invoice (50 days for public hospitals, R2192-11, and 60 for
  some public companies, R2192-12: not distinguished here).
* A consumer: no legal maximum in this sense (None).

The cockpit's SQL condition is generated from the same figures
(:func:`over_max_sql`), so that the invoice's banner and the alert agree.
Plain Python except :func:`over_max_sql`, which only builds an
``odoo.tools.SQL``.
"""

import calendar
from datetime import timedelta

from .penalties import REGIME_PROFESSIONAL, REGIME_PUBLIC

#: L441-10 I: the default maxima between professionals.
DEFAULT_DAYS = 60
DEFAULT_EOM_DAYS = 45
#: R2192-10 Code de la commande publique: the public buyers' maximum.
PUBLIC_DAYS = 30


def end_of_month(day):
    """Return the last day of the month of ``day``."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def legal_max_due_date(
    invoice_date, regime, days=DEFAULT_DAYS, eom_days=DEFAULT_EOM_DAYS
):
    """Return the latest due date the law allows for an invoice of
    ``invoice_date`` to a debtor of ``regime``, or None when no maximum
    applies (a consumer, no date)."""
    if not invoice_date:
        return None
    if regime == REGIME_PUBLIC:
        return invoice_date + timedelta(days=PUBLIC_DAYS)
    if regime != REGIME_PROFESSIONAL:
        return None
    return max(
        invoice_date + timedelta(days=days),
        end_of_month(invoice_date + timedelta(days=eom_days)),
    )


def over_max_sql(
    invoice_date_sql,
    due_date_sql,
    regime_sql,
    days=DEFAULT_DAYS,
    eom_days=DEFAULT_EOM_DAYS,
):
    """Return the SQL condition "the due date is past the legal maximum",
    the twin of :func:`legal_max_due_date` (``regime_sql`` NULL reads as a
    professional, as the penalties do).

    :param invoice_date_sql: ``odoo.tools.SQL`` of the invoice date.
    :param due_date_sql: ``odoo.tools.SQL`` of the due date.
    :param regime_sql: ``odoo.tools.SQL`` of the debtor's regime.
    """
    from odoo.tools import SQL  # noqa: PLC0415 - keep the module plain Python

    maximum = SQL(
        """CASE COALESCE(%(regime)s, %(professional)s)
               WHEN %(public)s THEN %(date)s + %(public_days)s
               WHEN %(professional)s THEN GREATEST(
                   %(date)s + %(days)s,
                   (date_trunc('month', %(date)s + %(eom_days)s)
                    + interval '1 month - 1 day')::date)
           END""",
        regime=regime_sql,
        professional=REGIME_PROFESSIONAL,
        public=REGIME_PUBLIC,
        date=invoice_date_sql,
        public_days=PUBLIC_DAYS,
        days=days,
        eom_days=eom_days,
    )
    return SQL("(%s > %s)", due_date_sql, maximum)
