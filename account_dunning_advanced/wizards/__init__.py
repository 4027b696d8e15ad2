from . import dunning_force_level
