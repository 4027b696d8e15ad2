from . import dunning_reply_classifier
from . import dunning_incoming
from . import res_config_settings
from . import account_move
from . import dunning_payment_model
