from . import scoring
from . import prediction
