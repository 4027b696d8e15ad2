"""pytest hooks that make pytest-odoo 2.3.0 run Odoo 18 tests like Odoo does.

Loaded by pytest for every test under this directory (see pytest.ini).
"""

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tell Odoo which test is running, before its class is set up.

    Odoo 18's own runner sets ``odoo.modules.module.current_test``; pytest-odoo
    only does it for Odoo >= 19. Without it, HTTP requests of HttpCase/tour
    tests are not tied to the test (test cursor checks are skipped) and code
    guarded by ``if not current_test`` (mail sending, EDI, bus) acts as in
    production.
    """
    # Imported here: importing Odoo's test framework before pytest-odoo has
    # read Odoo's config makes Odoo log an error.
    from odoo.modules import module
    from odoo.tests.common import BaseCase

    instance = getattr(item, "instance", None)
    if isinstance(instance, BaseCase):
        module.current_test = instance


def pytest_sessionfinish(session):
    from odoo.modules import module

    module.current_test = False


def pytest_collection_modifyitems(items):
    """Give Odoo test classes outside an addon (tests/) their test tags.

    Odoo's test metaclass only sets ``test_tags``/``test_module`` on classes
    of an ``odoo.addons.<addon>`` module, and ``BaseCase.setUpClass`` needs
    them (AttributeError: ... has no attribute 'test_tags'). pytest-odoo
    imports tests/test_*.py as ``tests.test_*``: add the same defaults, as if
    they came from an addon named "tests".
    """
    from odoo.tests.common import BaseCase

    for item in items:
        cls = getattr(item, "cls", None)
        if not (isinstance(cls, type) and issubclass(cls, BaseCase)):
            continue
        if cls.__module__.startswith("odoo.addons."):
            continue  # Odoo's metaclass already did it
        if getattr(cls, "test_tags", None) is None:
            cls.test_tags = {"standard", "at_install"}
        if not hasattr(cls, "test_module"):
            cls.test_module = "tests"
            cls.test_class = cls.__name__
            cls.test_sequence = 0
