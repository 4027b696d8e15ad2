from . import account_move
from . import dunning_payment_model
