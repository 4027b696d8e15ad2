from . import dunning_forecast_report
from . import dunning_receivable_report
