# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PENALTY_PRODUCT_XMLID = "account_dunning_advanced.product_dunning_penalty"
#: French chart: 7631 Revenus des créances commerciales (late-payment interest).
PENALTY_INTEREST_CODE = "7631"
#: French chart (PCG 2025): 7581 Dédits et pénalités perçus sur achats et
#: ventes (fixed recovery indemnity). 7588 is no longer "Produits divers de
#: gestion courante" in Odoo 18's French chart (it holds trusts).
PENALTY_INDEMNITY_CODE = "7581"


class ResCompany(models.Model):
    _inherit = "res.company"

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
