from . import dunning_letter
from . import dunning_statement
from . import dunning_receivable_report
from . import dunning_forecast_report
from . import dunning_payment_terms_report
from . import dunning_claim
from . import dunning_credit_declaration
from . import dunning_forecast_backtest
