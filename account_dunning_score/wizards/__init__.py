from . import dunning_hold_override
