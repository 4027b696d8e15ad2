from . import test_sale_credit_rule
from . import test_security_inside
from . import test_quotation_panel
