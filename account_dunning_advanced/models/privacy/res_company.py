# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The retention policy of the personal data of debtors who are people.

    The defaults are the limitation periods of French law: once a claim can
    no longer be pursued, what the chase gathered about the person has no
    purpose left (GDPR art. 5.1.e, storage limitation):

    * commercial debts: 5 years (Code de commerce L110-4, Code civil 2224);
    * debts of a consumer towards a professional: 2 years (Code de la
      consommation L218-2).

    The accounting entries themselves (invoices, payments) are kept 10 years
    (Code de commerce L123-22) and never touched by the purge.
    """

    # One extension per concern folder (readme/DEVELOP.md).
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.company"

    dunning_retention_enabled = fields.Boolean(
        string="Purge personal data of settled debtors",
        default=True,
        help="Every month, the reminders' texts, replies, call notes, "
        "free-text notes and score history of the debtors who are people, "
        "settled and without any movement for the period below, are "
        "anonymised or deleted. Accounting entries are kept (10 years, Code "
        "de commerce L123-22).",
    )
    dunning_retention_commercial_years = fields.Integer(
        string="Retention of commercial debts (years)",
        default=5,
        help="Limitation period of commercial debts: 5 years (Code de "
        "commerce L110-4, Code civil 2224). Applies to people whose legal "
        "regime is professional (a sole trader forced professional).",
    )
    dunning_retention_consumer_years = fields.Integer(
        string="Retention of consumer debts (years)",
        default=2,
        help="Limitation period of a professional's claim against a "
        "consumer: 2 years (Code de la consommation L218-2).",
    )

    @api.constrains(
        "dunning_retention_commercial_years", "dunning_retention_consumer_years"
    )
    def _check_dunning_retention_years(self):
        for company in self:
            if (
                company.dunning_retention_commercial_years < 1
                or company.dunning_retention_consumer_years < 1
            ):
                raise ValidationError(
                    self.env._("A retention period is at least one year.")
                )
