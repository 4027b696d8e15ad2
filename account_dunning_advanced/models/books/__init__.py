# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The books: doubtful and irrecoverable debts as journal entries (transfer to
doubtful debts, provisions, write-off, recovery) and their closing assistant."""

from . import dunning_doubtful_debt
from . import res_company
