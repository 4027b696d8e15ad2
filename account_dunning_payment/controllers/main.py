# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import float_compare, is_html_empty

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.payment import utils as payment_utils

_logger = logging.getLogger(__name__)

OPEN_STATES = ("not_paid", "partial")
# Above this many instalments a request from the page is refused outright.
PLAN_HARD_LIMIT = 60


class DunningCollectionsPortal(PortalAccount):
    """The debtor's payment page, reached through a secret link."""

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _dunning_ip(self):
        return request.httprequest.remote_addr or ""

    def _dunning_check_token(self, token, own_cursor=False):
        """Return the valid token record (sudo), or an empty recordset.

        Bad tokens are counted per IP address; past the limit every request
        of that address is refused for a while, valid token or not. HTTP
        routes answer 404 without raising, so the failure is committed with
        the request; JSON routes raise, so they log it in a cursor of its own.
        """
        Attempt = request.env["dunning.payment.token.attempt"].sudo()
        Token = request.env["dunning.payment.token"].sudo()
        ip = self._dunning_ip()
        if Attempt._dunning_is_locked(ip):
            return Token.browse()
        token_sudo = Token._dunning_find(token)
        if not token_sudo:
            if own_cursor:
                with request.env.registry.cursor() as cr:
                    Attempt.with_env(Attempt.env(cr=cr))._dunning_log_failure(ip)
            else:
                Attempt._dunning_log_failure(ip)
            return token_sudo
        partner = token_sudo.partner_id
        lang = partner.lang
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
        return token_sudo.with_context(lang=lang or None)

    def _dunning_not_found(self):
        """A plain 404: no stack trace, nothing about the records."""
        return request.make_response(
            request.env._("This link is invalid or has expired."),
            headers=[("Content-Type", "text/plain; charset=utf-8")],
            status=404,
        )

    def _dunning_open_moves(
        self, token_sudo, move_types=("out_invoice", "out_receipt")
    ):
        """Open customer documents of the token's debtor in the token's company."""
        return (
            request.env["account.move"]
            .sudo()
            .with_company(token_sudo.company_id)
            .search(
                [
                    ("commercial_partner_id", "=", token_sudo.partner_id.id),
                    ("company_id", "=", token_sudo.company_id.id),
                    ("move_type", "in", move_types),
                    ("state", "=", "posted"),
                    ("payment_state", "in", OPEN_STATES),
                ],
                order="invoice_date_due, id",
            )
        )

    def _dunning_selected_invoices(self, token_sudo, invoice_ids):
        """Return the open invoices of the token among ``invoice_ids``.

        :raise ValidationError: when an id is not an open invoice of the
            debtor in the company, or the invoices do not share a currency.
        """
        try:
            ids = {int(value) for value in invoice_ids if value}
        except (TypeError, ValueError) as error:
            raise ValidationError(request.env._("Invalid invoices.")) from error
        invoices = self._dunning_open_moves(token_sudo).filtered(lambda m: m.id in ids)
        if not ids or set(invoices.ids) != ids:
            raise ValidationError(
                request.env._("These invoices cannot be paid from this page.")
            )
        if len(invoices.currency_id) != 1:
            raise ValidationError(
                request.env._("Select invoices in a single currency to pay them.")
            )
        return invoices

    # ------------------------------------------------------------------
    # Bank transfer
    # ------------------------------------------------------------------
    def _dunning_bank_account(self, company, invoices):
        """The account to pay by transfer: the invoices' one, else the company's."""
        bank = invoices.partner_bank_id
        if len(bank) == 1:
            return bank
        accounts = company.partner_id.bank_ids
        return accounts.filtered(lambda b: b.acc_type == "iban")[:1] or accounts[:1]

    def _dunning_transfer_values(self, token_sudo, invoices, amount=None):
        """What the debtor needs to pay ``invoices`` by bank transfer.

        The reference is the invoice's payment reference for one invoice, the
        debtor's reference otherwise; the EPC (SEPA) QR code is only built
        when the account is a SEPA IBAN and the amount is in euros.
        """
        company = token_sudo.company_id
        partner = token_sudo.partner_id
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
            reference = f"CUST/{partner.ref or partner.id}"
        qr_code = False
        if amount > 0:
            qr_code = bank.sudo().build_qr_code_base64(
                amount,
                reference,
                reference,
                currency,
                partner,
                qr_method="sct_qr",
                silent_errors=True,
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
    # Page data
    # ------------------------------------------------------------------
    def _dunning_page_values(self, token_sudo, today=None):
        """Everything the page shows, read in a fixed number of queries."""
        today = today or fields.Date.context_today(token_sudo)
        company = token_sudo.company_id
        partner = token_sudo.partner_id
        documents = self._dunning_open_moves(
            token_sudo, ("out_invoice", "out_receipt", "out_refund")
        )
        invoices = documents.filtered(lambda m: m.move_type != "out_refund")
        refunds = documents - invoices
        show_penalties = company.dunning_penalty_mode != "none" or getattr(
            company, "dunning_indemnity_enabled", False
        )
        penalties = {}
        if show_penalties and invoices:
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
                }
            )
        payments = (
            request.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("move_id.move_type", "=", "entry"),
                ],
                order="date, id",
            )
        )
        currency = company.currency_id
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
            self._dunning_transfer_values(token_sudo, transfer_moves)
            if transfer_moves
            else {}
        )
        return {
            "token": token_sudo,
            "dunning_token": request.params.get("token") or "",
            "transfer": transfer,
            "plan_max_instalments": company.dunning_plan_max_instalments,
            "plan_limits": request.env._(
                "Pay the overdue invoices in monthly instalments: up to %(count)s "
                "instalments within %(months)s months, your plan starts at once; "
                "beyond, our credit department reviews your request.",
                count=company.dunning_plan_max_instalments,
                months=company.dunning_plan_max_months,
            ),
            "company": company,
            "partner": partner,
            "today": today,
            "rows": rows,
            "refunds": refunds,
            "payments": payments,
            "show_penalties": show_penalties,
            "currency": currency,
            "total_due": total_due,
            "total_overdue": total_overdue,
            "total_penalties": sum(penalties.values()),
            "reasons": request.env["dunning.dispute.reason"].sudo().search([]),
            "no_breadcrumbs": True,
            "html_data": {"lang": (request.env.lang or "en_US").replace("_", "-")},
        }

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(
        "/collections/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def dunning_page(self, token, message=None, **kw):
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        token_sudo.last_used = fields.Datetime.now()
        values = self._dunning_page_values(token_sudo)
        values["dunning_token"] = token
        values["message_code"] = message
        values["message"] = {
            "promise": request.env._("Thank you: your promise to pay was recorded."),
            "dispute": request.env._(
                "Thank you: your dispute was sent to our credit department."
            ),
            "paid": request.env._("Thank you: your payment was received."),
            "plan": request.env._(
                "Thank you: your payment plan is in place. You will receive a "
                "reminder before each instalment."
            ),
            "plan_request": request.env._(
                "Thank you: your payment plan request was sent to our credit "
                "department, which will contact you."
            ),
            "error": request.env._("Your request could not be processed."),
        }.get(message)
        return request.render("account_dunning_payment.collections_page", values)

    @http.route(
        "/collections/<string:token>/invoice/<int:invoice_id>/pdf",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def dunning_invoice_pdf(self, token, invoice_id, **kw):
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        move = (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "=", invoice_id),
                    ("commercial_partner_id", "=", token_sudo.partner_id.id),
                    ("company_id", "=", token_sudo.company_id.id),
                    ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                    ("state", "=", "posted"),
                ]
            )
        )
        if not move:
            raise NotFound()
        return self._show_report(
            model=move, report_type="pdf", report_ref="account.account_invoices"
        )

    @http.route(
        "/collections/<string:token>/statement",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def dunning_statement_pdf(self, token, **kw):
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        report = request.env["ir.actions.report"].sudo()
        content, _type = report.with_company(token_sudo.company_id)._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_statement",
            token_sudo.partner_id.ids,
            data={"company_id": token_sudo.company_id.id},
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", 'inline; filename="statement.pdf"'),
            ],
        )

    @http.route(
        "/collections/<string:token>/pay",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def dunning_pay(self, token, **post):
        """Check the selection, then show Odoo's payment form for it."""
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        ids = request.httprequest.form.getlist("invoice_ids")
        try:
            invoices = self._dunning_selected_invoices(token_sudo, ids)
        except ValidationError:
            return request.redirect(f"/collections/{token}?message=error")
        currency = invoices.currency_id
        amount = currency.round(sum(invoices.mapped("amount_residual")))
        expected = post.get("amount")
        if expected is not None:
            try:
                tampered = float_compare(
                    float(expected), amount, precision_digits=currency.decimal_places
                )
            except ValueError:
                tampered = True
            if tampered:
                return request.redirect(f"/collections/{token}?message=error")
        partner = token_sudo.partner_id
        company = token_sudo.company_id
        ids_key = "-".join(str(i) for i in sorted(invoices.ids))
        reference = (
            company.get_next_batch_payment_communication()
            if len(invoices) > 1
            else invoices.name
        )
        values = self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": f"/collections/{token}",
                "transaction_route": f"/collections/{token}/transaction/{ids_key}",
            },
            access_token=payment_utils.generate_access_token(
                partner.id, amount, currency.id, ids_key
            ),
        )
        values.update(
            {
                "amount": amount,
                "currency": currency,
                "invoices": invoices,
                "reference": reference,
                "partner": partner,
                "company": company,
                "dunning_token": token,
                "no_breadcrumbs": True,
                # The payment form's templates call it.
                "is_html_empty": is_html_empty,
                "transfer": self._dunning_transfer_values(token_sudo, invoices, amount),
            }
        )
        return request.render("account_dunning_payment.collections_pay_page", values)

    @http.route(
        "/collections/<string:token>/transaction/<string:ids_key>",
        type="json",
        auth="public",
    )
    def dunning_transaction(self, token, ids_key, access_token=None, **kwargs):
        """Create the transaction of the selected invoices, checked again."""
        token_sudo = self._dunning_check_token(token, own_cursor=True)
        if not token_sudo:
            raise NotFound()
        invoices = self._dunning_selected_invoices(token_sudo, ids_key.split("-"))
        currency = invoices.currency_id
        amount = currency.round(sum(invoices.mapped("amount_residual")))
        partner = token_sudo.partner_id
        if "-".join(str(i) for i in sorted(invoices.ids)) != ids_key or (
            not payment_utils.check_access_token(
                access_token, partner.id, amount, currency.id, ids_key
            )
        ):
            raise ValidationError(request.env._("The payment data changed: reload."))
        if kwargs.get("amount") is not None and float_compare(
            float(kwargs["amount"]), amount, precision_digits=currency.decimal_places
        ):
            raise ValidationError(request.env._("The payment data changed: reload."))
        # The payment form sends back the reference it showed: the one used is
        # computed again below.
        kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        reference = (
            token_sudo.company_id.get_next_batch_payment_communication()
            if len(invoices) > 1
            else invoices.name
        )
        kwargs.update(
            {
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "reference_prefix": reference,
                "landing_route": f"/collections/{token}?message=paid",
            }
        )
        kwargs.pop("csrf_token", None)
        tx_sudo = self._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]},
            **kwargs,
        )
        return tx_sudo._get_processing_values()

    @http.route(
        "/collections/<string:token>/promise",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def dunning_promise(self, token, date=None, **post):
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        today = fields.Date.context_today(token_sudo)
        try:
            promised = fields.Date.to_date(date)
        except ValueError:
            promised = None
        if not promised or promised < today or (promised - today).days > 366:
            return request.redirect(f"/collections/{token}?message=error")
        invoices = self._dunning_open_moves(token_sudo).filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )
        promise = (
            request.env["dunning.promise"]
            .sudo()
            .with_company(token_sudo.company_id)
            .create(
                {
                    "company_id": token_sudo.company_id.id,
                    "partner_id": token_sudo.partner_id.id,
                    "date": promised,
                    "source": "portal",
                    "move_ids": [Command.set(invoices.ids)],
                    "note": (post.get("note") or "")[:2000] or False,
                }
            )
        )
        token_sudo.partner_id.message_post(
            body=Markup("<p>%s</p>")
            % request.env._(
                "Promise to pay by %(date)s made on the payment page.",
                date=promise.date,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/collections/{token}?message=promise")

    @http.route(
        "/collections/<string:token>/dispute",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def dunning_dispute(self, token, invoice_id=None, reason_id=None, **post):
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        try:
            invoices = self._dunning_selected_invoices(token_sudo, [invoice_id])
            reason = (
                request.env["dunning.dispute.reason"].sudo().browse(int(reason_id))
            ).exists()
        except (ValidationError, TypeError, ValueError):
            return request.redirect(f"/collections/{token}?message=error")
        if not reason:
            return request.redirect(f"/collections/{token}?message=error")
        text = (post.get("message") or "")[:5000]
        dispute = (
            request.env["dunning.dispute"]
            .sudo()
            .with_company(token_sudo.company_id)
            .create(
                {
                    "company_id": token_sudo.company_id.id,
                    "partner_id": token_sudo.partner_id.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "reason_id": reason.id,
                    "user_id": False,
                    "description": Markup("<p>%s</p>") % text if text else False,
                }
            )
        )
        token_sudo.partner_id.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                request.env._(
                    "Dispute %(name)s opened on the payment page on %(invoice)s: "
                    "%(reason)s",
                    name=dispute.name,
                    invoice=invoices.name,
                    reason=reason.name,
                ),
                text,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/collections/{token}?message=dispute")

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------
    def _dunning_plan_within_limits(self, company, count, start, today):
        """Whether a plan of ``count`` monthly instalments from ``start`` may
        start without the collector."""
        last = start + relativedelta(months=count - 1)
        return (
            count <= company.dunning_plan_max_instalments
            and last <= today + relativedelta(months=company.dunning_plan_max_months)
        )

    @http.route(
        "/collections/<string:token>/plan",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def dunning_plan(self, token, instalments=None, start=None, **post):
        """Ask for monthly instalments on the overdue invoices.

        Within the company's limits the plan is split and started at once;
        beyond, it stays a draft and the collector is told.
        """
        token_sudo = self._dunning_check_token(token)
        if not token_sudo:
            return self._dunning_not_found()
        error = request.redirect(f"/collections/{token}?message=error")
        company = token_sudo.company_id
        partner = token_sudo.partner_id
        today = fields.Date.context_today(token_sudo)
        try:
            count = int(instalments)
            first = fields.Date.to_date(start) if start else today
        except (TypeError, ValueError):
            return error
        if (
            not first
            or count < 1
            or count > PLAN_HARD_LIMIT
            or first < today
            or (first - today).days > 366
        ):
            return error
        Plan = request.env["dunning.payment.plan"].sudo().with_company(company)
        planned = Plan.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "running")),
            ]
        ).move_ids
        invoices = self._dunning_open_moves(token_sudo, ("out_invoice",)).filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )
        if not invoices or invoices & planned:
            return error
        plan = Plan.create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "move_ids": [Command.set(invoices.ids)],
                "split_count": count,
                "split_period": "monthly",
                "split_start": first,
                "note": (post.get("note") or "")[:2000] or False,
            }
        )
        plan.action_split()
        if self._dunning_plan_within_limits(company, count, first, today):
            plan.action_start()
            body = request.env._(
                "Payment plan %(name)s of %(count)s monthly instalments from "
                "%(date)s started from the payment page.",
                name=plan.name,
                count=count,
                date=first,
            )
            message = "plan"
        else:
            body = request.env._(
                "Payment plan %(name)s of %(count)s monthly instalments from "
                "%(date)s asked for on the payment page, beyond the company's "
                "limits (%(max_count)s instalments, %(max_months)s months): "
                "to review.",
                name=plan.name,
                count=count,
                date=first,
                max_count=company.dunning_plan_max_instalments,
                max_months=company.dunning_plan_max_months,
            )
            collector = partner.with_company(company)._dunning_get_collector()
            if collector:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=request.env._("Review the payment plan request"),
                    note=body,
                    user_id=collector.id,
                )
            message = "plan_request"
        plan.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")
        partner.message_post(
            body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note"
        )
        return request.redirect(f"/collections/{token}?message={message}")
