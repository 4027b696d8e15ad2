# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Data you can trust: the daily data checks (``dunning.data.issue``) and the
guard holding a reminder that an unreconciled payment may have settled."""

from . import dunning_data_issue
from . import dunning_action
from . import dunning_dashboard
