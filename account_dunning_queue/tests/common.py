# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""queue_job's test helpers, importable on every Odoo 18.0 build.

queue_job's ``tests/common.py`` registers itself in
``odoo.tests.common.SETATTR_SOURCES``, which builds of Odoo 18.0 from before
mid-2025 do not have: give them an empty one, then import the helpers.
"""

from odoo.tests import common as _odoo_common

if not hasattr(_odoo_common, "SETATTR_SOURCES"):
    _odoo_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

__all__ = ["trap_jobs"]
