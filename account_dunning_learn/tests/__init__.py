from . import test_payment_date
