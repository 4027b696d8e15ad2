from . import dunning_letter
from . import dunning_statement
