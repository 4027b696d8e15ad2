# One module per channel; the base (and the registry) first.
from . import dunning_channel
from . import dunning_channel_email
from . import dunning_channel_sms
from . import dunning_channel_letter
from . import dunning_channel_phone
from . import dunning_channel_agency
from . import dunning_channel_registered_letter
from . import dunning_registered_letter
from . import mail_template
from . import ir_actions_report
from . import dunning_partner_channel
from . import res_partner
from . import dunning_action
from . import mail_thread
