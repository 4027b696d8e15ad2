# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The chase: scenarios and levels, who is chased and when (the planner and
the daily run), the actions and their channels' status, what is owed."""

from . import dunning_contact_role
from . import dunning_scenario
from . import dunning_scenario_challenger
from . import dunning_scenario_rule
from . import dunning_level
from . import dunning_planner
from . import dunning_debtor_status
from . import dunning_run
from . import dunning_action
from . import dunning_action_channel
from . import sms_template
from . import account_account
from . import account_move_line
from . import account_move
from . import res_partner
