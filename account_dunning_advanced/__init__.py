from . import engine
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give every existing company its default collections scenario.

    The month-end figures (``dunning.month.end``) are stored by the nightly
    job, not here: on an existing large ledger it takes minutes per month
    end; until then the reports rebuild them live."""
    env["res.company"].search([])._dunning_create_default_scenario()
