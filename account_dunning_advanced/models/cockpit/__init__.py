# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the credit manager sees: the cockpit and the digests."""

from . import dunning_dashboard
from . import dunning_digest_subscription
