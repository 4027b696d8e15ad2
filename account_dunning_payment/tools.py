# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Parsing of what a visitor types on the payment page (no Odoo import).

These functions turn request parameters into Python values; the rules on
those values live on the models (see ``res.partner._dunning_*``).
"""

import math

# Amounts typed on the page beyond this are refused (and inf, nan).
MAX_AMOUNT = 1e12
# The largest database id (a PostgreSQL integer).
MAX_ID = 2**31


def parse_amount(value):
    """``value`` (as typed) as a finite float within :data:`MAX_AMOUNT`.

    :raise ValueError: for text, ``inf``, ``nan``, ``1e309`` and the like.
    """
    try:
        amount = float(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"invalid amount: {value!r}") from error
    if not math.isfinite(amount) or abs(amount) > MAX_AMOUNT:
        raise ValueError(f"invalid amount: {value!r}")
    return amount + 0.0  # -0.0 is 0.0


def parse_id(value):
    """``value`` as a database id, or ``None``."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < MAX_ID else None
