from . import dunning_force_level
from . import dunning_statement_wizard
from . import dunning_call_outcome
from . import dunning_penalty_invoice
from . import dunning_interest_rate_import
from . import dunning_registered_letter_receipt
