from . import test_planner
from . import test_configuration
from . import test_engine
from . import test_recipients
from . import test_forced_level
from . import test_robustness
from . import test_security
from . import test_ui
