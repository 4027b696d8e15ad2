# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""post-migrate: see template_wording.py (new wording for unedited templates)."""

import importlib.util
from pathlib import Path

from odoo import SUPERUSER_ID, api


def _template_wording():
    path = Path(__file__).with_name("template_wording.py")
    spec = importlib.util.spec_from_file_location(
        "dunning_18_0_2_template_wording", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def migrate(cr, version):
    if not version:
        return
    script = _template_wording()
    script.load_marked_templates(api.Environment(cr, SUPERUSER_ID, {}))
