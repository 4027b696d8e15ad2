# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The scenario advisor: what each level of a scenario brought, measured on the
# company's own history, and the changes it suggests (engine/advisor.py).
from . import dunning_scenario_analysis
from . import dunning_scenario
