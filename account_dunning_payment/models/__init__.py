from . import dunning_action
from . import dunning_payment_token
from . import dunning_payment_token_attempt
from . import res_partner
from . import res_company
from . import res_config_settings
from . import payment_transaction
