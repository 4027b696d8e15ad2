from . import engine
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give every existing company its default collections scenario."""
    env["res.company"].search([])._dunning_create_default_scenario()
