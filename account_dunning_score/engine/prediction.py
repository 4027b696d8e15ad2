# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Predicted payment date of an open invoice: the one formula.

Plain Python, no Odoo import. ``account.move.dunning_predicted_date`` (the
compute), ``dunning.partner.score._update_predicted_dates`` (the bulk UPDATE,
through its SQL twin ``dunning.partner.score._predicted_date_sql``) and
``dunning.partner.score._evaluate_predictions`` (the replay) all end here;
the terms added to the due date come from the overridable
``dunning.partner.score._predicted_delay_terms``.
"""

from datetime import timedelta


def predicted_date(due_date, typical_delay=0, transfer_lag=0):
    """Return the date an invoice due on due_date is expected to be paid.

    :param typical_delay: the debtor's days (its typical delay: payment date
        - due date, negative when it pays early); None or False count as 0.
    :param transfer_lag: the company's days (the transfer lag: days for the
        money to reach the bank account).
    :return: due_date + typical_delay + transfer_lag, or None without due date.
    """
    if not due_date:
        return None
    return due_date + timedelta(days=(typical_delay or 0) + (transfer_lag or 0))
