from . import test_queue_run
from . import test_queue_digest
