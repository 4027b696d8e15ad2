#!/usr/bin/env python3
# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Print the addons path: the repository root, then Odoo's own addons.

Used by setup/common.sh (``odoo_addons_path``)::

    python3 setup/odoo_addons_path.py REPO_ROOT
"""

import os
import sys

import odoo

import odoo.addons

paths = [sys.argv[1]]
paths += [os.path.realpath(p) for p in odoo.addons.__path__]
checkout = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
# Only a real Odoo addons dir (site-packages/addons could be anything).
if os.path.isfile(os.path.join(checkout, "web", "__manifest__.py")):
    paths.append(os.path.realpath(checkout))
print(",".join(dict.fromkeys(paths)))
