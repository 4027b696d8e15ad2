from . import test_scoring_engine
from . import test_score
from . import test_score_actions
from . import test_cockpit_score
from . import test_security_inside
from . import test_predicted_date
from . import test_score_lines
from . import test_score_batch
