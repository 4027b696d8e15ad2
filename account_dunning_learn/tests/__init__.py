from . import test_reply_model
