# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Our templates are ``noupdate`` again once pre-migrate.py had them reloaded."""

import json
from pathlib import Path

MODULE = "account_dunning_advanced"
FINGERPRINTS = Path(__file__).with_name("template_fingerprints.json")


def migrate(cr, version):
    if not version:
        return
    current = json.loads(FINGERPRINTS.read_text())["current"]
    cr.execute(
        "UPDATE ir_model_data SET noupdate = true"
        " WHERE module = %s AND name IN %s AND model IN ('mail.template', 'sms.template')",
        (MODULE, tuple(current)),
    )
