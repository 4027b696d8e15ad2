# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo of champion/challenger: a faster variant of the default scenario.

Call :func:`_create_challenger_demo` from ``demo/generator.py``
``_generate_for`` after the invoices are created and before the past runs
(``_simulate_history``): the past runs then chase half of the default
scenario's debtors with the challenger's levels, and the comparison on the
scenario's "Champion/challenger" tab reads that history.
"""

from datetime import timedelta

from odoo import fields

# Delays of the challenger's levels by the champion's (days after the due
# date): the same levels, sent sooner.
FASTER = {5: 2, 20: 12, 40: 25, 60: 45}
SHARE = 50


def _create_challenger_demo(env, company, start=None):
    """Start a test of a faster variant of ``company``'s default scenario.

    :param start: the test's first day (default: ten weeks ago, the first
        past run of the demo). The debtors' arms are dated from it: in the
        demo they are chased by their arm from the first past run on.
    :return: the challenger scenario (empty without a default scenario).
    """
    Scenario = env["dunning.scenario"].with_company(company)
    champion = Scenario.search(
        [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
    )
    if not champion:
        return Scenario
    start = start or fields.Date.context_today(champion) - timedelta(weeks=10)
    challenger = Scenario.create(
        {
            "name": env._("%(name)s, faster (challenger)", name=champion.name),
            "company_id": company.id,
            "mode": champion.mode,
            "sequence": champion.sequence + 1,
            "thankyou_template_id": champion.thankyou_template_id.id,
        }
    )
    for level in champion.level_ids:
        level.copy(
            {
                "scenario_id": challenger.id,
                "name": level.name,
                "delay_days": FASTER.get(level.delay_days, level.delay_days),
            }
        )
    champion.write(
        {
            "challenger_id": challenger.id,
            "challenger_share": SHARE,
            "challenger_start": start,
        }
    )
    # The write stored every debtor's arm as of today; in the demo they are
    # in their arm from the test's first day.
    env["dunning.debtor.status"].flush_model()
    env.cr.execute(
        "UPDATE dunning_debtor_status SET arm_since = %s WHERE champion_id = %s",
        [start, champion.id],
    )
    env["dunning.debtor.status"].invalidate_model()
    return challenger
