# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit insurance: the company's policies, the limits granted per debtor,
the exposure against them and the declaration of overdue debts."""

from . import dunning_credit_policy
from . import dunning_credit_limit
from . import res_partner
