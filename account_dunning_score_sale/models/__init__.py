from . import sale_order
from . import sale_order_collections
from . import res_config_settings
