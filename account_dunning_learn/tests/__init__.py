from . import test_reply_model
from . import test_reply_classifier
