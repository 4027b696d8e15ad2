# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools import MAX_ID, parse_amount
from .dunning_payment_page_request import (
    DISPUTE_FILE_TYPES,
    DISPUTE_MAX_FILES,
)

MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"
STATEMENT_REPORT = "account_dunning_advanced.action_report_dunning_statement"
STATEMENT_KEY = "dunning_statement:"


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_payment_token_ids = fields.One2many(
        "dunning.payment.token",
        "partner_id",
        string="Payment page links",
        groups="account_dunning_advanced.group_dunning_manager",
    )

    def action_dunning_revoke_payment_links(self):
        """Invalidate every payment page link sent to the debtor (this company).

        The next reminder carries a new link. Only for collections managers:
        the button is hidden to others, and refused here too.
        """
        self._dunning_check_group(
            MANAGER_GROUP,
            self.env._("Only a collections manager can revoke payment links."),
        )
        partners = self.commercial_partner_id
        tokens = (
            self.env["dunning.payment.token"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", self.env.company.id),
                    ("revoked", "=", False),
                ]
            )
        )
        tokens._dunning_revoke()
        for partner in partners:
            partner.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Payment page links revoked (%(company)s).",
                    company=self.env.company.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Payment page: what the debtor may pay with
    # ------------------------------------------------------------------
    def _dunning_payment_offer(self, company, amount, currency, token_partner=None):
        """What Odoo's checkout offers this debtor (``self``, the commercial
        partner) to pay ``amount`` in ``currency`` to ``company``.

        The payment step renders exactly this and the transaction route
        accepts nothing else. Published providers only (the page is for
        outsiders, whoever is logged in); the saved payment tokens only of
        ``token_partner`` (the logged-in portal user of the debtor), none
        for a visitor holding a link, who is not offered to save a card.

        :return: dict with ``providers``, ``payment_methods``, ``tokens``
            (sudoed recordsets), ``show_tokenize_input_mapping`` and
            ``availability_report`` (the payment form's keys).
        """
        self.ensure_one()
        report = {}
        providers = (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, self.id, amount, currency_id=currency.id, report=report
            )
            .filtered("is_published")
        )
        methods = (
            self.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers.ids, self.id, currency_id=currency.id, report=report
            )
        )
        tokens = self.env["payment.token"].sudo()
        if token_partner and token_partner.commercial_partner_id == self:
            tokens = tokens.search(
                [
                    ("provider_id", "in", providers.ids),
                    ("partner_id", "in", (token_partner | self).ids),
                ]
            )
        tokenize = {
            provider.id: bool(
                token_partner
                and provider.allow_tokenization
                and not provider._is_tokenization_required()
            )
            for provider in providers
        }
        return {
            "providers": providers,
            "payment_methods": methods,
            "tokens": tokens,
            "show_tokenize_input_mapping": tokenize,
            "availability_report": report,
            "allow_tokenization": bool(token_partner),
        }

    def _dunning_check_payment_choice(
        self,
        offer,
        flow=None,
        provider_id=None,
        payment_method_id=None,
        token_id=None,
        tokenization_requested=False,
        is_validation=False,
    ):
        """Check what the payment form sent against ``offer`` (see
        :meth:`_dunning_payment_offer`).

        :return: the values to create the transaction with (ids).
        :raise UserError: for anything the page did not offer.
        """
        refused = UserError(
            self.env._("This payment method is not available: reload the page.")
        )
        if is_validation:
            raise refused
        if tokenization_requested and not offer["allow_tokenization"]:
            raise UserError(
                self.env._(
                    "Saving a payment method is only offered to customers "
                    "logged in to their account."
                )
            )

        def as_id(value):
            if isinstance(value, bool):
                return None
            try:
                return int(value)
            except (TypeError, ValueError, OverflowError):
                return None

        provider_id, payment_method_id, token_id = map(
            as_id, (provider_id, payment_method_id, token_id)
        )
        if flow == "token":
            token = offer["tokens"].filtered(lambda t: t.id == token_id)
            if not token_id or not token:
                raise refused
            return {
                "flow": flow,
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "token_id": token.id,
                "tokenization_requested": False,
            }
        if flow not in ("direct", "redirect"):
            raise refused
        provider = offer["providers"].filtered(lambda p: p.id == provider_id)
        method = offer["payment_methods"].filtered(lambda m: m.id == payment_method_id)
        if not provider_id or not provider or not method:
            raise refused
        if provider not in method.provider_ids:
            raise refused
        return {
            "flow": flow,
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "token_id": None,
            "tokenization_requested": bool(
                tokenization_requested
                and offer["show_tokenize_input_mapping"].get(provider.id)
            ),
        }

    # ------------------------------------------------------------------
    # Payment page: the statement, rendered once per version
    # ------------------------------------------------------------------
    def _dunning_statement_version(self, company, date):
        """A digest of what the debtor's statement shows: the date, the
        language, the debtor and the company, and its receivable lines
        (how many, the last id, the last change, the balance)."""
        self.ensure_one()
        Statement = self.env["report.account_dunning_advanced.report_dunning_statement"]
        domain = Statement.sudo()._get_domain(self, company)
        [(count, max_id, last_write, balance)] = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                domain,
                aggregates=[
                    "__count",
                    "id:max",
                    "write_date:max",
                    "amount_residual:sum",
                ],
            )
        )
        key = "|".join(
            str(value)
            for value in (
                self.id,
                company.id,
                date,
                self.env.lang,
                count,
                max_id,
                last_write,
                balance,
                self.write_date,
                company.write_date,
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()

    def _dunning_statement_pdf(self, company, date):
        """The debtor's statement in ``company`` (a sudoed attachment of the
        debtor), rendered once per version (see
        :meth:`_dunning_statement_version`): the stored one is served while it
        is current, and replaced when the ledger changes."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        description = STATEMENT_KEY + self._dunning_statement_version(company, date)
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", self.id),
            ("company_id", "=", company.id),
            ("description", "=like", STATEMENT_KEY + "%"),
        ]
        stored = Attachment.search(domain)
        current = stored.filtered(lambda a: a.description == description)[:1]
        if current:
            return current
        content, _type = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(company)
            ._render_qweb_pdf(
                STATEMENT_REPORT, self.ids, data={"company_id": company.id}
            )
        )
        stored.unlink()
        return Attachment.create(
            {
                "name": self.env._("Statement %(date)s.pdf", date=date),
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": "res.partner",
                "res_id": self.id,
                "company_id": company.id,
                "description": description,
            }
        )

    # ------------------------------------------------------------------
    # Payment page: what the debtor owes
    # ------------------------------------------------------------------
    # ``self`` is the debtor (a commercial partner). These methods read in
    # sudo, restricted by hand to the debtor and ``company``: their callers
    # (the page's controller) have checked who is asking.
    def _dunning_open_moves(self, company, move_types=("out_invoice", "out_receipt")):
        """Open customer documents of the debtor in ``company``, by due date
        (sudoed): those holding a collectible line (the one definition,
        ``account.move.line._dunning_collectible_domain``)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .search_fetch(
                self._dunning_open_moves_domain(company, move_types),
                self._dunning_open_moves_fields(),
                order="invoice_date_due, id",
            )
        )

    @api.model
    def _dunning_open_moves_fields(self):
        """The fields of the open documents the page shows, read with them
        (:meth:`_dunning_open_moves`). An invoice has about 150 stored
        fields: reading them all took 3 ms of the 10 ms the page's values
        took with 20 invoices (BENCHMARKS.md). Any other field is read when
        used."""
        return [
            "name",
            "move_type",
            "currency_id",
            "invoice_date_due",
            "amount_residual",
            "amount_residual_signed",
            "payment_reference",
            "partner_bank_id",
            "dunning_is_penalty",
        ]

    def _dunning_open_moves_domain(self, company, move_types):
        """The domain of :meth:`_dunning_open_moves`.

        The lines' own debtor (the commercial partner of ``partner_id``, as
        the planner reads them) is part of the line condition: with a million
        open lines in the database, PostgreSQL then reads the debtor's open
        lines through the index of unreconciled lines (account, partner)
        instead of every open line (``account_move.commercial_partner_id``
        has no index).
        """
        collectible = self.env["account.move.line"]._dunning_collectible_domain(company)
        return [
            ("commercial_partner_id", "=", self.id),
            ("move_type", "in", move_types),
            (
                "line_ids",
                "any",
                [*collectible, ("partner_id.commercial_partner_id", "=", self.id)],
            ),
        ]

    def _dunning_overdue_count(self, company, today):
        """How many open invoices of the debtor in ``company`` are overdue on
        ``today`` (the portal home's counter)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    *self._dunning_open_moves_domain(
                        company, ("out_invoice", "out_receipt")
                    ),
                    ("invoice_date_due", "<", today),
                ]
            )
        )

    def _dunning_overdue_invoices(self, company, today, move_types=None):
        """The debtor's open documents in ``company`` due before ``today``."""
        moves = (
            self._dunning_open_moves(company, move_types)
            if move_types
            else self._dunning_open_moves(company)
        )
        return moves.filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )

    def _dunning_page_document(self, company, move_id):
        """The posted customer document ``move_id`` of the debtor in
        ``company`` (open or not, for its PDF), or an empty recordset."""
        self.ensure_one()
        if not isinstance(move_id, int) or not 0 < move_id < MAX_ID:
            return self.env["account.move"].sudo().browse()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "=", move_id),
                    ("commercial_partner_id", "=", self.id),
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                    ("state", "=", "posted"),
                ]
            )
        )

    def _dunning_selected_invoices(self, company, invoice_ids):
        """Return the open invoices of the debtor in ``company`` among
        ``invoice_ids`` (ids, or their text as sent).

        :raise ValidationError: when an id is not an open invoice of the
            debtor in the company, or the invoices do not share a currency.
        """
        self.ensure_one()
        try:
            ids = {int(value) for value in invoice_ids if value}
        except (TypeError, ValueError, OverflowError) as error:
            raise ValidationError(self.env._("Invalid invoices.")) from error
        if any(not 0 < value < MAX_ID for value in ids):
            raise ValidationError(self.env._("Invalid invoices."))
        invoices = self._dunning_open_moves(company).filtered(lambda m: m.id in ids)
        if not ids or set(invoices.ids) != ids:
            raise ValidationError(
                self.env._("These invoices cannot be paid from this page.")
            )
        if len(invoices.currency_id) != 1:
            raise ValidationError(
                self.env._("Select invoices in a single currency to pay them.")
            )
        return invoices

    def _dunning_parse_amount(self, value):
        """``value`` as typed, as an amount (see :func:`..tools.parse_amount`).

        :raise ValidationError: for text, ``inf``, ``nan`` and the like.
        """
        try:
            return parse_amount(value)
        except ValueError as error:
            raise ValidationError(self.env._("Invalid amount.")) from error

    def _dunning_payment_amount(self, company, invoices, requested=None):
        """The amount to pay for ``invoices``: their total, or ``requested``.

        A smaller amount is only accepted for a single invoice when
        ``company`` allows partial payments from the page.

        :raise ValidationError: for any other amount.
        """
        currency = invoices.currency_id
        total = currency.round(sum(invoices.mapped("amount_residual")))
        if requested in (None, ""):
            return total
        amount = currency.round(self._dunning_parse_amount(requested))
        digits = currency.decimal_places
        if not float_compare(amount, total, precision_digits=digits):
            return total
        if (
            company.dunning_payment_allow_partial
            and len(invoices) == 1
            and float_compare(amount, 0.0, precision_digits=digits) > 0
            and float_compare(amount, total, precision_digits=digits) < 0
        ):
            return amount
        raise ValidationError(self.env._("This amount cannot be paid from this page."))

    def _dunning_check_total(self, invoices, expected, total):
        """Refuse when the total the page showed (``expected``, as sent) is not
        ``total``, the one of now.

        :raise ValidationError: when they differ (or ``expected`` is no amount).
        """
        currency = invoices.currency_id
        changed = float_compare(
            self._dunning_parse_amount(expected),
            total,
            precision_digits=currency.decimal_places,
        )
        if changed:
            raise ValidationError(self.env._("The payment data changed: reload."))

    def _dunning_payment_selection(
        self, company, invoice_ids, requested=None, shown_total=None
    ):
        """Check what the debtor chose to pay online, before the payment form
        and again when the transaction is created.

        :param invoice_ids: the invoices' ids, as sent (see
            :meth:`_dunning_selected_invoices`).
        :param requested: the amount asked for (see
            :meth:`_dunning_payment_amount`), the total when empty.
        :param shown_total: the total the page showed, when sent: refused
            when it is not the one of now (see :meth:`_dunning_check_total`).
        :return: dict with ``invoices``, ``currency``, ``total`` (what they
            owe), ``amount`` (what is paid) and ``allow_partial`` (whether a
            smaller amount may be typed).
        :raise ValidationError: for anything the page does not accept.
        """
        invoices = self._dunning_selected_invoices(company, invoice_ids)
        total = self._dunning_payment_amount(company, invoices)
        if shown_total not in (None, ""):
            self._dunning_check_total(invoices, shown_total, total)
        return {
            "invoices": invoices,
            "currency": invoices.currency_id,
            "total": total,
            "amount": self._dunning_payment_amount(company, invoices, requested),
            "allow_partial": company.dunning_payment_allow_partial
            and len(invoices) == 1,
        }

    def _dunning_payment_reference(self, company, invoices):
        """The communication of a payment of ``invoices``: the invoice's name,
        a batch communication of ``company`` for several."""
        if len(invoices) > 1:
            return company.get_next_batch_payment_communication()
        return invoices.name

    def _dunning_receipt(self, company, reference):
        """The debtor's payment transaction ``reference`` in ``company``
        (sudoed), or an empty recordset."""
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        if not reference or not isinstance(reference, str) or len(reference) > 100:
            return Transaction.browse()
        return Transaction.search(
            [
                ("reference", "=", reference),
                ("partner_id.commercial_partner_id", "=", self.id),
                ("company_id", "=", company.id),
            ],
            limit=1,
        )

    def _dunning_note(self, body):
        """Log ``body`` (text, escaped) as an internal note on the debtor."""
        self.ensure_one()
        return self.message_post(
            body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note"
        )

    # ------------------------------------------------------------------
    # Payment page: bank transfer
    # ------------------------------------------------------------------
    def _dunning_bank_account(self, company, invoices):
        """The account to pay ``invoices`` by transfer: the invoices' one,
        else the company's (an IBAN first)."""
        bank = invoices.partner_bank_id
        if len(bank) == 1:
            return bank
        accounts = company.partner_id.bank_ids
        return accounts.filtered(lambda b: b.acc_type == "iban")[:1] or accounts[:1]

    def _dunning_transfer_values(self, company, invoices, amount=None):
        """What the debtor needs to pay ``invoices`` by bank transfer to
        ``company`` (an empty dict without a bank account).

        The reference is the invoice's payment reference for one invoice, the
        debtor's reference otherwise; the EPC (SEPA) QR code is only built
        when the account is a SEPA IBAN and the amount is in euros.
        """
        self.ensure_one()
        bank = self._dunning_bank_account(company, invoices)
        if not bank:
            return {}
        if len(invoices.currency_id) == 1:
            currency = invoices.currency_id
            field = "amount_residual"
        else:  # Several currencies: the total in the company's currency.
            currency = company.currency_id
            field = "amount_residual_signed"
        if amount is None:
            amount = sum(invoices.mapped(field))
        amount = currency.round(amount)
        if len(invoices) == 1:
            reference = invoices.payment_reference or invoices.name
        else:
            # Not translated: the bank statement matches it as it is.
            reference = f"CUST/{self.ref or self.id}"
        qr_code = False
        if amount > 0:
            # Rendered once per payload (cached), see _dunning_qr_code_base64.
            qr_code = bank.sudo()._dunning_qr_code_base64(
                amount, reference, reference, currency, self
            )
        return {
            "bank": bank,
            "iban": bank.acc_number,
            "bic": bank.bank_bic or "",
            "holder": bank.acc_holder_name or bank.partner_id.name,
            "reference": reference,
            "amount": amount,
            "currency": currency,
            "qr_code": qr_code or False,
        }

    # ------------------------------------------------------------------
    # Payment page: what it shows
    # ------------------------------------------------------------------
    def _dunning_dispute_reasons(self, company):
        """The reasons a debtor may choose: active ones, of ``company`` or
        shared (when reasons belong to a company)."""
        Reason = self.env["dunning.dispute.reason"].sudo()
        domain = [("active", "=", True)]
        if "company_id" in Reason._fields:
            domain += [("company_id", "in", (False, company.id))]
        return Reason.search(domain)

    def _dunning_plan_limits_text(self, company):
        """The sentence of the page on the payment plans ``company`` starts
        without a collector."""
        return self.env._(
            "Pay the overdue invoices in instalments: up to %(count)s "
            "instalments within %(months)s months, your plan starts at once; "
            "beyond, our credit department reviews your request.",
            count=company.dunning_plan_max_instalments,
            months=company.dunning_plan_max_months,
        )

    def _dunning_page_values(self, company, today=None):
        """Everything the debtor's page shows for ``company`` on ``today``,
        read in a fixed number of queries (whatever the number of invoices).

        :return: dict of records and numbers the QWeb page renders: the open
            invoices (``rows``: move, due date, days late, residual, penalty
            not invoiced yet), the open credit notes (``refunds``) and
            unallocated payments (``payments``), the totals, the legal
            mentions on penalties, the bank transfer block (``transfer``, see
            :meth:`_dunning_transfer_values`), the plan limits and the dispute
            reasons and file rules.
        """
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        documents = self._dunning_open_moves(
            company, ("out_invoice", "out_receipt", "out_refund")
        )
        invoices = documents.filtered(lambda m: m.move_type != "out_refund")
        refunds = documents - invoices
        show_penalties = company.dunning_penalty_mode != "none" or getattr(
            company, "dunning_indemnity_enabled", False
        )
        penalties = {}
        if show_penalties and invoices:
            # What is not invoiced yet; a penalty invoice bears none itself.
            with_date = invoices.with_context(dunning_date=today)
            results = with_date._dunning_penalty_compute(today)
            penalties = {
                move_id: float(result.total) for move_id, result in results.items()
            }
        rows = []
        for move in invoices:
            due = move.invoice_date_due
            days_late = (today - due).days if due and due < today else 0
            rows.append(
                {
                    "move": move,
                    "due": due,
                    "days_late": days_late,
                    "overdue": days_late > 0,
                    "residual": move.amount_residual,
                    "penalty": penalties.get(move.id, 0.0),
                    "is_penalty": move.dunning_is_penalty,
                }
            )
        payments = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    *self.env["account.move.line"]._dunning_collectible_domain(company),
                    ("partner_id", "=", self.id),
                    ("amount_residual", "<", 0),
                    ("move_id.move_type", "=", "entry"),
                ],
                order="date, id",
            )
        )
        total_due = sum(documents.mapped("amount_residual_signed")) + sum(
            payments.mapped("amount_residual")
        )
        total_overdue = sum(
            row["move"].amount_residual_signed for row in rows if row["overdue"]
        )
        overdue_moves = invoices.browse(
            [row["move"].id for row in rows if row["overdue"]]
        )
        transfer_moves = overdue_moves or invoices
        transfer = (
            self._dunning_transfer_values(company, transfer_moves)
            if transfer_moves
            else {}
        )
        return {
            "transfer": transfer,
            "plan_max_instalments": company.dunning_plan_max_instalments,
            "plan_limits": self._dunning_plan_limits_text(company),
            "company": company,
            "partner": self,
            "today": today,
            "rows": rows,
            "refunds": refunds,
            "payments": payments,
            "show_penalties": show_penalties,
            # Computed from the debtor's regime and the company's settings.
            "penalty_mentions": self._dunning_legal_mentions(company, today)
            if show_penalties
            else [],
            "currency": company.currency_id,
            "total_due": total_due,
            "total_overdue": total_overdue,
            "total_penalties": sum(penalties.values()),
            "reasons": self._dunning_dispute_reasons(company),
            "dispute_file_types": ", ".join(sorted(DISPUTE_FILE_TYPES)),
            "dispute_file_accept": ",".join(f".{ext}" for ext in DISPUTE_FILE_TYPES),
            "dispute_max_files": DISPUTE_MAX_FILES,
            # Insolvency proceedings: the debts prior to the judgment are paid
            # through the court-appointed representative (L622-21, L622-7).
            "in_proceedings": self.sudo().commercial_partner_id.dunning_in_proceedings,
        }
