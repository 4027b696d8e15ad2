# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the credit manager sees: the figures and alerts of the cockpit, the
cockpit form and the digests."""

from . import dunning_cockpit_figures
from . import dunning_cockpit_alerts
from . import dunning_dashboard
from . import dunning_digest_subscription
from . import dunning_month_end
from . import dunning_open_figure
from . import dunning_month_end_ledger
