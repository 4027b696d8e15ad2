# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""When the amicable path ends: the hand-off to an agency or to court."""

from . import res_partner
from . import dunning_proceeding
from . import dunning_payment_order
