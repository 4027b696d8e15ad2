from . import test_page_routes
from . import test_page_flows
from . import test_page_portal_user
from . import test_page_security
from . import test_payment_token
from . import test_page_promise_cap
from . import test_page_model
from . import test_page_load
