# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain-Python decision logic of the dunning engine (no Odoo import)."""

from . import planner
from . import classifier
