from . import engine
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give every existing company its default collections scenario, and
    store the month-end figures of the closed months of the month by month
    report (``dunning.month.end``; an existing ledger has them at once)."""
    env["res.company"].search([])._dunning_create_default_scenario()
    env["dunning.month.end"]._dunning_store_missing()
