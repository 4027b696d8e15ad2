# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...engine import planner

# What decides the debtors' scenario or collector on a scenario (the rules
# refresh it themselves, see dunning.scenario.rule).
RESOLUTION_FIELDS = {"is_default", "active", "user_id", "company_id"}


class DunningScenario(models.Model):
    """A reminder scenario: an ordered list of levels for a segment of debtors."""

    _name = "dunning.scenario"
    _description = "Collections scenario"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    is_default = fields.Boolean(
        string="Default scenario",
        tracking=True,
        help="Used for the debtors that no rule matches and that have no forced "
        "scenario. One per company.",
    )
    is_starter = fields.Boolean(
        string="Created with the company",
        readonly=True,
        copy=False,
        help="The scenario created automatically for the company: another "
        "scenario marked as the default takes its place as the default.",
    )
    mode = fields.Selection(
        [
            (planner.MODE_INVOICE, "Each invoice at its own pace"),
            (planner.MODE_ACCOUNT, "Whole account at the highest level"),
        ],
        required=True,
        default=planner.MODE_INVOICE,
        tracking=True,
        help="Each invoice at its own pace: every invoice climbs the levels "
        "from its own due date, one message per level due.\n"
        "Whole account: one message lists every overdue invoice at the level "
        "following the highest level reached by the debtor.",
    )
    level_ids = fields.One2many("dunning.level", "scenario_id", string="Levels")
    rule_ids = fields.One2many(
        "dunning.scenario.rule", "scenario_id", string="Assignment rules"
    )
    level_count = fields.Integer(compute="_compute_level_count")
    note = fields.Html(translate=True)
    user_id = fields.Many2one(
        "res.users",
        string="Default collector",
        help="Collector of the debtors of this scenario that have none of their "
        "own; else their salesperson.",
    )
    thankyou_template_id = fields.Many2one(
        "mail.template",
        string="Thank-you e-mail",
        domain=[("model", "=", "account.move")],
        help="Sent once when an invoice that received at least one reminder is "
        "fully paid. Leave empty to send none.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_default") and not vals.get("is_starter"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                self._dunning_release_starter(company)
        scenarios = super().create(vals_list)
        self.env["dunning.debtor.status"].sudo()._dunning_refresh_companies(
            scenarios.filtered("is_default").company_id
        )
        return scenarios

    def write(self, vals):
        if vals.get("is_default"):
            company = (
                self.env["res.company"].browse(vals["company_id"])
                if vals.get("company_id")
                else self.company_id
            )
            self._dunning_release_starter(company, exclude=self)
        companies = self.company_id
        result = super().write(vals)
        if RESOLUTION_FIELDS.intersection(vals):
            # Default, archived, collector: the debtors' status follows.
            self.env["dunning.debtor.status"].sudo()._dunning_refresh_companies(
                companies | self.company_id
            )
        return result

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        self.env["dunning.debtor.status"].sudo()._dunning_refresh_companies(companies)
        return result

    @api.model
    def _dunning_release_starter(self, companies, exclude=None):
        """Unset the default flag of the starter scenarios of ``companies``.

        The scenario created with the company (:attr:`is_starter`) gives way
        to the scenario the user marks as the default; it stays available
        (assignment rules, forced scenario).
        """
        starters = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("is_default", "=", True),
                    ("is_starter", "=", True),
                    ("company_id", "in", companies.ids),
                ]
            )
        )
        if exclude:
            starters -= exclude.sudo()
        if starters:
            starters.is_default = False

    @api.depends("level_ids")
    def _compute_level_count(self):
        for scenario in self:
            scenario.level_count = len(scenario.level_ids)

    @api.constrains("is_default", "company_id", "active")
    def _check_is_default(self):
        defaults = self.search(
            [("is_default", "=", True), ("company_id", "in", self.company_id.ids)]
        )
        for company in defaults.company_id:
            names = defaults.filtered(lambda s, c=company: s.company_id == c)
            if len(names) > 1:
                raise ValidationError(
                    self.env._(
                        "Only one default scenario is allowed per company: "
                        "%(company)s has %(names)s.",
                        company=company.display_name,
                        names=", ".join(names.mapped("display_name")),
                    )
                )

    def _get_engine_scenarios(self):
        """Return the scenarios of self as engine objects.

        :return: dict scenario id -> planner.Scenario.
        """
        result = {}
        for scenario in self:
            levels = scenario.level_ids.sorted(lambda lvl: (lvl.delay_days, lvl.id))
            escalation = levels.filtered("after_broken_promise")[:1]
            result[scenario.id] = planner.Scenario(
                id=scenario.id,
                mode=scenario.mode,
                levels=tuple(level._get_engine_level() for level in levels),
                escalation_level=escalation._get_engine_level() if escalation else None,
            )
        return result

    @api.model
    def _resolve_for_partners(self, partners, company, overdue_by_partner=None):
        """Choose the scenario chasing each debtor.

        :meth:`_dunning_resolve_base`, then the challenger of a running
        champion/challenger test for the debtors of its arm
        (:meth:`_dunning_resolve_arms`, dunning_scenario_challenger.py).

        :return: dict partner id -> dunning.scenario (possibly empty).
        """
        return {
            partner_id: arm[0]
            for partner_id, arm in self._dunning_resolve_arms(
                partners, company, overdue_by_partner
            ).items()
        }

    @api.model
    def _dunning_resolve_base(self, partners, company, overdue_by_partner=None):
        """Choose the scenario of each debtor, before any challenger.

        Forced scenario on the partner, else the first matching assignment
        rule (by sequence), else the company's default scenario.

        :param partners: commercial partners.
        :param company: the company whose scenarios apply.
        :param overdue_by_partner: dict partner id -> overdue amount in the
            company currency, used by the rules with a minimum amount.
        :return: dict partner id -> dunning.scenario (possibly empty).
        """
        overdue_by_partner = overdue_by_partner or {}
        scenarios = self.with_company(company).search([("company_id", "=", company.id)])
        default = scenarios.filtered("is_default")[:1]
        rules = scenarios.rule_ids.sorted(lambda r: (r.sequence, r.id))
        result = {}
        for partner in partners.with_company(company):
            forced = partner.dunning_scenario_id
            if forced and forced.active and forced.company_id == company:
                result[partner.id] = forced
                continue
            overdue = overdue_by_partner.get(partner.id, 0.0)
            rule = next((r for r in rules if r._matches(partner, overdue)), None)
            result[partner.id] = rule.scenario_id if rule else default
        return result
