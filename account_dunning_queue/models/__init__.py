from . import dunning_run
from . import dunning_digest_subscription
