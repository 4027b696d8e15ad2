from . import test_score_queue
