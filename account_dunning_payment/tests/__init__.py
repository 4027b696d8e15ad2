from . import test_collections_page
