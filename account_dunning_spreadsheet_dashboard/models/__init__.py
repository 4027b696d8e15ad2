from . import dunning_forecast_report
