# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""end-migrate: see template_wording.py (new wording for unedited templates);
then store the scenario and collector of every debtor with open lines
(``dunning.debtor.status``, new in 18.0.2.0.0), which the analysis views and
the cockpit read: without it they would show none until the next daily run.
"""

import runpy
from pathlib import Path

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if version:
        script = runpy.run_path(str(Path(__file__).with_name("template_wording.py")))
        script["restore_noupdate"](cr)
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["dunning.debtor.status"]._dunning_fill_missing()
