from . import test_collections_page
from . import test_collections_flows
from . import test_collections_portal_user
from . import test_collections_links
from . import test_page_promise_cap
from . import test_page_model
