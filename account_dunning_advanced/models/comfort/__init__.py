# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Everyday comfort: the debtor's timeline, the setup checklist of the
cockpit, the mass actions of the collectors' lists."""

from . import dunning_debtor_timeline
from . import dunning_setup_checklist
from . import dunning_collector_fields
from . import res_company
from . import res_partner
from . import res_partner_list
from . import dunning_responsible_collector
