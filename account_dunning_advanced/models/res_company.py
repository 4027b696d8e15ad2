# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.base.models.res_partner import _tz_get

PENALTY_PRODUCT_XMLID = "account_dunning_advanced.product_dunning_penalty"


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
        string="Penalty income account",
        check_company=True,
        domain=[("account_type", "in", ("income", "income_other"))],
        help="Account of the lines of the penalty invoices; empty: the income "
        "account of the product.",
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

    def _get_dunning_penalty_product(self):
        """Return the product of the penalty lines of this company."""
        self.ensure_one()
        return self.dunning_penalty_product_id or self.env.ref(
            PENALTY_PRODUCT_XMLID, raise_if_not_found=False
        )
