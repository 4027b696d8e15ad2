# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    # The scoring of people, apart from the scoring's own settings.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.company"

    dunning_score_people = fields.Boolean(
        string="Score people (consumers)",
        default=False,
        help="Off by default. Scoring a debtor who is a person and holding "
        "its orders on that score is profiling and an automated decision "
        "(GDPR art. 22): allowed when necessary for the contract or with the "
        "person's consent, on the company's legitimate interest (art. 6.1.f) "
        "of managing its credit risk, documented, and with a human who can "
        "override the decision (the override of the credit hold). When off, "
        "people get no score, no grade and no credit rule, and the nightly "
        "scoring skips them.",
    )
