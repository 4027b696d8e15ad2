# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One folder per concern; see readme/DEVELOP.md ("Where things are").
from . import res_company
from . import res_config_settings
from . import chase
from . import channels
from . import replies
from . import legal
from . import litigation
from . import cockpit
from . import books
from . import insurance
from . import advisor
from . import privacy
from . import checks
from . import roles
from . import comfort
