# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The law that applies to a debtor: its regime, the penalties it owes and
the legal mentions of its documents, the time limits of its claims.

The debtor's legal regime: professional, consumer or public buyer.

The regime decides which late-payment rules apply to a debtor (rate, start
of the interest, recovery indemnity), which mentions the documents print and
how long a claim can be pursued:

* ``professional`` — a company (or a person acting for one: a VAT number):
  Code de commerce L441-10 (ECB rate + 10 points unless the contract says
  otherwise, the 40 EUR indemnity per invoice of D441-5), limitation of five
  years (L110-4).
* ``consumer`` — a person without company or VAT number: the legal interest
  rate, running from the formal notice (Code civil 1231-6, 1344-1), no
  indemnity, limitation of two years (Code de la consommation L218-2).
* ``public`` — a public buyer (a flag on the debtor): Code de la commande
  publique (R2192-31: ECB rate + 8 points; R2192-32 and D441-5: 40 EUR).

Chosen automatically (:meth:`ResPartner._dunning_auto_regime`), shown on the
debtor and overridable by a collections manager, tracked.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_amount, formatLang, get_lang

from ...engine import penalties

REGIME_PROFESSIONAL = "professional"
REGIME_CONSUMER = "consumer"
REGIME_PUBLIC = "public"
REGIMES = [
    (REGIME_PROFESSIONAL, "Professional"),
    (REGIME_CONSUMER, "Consumer"),
    (REGIME_PUBLIC, "Public buyer"),
]
MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"
USER_GROUP = "account_dunning_advanced.group_dunning_user"
PENALTY_GROUP = "account_dunning_advanced.group_dunning_user"
LIMITATION_MOVE_TYPES = ("out_invoice", "out_receipt")


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_public_buyer = fields.Boolean(
        string="Public buyer",
        tracking=True,
        groups=USER_GROUP,
        help="A public body buying under the Code de la commande publique: "
        "late-payment interest at the ECB rate + 8 points and the 40 EUR "
        "recovery indemnity.",
    )
    dunning_regime_override = fields.Selection(
        REGIMES,
        string="Regime (forced)",
        tracking=True,
        groups=USER_GROUP,
        help="Set by a collections manager to force the debtor's legal "
        "regime; empty: chosen automatically.",
    )
    dunning_regime = fields.Selection(
        REGIMES,
        string="Legal regime",
        compute="_compute_dunning_regime",
        store=True,
        groups=USER_GROUP,
        help="Which late-payment rules apply: professional (a company or a "
        "VAT number), consumer (a person without company or VAT number), "
        "public buyer (the flag). Forced by a manager when set.",
    )

    @api.model
    def _dunning_auto_regime(self, partner):
        """The regime the product chooses for the commercial ``partner``
        (one definition, overridable): public buyer when flagged, consumer
        for a person without company, VAT number or company registry number
        (a sole trader with a SIRET is a professional), professional
        otherwise."""
        if partner.dunning_public_buyer:
            return REGIME_PUBLIC
        if self._dunning_is_natural_person(partner):
            return REGIME_CONSUMER
        return REGIME_PROFESSIONAL

    @api.depends(
        "is_company",
        "vat",
        "dunning_public_buyer",
        "dunning_regime_override",
        "company_registry",
        "commercial_partner_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "commercial_partner_id.company_registry",
        "commercial_partner_id.dunning_public_buyer",
        "commercial_partner_id.dunning_regime_override",
    )
    def _compute_dunning_regime(self):
        for partner in self:
            commercial = partner.commercial_partner_id or partner
            partner.dunning_regime = (
                commercial.dunning_regime_override
                or self._dunning_auto_regime(commercial)
            )

    def _dunning_check_regime_override(self, value):
        """Only a collections manager forces a regime or lifts it (checked
        here, not only in the view): ``value`` is the new forced regime of
        ``self`` (an empty recordset for a creation)."""
        changed = (
            any(partner.dunning_regime_override != value for partner in self)
            if self
            else bool(value)
        )
        if changed:
            self._dunning_check_group(
                MANAGER_GROUP,
                self.env._("Only a collections manager can force the legal regime."),
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._dunning_check_regime_override(
                vals.get("dunning_regime_override") or False
            )
        return super().create(vals_list)

    def write(self, vals):
        if "dunning_regime_override" in vals:
            self._dunning_check_regime_override(
                vals["dunning_regime_override"] or False
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Late-payment penalties and legal mentions
    # ------------------------------------------------------------------
    dunning_no_indemnity = fields.Boolean(
        string="No fixed recovery indemnity",
        tracking=True,
        groups=PENALTY_GROUP,
        help="Never claim the fixed indemnity for recovery costs (art. D441-5) "
        "from this debtor: consumers, public bodies...",
    )
    dunning_penalty_total = fields.Monetary(
        string="Late-payment penalties",
        compute="_compute_dunning_penalty_total",
        currency_field="dunning_penalty_currency_id",
        groups=PENALTY_GROUP,
        help="Interest and indemnities accrued today on the debtor's open "
        "invoices and not invoiced yet on a penalty invoice, in the company "
        "currency (the open penalty invoices are open invoices of their own).",
    )
    dunning_penalty_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_dunning_penalty_total",
        groups=PENALTY_GROUP,
    )

    @api.depends_context("company", "dunning_date")
    def _compute_dunning_penalty_total(self):
        company = self.env.company
        Move = self.env["account.move"]
        on_date = Move._dunning_date()
        commercials = self.commercial_partner_id.filtered(
            lambda partner: isinstance(partner.id, int)
        )
        moves = Move.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("dunning_is_penalty", "=", False),
                ("payment_state", "in", ("not_paid", "partial")),
                ("commercial_partner_id", "in", commercials.ids),
            ]
        )
        results = moves._dunning_penalty_compute(on_date)
        rates = {}
        totals = defaultdict(float)
        for move in moves:
            currency = move.currency_id
            if currency not in rates:
                rates[currency] = self.env["res.currency"]._get_conversion_rate(
                    currency, company.currency_id, company, on_date
                )
            totals[move.commercial_partner_id.id] += (
                float(results[move.id].total) * rates[currency]
            )
        for partner in self:
            partner.dunning_penalty_currency_id = company.currency_id
            partner.dunning_penalty_total = company.currency_id.round(
                totals[partner.commercial_partner_id.id]
            )

    # ------------------------------------------------------------------
    # Legal mentions of the documents
    # ------------------------------------------------------------------
    def _dunning_mentions_env(self):
        """Return an environment in the language of the debtor."""
        partner = self.commercial_partner_id or self
        return self.with_context(lang=get_lang(self.env, partner.lang).code).env

    def _dunning_legal_mentions(self, company, on_date=None, rate_table=None):
        """Return the late-payment sentences to print for this debtor.

        Computed from the debtor's regime (``dunning_regime``), the company's
        settings (interest mode and rate, indemnity and its amount) and the
        rates of the half-year of ``on_date`` (default: the penalty date), in
        the debtor's language: a list of strings, empty when the company
        claims no penalty. The letters, e-mails and the debtor's page print
        them; no template types a rate or an amount.

        :param rate_table: the engine's rate table, read once by a caller
            printing many debtors (default: read here).
        """
        self.ensure_one()
        partner = (self.commercial_partner_id or self).sudo()
        env = self._dunning_mentions_env()
        on_date = fields.Date.to_date(on_date) or env["account.move"]._dunning_date()
        regime = partner.dunning_regime or penalties.REGIME_PROFESSIONAL
        mode = company.dunning_penalty_mode or penalties.MODE_NONE
        if rate_table is None:
            rate_table = env["dunning.interest.rate"]._get_rate_table()
        period, _stale = rate_table.period_for(on_date)
        sentences = []
        if mode != penalties.MODE_NONE and period:
            rate, _floored = penalties.applicable_rate(
                period, mode, company.dunning_penalty_rate, regime=regime
            )
            rate = formatLang(env, float(rate), digits=2) + " %"
            if regime == penalties.REGIME_CONSUMER:
                sentences.append(
                    env._(
                        "In accordance with articles 1231-6 and 1344-1 of the "
                        "French Civil Code, the sums due bear late-payment "
                        "interest at the legal interest rate, %(rate)s a year "
                        "for the current half-year, from the date of the formal "
                        "notice to pay.",
                        rate=rate,
                    )
                )
            elif regime == penalties.REGIME_PUBLIC:
                sentences.append(
                    env._(
                        "In accordance with article R2192-31 of the French "
                        "Public Procurement Code, any sum not paid by its due "
                        "date bears, automatically, late-payment interest at "
                        "the rate of the main refinancing operations of the "
                        "European Central Bank in force on the first day of the "
                        "half-year in which the interest started to run, plus 8 "
                        "percentage points (%(rate)s a year for interest "
                        "starting in the current half-year), from the day "
                        "following the due date.",
                        rate=rate,
                    )
                )
            elif mode == penalties.MODE_CONTRACTUAL:
                sentences.append(
                    env._(
                        "In accordance with our terms of sale and article "
                        "L441-10 of the French Commercial Code, any sum not "
                        "paid by its due date bears, automatically and without "
                        "any reminder being necessary, late-payment interest at "
                        "the annual rate of %(rate)s, from the day following "
                        "the due date.",
                        rate=rate,
                    )
                )
            else:
                sentences.append(
                    env._(
                        "In accordance with article L441-10 of the French "
                        "Commercial Code, any sum not paid by its due date "
                        "bears, automatically and without any reminder being "
                        "necessary, late-payment interest at the rate applied "
                        "by the European Central Bank to its most recent "
                        "refinancing operation plus 10 percentage points, "
                        "%(rate)s a year for the current half-year, from the "
                        "day following the due date.",
                        rate=rate,
                    )
                )
        if (
            regime != penalties.REGIME_CONSUMER
            and company.dunning_indemnity_enabled
            and company.dunning_indemnity_amount
            and not partner.dunning_no_indemnity
        ):
            amount = format_amount(
                env,
                company.dunning_indemnity_amount,
                company.dunning_indemnity_currency_id or company.currency_id,
            )
            if regime == penalties.REGIME_PUBLIC:
                sentences.append(
                    env._(
                        "In addition, a fixed indemnity for recovery costs of "
                        "%(amount)s is due for each invoice paid late (article "
                        "L2192-13 of the French Public Procurement Code).",
                        amount=amount,
                    )
                )
            else:
                sentences.append(
                    env._(
                        "In addition, a fixed indemnity for recovery costs of "
                        "%(amount)s is due for each invoice paid late (articles "
                        "L441-10 and D441-5 of the French Commercial Code), "
                        "without prejudice to additional compensation, on "
                        "proof, where the recovery costs incurred exceed this "
                        "amount.",
                        amount=amount,
                    )
                )
        return sentences

    def _dunning_costs_mention(self):
        """Return what a court may award, in the debtor's language.

        The costs of an amicable recovery stay with the creditor (Code des
        procédures civiles d'exécution, L111-8): no document says that all
        costs fall on the debtor.
        """
        self.ensure_one()
        return self._dunning_mentions_env()._(
            "Should we have to bring the matter to court, the court may order "
            "you to pay the legal costs."
        )

    # ------------------------------------------------------------------
    # Time limits (prescription)
    # ------------------------------------------------------------------
    dunning_limitation_date = fields.Date(
        string="Earliest claim lapses on",
        compute="_compute_dunning_limitation_date",
        groups=USER_GROUP,
        help="The earliest end of the limitation period of the debtor's open "
        "invoices in the current company.",
    )
    dunning_limitation_soon = fields.Boolean(
        string="Claims about to lapse",
        compute="_compute_dunning_limitation_date",
        groups=USER_GROUP,
        help="An open invoice of the debtor lapses within three months, or has "
        "lapsed.",
    )

    def _dunning_acknowledgement_recipients(self):
        """Who gets the written confirmations (promise, plan): the accounts
        payable contacts of the debtor (the accounting role), else the
        debtor's own address."""
        self.ensure_one()
        debtor = self.commercial_partner_id
        accounting = self.env.ref(
            "account_dunning_advanced.dunning_contact_role_accounting"
        )
        return (debtor | debtor.child_ids).filtered(
            lambda c: c.email and accounting in c.dunning_role_ids
        ) or debtor.filtered("email")

    @api.depends_context("company")
    def _compute_dunning_limitation_date(self):
        commercial = self.commercial_partner_id
        ids = [pid for pid in commercial.ids if isinstance(pid, int)]
        earliest = {}
        if ids:
            groups = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("commercial_partner_id", "in", ids),
                        ("company_id", "=", self.env.company.id),
                        ("move_type", "in", LIMITATION_MOVE_TYPES),
                        (
                            "line_ids",
                            "any",
                            self.env["account.move.line"]._dunning_collectible_domain(
                                self.env.company
                            ),
                        ),
                        ("dunning_limitation_date", "!=", False),
                    ],
                    ["commercial_partner_id"],
                    ["dunning_limitation_date:min"],
                )
            )
            earliest = {partner.id: day for partner, day in groups}
        alert = self.env["account.move"]._dunning_limitation_alert_date()
        for partner in self:
            day = earliest.get(partner.commercial_partner_id.id, False)
            partner.dunning_limitation_date = day
            partner.dunning_limitation_soon = bool(day and day <= alert)
