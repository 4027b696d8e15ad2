# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date

from odoo.addons.base.models.res_partner import _tz_get

PENALTY_PRODUCT_XMLID = "account_dunning_advanced.product_dunning_penalty"
#: French chart: 7631 Revenus des créances commerciales (late-payment interest).
PENALTY_INTEREST_CODE = "7631"
#: French chart (PCG 2025): 7581 Dédits et pénalités perçus sur achats et
#: ventes (fixed recovery indemnity). 7588 is no longer "Produits divers de
#: gestion courante" in Odoo 18's French chart (it holds trusts).
PENALTY_INDEMNITY_CODE = "7581"


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_forecast_method = fields.Selection(
        selection="_dunning_forecast_method_selection",
        string="Cash-in forecast method",
        default="best",
        required=True,
        help="How the cash-in forecast dates the open invoices: the best "
        "method of the last back-test (lowest WAPE with a bias within 10 %), "
        "or one method.",
    )

    dunning_effect_promise = fields.Boolean(
        string="Promises in e-mails pause the chase", default=True
    )
    dunning_effect_dispute = fields.Boolean(
        string="Disputes in e-mails open a dispute", default=True
    )
    dunning_effect_out_of_office = fields.Boolean(
        string="Out-of-office replies write to the next contact", default=True
    )
    dunning_effect_copy_request = fields.Boolean(
        string="Copy requests prepare the documents", default=True
    )
    dunning_effect_payment = fields.Boolean(default=False)
    dunning_effect_other = fields.Boolean(default=False)
    dunning_trust_authenticated = fields.Boolean(
        string="Apply effects of authenticated e-mails",
        default=False,
        help="E-mails to the collections alias that are not replies to a "
        "reminder only propose their effect (promise, dispute, out of office) "
        "to a collector. Tick to apply it at once when the receiving mail "
        "server vouches for the sender: its Authentication-Results header says "
        "dkim=pass or spf=pass for the domain of the From address. Only when "
        "your mail server strips the Authentication-Results headers written "
        "by the senders.",
    )
    dunning_authserv_id = fields.Char(
        string="Trusted authserv-id",
        help="The name your receiving mail server writes first in its "
        "Authentication-Results headers (e.g. mx.mycompany.example). When set, "
        "only a header with this name is believed; otherwise the topmost one.",
    )
    dunning_promise_max_days = fields.Integer(
        string="Longest promise from a debtor (days)",
        default=60,
        help="A promise to pay made by e-mail or on the payment page further "
        "than this many days away pauses nothing: a collector accepts or "
        "refuses it. 0: no limit.",
    )
    dunning_terms_max_days = fields.Integer(
        string="Longest payment term (days)",
        default=60,
        help="Code de commerce L441-10 I: a customer invoice to a professional "
        "may not fall due later than this many days after its date, or the "
        "end-of-month term below if later. Change it only under a sector "
        "agreement (L441-11). Public buyers: 30 days (R2192-10 Code de la "
        "commande publique).",
    )
    dunning_terms_max_eom_days = fields.Integer(
        string="Longest end-of-month term (days)",
        default=45,
        help="Code de commerce L441-10 I: ... or this many days then the end "
        "of that month.",
    )
    dunning_tolerance = fields.Monetary(
        string="Collections tolerance",
        currency_field="currency_id",
        default=1.0,
        help="Open amounts below this (company currency) are not chased: "
        "rounding leftovers, small differences.",
    )
    dunning_penalty_mode = fields.Selection(
        [
            ("none", "No interest"),
            ("legal", "Legal rate: ECB refinancing rate + 10 points"),
            ("contractual", "Contractual rate"),
        ],
        string="Late-payment interest",
        required=True,
        default="none",
        help="Legal rate: the ECB main refinancing rate in force on 1 January "
        "or 1 July, plus 10 points (French Commercial Code, art. L441-10). "
        "Contractual rate: the annual rate of your terms of sale, never below "
        "three times the legal interest rate of the half-year.",
    )
    dunning_penalty_rate = fields.Float(
        string="Contractual annual rate (%)",
        digits=(16, 4),
        help="Annual rate of the late-payment interest stated in your terms of "
        "sale. Raised to three times the legal interest rate when lower.",
    )
    dunning_indemnity_enabled = fields.Boolean(
        string="Fixed recovery indemnity",
        help="Claim the fixed indemnity for recovery costs once per invoice paid "
        "late (French Commercial Code, art. D441-5: 40 EUR), from business "
        "debtors.",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Indemnity amount",
        currency_field="dunning_indemnity_currency_id",
        default=40.0,
    )
    dunning_indemnity_currency_id = fields.Many2one(
        "res.currency",
        string="Indemnity currency",
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        help="Currency of the indemnity amount; converted to the invoice's "
        "currency at its due date.",
    )
    dunning_penalty_product_id = fields.Many2one(
        "product.product",
        string="Penalty product",
        domain=[("type", "=", "service")],
        default=lambda self: self.env.ref(
            PENALTY_PRODUCT_XMLID, raise_if_not_found=False
        ),
        help="Product of the lines of the penalty invoices (default: "
        "Late-payment penalties, without tax: penalties are outside the scope "
        "of VAT).",
    )
    dunning_penalty_account_id = fields.Many2one(
        "account.account",
        string="Interest income account",
        check_company=True,
        domain=[("account_type", "in", ("income", "income_other"))],
        help="Account of the late-payment interest lines of the penalty "
        "invoices, never a sales account (French chart: 7631 Revenus des "
        "créances commerciales). Empty: the account 7631 of the company when "
        "it exists; otherwise penalties cannot be invoiced.",
    )
    dunning_indemnity_account_id = fields.Many2one(
        "account.account",
        string="Indemnity income account",
        check_company=True,
        domain=[("account_type", "in", ("income", "income_other"))],
        help="Account of the fixed recovery indemnity lines of the penalty "
        "invoices, never a sales account (French chart: 7581 Dédits et "
        "pénalités perçus sur achats et ventes). Empty: the account 7581 of "
        "the company when it exists; otherwise penalties cannot be invoiced.",
    )

    # Sending rules (formal notices, agency, SMS window)
    dunning_allow_auto_formal_notice = fields.Boolean(
        string="Send formal notices and agency hand-offs automatically",
        default=False,
        help="Off: a formal notice or a collection agency hand-off always waits "
        "for a collector's validation, whatever its level says. On: a "
        "collections manager may tick 'Send automatically' on those levels.",
    )
    dunning_send_hour_start = fields.Float(
        string="SMS and calls from",
        default=9.0,
        help="Text messages are sent and calls planned on working days (Monday "
        "to Friday, French public holidays excluded) from this hour...",
    )
    dunning_send_hour_end = fields.Float(
        string="SMS and calls until",
        default=18.0,
        help="... until this hour, in the time zone below.",
    )
    dunning_send_tz = fields.Selection(
        _tz_get,
        string="Time zone of the sending window",
        help="Empty: the time zone of the company's address, else Europe/Paris.",
    )

    @api.model
    def _dunning_forecast_method_selection(self):
        """ "Best of the last back-test" and every method of the back-test
        (``dunning.forecast.report._backtest_methods``: each addon's)."""
        return [("best", self.env._("Best of the last back-test"))] + [
            (method["key"], method["label"])
            for method in self.env["dunning.forecast.report"]._backtest_methods()
        ]

    @api.constrains("dunning_send_hour_start", "dunning_send_hour_end")
    def _check_dunning_send_hours(self):
        for company in self:
            start, end = company.dunning_send_hour_start, company.dunning_send_hour_end
            if not (0 <= start < end <= 24):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the sending window must start before it ends, "
                        "between 0:00 and 24:00.",
                        company=company.display_name,
                    )
                )

    def write(self, vals):
        if vals.get("dunning_allow_auto_formal_notice") and not (
            self.env.su
            or self.env.user.has_group("account_dunning_advanced.group_dunning_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a collections manager may let formal notices and agency "
                    "hand-offs go out without validation."
                )
            )
        return super().write(vals)

    def _dunning_sending_tz(self):
        """Return the time zone of the sending window (a pytz zone)."""
        self.ensure_one()
        name = self.dunning_send_tz or self.partner_id.tz or "Europe/Paris"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.timezone("Europe/Paris")

    @api.constrains("dunning_penalty_rate", "dunning_indemnity_amount")
    def _check_dunning_penalty(self):
        for company in self:
            if company.dunning_penalty_rate < 0 or company.dunning_indemnity_amount < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: penalty rates and amounts cannot be negative.",
                        company=company.display_name,
                    )
                )

    @api.constrains("dunning_promise_max_days")
    def _check_dunning_promise_max_days(self):
        for company in self:
            if company.dunning_promise_max_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the longest promise cannot be negative.",
                        company=company.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_create_default_scenario()
        return companies

    def _dunning_default_scenario_levels(self, env):
        """Return the values of the levels of the default scenario.

        :param env: environment in the language of the names.
        :return: list of dicts, the translatable ``name`` in ``env.lang``.
        """
        ref = self.env.ref
        role_accounting = ref(
            "account_dunning_advanced.dunning_contact_role_accounting"
        )
        role_management = ref(
            "account_dunning_advanced.dunning_contact_role_management"
        )
        email = {"channel_email": True}
        return [
            dict(
                email,
                name=env._("Courtesy reminder"),
                delay_days=-2,
                mail_template_id=ref(
                    "account_dunning_advanced.mail_template_dunning_pre_due"
                ).id,
                to_role_ids=[Command.set(role_accounting.ids)],
                auto_execute=True,
            ),
            dict(
                email,
                name=env._("First reminder"),
                delay_days=5,
                min_interval_days=3,
                mail_template_id=ref(
                    "account_dunning_advanced.mail_template_dunning_first"
                ).id,
                to_role_ids=[Command.set(role_accounting.ids)],
                auto_execute=True,
            ),
            dict(
                email,
                name=env._("Second reminder"),
                delay_days=15,
                min_interval_days=7,
                mail_template_id=ref(
                    "account_dunning_advanced.mail_template_dunning_second"
                ).id,
                to_role_ids=[Command.set(role_accounting.ids)],
                attach_invoices=True,
                auto_execute=True,
            ),
            dict(
                email,
                name=env._("Final reminder, decision maker in copy"),
                delay_days=30,
                min_interval_days=7,
                mail_template_id=ref(
                    "account_dunning_advanced.mail_template_dunning_final"
                ).id,
                to_role_ids=[Command.set(role_accounting.ids)],
                cc_role_ids=[Command.set(role_management.ids)],
                attach_invoices=True,
                auto_execute=False,
            ),
            {
                "name": env._("Formal notice"),
                "level_type": "formal_notice",
                "delay_days": 45,
                "min_interval_days": 10,
                "payment_deadline_days": 8,
                "channel_email": False,
                "channel_letter": True,
                "mail_template_id": ref(
                    "account_dunning_advanced.mail_template_dunning_formal_notice"
                ).id,
                "to_role_ids": [Command.set(role_management.ids)],
                "cc_role_ids": [Command.set(role_accounting.ids)],
                "auto_execute": False,
            },
            {
                "name": env._("Phone call"),
                "delay_days": 60,
                "min_interval_days": 7,
                "channel_email": False,
                "channel_phone": True,
                "phone_script": Markup("<p>%s</p>")
                % env._(
                    "Check that the formal notice was received, ask for a "
                    "payment date and offer a payment plan if needed."
                ),
                "to_role_ids": [Command.set(role_accounting.ids)],
                "auto_execute": True,
            },
        ]

    def _dunning_create_default_scenario(self):
        """Give each company of self its default collections scenario.

        A courtesy reminder two days before the due date, three e-mail
        reminders (+5, +15, +30, the last one with the decision maker in
        copy and waiting for a collector), a formal notice by letter (+45)
        that waits for a collector, a phone call (+60). The names are in
        English with their translation in the language of the company.
        Idempotent: a company that already has a default scenario (active or
        archived) gets nothing.

        :return: the scenarios created.
        """
        Scenario = self.env["dunning.scenario"].sudo().with_context(active_test=False)
        with_default = Scenario.search(
            [("is_default", "=", True), ("company_id", "in", self.ids)]
        ).company_id
        scenarios = Scenario.browse()
        english = self.with_context(lang="en_US").env
        for company in self - with_default:
            scenario = Scenario.with_context(lang="en_US").create(
                {
                    "name": english._("Standard"),
                    "company_id": company.id,
                    "is_default": True,
                    "is_starter": True,
                    "mode": "invoice",
                    "thankyou_template_id": self.env.ref(
                        "account_dunning_advanced.mail_template_dunning_thanks"
                    ).id,
                    "level_ids": [
                        Command.create(dict(vals, sequence=index))
                        for index, vals in enumerate(
                            self._dunning_default_scenario_levels(english), 1
                        )
                    ],
                }
            )
            lang = company.partner_id.lang
            if lang and lang != "en_US":
                local = self.with_context(lang=lang).env
                scenario.with_context(lang=lang).name = local._("Standard")
                levels = scenario.level_ids.sorted("sequence").with_context(lang=lang)
                local_values = self._dunning_default_scenario_levels(local)
                for level, vals in zip(levels, local_values, strict=True):
                    level.write(
                        {
                            key: vals[key]
                            for key in ("name", "phone_script")
                            if key in vals
                        }
                    )
            scenarios |= scenario
        return scenarios

    @api.model
    def _dunning_demo_generate(self):
        """Demo data only: generate the collections demo of the main company.

        Called once, at install, by ``demo/dunning_demo_data.xml``.  The
        generator is a plain module (``demo/generator.py``) imported here
        only, so that a database installed without demo data never loads it.

        :return: True
        """
        from ..demo import generator  # pylint: disable=import-outside-toplevel

        return generator.generate(self.env)

    def _dunning_setup_issues(self, today=None):
        """Return what is missing for the collections of this company.

        Used by the settings (Accounting, Collections) and by the empty list
        of the debtors to follow.

        :param today: the day to check the interest rates against (default:
            the collections date).
        :return: list of dicts ``{code, message, action}``, ``action`` being
            the XML id of the window action that fixes the issue.
        """
        self.ensure_one()
        issues = []
        if not self.env["ir.mail_server"].sudo().search_count([], limit=1):
            issues.append(
                {
                    "code": "mail_server",
                    "message": self.env._(
                        "No outgoing mail server: the reminders may not leave "
                        "the database."
                    ),
                    "action": "base.action_ir_mail_server_list",
                }
            )
        if not self.sudo().alias_domain_id:
            issues.append(
                {
                    "code": "alias_domain",
                    "message": self.env._(
                        "No alias domain for %(company)s: the replies of the "
                        "debtors cannot come back to the collections.",
                        company=self.name,
                    ),
                    "action": "mail.mail_alias_domain_action",
                }
            )
        if "payment.provider" in self.env and not self.env[
            "payment.provider"
        ].sudo().search_count(
            [
                ("company_id", "=", self.id),
                ("state", "in", ("enabled", "test")),
                ("is_published", "=", True),
            ],
            limit=1,
        ):
            issues.append(
                {
                    "code": "payment_provider",
                    "message": self.env._(
                        "No published payment provider for %(company)s: the "
                        "debtors cannot pay online from the reminders.",
                        company=self.name,
                    ),
                    "action": "payment.action_payment_provider",
                }
            )
        Scenario = self.env["dunning.scenario"].sudo()
        if not Scenario.search_count(
            [("is_default", "=", True), ("company_id", "=", self.id)], limit=1
        ):
            issues.append(
                {
                    "code": "scenario",
                    "message": self.env._(
                        "No default scenario for %(company)s: the debtors that no "
                        "rule matches are not reminded.",
                        company=self.name,
                    ),
                    "action": "account_dunning_advanced.dunning_scenario_action",
                }
            )
        for date_from in self.env["dunning.interest.rate"]._get_missing_half_years(
            today
        ):
            issues.append(
                {
                    "code": "interest_rate",
                    "message": self.env._(
                        "No rate for the half-year starting on %(date)s: enter "
                        "the ECB refinancing rate and the legal interest rates.",
                        date=format_date(self.env, date_from),
                    ),
                    "action": "account_dunning_advanced.dunning_interest_rate_action",
                }
            )
        return issues

    def _dunning_setup_issues_html(self, today=None):
        """Return the issues of :meth:`_dunning_setup_issues` as HTML, each
        with a link to the screen that fixes it (QWeb template
        ``account_dunning_advanced.dunning_setup_issues``); empty string
        without any."""
        issues = self._dunning_setup_issues(today=today)
        if not issues:
            return ""
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_setup_issues", {"issues": issues}
        )

    def _get_dunning_penalty_accounts(self):
        """Return ``(interest account, indemnity account)`` of this company.

        The accounts of the settings, else the French chart's found by code
        in the company (7631 for the interest, 7581 for the indemnity); an
        empty recordset when neither is there: the caller asks the user.
        """
        self.ensure_one()
        Account = self.env["account.account"].with_company(self).sudo()
        found = {}
        for key, (account, prefix) in {
            "interest": (self.dunning_penalty_account_id, PENALTY_INTEREST_CODE),
            "indemnity": (self.dunning_indemnity_account_id, PENALTY_INDEMNITY_CODE),
        }.items():
            found[key] = account or Account.search(
                [
                    *Account._check_company_domain(self),
                    ("code", "=like", f"{prefix}%"),
                    ("account_type", "in", ("income", "income_other")),
                    ("deprecated", "=", False),
                ],
                order="code",
                limit=1,
            )
        return found["interest"].sudo(False), found["indemnity"].sudo(False)

    def _get_dunning_penalty_product(self):
        """Return the product of the penalty lines of this company."""
        self.ensure_one()
        return self.dunning_penalty_product_id or self.env.ref(
            PENALTY_PRODUCT_XMLID, raise_if_not_found=False
        )
