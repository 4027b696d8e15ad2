# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The law: the debtor's regime, late-payment penalties and their rates,
legal mentions, time limits."""

from . import dunning_interest_rate
from . import dunning_penalty
from . import res_partner
from . import account_move
