# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""post-migrate 18.0.2.1.0: the nightly scoring commits after each batch.

Its scheduled action is ``noupdate``: a database installed before keeps the
code it was created with, ``model._cron_compute_scores()``, which scores every
batch in one transaction. The code is given the context that makes it commit
per batch (``dunning_auto_commit``), unless an administrator edited it.
"""

from odoo import SUPERUSER_ID, api

OLD_CODE = "model._cron_compute_scores()"
NEW_CODE = "model.with_context(dunning_auto_commit=True)._cron_compute_scores()"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(
        "account_dunning_score.ir_cron_dunning_compute_scores",
        raise_if_not_found=False,
    )
    if cron and (cron.code or "").strip() == OLD_CODE:
        cron.code = NEW_CODE
