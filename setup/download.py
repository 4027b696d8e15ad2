#!/usr/bin/env python3
# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Download URL to DEST (setup/install.sh; Python rather than curl)::

python3 setup/download.py URL DEST
"""

import shutil
import sys
import urllib.request

# The timeout applies to each network operation: an unreachable host fails
# fast, a slow but working download goes on.
try:
    with urllib.request.urlopen(sys.argv[1], timeout=20) as resp:
        with open(sys.argv[2], "wb") as out:
            shutil.copyfileobj(resp, out)
except OSError as exc:  # URLError and timeouts are OSErrors
    sys.exit(f"download failed: {exc}")
