# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's legal regime: professional, consumer or public buyer.

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

from odoo import api, fields, models

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


class ResPartner(models.Model):
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
        if not (partner.is_company or partner.vat or partner.company_registry):
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
