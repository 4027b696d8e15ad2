# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The payment order (injonction de payer) file of a debtor."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...engine import penalties


class DunningPaymentOrder(models.Model):
    """A request for a payment order (injonction de payer, Code de procédure
    civile art. 1405 to 1425): the request's content (Cerfa 12948), the file
    for the court and the outcome.

    While filed (and once granted, until paid) the debtor's reminders stop:
    filing puts the debtor in litigation (``res.partner.dunning_litigation``,
    which the planner skips).
    """

    _name = "dunning.payment.order"
    _inherit = ["dunning.debtor.record"]
    _description = "Collections: payment order"

    state = fields.Selection(
        [
            ("draft", "To file"),
            ("filed", "Filed"),
            ("granted", "Granted"),
            ("rejected", "Rejected"),
            ("paid", "Paid"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    date_filed = fields.Date(tracking=True, copy=False)
    date_decision = fields.Date(tracking=True, copy=False)
    outcome_note = fields.Text(string="Outcome")
    court = fields.Char(
        tracking=True, help="The court the request is filed with (see the suggestion)."
    )
    court_suggestion = fields.Char(compute="_compute_court_suggestion")
    formal_notice_id = fields.Many2one(
        "dunning.action",
        string="Formal notice",
        domain="[('partner_id', '=', partner_id), ('level_id.level_type', '=', "
        "'formal_notice')]",
    )
    registered_letter_id = fields.Many2one(
        "dunning.registered.letter",
        compute="_compute_registered_letter_id",
        string="Registered letter",
    )
    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_principal = fields.Monetary(string="Principal", readonly=True)
    amount_interest = fields.Monetary(string="Interest", readonly=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnity", readonly=True)
    amount_total = fields.Monetary(
        string="Total claimed", compute="_compute_amount_total", store=True
    )
    interest_basis = fields.Html(readonly=True, sanitize=False)
    indemnity_basis = fields.Char(readonly=True)
    amounts_date = fields.Date(string="Amounts on", readonly=True)
    file_id = fields.Many2one("ir.attachment", string="File (zip)", copy=False)

    @api.depends("amount_principal", "amount_interest", "amount_indemnity")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = (
                order.amount_principal + order.amount_interest + order.amount_indemnity
            )

    @api.depends("formal_notice_id.registered_letter_ids")
    def _compute_registered_letter_id(self):
        for order in self:
            order.registered_letter_id = order.formal_notice_id.registered_letter_ids[
                :1
            ]

    @api.depends("partner_id", "company_id")
    def _compute_court_suggestion(self):
        for order in self:
            order.court_suggestion = order._dunning_suggest_court()

    def _dunning_suggest_court(self):
        """Return the competent court, as a rule and the debtor's city.

        The court of the place where the debtor lives, or of its registered
        office (Code de procédure civile, art. 1406). Between traders, for a
        commercial debt, the commercial court (Code de commerce, L721-3;
        "tribunal des activités économiques" where one replaces it);
        otherwise the judicial court. No directory of courts: the collector
        checks the court for the city.
        """
        self.ensure_one()
        debtor = self.partner_id.commercial_partner_id
        if not debtor:
            return False
        city = " ".join(filter(None, (debtor.zip, debtor.city))) or "?"
        if debtor.dunning_regime == penalties.REGIME_PROFESSIONAL:
            return self.env._(
                "Commercial court (tribunal de commerce or tribunal des activités "
                "économiques) of the debtor's registered office: %(city)s",
                city=city,
            )
        return self.env._(
            "Judicial court (tribunal judiciaire) of the place where the debtor "
            "lives: %(city)s",
            city=city,
        )

    @api.constrains("partner_id")
    def _check_dunning_proceedings(self):
        """No payment order against a debtor in insolvency proceedings.

        The opening judgment of a safeguard, receivership or liquidation
        stops every legal action to get paid a debt born before it (Code de
        commerce L622-21): the claim is declared to the court-appointed
        representative instead (proof of claim, L622-24). Checked again at
        the filing, the proceedings may have opened since the draft.
        """
        self._dunning_check_proceedings(self.partner_id)

    @api.model
    def _dunning_check_proceedings(self, partners):
        """Raise if one of ``partners``' debtors is in insolvency proceedings
        (see ``_check_dunning_proceedings``)."""
        for debtor in partners.commercial_partner_id.sudo():
            if debtor.dunning_in_proceedings:
                raise ValidationError(
                    self.env._(
                        "%(debtor)s is in insolvency proceedings since the "
                        "judgment of %(date)s: no payment order can be requested "
                        "for the debts born before it (Code de commerce "
                        "L622-21). Declare the claim to the court-appointed "
                        "representative instead.",
                        debtor=debtor.display_name,
                        date=debtor.dunning_proceeding_date or "-",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Before the insert: nothing is written for a debtor under a stay.
        self._dunning_check_proceedings(
            self.env["res.partner"].browse(
                [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
            )
        )
        orders = super().create(vals_list)
        orders._dunning_prepare()
        return orders

    @api.model
    def _dunning_open_for(self, partner, company=None):
        """Return the payment order to prepare for ``partner``: its request
        still to file in ``company`` if there is one, else a new one, its
        claim filled on today's figures (``_dunning_prepare``).

        :raise ValidationError: the debtor is in insolvency proceedings.
        """
        company = company or self.env.company
        debtor = partner.commercial_partner_id
        order = self.search(
            [
                ("partner_id", "=", debtor.id),
                ("company_id", "=", company.id),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        if not order:
            return self.create({"partner_id": debtor.id, "company_id": company.id})
        order._check_dunning_proceedings()
        order._dunning_prepare()
        return order

    def _dunning_prepare(self, on_date=None):
        """Fill the claim: the invoices, the principal, the interest and the
        indemnity on ``on_date`` with their basis (the penalty engine:
        ``account.move._dunning_penalty_compute``), the last formal notice and
        the court."""
        Move = self.env["account.move"]
        on_date = on_date or fields.Date.context_today(self)
        for order in self:
            debtor = order.partner_id.commercial_partner_id
            company = order.company_id
            lines = debtor._dunning_collection_lines(company)
            moves = lines.move_id
            results = moves._dunning_penalty_compute(on_date)
            currency = company.currency_id

            def in_company_currency(move, amount, currency=currency, company=company):
                # The engine counts in the invoice's currency; the claim is
                # one amount, in the company's (rate of the day of the claim).
                return move.currency_id._convert(
                    float(amount), currency, company, on_date
                )

            interest = sum(
                in_company_currency(move, results[move.id].interest.amount)
                for move in moves
                if move.id in results
            )
            indemnity = sum(
                in_company_currency(move, results[move.id].indemnity)
                for move in moves
                if move.id in results
            )
            indemnified = len([r for r in results.values() if r.indemnity])
            order.write(
                {
                    "move_ids": [fields.Command.set(moves.ids)],
                    "amount_principal": currency.round(
                        sum(lines.mapped("amount_residual"))
                    ),
                    "amount_interest": currency.round(interest),
                    "amount_indemnity": currency.round(indemnity),
                    "amounts_date": on_date,
                    "interest_basis": Move._dunning_penalty_narration(
                        self.env,
                        currency,
                        [
                            {"move": move, "interest": results[move.id].interest}
                            for move in moves
                            if move.id in results
                        ],
                        debtor.dunning_regime,
                    ),
                    "indemnity_basis": indemnified
                    and self.env._(
                        "Fixed recovery indemnity (Code de commerce L441-10 and "
                        "D441-5): %(count)s invoice(s) paid late.",
                        count=indemnified,
                    ),
                    "formal_notice_id": order.formal_notice_id.id
                    or debtor._dunning_last_formal_notice(company).id,
                    "court": order.court or order._dunning_suggest_court(),
                }
            )

    def _dunning_file_entries(self):
        """Return the documents of the file for the court, ``[(name, bytes)]``:
        the request's content, the invoices, the terms of sale, the statement,
        the reminders, the formal notice and its acknowledgement of receipt."""
        self.ensure_one()
        debtor = self.partner_id.commercial_partner_id
        lines = debtor._dunning_collection_lines(self.company_id).filtered(
            lambda line: line.move_id in self.move_ids
        )
        request, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_payment_order", self.ids
        )
        entries = [("request.pdf", request)]
        entries += debtor._dunning_collection_entries(self.company_id, lines)
        proof = self.registered_letter_id.proof_attachment_id
        if proof:
            extension = (proof.name or "").rpartition(".")[2] or "pdf"
            entries.append(("acknowledgement_of_receipt.%s" % extension, proof.raw))
        return entries

    def action_file(self):
        """Record the filing: build the file, stop the reminders."""
        for order in self:
            if order.state != "draft":
                raise UserError(self.env._("Only a request to file can be filed."))
            order._check_dunning_proceedings()
            order._dunning_prepare()
            attachment = self.env["res.partner"]._dunning_zip_attachment(
                self.env._("Payment order %(name)s.zip", name=order.name),
                order._dunning_file_entries(),
                order,
            )
            date_filed = order.date_filed or fields.Date.context_today(self)
            order.write(
                {"state": "filed", "date_filed": date_filed, "file_id": attachment.id}
            )
            order.partner_id.commercial_partner_id.sudo().write(
                {
                    "dunning_litigation": True,
                    "dunning_litigation_date": date_filed,
                    "dunning_litigation_amount": order.amount_total,
                }
            )
            order.message_post(
                body=self.env._(
                    "Payment order filed on %(date)s: reminders stop. The file is "
                    "attached.",
                    date=date_filed,
                ),
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _dunning_record_outcome(self, state, on_date=None, note=None):
        """Record the court's decision (``granted``/``rejected``) or the payment
        (``paid``). Rejected or paid: the reminders start again unless another
        procedure holds the debtor."""
        for order in self:
            if order.state not in ("filed", "granted"):
                raise UserError(self.env._("File the request first."))
            order.write(
                {
                    "state": state,
                    "date_decision": on_date or fields.Date.context_today(self),
                    "outcome_note": note or order.outcome_note,
                }
            )
            debtor = order.partner_id.commercial_partner_id
            if state in ("rejected", "paid") and not (
                debtor.sudo().dunning_agency_id
                or self.search_count(
                    [
                        ("partner_id", "=", order.partner_id.id),
                        ("state", "in", ("filed", "granted")),
                    ]
                )
            ):
                debtor.sudo().write({"dunning_litigation": False})
        return True

    def action_granted(self):
        return self._dunning_record_outcome("granted")

    def action_rejected(self):
        return self._dunning_record_outcome("rejected")

    def action_paid(self):
        return self._dunning_record_outcome("paid")

    def action_download_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.file_id.id}?download=true",
            "target": "self",
        }
