# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pre-migrate: see template_wording.py (new wording for unedited templates)."""

import runpy
from pathlib import Path


def migrate(cr, version):
    if version:
        script = runpy.run_path(str(Path(__file__).with_name("template_wording.py")))
        script["reload_unedited_templates"](cr)
