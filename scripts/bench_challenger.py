# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of champion/challenger: starting a test and its comparison.

Seeds debtors with open invoices and a paid history in SQL (the seeds of
scripts/bench_engine.py and scripts/bench_cockpit.py, which commit: use a
throw-away database), then on the default scenario (the champion) against a
faster copy of it (the challenger), 50 % of the debtors each:

- start the test: the write that resolves every debtor again and stores its
  arm (``dunning.debtor.status``);
- change the share from 50 to 60 %: only the debtors that move are written;
- the comparison: its one query and the statistics
  (``_dunning_challenger_compare``), and the form's tab rendered.

Two sizes in the same database: a tenth of the debtors, then all of them.
Both arms have the same seeded history (an A/A test): the verdicts printed
should say "not significant"::

    python3 scripts/bench_challenger.py -c odoo.conf -d DB --debtors 20000

Prints figures; asserts no time.
"""

import sys
import time
from datetime import timedelta

from bench_cockpit import seed_history, timed
from bench_engine import seed
from odoo_script import environment
from odoo_script import parser as odoo_parser

from odoo import fields


def parse_args(argv=None):
    parser = odoo_parser(__doc__)
    parser.add_argument("--debtors", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=2, help="open, per debtor")
    parser.add_argument("--paid", type=int, default=4, help="paid, per debtor")
    args = parser.parse_args(argv)
    if args.debtors < 10 or args.invoices < 1 or args.paid < 0:
        parser.error("--debtors must be at least 10, --invoices at least 1")
    return args


def challenger_of(env, champion):
    """The champion's levels, each sent sooner (created once)."""
    name = f"{champion.name} (bench challenger)"
    Scenario = env["dunning.scenario"]
    challenger = Scenario.search([("name", "=", name)], limit=1)
    if challenger:
        return challenger
    challenger = Scenario.create({"name": name, "company_id": champion.company_id.id})
    for level in champion.level_ids:
        level.copy(
            {
                "scenario_id": challenger.id,
                "name": level.name,
                "delay_days": max(level.delay_days // 2, level.delay_days - 10),
            }
        )
    return challenger


def measure(env, args):
    company = env.company
    today = fields.Date.context_today(env["dunning.scenario"])
    champion = env["dunning.scenario"].search(
        [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
    )
    challenger = challenger_of(env, champion)
    env.cr.commit()
    seeded = 0
    for debtors in (args.debtors // 10, args.debtors):
        start = time.perf_counter()
        seed(env, company, seeded, debtors, args.invoices, today)
        seed_history(env, company, seeded, debtors, args.paid, today)
        seeded = debtors
        print(
            f"seeded up to {debtors:,} debtors x {args.invoices} open and "
            f"{args.paid} paid invoices in {time.perf_counter() - start:.1f} s"
        )
        if champion.challenger_id:
            champion.write({"challenger_id": False, "challenger_start": False})
            env.cr.commit()
        test = {
            "challenger_id": challenger.id,
            "challenger_share": 50,
            "challenger_start": today - timedelta(days=400),
        }
        timed(
            env, "start the test (every arm stored)", lambda v=test: champion.write(v)
        )
        env.cr.commit()
        # The seeded history is 60 to 390 days old: the debtors are in their
        # arm from the test's first day.
        env.cr.execute(
            "UPDATE dunning_debtor_status SET arm_since = %s WHERE champion_id = %s",
            [test["challenger_start"], champion.id],
        )
        env.cr.commit()
        timed(
            env, "comparison (query + statistics)", champion._dunning_challenger_compare
        )
        timed(
            env, "comparison rendered (form tab)", champion._dunning_render_comparison
        )
        timed(
            env,
            "share 50 -> 60 % (movers written)",
            lambda: champion.write({"challenger_share": 60}),
        )
        env.cr.rollback()
        env.invalidate_all()
        result = champion._dunning_challenger_compare()
        for arm, figures in result.arms.items():
            print(f"  {arm:<11} {figures}")
        print(
            f"  days (mean of paid) {result.days_mean.diff:+.2f} "
            f"[{result.days_mean.low:+.2f}; {result.days_mean.high:+.2f}] "
            f"{result.verdict_days}; 30-day share {result.share_30.diff:+.4f} "
            f"{result.verdict_share}; reminders/1000 "
            f"{result.reminders_per_1000.diff:+.4f} {result.verdict_reminders}"
        )
        env.cr.rollback()


def main(argv=None):
    args = parse_args(argv)
    with environment(args) as env:
        measure(env, args)


if __name__ == "__main__":
    sys.exit(main())
