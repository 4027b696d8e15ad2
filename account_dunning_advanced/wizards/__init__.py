from . import dunning_force_level
from . import dunning_call_outcome
