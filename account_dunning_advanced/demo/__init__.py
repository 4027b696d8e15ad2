# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Demo data only: nothing here is imported at module load (see generator.py).
