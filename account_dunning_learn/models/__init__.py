from . import dunning_reply_classifier
from . import dunning_incoming
from . import res_config_settings
