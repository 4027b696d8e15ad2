# The dispatcher first: the routes of main use its routing type.
from . import json_dispatcher
from . import access
from . import main
from . import contact
