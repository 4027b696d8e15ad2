# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Insolvency proceedings (procédures collectives) of a debtor.

The opening judgment of a safeguard (sauvegarde), a receivership
(redressement judiciaire) or a liquidation (liquidation judiciaire):

* stops every action to get paid the debts born before it (Code de commerce
  L622-21, applied to receivership by L631-14 and to liquidation by L641-3):
  the planner skips them (``engine/planner.py``, ``prior_to_judgment``) and
  the pending reminders are cancelled on confirmation;
* stops their interest (L622-28): ``engine/penalties.py``, ``stay_cutoff``;
* opens the time to declare them to the court-appointed representative
  (mandataire judiciaire or liquidateur): two months from the publication of
  the judgment in the BODACC (R622-24), and a late claim can only be let in by
  the judge within six months of that publication (L622-26, relevé de
  forclusion).

The debts born on or after the judgment are paid normally (L622-17) and keep
being chased.
"""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...engine import bodacc, penalties

#: R622-24: claims are declared within two months of the BODACC publication.
CLAIM_DEADLINE_MONTHS = 2
#: L622-26: the judge may let a late claim in within six months of it.
LATE_CLAIM_MONTHS = 6

KINDS = [
    ("safeguard", "Safeguard"),
    ("receivership", "Receivership"),
    ("liquidation", "Liquidation"),
]


class DunningProceeding(models.Model):
    _name = "dunning.proceeding"
    _description = "Collections: insolvency proceedings of a debtor"
    _inherit = "dunning.debtor.record"
    _order = "judgment_date desc, id desc"

    partner_id = fields.Many2one(
        domain="[('is_company', '=', True)]",
        help="The debtor under the proceedings (its commercial entity).",
    )
    kind = fields.Selection(KINDS, required=True, tracking=True)
    state = fields.Selection(
        [("to_confirm", "To confirm"), ("open", "Open"), ("closed", "Closed")],
        required=True,
        default="to_confirm",
        tracking=True,
        index=True,
        copy=False,
    )
    judgment_date = fields.Date(
        string="Date of judgment",
        required=True,
        tracking=True,
        help="The opening judgment: debts born before this date are stayed, "
        "their interest stops the day before.",
    )
    court = fields.Char(tracking=True)
    bodacc_date = fields.Date(
        string="BODACC publication",
        tracking=True,
        help="Publication of the judgment in the BODACC: the claims are "
        "declared within two months of it (R622-24).",
    )
    bodacc_reference = fields.Char(string="BODACC announcement", copy=False)
    representative_id = fields.Many2one(
        "res.partner",
        string="Court-appointed representative",
        tracking=True,
        help="The mandataire judiciaire (or liquidator) the claims are " "declared to.",
    )
    representative_text = fields.Char(
        string="Representative (as published)",
        help="The representative named by the BODACC announcement, to find or "
        "create as a contact.",
    )
    claim_deadline = fields.Date(
        compute="_compute_claim_deadline",
        store=True,
        help="Two months from the BODACC publication (R622-24).",
    )
    late_claim_deadline = fields.Date(
        string="Late claim until",
        compute="_compute_claim_deadline",
        store=True,
        help="After the deadline, the judge may still let a claim in within "
        "six months of the publication (L622-26, relevé de forclusion).",
    )
    claim_date = fields.Date(string="Claim declared on", tracking=True, copy=False)

    _sql_constraints = [
        (
            "partner_judgment_uniq",
            "unique(partner_id, company_id, judgment_date, kind)",
            "This judgment is already recorded for this debtor.",
        )
    ]

    @api.depends("bodacc_date")
    def _compute_claim_deadline(self):
        for proceeding in self:
            published = proceeding.bodacc_date
            proceeding.claim_deadline = published and published + relativedelta(
                months=CLAIM_DEADLINE_MONTHS
            )
            proceeding.late_claim_deadline = published and published + relativedelta(
                months=LATE_CLAIM_MONTHS
            )

    @api.model
    def _dunning_judgment_dates(self, partners):
        """Return commercial partner id -> date of the judgment staying its
        debts (the debtor's open proceedings), for the partners given."""
        return {
            partner.id: partner.dunning_proceeding_date
            for partner in partners.sudo()
            if partner.dunning_proceeding_date
        }

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Record the proceedings: the chase of the prior debts stops."""
        self.env["res.partner"]._dunning_check_group()
        for proceeding in self.filtered(lambda p: p.state == "to_confirm"):
            proceeding._dunning_confirm()
        return True

    def _dunning_confirm(self):
        """Open the proceedings: flag the debtor, cancel its pending reminders
        with the reason, plan the claim's deadline."""
        self.ensure_one()
        self.partner_id = self.partner_id.commercial_partner_id
        self.state = "open"
        role = self.env.ref(
            "account_dunning_advanced.dunning_contact_role_representative",
            raise_if_not_found=False,
        )
        if role and self.representative_id:
            self.representative_id.sudo().dunning_role_ids = [Command.link(role.id)]
        self._dunning_cancel_pending_actions()
        self._dunning_schedule_claim_deadline()

    def _dunning_cancel_pending_actions(self):
        """Cancel the reminders waiting (to validate, in error) of the debtor
        in the company: they listed debts the judgment stays. The next run
        proposes again the later debts, if any."""
        self.ensure_one()
        actions = self.env["dunning.action"].search(
            [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("draft", "error")),
            ]
        )
        if not actions:
            return actions
        actions.write(
            {
                "state": "cancel",
                "note": self.env._(
                    "Cancelled: %(kind)s opened on %(date)s (%(name)s), the "
                    "debts prior to the judgment are stayed (Code de commerce "
                    "L622-21).",
                    kind=self._dunning_kind_label(),
                    date=fields.Date.to_string(self.judgment_date),
                    name=self.name,
                ),
            }
        )
        return actions

    def _dunning_kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _dunning_schedule_claim_deadline(self):
        """Plan the declaration of the claims as an activity due on the
        deadline (BODACC publication + 2 months), for the debtor's collector
        or the current user."""
        self.ensure_one()
        if not self.claim_deadline:
            return self.env["mail.activity"]
        partner = self.partner_id.sudo()
        user = partner.dunning_collector_id or partner.user_id or self.env.user
        return self.activity_schedule(
            "account_dunning_advanced.mail_activity_type_dunning_claim",
            date_deadline=self.claim_deadline,
            user_id=user.id,
            note=self.env._(
                "Declare the claims to the court-appointed representative by "
                "%(deadline)s. Past that date, only the judge can let a late "
                "claim in, until %(late)s (L622-26).",
                deadline=fields.Date.to_string(self.claim_deadline),
                late=fields.Date.to_string(self.late_claim_deadline),
            ),
        )

    def action_close(self):
        """Close the proceedings (plan adopted, closure of the liquidation)."""
        self.env["res.partner"]._dunning_check_group()
        self.write({"state": "closed"})
        self.activity_unlink(
            ["account_dunning_advanced.mail_activity_type_dunning_claim"]
        )
        return True

    def action_print_claim(self):
        """Print the proof of claim addressed to the representative."""
        self.ensure_one()
        if not self.representative_id:
            raise UserError(
                self.env._(
                    "Choose the court-appointed representative the claims are "
                    "declared to."
                )
            )
        return self.env.ref(
            "account_dunning_advanced.action_report_dunning_claim"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Proof of claim
    # ------------------------------------------------------------------
    def _dunning_claim_lines(self):
        """Return the open receivable lines of the debts born before the
        judgment (the claim), from the one definition of what is owed."""
        self.ensure_one()
        Line = self.env["account.move.line"]
        lines = Line.search(
            [
                *Line._dunning_collectible_domain(self.company_id),
                ("partner_id", "child_of", self.partner_id.id),
                ("move_id.invoice_date", "<", self.judgment_date),
            ]
        )
        return lines.filtered(lambda line: line.amount_residual > 0)

    def _dunning_claim_values(self):
        """Return the figures of the proof of claim, in the company currency.

        One row per invoice born before the judgment: its principal still
        open, split between what was due at the judgment (échu) and what was
        not (à échoir), the interest accrued up to the day before the judgment
        (L622-28, through the penalty engine) and the recovery indemnity of an
        invoice late then. ``retention``: the company's terms of sale reserve
        the title to the goods (clause de réserve de propriété, L624-16),
        read from the terms' text.
        """
        self.ensure_one()
        lines = self._dunning_claim_lines()
        moves = lines.move_id
        currency = self.company_id.currency_id
        cutoff = self.judgment_date - penalties.ONE_DAY
        results = moves.sudo()._dunning_penalty_compute(cutoff)
        rows = []
        for move in moves.sorted(lambda m: (m.invoice_date, m.name or "")):
            move_lines = lines.filtered(lambda line, m=move: line.move_id == m)
            due = sum(
                line.amount_residual
                for line in move_lines
                if (line.date_maturity or move.invoice_date) < self.judgment_date
            )
            not_due = sum(move_lines.mapped("amount_residual")) - due
            result = results.get(move.id) or penalties.InvoicePenalty()
            interest = currency.round(float(result.interest.amount))
            indemnity = currency.round(float(result.indemnity))
            rows.append(
                {
                    "move": move,
                    "date": move.invoice_date,
                    "date_due": min(
                        line.date_maturity or move.invoice_date for line in move_lines
                    ),
                    "due": currency.round(due),
                    "not_due": currency.round(not_due),
                    "interest": interest,
                    "indemnity": indemnity,
                    "total": currency.round(due + not_due + interest + indemnity),
                }
            )
        terms = self.partner_id._dunning_terms_of_sale(self.company_id)
        return {
            "rows": rows,
            "currency": currency,
            "cutoff": cutoff,
            "due": currency.round(sum(row["due"] for row in rows)),
            "not_due": currency.round(sum(row["not_due"] for row in rows)),
            "interest": currency.round(sum(row["interest"] for row in rows)),
            "indemnity": currency.round(sum(row["indemnity"] for row in rows)),
            "total": currency.round(sum(row["total"] for row in rows)),
            "retention": "propriété" in terms.lower()
            or "retention of title" in terms.lower(),
            "signatory": self.env.user,
        }

    # ------------------------------------------------------------------
    # BODACC import
    # ------------------------------------------------------------------
    @api.model
    def _dunning_import_bodacc(self, content, company=None):
        """Propose the proceedings of a BODACC export to the collectors.

        The announcements (``engine/bodacc.py``) are matched to the debtors
        by SIREN: the first nine digits of the partner's company registry
        (SIREN or SIRET in the French localisation). Each match becomes a
        proceeding *to confirm*, unless already recorded.

        :return: dict ``proceedings`` (created), ``unmatched`` (SIRENs of no
            debtor), ``ignored`` (records that are not an opening judgment),
            ``known`` (already recorded).
        :raise UserError: the file is not a BODACC export.
        """
        company = company or self.env.company
        try:
            announcements, ignored = bodacc.parse(content)
        except bodacc.BodaccError as error:
            raise UserError(
                self.env._(
                    "This file is not a BODACC export (CSV or JSON of the "
                    "announcements): %(error)s",
                    error=error,
                )
            ) from error
        sirens = {siren for item in announcements for siren in item.sirens}
        partners_by_siren = {}
        if sirens:
            self.env["res.partner"].flush_model(["company_registry", "parent_id"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT LEFT(REGEXP_REPLACE(company_registry, '\\D', '', 'g'), 9),
                           ARRAY_AGG(id ORDER BY id)
                      FROM res_partner
                     WHERE parent_id IS NULL
                       AND active
                       AND LEFT(REGEXP_REPLACE(company_registry, '\\D', '', 'g'), 9)
                           = ANY(%s)
                  GROUP BY 1
                    """,
                    list(sirens),
                )
            )
            partners_by_siren = dict(rows)
        existing = {
            (proceeding.partner_id.id, proceeding.judgment_date, proceeding.kind)
            for proceeding in self.search(
                [
                    ("company_id", "=", company.id),
                    ("judgment_date", "in", [a.judgment_date for a in announcements]),
                ]
            )
        }
        vals_list, unmatched, known = [], [], 0
        for item in announcements:
            partner_ids = [
                pid for siren in item.sirens for pid in partners_by_siren.get(siren, [])
            ]
            if not partner_ids:
                unmatched.extend(item.sirens)
                continue
            for partner_id in dict.fromkeys(partner_ids):
                key = (partner_id, item.judgment_date, item.kind)
                if key in existing:
                    known += 1
                    continue
                existing.add(key)
                vals_list.append(
                    {
                        "company_id": company.id,
                        "partner_id": partner_id,
                        "kind": item.kind,
                        "judgment_date": item.judgment_date,
                        "bodacc_date": item.publication_date,
                        "court": item.court,
                        "bodacc_reference": item.reference,
                        "representative_text": item.representative,
                    }
                )
        return {
            "proceedings": self.create(vals_list),
            "unmatched": unmatched,
            "ignored": ignored,
            "known": known,
        }
