# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every script of this folder shares: its Odoo options, the opening of
the database and what happens to the transaction at the end.

A script builds its parser with :func:`parser` (``-d/--database``,
``-c/--config``, ``--addons-path``, plus its own options), then opens an
environment with :func:`environment`::

    def main(argv=None):
        args = parser(__doc__).parse_args(argv)
        with environment(args) as env:
            ...

Policy: the transaction is rolled back at the end unless ``commit=True``
(the demo scripts, which configure the database); a script that must keep a
seed before measuring commits it itself (``bench_seeding.commit_and_analyze``).
An exception rolls back. Run a script from the repository root, e.g.
``python3 scripts/evaluate_score.py -c odoo.conf -d DB``: Python puts this
folder on ``sys.path``, so ``from odoo_script import ...`` works. Addons never
import from here.
"""

import argparse
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def parser(doc, **kwargs):
    """An argument parser with the Odoo options every script takes.

    :param doc: the script's docstring; its first line is the description.
    :param kwargs: given to :class:`argparse.ArgumentParser`.
    """
    kwargs.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
    result = argparse.ArgumentParser(description=doc.strip().split("\n")[0], **kwargs)
    result.add_argument("-d", "--database", required=True, help="Odoo database")
    result.add_argument("-c", "--config", help="Odoo configuration file")
    result.add_argument("--addons-path", help="Odoo addons path (else the config's)")
    return result


def open_registry(args):
    """Load Odoo's configuration (warnings only, no cron thread) and return
    the registry of ``args.database``."""
    odoo_args = ["-d", args.database, "--log-level=warn", "--max-cron-threads=0"]
    if args.config:
        odoo_args += ["-c", args.config]
    if args.addons_path:
        odoo_args += [f"--addons-path={args.addons_path}"]
    odoo.tools.config.parse_config(odoo_args)
    return Registry(args.database)


@contextmanager
def environment(args, commit=False, context=None):
    """Yield a superuser environment on ``args.database``.

    :param commit: commit at the end (else roll back); an exception always
        rolls back.
    :param context: the environment's context (default: empty).
    """
    registry = open_registry(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context or {})
        try:
            yield env
        except BaseException:
            cr.rollback()
            raise
        if commit:
            cr.commit()
        else:
            cr.rollback()


def run(main, doc, commit=False):
    """Parse the command line and call ``main(env)`` in one transaction: the
    entry point of a script that has no option of its own."""
    args = parser(doc).parse_args()
    with environment(args, commit=commit) as env:
        main(env)
