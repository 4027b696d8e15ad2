# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Personal data of the debtors who are people (GDPR): who is a natural
person, how long what the product holds about them is kept, what they can
ask to see."""

from . import res_company
from . import res_config_settings
from . import res_partner
