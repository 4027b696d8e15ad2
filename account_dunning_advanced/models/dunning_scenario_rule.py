# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class DunningScenarioRule(models.Model):
    """Assigns a scenario to the debtors matching every criterion set."""

    _name = "dunning.scenario.rule"
    _description = "Collections scenario assignment rule"
    _order = "sequence, id"

    scenario_id = fields.Many2one(
        "dunning.scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scenario_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Partner tags",
        help="The debtor has at least one of these tags.",
    )
    country_ids = fields.Many2many(
        "res.country",
        string="Countries",
        help="The debtor is in one of these countries.",
    )
    min_overdue_amount = fields.Monetary(
        string="Minimum overdue amount",
        currency_field="currency_id",
        help="The debtor owes at least this overdue amount (company currency).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # The debtors' stored status (dunning.debtor.status) follows the rules.
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._dunning_refresh_status(rules.company_id)
        return rules

    def write(self, vals):
        companies = self.company_id
        result = super().write(vals)
        self._dunning_refresh_status(companies | self.company_id)
        return result

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        self._dunning_refresh_status(companies)
        return result

    def _dunning_refresh_status(self, companies):
        self.env["dunning.debtor.status"].sudo()._dunning_refresh_companies(companies)

    def _matches(self, partner, overdue_amount):
        """Return whether the commercial partner satisfies this rule.

        Criteria left empty match everyone; submodules add criteria by
        overriding this method and calling super().
        """
        self.ensure_one()
        if self.category_ids and not (self.category_ids & partner.category_id):
            return False
        if self.country_ids and partner.country_id not in self.country_ids:
            return False
        if self.min_overdue_amount and overdue_amount < self.min_overdue_amount:
            return False
        return True
