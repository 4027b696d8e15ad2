# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Limitation periods (prescription) of the customer invoices.

A claim can only be pursued for a limited time, counted from the invoice's
due date and restarted by every acknowledgement of the debt by the debtor
(Code civil 2240):

* between professionals: five years (Code de commerce L110-4);
* a professional against a consumer: two years (Code de la consommation
  L218-2);
* against a public buyer (State, local authority, public body with a public
  accountant): four years from the first of January of the year following the
  due date (loi n° 68-1250 du 31 décembre 1968, article 1, "prescription
  quadriennale"), restarted the same way (article 2).

The acknowledgements read here are the debtor's payments reconciled with the
invoice (a part payment, its last one) and the payment plans covering the
invoice that the debtor accepted (:class:`DunningPaymentPlan` acceptance).

The dates are stored and recomputed by the ORM when what they depend on
changes (a payment reconciled or unreconciled, a plan accepted, the debtor's
regime), in batch: one grouped read of the partial reconciliations and one of
the accepted plans for all the invoices recomputed together.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .res_partner_regime import REGIME_CONSUMER, REGIME_PUBLIC, USER_GROUP

# Months before the end of the limitation period the claim is flagged.
LIMITATION_ALERT_MONTHS = 3
LIMITATION_MOVE_TYPES = ("out_invoice", "out_receipt")


class AccountMove(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move"

    dunning_plan_ids = fields.Many2many(
        "dunning.payment.plan",
        "dunning_payment_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment plans",
        readonly=True,
        copy=False,
        groups=USER_GROUP,
    )
    dunning_limitation_start = fields.Date(
        string="Limitation runs from",
        compute="_compute_dunning_limitation",
        store=True,
        groups=USER_GROUP,
        help="The due date, or the debtor's last acknowledgement of the debt "
        "(a part payment, an accepted payment plan) when later.",
    )
    dunning_limitation_date = fields.Date(
        string="Claim lapses on",
        compute="_compute_dunning_limitation",
        store=True,
        index=True,
        groups=USER_GROUP,
        help="End of the limitation period: 5 years between professionals "
        "(Code de commerce L110-4), 2 years against a consumer (Code de la "
        "consommation L218-2), 4 years from the next 1 January against a "
        "public buyer (loi 68-1250), from the due date or the last "
        "acknowledgement of the debt (Code civil 2240).",
    )
    dunning_limitation_soon = fields.Boolean(
        string="Claim about to lapse",
        compute="_compute_dunning_limitation_soon",
        groups=USER_GROUP,
    )

    @api.model
    def _dunning_limitation_end(self, regime, start):
        """The last day a claim of a debtor of ``regime`` can be pursued when
        the period runs from ``start`` (overridable)."""
        if regime == REGIME_CONSUMER:
            return start + relativedelta(years=2)
        if regime == REGIME_PUBLIC:
            return start.replace(month=12, day=31) + relativedelta(years=4)
        return start + relativedelta(years=5)

    @api.model
    def _dunning_limitation_alert_date(self, today=None):
        """Claims lapsing on or before this date are flagged."""
        today = today or fields.Date.context_today(self)
        return today + relativedelta(months=LIMITATION_ALERT_MONTHS)

    def _dunning_last_acknowledgements(self):
        """The last acknowledgement of the debt of each invoice of ``self``:
        ``{move id: date}``, read in two grouped queries.

        A payment (a payment or a bank statement line, not a credit note or an
        exchange difference) reconciled with the invoice counts on its date; a
        payment plan covering the invoice on the day the debtor accepted it.
        """
        ids = [move_id for move_id in self.ids if isinstance(move_id, int)]
        result = {}
        if not ids:
            return result
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            ._read_group(
                [
                    ("debit_move_id.move_id", "in", ids),
                    ("credit_move_id.move_id.move_type", "=", "entry"),
                    "|",
                    ("credit_move_id.move_id.origin_payment_id", "!=", False),
                    ("credit_move_id.move_id.statement_line_id", "!=", False),
                ],
                ["debit_move_id"],
                ["max_date:max"],
            )
        )
        for line, last in partials:
            move_id = line.move_id.id
            if last and (move_id not in result or last > result[move_id]):
                result[move_id] = last
        plans = (
            self.env["dunning.payment.plan"]
            .sudo()
            ._read_group(
                [("move_ids", "in", ids), ("dunning_accepted_date", "!=", False)],
                ["move_ids"],
                ["dunning_accepted_date:max"],
            )
        )
        for move, accepted in plans:
            day = accepted.date()
            if move.id in ids and (move.id not in result or day > result[move.id]):
                result[move.id] = day
        return result

    @api.depends(
        "move_type",
        "state",
        "invoice_date_due",
        "commercial_partner_id.dunning_regime",
        "line_ids.matched_credit_ids",
        "dunning_plan_ids.dunning_accepted_date",
    )
    def _compute_dunning_limitation(self):
        invoices = self.filtered(
            lambda m: m.move_type in LIMITATION_MOVE_TYPES
            and m.state == "posted"
            and m.invoice_date_due
        )
        (self - invoices).update(
            {"dunning_limitation_start": False, "dunning_limitation_date": False}
        )
        acknowledged = invoices._dunning_last_acknowledgements()
        for move in invoices:
            start = max(
                move.invoice_date_due,
                acknowledged.get(move.id) or move.invoice_date_due,
            )
            move.dunning_limitation_start = start
            move.dunning_limitation_date = self._dunning_limitation_end(
                move.commercial_partner_id.sudo().dunning_regime, start
            )

    @api.depends("dunning_limitation_date", "payment_state")
    def _compute_dunning_limitation_soon(self):
        alert = self._dunning_limitation_alert_date()
        dated = self.filtered(lambda move: move.dunning_limitation_date and move.id)
        open_moves = dated.line_ids._dunning_collectible().move_id
        for move in self:
            move.dunning_limitation_soon = bool(
                move in open_moves and move.dunning_limitation_date <= alert
            )


class ResPartner(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

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
