# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A role for every department: the read-only viewer of the collections,
the legal team, and the colleague a collector asks a question."""

from . import res_partner
from . import dunning_dispute
from . import mail_activity
from . import res_config_settings
