from . import test_reply_model
from . import test_reply_classifier
from . import test_payment_date
