# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import functools
import logging
import math
from urllib.parse import quote

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.http import JsonRPCDispatcher, request
from odoo.tools import float_compare, is_html_empty

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.payment import utils as payment_utils

from ..models.dunning_payment_page_request import (
    DISPUTE_FILE_TYPES,
    DISPUTE_MAX_FILE_SIZE,
    DISPUTE_MAX_FILES,
    DISPUTE_MAX_TOTAL_SIZE,
)
from ..models.dunning_payment_token import hash_token, normalize_token

_logger = logging.getLogger(__name__)

OPEN_STATES = ("not_paid", "partial")
# Above this many instalments a request from the page is refused outright.
PLAN_HARD_LIMIT = 60
MY_PREFIX = "/my/collections"
# Amounts typed on the page beyond this are refused (and inf, nan).
MAX_AMOUNT = 1e12
# Every response of the debtor's page: never cached (a shared computer, a
# proxy), never sent as a referrer to another site (the link is secret),
# never indexed, never framed by another site.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "frame-ancestors 'self'",
}


def secure_response(response):
    """Add :data:`SECURITY_HEADERS` to ``response`` (returned)."""
    headers = getattr(response, "headers", None)
    if headers is not None:
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value
    return response


def parse_amount(value):
    """``value`` (as typed) as a finite float within :data:`MAX_AMOUNT`.

    :raise ValidationError: for text, ``inf``, ``nan``, ``1e309`` and the like.
    """
    try:
        amount = float(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(request.env._("Invalid amount.")) from error
    if not math.isfinite(amount) or abs(amount) > MAX_AMOUNT:
        raise ValidationError(request.env._("Invalid amount."))
    return amount + 0.0  # -0.0 is 0.0


def parse_id(value):
    """``value`` as a database id, or ``None``."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**31 else None


class DunningJsonDispatcher(JsonRPCDispatcher):
    """JSON-RPC for the debtor's page: errors without Odoo's debug data.

    Odoo's JSON-RPC errors carry the server's traceback (``data.debug``); on
    a page open to the internet, a refused payment says why in one sentence
    (the payment form shows ``data.message``) and nothing else: the message
    of a user error, a generic one for anything else (logged on the server).
    """

    routing_type = "dunning_json"

    def _response(self, result=None, error=None):
        return secure_response(super()._response(result=result, error=error))

    def handle_error(self, exc):
        if isinstance(exc, NotFound):
            code, message = 404, "404: Not Found"
            text = self.request.env._("This link is invalid or has expired.")
        elif isinstance(exc, UserError | Forbidden):
            code, message = 200, "Odoo Server Error"
            text = exc.args[0] if isinstance(exc, UserError) else "Forbidden"
        else:
            _logger.exception("Error on the payment page")
            code, message = 200, "Odoo Server Error"
            text = self.request.env._("Your request could not be processed.")
        return self._response(
            error={
                "code": code,
                "message": message,
                "data": {"name": "UserError", "message": text, "arguments": [text]},
            }
        )


class DebtorAccess:
    """Who may see a debtor's page: a secret link, or a portal user.

    ``partner_id`` (the commercial partner) and ``company_id`` are sudoed
    records: every read is then restricted by hand to that debtor and company.
    ``prefix`` is the URL of the page, under which every other route lives.
    """

    __slots__ = ("partner_id", "company_id", "prefix", "token")

    def __init__(self, partner, company, prefix, token=None):
        self.partner_id = partner
        self.company_id = company
        self.prefix = prefix
        self.token = token

    @property
    def is_portal(self):
        return not self.token


def debtor_route(routes, json=False, **kwargs):
    """Route a handler both behind the secret link and under ``/my``.

    ``routes`` are suffixes (``""`` for the page itself); the handler gets a
    :class:`DebtorAccess` instead of the token. A bad token answers a plain
    404 (an error for JSON); a visitor without a login on ``/my`` is sent to
    the login page.
    """

    def decorator(method):
        paths = []
        for suffix in routes:
            paths += [f"/collections/<string:token>{suffix}", f"{MY_PREFIX}{suffix}"]

        @http.route(
            paths,
            type="dunning_json" if json else "http",
            auth="public",
            sitemap=False,
            # The portal's layout (header, languages) for a portal user.
            website=True,
            **kwargs,
        )
        @functools.wraps(method)
        def wrapper(self, token=None, **params):
            # A parameter named like the handler's own (``?access=1``).
            params.pop("access", None)
            params.pop("self", None)
            if json:  # Errors answered by the dispatcher, with the headers.
                access = self._dunning_access(token, json=json)
                return method(self, access, **params)
            try:
                access = self._dunning_access(token, json=json)
                if not isinstance(access, DebtorAccess):
                    return secure_response(access)
                try:
                    with request.env.cr.savepoint():
                        response = method(self, access, **params)
                except UserError:  # ValidationError too: nothing is kept.
                    response = self._dunning_back(access, "error")
            except NotFound:
                response = self._dunning_not_found()
            return secure_response(response)

        return wrapper

    return decorator


class DunningCollectionsPortal(PortalAccount):
    """The debtor's payment page, reached through a secret link or ``/my``."""

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _dunning_ip(self):
        return request.httprequest.remote_addr or ""

    def _dunning_check_token(self, token, own_cursor=False):
        """Return the valid token record (sudo), or an empty recordset.

        A valid token is always served, whoever failed before from the same
        address. A bad one is counted per address and per link tried (see
        dunning.payment.token.attempt); a locked address is not recorded any
        more. HTTP routes answer 404 without raising, so the failure is
        committed with the request; JSON routes raise, so they log it in a
        cursor of its own.
        """
        Attempt = request.env["dunning.payment.token.attempt"].sudo()
        Token = request.env["dunning.payment.token"].sudo()
        token_sudo = Token._dunning_find(token)
        if token_sudo:
            return token_sudo
        ip = self._dunning_ip()
        digest = hash_token(normalize_token(token) or "")
        if own_cursor:
            with request.env.registry.cursor() as cr:
                Attempt.with_env(Attempt.env(cr=cr))._dunning_log_failure(ip, digest)
        else:
            Attempt._dunning_log_failure(ip, digest)
        return token_sudo

    def _dunning_access(self, token, json=False):
        """Return the :class:`DebtorAccess` of the request, or the response
        to give instead (404, login page)."""
        if token is None:
            user = request.env.user
            if user._is_public():
                if json:
                    raise Forbidden()
                path = request.httprequest.full_path.rstrip("?")
                return request.redirect(f"/web/login?redirect={quote(path)}")
            # The debtor is the user's company (commercial entity), in the
            # company the user works in: a portal user has one.
            return DebtorAccess(
                user.partner_id.commercial_partner_id.sudo(),
                request.env.company.sudo(),
                MY_PREFIX,
            )
        token_sudo = self._dunning_check_token(token, own_cursor=json)
        if not token_sudo:
            if json:
                raise NotFound()
            return self._dunning_not_found()
        lang = token_sudo.partner_id.lang
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
            token_sudo = token_sudo.with_context(lang=lang)
        return DebtorAccess(
            token_sudo.partner_id,
            token_sudo.company_id,
            f"/collections/{token}",
            token=token_sudo,
        )

    def _dunning_not_found(self):
        """A plain 404: no stack trace, nothing about the records."""
        return request.make_response(
            request.env._("This link is invalid or has expired."),
            headers=[("Content-Type", "text/plain; charset=utf-8")],
            status=404,
        )

    def _dunning_back(self, access, message):
        return request.redirect(f"{access.prefix}?message={message}")

    def _dunning_today(self, access):
        return fields.Date.context_today(access.partner_id)

    def _dunning_open_moves(self, access, move_types=("out_invoice", "out_receipt")):
        """Open customer documents of the debtor in the company."""
        return (
            request.env["account.move"]
            .sudo()
            .with_company(access.company_id)
            .search(
                [
                    ("commercial_partner_id", "=", access.partner_id.id),
                    ("company_id", "=", access.company_id.id),
                    ("move_type", "in", move_types),
                    ("state", "=", "posted"),
                    ("payment_state", "in", OPEN_STATES),
                ],
                order="invoice_date_due, id",
            )
        )

    def _dunning_selected_invoices(self, access, invoice_ids):
        """Return the open invoices of the debtor among ``invoice_ids``.

        :raise ValidationError: when an id is not an open invoice of the
            debtor in the company, or the invoices do not share a currency.
        """
        try:
            ids = {int(value) for value in invoice_ids if value}
        except (TypeError, ValueError) as error:
            raise ValidationError(request.env._("Invalid invoices.")) from error
        if any(not 0 < value < 2**31 for value in ids):
            raise ValidationError(request.env._("Invalid invoices."))
        invoices = self._dunning_open_moves(access).filtered(lambda m: m.id in ids)
        if not ids or set(invoices.ids) != ids:
            raise ValidationError(
                request.env._("These invoices cannot be paid from this page.")
            )
        if len(invoices.currency_id) != 1:
            raise ValidationError(
                request.env._("Select invoices in a single currency to pay them.")
            )
        return invoices

    def _dunning_payment_amount(self, access, invoices, requested=None):
        """The amount to pay for ``invoices``: their total, or ``requested``.

        A smaller amount is only accepted for a single invoice when the
        company allows partial payments from the page.

        :raise ValidationError: for any other amount.
        """
        currency = invoices.currency_id
        total = currency.round(sum(invoices.mapped("amount_residual")))
        if requested in (None, ""):
            return total
        amount = currency.round(parse_amount(requested))
        digits = currency.decimal_places
        if not float_compare(amount, total, precision_digits=digits):
            return total
        if (
            access.company_id.dunning_payment_allow_partial
            and len(invoices) == 1
            and float_compare(amount, 0.0, precision_digits=digits) > 0
            and float_compare(amount, total, precision_digits=digits) < 0
        ):
            return amount
        raise ValidationError(
            request.env._("This amount cannot be paid from this page.")
        )

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

    def _dunning_transfer_values(self, access, invoices, amount=None):
        """What the debtor needs to pay ``invoices`` by bank transfer.

        The reference is the invoice's payment reference for one invoice, the
        debtor's reference otherwise; the EPC (SEPA) QR code is only built
        when the account is a SEPA IBAN and the amount is in euros.
        """
        company = access.company_id
        partner = access.partner_id
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
    def _dunning_plan_limits_text(self, company):
        return request.env._(
            "Pay the overdue invoices in instalments: up to %(count)s "
            "instalments within %(months)s months, your plan starts at once; "
            "beyond, our credit department reviews your request.",
            count=company.dunning_plan_max_instalments,
            months=company.dunning_plan_max_months,
        )

    def _dunning_page_values(self, access, today=None):
        """Everything the page shows, read in a fixed number of queries."""
        today = today or self._dunning_today(access)
        company = access.company_id
        partner = access.partner_id
        documents = self._dunning_open_moves(
            access, ("out_invoice", "out_receipt", "out_refund")
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
            self._dunning_transfer_values(access, transfer_moves)
            if transfer_moves
            else {}
        )
        return {
            "access": access,
            "prefix": access.prefix,
            "is_portal_user": access.is_portal,
            "transfer": transfer,
            "plan_max_instalments": company.dunning_plan_max_instalments,
            "plan_limits": self._dunning_plan_limits_text(company),
            "company": company,
            "partner": partner,
            "today": today,
            "rows": rows,
            "refunds": refunds,
            "payments": payments,
            "show_penalties": show_penalties,
            # Computed from the debtor's regime and the company's settings.
            "penalty_mentions": partner._dunning_legal_mentions(company, today)
            if show_penalties
            else [],
            "currency": currency,
            "total_due": total_due,
            "total_overdue": total_overdue,
            "total_penalties": sum(penalties.values()),
            "reasons": self._dunning_dispute_reasons(access),
            "dispute_file_types": ", ".join(sorted(DISPUTE_FILE_TYPES)),
            "dispute_file_accept": ",".join(f".{ext}" for ext in DISPUTE_FILE_TYPES),
            "dispute_max_files": DISPUTE_MAX_FILES,
            "no_breadcrumbs": True,
            "html_data": {"lang": (request.env.lang or "en_US").replace("_", "-")},
        }

    def _dunning_dispute_reasons(self, access):
        """The reasons a debtor may choose: active ones, of the debtor's
        company or shared (when reasons belong to a company)."""
        Reason = request.env["dunning.dispute.reason"].sudo()
        domain = [("active", "=", True)]
        if "company_id" in Reason._fields:
            domain += [("company_id", "in", (False, access.company_id.id))]
        return Reason.search(domain)

    def _dunning_messages(self):
        """The confirmations and errors the page shows after a request."""
        _ = request.env._
        return {
            "limit": _(
                "We have already received several requests of this kind today: "
                "our credit department will get back to you. You can send a new "
                "one tomorrow."
            ),
            "promise": _("Thank you: your promise to pay was recorded."),
            "promise_review": _(
                "Thank you: your promise to pay was sent to our credit "
                "department, which will confirm it: until then, the reminders "
                "go on."
            ),
            "dispute": _("Thank you: your dispute was sent to our credit department."),
            "dispute_file": _(
                "Thank you: your dispute was sent to our credit department, but "
                "some files were not attached. We accept at most %(count)s files "
                "of %(size)s MB each, %(total)s MB in all, of these types: "
                "%(types)s. Please send the others in reply to our e-mail.",
                count=DISPUTE_MAX_FILES,
                size=DISPUTE_MAX_FILE_SIZE // (1024 * 1024),
                total=DISPUTE_MAX_TOTAL_SIZE // (1024 * 1024),
                types=", ".join(sorted(DISPUTE_FILE_TYPES)),
            ),
            "paid": _("Thank you: your payment was received."),
            "processing": _(
                "Thank you: your payment is being processed; the invoices will "
                "be settled once it is confirmed."
            ),
            "not_paid": _(
                "Your payment was not completed: nothing was charged. You can "
                "try again or pay by bank transfer."
            ),
            "plan": _(
                "Thank you: your payment plan is in place. You will receive a "
                "reminder before each instalment."
            ),
            "plan_request": _(
                "Thank you: your payment plan request was sent to our credit "
                "department, which will contact you."
            ),
            "copy": _(
                "Thank you: our credit department will send you the copies by "
                "e-mail."
            ),
            "error": _("Your request could not be processed."),
        }

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dunning_overdue_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            values["dunning_overdue_count"] = (
                request.env["account.move"]
                .sudo()
                .search_count(
                    [
                        ("commercial_partner_id", "=", partner.id),
                        ("company_id", "=", request.env.company.id),
                        ("move_type", "in", ("out_invoice", "out_receipt")),
                        ("state", "=", "posted"),
                        ("payment_state", "in", OPEN_STATES),
                        ("invoice_date_due", "<", fields.Date.context_today(partner)),
                    ]
                )
            )
        return values

    # ------------------------------------------------------------------
    # Routes: reading
    # ------------------------------------------------------------------
    @http.route("/c/<string:code>", type="http", auth="public", sitemap=False)
    def dunning_short_link(self, code, **kw):
        """The short link printed on letters and sent by SMS."""
        # The same rules as the page: a bad code is counted, a valid one
        # always served.
        if not self._dunning_check_token(code):
            return secure_response(self._dunning_not_found())
        return secure_response(
            request.redirect(f"/collections/{normalize_token(code)}", code=303)
        )

    def _dunning_receipt(self, access, reference):
        """The debtor's transaction ``reference`` in the company, or nothing."""
        if not reference or len(reference) > 100:
            return request.env["payment.transaction"].sudo().browse()
        return (
            request.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("reference", "=", reference),
                    ("partner_id.commercial_partner_id", "=", access.partner_id.id),
                    ("company_id", "=", access.company_id.id),
                ],
                limit=1,
            )
        )

    @debtor_route([""], methods=["GET"])
    def dunning_page(self, access, message=None, reference=None, **kw):
        if access.token:
            access.token.last_used = fields.Datetime.now()
        values = self._dunning_page_values(access)
        messages = self._dunning_messages()
        receipt = (
            self._dunning_receipt(access, reference) if message == "paid" else None
        )
        if receipt and receipt.state in ("pending", "authorized"):
            message = "processing"
        elif receipt and receipt.state in ("cancel", "error"):
            message = "not_paid"
        values["receipt"] = receipt
        values["message_code"] = message
        values["message"] = messages.get(message)
        return request.render("account_dunning_payment.collections_page", values)

    @debtor_route(["/invoice/<int:invoice_id>/pdf"], methods=["GET"])
    def dunning_invoice_pdf(self, access, invoice_id=None, **kw):
        move = (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "=", invoice_id),
                    ("commercial_partner_id", "=", access.partner_id.id),
                    ("company_id", "=", access.company_id.id),
                    ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                    ("state", "=", "posted"),
                ]
            )
        )
        if not move:
            raise NotFound()
        attachment = move._dunning_invoice_pdf()
        return self._dunning_pdf_response(attachment.raw, attachment.name)

    def _dunning_pdf_response(self, content, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    f"inline; filename*=UTF-8''{quote(filename or 'document.pdf')}",
                ),
            ],
        )

    @debtor_route(["/statement"], methods=["GET"])
    def dunning_statement_pdf(self, access, **kw):
        attachment = access.partner_id._dunning_statement_pdf(
            access.company_id, self._dunning_today(access)
        )
        return self._dunning_pdf_response(attachment.raw, "statement.pdf")

    # ------------------------------------------------------------------
    # Routes: online payment
    # ------------------------------------------------------------------
    def _dunning_ids_key(self, invoices):
        return "-".join(str(i) for i in sorted(invoices.ids))

    def _dunning_payment_reference(self, access, invoices):
        if len(invoices) > 1:
            return access.company_id.get_next_batch_payment_communication()
        return invoices.name

    def _dunning_payment_offer(self, access, amount, currency):
        """What the debtor may pay ``amount`` with: the one source of both the
        payment step's form and what the transaction route accepts (see
        ``res.partner._dunning_payment_offer``). Saved tokens only for the
        logged-in portal user of the debtor, under ``/my``."""
        token_partner = request.env.user.partner_id if access.is_portal else None
        return access.partner_id._dunning_payment_offer(
            access.company_id, amount, currency, token_partner=token_partner
        )

    @debtor_route(["/pay"], methods=["POST"])
    def dunning_pay(self, access, **post):
        """Check the selection, then show Odoo's payment form for it.

        ``amount`` is the total the page showed (a different one means the
        data changed or was tampered with); ``partial_amount`` a smaller
        amount for one invoice, when the company allows it.
        """
        ids = request.httprequest.form.getlist("invoice_ids")
        try:
            invoices = self._dunning_selected_invoices(access, ids)
            total = self._dunning_payment_amount(access, invoices)
            if post.get("amount") not in (None, ""):
                self._dunning_check_total(invoices, post["amount"], total)
            amount = self._dunning_payment_amount(
                access, invoices, post.get("partial_amount")
            )
        except ValidationError:
            return self._dunning_back(access, "error")
        currency = invoices.currency_id
        partner = access.partner_id
        company = access.company_id
        ids_key = self._dunning_ids_key(invoices)
        reference = self._dunning_payment_reference(access, invoices)
        values = self._get_common_page_view_values(
            invoices_data={
                "partner": partner,
                "company": company,
                "total_amount": amount,
                "currency": currency,
                "amount_residual": amount,
                "payment_reference": reference,
                "landing_route": access.prefix,
                "transaction_route": f"{access.prefix}/transaction/{ids_key}",
            },
            access_token=payment_utils.generate_access_token(
                partner.id, amount, currency.id, ids_key
            ),
        )
        offer = self._dunning_payment_offer(access, amount, currency)
        values.update(
            {
                "providers_sudo": offer["providers"],
                "payment_methods_sudo": offer["payment_methods"],
                "tokens_sudo": offer["tokens"],
                "show_tokenize_input_mapping": offer["show_tokenize_input_mapping"],
                "availability_report": offer["availability_report"],
                "amount": amount,
                "total": total,
                "partial": amount != total,
                "allow_partial": company.dunning_payment_allow_partial
                and len(invoices) == 1,
                "currency": currency,
                "invoices": invoices,
                "reference": reference,
                "partner": partner,
                "company": company,
                "prefix": access.prefix,
                "is_portal_user": access.is_portal,
                "no_breadcrumbs": True,
                # The payment form's templates call it.
                "is_html_empty": is_html_empty,
                "transfer": self._dunning_transfer_values(access, invoices, amount),
            }
        )
        return request.render("account_dunning_payment.collections_pay_page", values)

    def _dunning_check_total(self, invoices, expected, total):
        """Refuse when the total the page showed is not the one of now."""
        currency = invoices.currency_id
        changed = float_compare(
            parse_amount(expected), total, precision_digits=currency.decimal_places
        )
        if changed:
            raise ValidationError(request.env._("The payment data changed: reload."))

    @debtor_route(["/transaction/<string:ids_key>"], json=True)
    def dunning_transaction(self, access, ids_key=None, access_token=None, **kwargs):
        """Create the transaction of the selected invoices, checked again.

        A replay after the payment finds the invoices paid and is refused; the
        amount must be the one signed by the access token of the payment step.
        """
        invoices = self._dunning_selected_invoices(access, (ids_key or "").split("-"))
        currency = invoices.currency_id
        amount = self._dunning_payment_amount(access, invoices, kwargs.get("amount"))
        partner = access.partner_id
        if self._dunning_ids_key(invoices) != ids_key or (
            not payment_utils.check_access_token(
                access_token, partner.id, amount, currency.id, ids_key
            )
        ):
            raise ValidationError(request.env._("The payment data changed: reload."))
        # The payment form sends back the reference it showed: the one used is
        # computed again below.
        kwargs.pop("payment_reference", None)
        self._validate_transaction_kwargs(kwargs)
        # Only what the payment step offered: the company's published and
        # compatible providers and methods, the user's own tokens.
        offer = self._dunning_payment_offer(access, amount, currency)
        kwargs.update(
            partner._dunning_check_payment_choice(
                offer,
                flow=kwargs.get("flow"),
                provider_id=kwargs.get("provider_id"),
                payment_method_id=kwargs.get("payment_method_id"),
                token_id=kwargs.get("token_id"),
                tokenization_requested=kwargs.get("tokenization_requested"),
                is_validation=kwargs.get("is_validation"),
            )
        )
        kwargs["is_validation"] = False
        kwargs.update(
            {
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "reference_prefix": self._dunning_payment_reference(access, invoices),
                "landing_route": f"{access.prefix}?message=paid",
            }
        )
        kwargs.pop("csrf_token", None)
        tx_sudo = self._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]},
            **kwargs,
        )
        # Back on the page, the debtor sees the receipt of this transaction.
        tx_sudo.landing_route = (
            f"{access.prefix}?message=paid&reference={quote(tx_sudo.reference)}"
        )
        return tx_sudo._get_processing_values()

    # ------------------------------------------------------------------
    # Routes: self-service
    # ------------------------------------------------------------------
    def _dunning_note_debtor(self, access, body):
        access.partner_id.message_post(
            body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note"
        )

    def _dunning_quota_reached(self, access, kind):
        """Whether the link (or, under ``/my``, the debtor) already made the
        company's daily number of ``kind`` requests."""
        return request.env["dunning.payment.page.request"]._dunning_quota_reached(
            kind, access.partner_id, access.company_id, access.token
        )

    def _dunning_count_request(self, access, kind, files_size=0):
        request.env["dunning.payment.page.request"]._dunning_record(
            kind,
            access.partner_id,
            access.company_id,
            access.token,
            files_size=files_size,
        )

    @debtor_route(["/promise"], methods=["POST"])
    def dunning_promise(self, access, date=None, **post):
        today = self._dunning_today(access)
        try:
            promised = fields.Date.to_date(date)
        except (TypeError, ValueError):
            promised = None
        if not promised or promised < today or (promised - today).days > 366:
            return self._dunning_back(access, "error")
        if self._dunning_quota_reached(access, "promise"):
            return self._dunning_back(access, "limit")
        invoices = self._dunning_open_moves(access).filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )
        promise = (
            request.env["dunning.promise"]
            .sudo()
            .with_company(access.company_id)
            .create(
                {
                    "company_id": access.company_id.id,
                    "partner_id": access.partner_id.id,
                    "date": promised,
                    "source": "portal",
                    "move_ids": [Command.set(invoices.ids)],
                    "note": (post.get("note") or "")[:2000] or False,
                }
            )
        )
        self._dunning_note_debtor(
            access,
            request.env._(
                "Promise to pay by %(date)s made on the payment page.",
                date=promise.date,
            ),
        )
        self._dunning_count_request(access, "promise")
        # Beyond the company's longest promise, a collector decides.
        if promise.state == "to_review":
            return self._dunning_back(access, "promise_review")
        return self._dunning_back(access, "promise")

    def _dunning_dispute_files(self, access):
        """The files sent with a dispute that are kept (clean names, allowed
        types and sizes, see dunning.payment.page.request), and the names of
        those left out. Past the number of files, nothing more is read."""
        sent = []
        for index, storage in enumerate(
            request.httprequest.files.getlist("attachments")
        ):
            if not storage.filename:
                continue
            content = b""
            if index < DISPUTE_MAX_FILES:
                content = storage.read(DISPUTE_MAX_FILE_SIZE + 1)
            sent.append((storage.filename, content))
        return request.env["dunning.payment.page.request"]._dunning_check_dispute_files(
            sent, access.partner_id, access.company_id
        )

    @debtor_route(["/dispute"], methods=["POST"])
    def dunning_dispute(self, access, invoice_id=None, reason_id=None, **post):
        try:
            invoices = self._dunning_selected_invoices(access, [invoice_id])
        except ValidationError:
            return self._dunning_back(access, "error")
        reason_id = parse_id(reason_id)
        reason = self._dunning_dispute_reasons(access).filtered(
            lambda r: r.id == reason_id
        )
        if not reason:
            return self._dunning_back(access, "error")
        if self._dunning_quota_reached(access, "dispute"):
            return self._dunning_back(access, "limit")
        text = (post.get("message") or "")[:5000]
        dispute = (
            request.env["dunning.dispute"]
            .sudo()
            .with_company(access.company_id)
            .create(
                {
                    "company_id": access.company_id.id,
                    "partner_id": access.partner_id.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "reason_id": reason.id,
                    "user_id": False,
                    "description": Markup("<p>%s</p>") % text if text else False,
                }
            )
        )
        files, refused = self._dunning_dispute_files(access)
        body = request.env._(
            "Dispute %(name)s opened on the payment page on %(invoice)s: %(reason)s",
            name=dispute.name,
            invoice=invoices.name,
            reason=reason.name,
        )
        # Stored as attachments of the dispute; created in sudo for a
        # visitor, whose HTML, SVG and the like ir.attachment keeps as text.
        dispute.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (body, text),
            attachments=files,
            subtype_xmlid="mail.mt_note",
        )
        access.partner_id.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (body, text),
            subtype_xmlid="mail.mt_note",
        )
        self._dunning_count_request(
            access, "dispute", files_size=sum(len(content) for _name, content in files)
        )
        return self._dunning_back(access, "dispute_file" if refused else "dispute")

    @debtor_route(["/copy"], methods=["POST"])
    def dunning_copy(self, access, invoice_id=None, **post):
        """Ask for a copy of an invoice (or of every open one) by e-mail.

        Recorded as an incoming request of the collections core, which a
        collector checks and sends.
        """
        invoices = request.env["account.move"]
        if invoice_id:
            try:
                invoices = self._dunning_selected_invoices(access, [invoice_id])
            except ValidationError:
                return self._dunning_back(access, "error")
        if self._dunning_quota_reached(access, "copy"):
            return self._dunning_back(access, "limit")
        partner = access.partner_id
        subject = request.env._(
            "Copy requested on the payment page: %(documents)s",
            documents=invoices.name
            or request.env._("every open invoice and the statement"),
        )
        incoming = (
            request.env["dunning.incoming"]
            .sudo()
            .with_company(access.company_id)
            .create(
                {
                    "subject": subject,
                    "email_from": partner.email_formatted or False,
                    "body": Markup("<p>%s</p>")
                    % ((post.get("note") or "")[:2000] or subject),
                    "company_id": access.company_id.id,
                    "partner_id": partner.id,
                    "state": "new",
                    "message_class": "copy_request",
                    "sender_check": "page",
                    "move_ids": [Command.set(invoices.ids)],
                }
            )
        )
        # An explicit request: the collector is asked whatever the settings
        # of the automatic effects on e-mails.
        incoming._notify_collector(request.env._("Copy requested: check and send"))
        incoming.effect = request.env._(
            "Copy requested on the payment page: waiting for a collector to send it."
        )
        self._dunning_note_debtor(access, subject)
        self._dunning_count_request(access, "copy")
        return self._dunning_back(access, "copy")

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------
    def _dunning_plan_last_date(self, start, count, period, down_payment=False):
        """The date of the last instalment: with a down payment (on the start
        date), the instalments begin one period later."""
        periods = count if down_payment else count - 1
        if period == "weekly":
            return start + relativedelta(weeks=periods)
        return start + relativedelta(months=periods)

    def _dunning_plan_within_limits(
        self, company, count, start, today, period, down_payment=False
    ):
        """Whether a plan of ``count`` instalments from ``start`` may start
        without the collector."""
        last = self._dunning_plan_last_date(start, count, period, down_payment)
        return (
            count <= company.dunning_plan_max_instalments
            and last <= today + relativedelta(months=company.dunning_plan_max_months)
        )

    @debtor_route(["/plan"], methods=["POST"])
    def dunning_plan(
        self,
        access,
        instalments=None,
        start=None,
        period="monthly",
        confirm=None,
        **post,
    ):
        """Ask for instalments on the overdue invoices.

        First the proposal: the instalments (dates and amounts) and whether
        the plan would start at once; nothing is recorded. Confirmed
        (``confirm``), within the company's limits the plan is split and
        started at once; beyond, it stays a draft and the collector is told.
        """
        error = self._dunning_back(access, "error")
        company = access.company_id
        partner = access.partner_id
        today = self._dunning_today(access)
        try:
            count = int(instalments)
            first = fields.Date.to_date(start) if start else today
            down_payment = parse_amount(post.get("down_payment") or 0.0)
        except (TypeError, ValueError, OverflowError, ValidationError):
            return error
        if (
            period not in ("weekly", "monthly")
            or not first
            or count < 1
            or count > PLAN_HARD_LIMIT
            or first < today
            or (first - today).days > 366
            or down_payment < 0
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
        invoices = self._dunning_open_moves(access, ("out_invoice",)).filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )
        if not invoices or invoices & planned:
            return error
        # A plan is kept in the company's currency, like its invoices' balance.
        currency = company.currency_id
        down_payment = currency.round(down_payment)
        total = sum(invoices.mapped("amount_residual_signed"))
        try:
            schedule = Plan._split_schedule(
                total, count, period, first, currency, down_payment=down_payment
            )
        except UserError:
            return error
        within = self._dunning_plan_within_limits(
            company, count, first, today, period, bool(down_payment)
        )
        note = (post.get("note") or "")[:2000]
        if not confirm:
            # The acknowledgement of debt the debtor accepts by confirming,
            # from a plan not saved: its fingerprint comes back with the form.
            proposal = Plan.new(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "line_ids": [Command.create(line) for line in schedule],
                }
            )
            acknowledgement = proposal._dunning_acknowledgement_text()
            return request.render(
                "account_dunning_payment.collections_plan_page",
                {
                    "company": company,
                    "partner": partner,
                    "prefix": access.prefix,
                    "is_portal_user": access.is_portal,
                    "no_breadcrumbs": True,
                    "invoices": invoices,
                    "total": total,
                    "currency": currency,
                    "schedule": schedule,
                    "within_limits": within,
                    "acknowledgement": acknowledgement,
                    "acknowledgement_digest": Plan._dunning_text_digest(
                        acknowledgement
                    ),
                    "form": {
                        "instalments": count,
                        "start": first,
                        "period": period,
                        "down_payment": down_payment or "",
                        "note": note,
                    },
                },
            )
        plan = Plan.create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "move_ids": [Command.set(invoices.ids)],
                "split_count": count,
                "split_period": period,
                "split_start": first,
                "down_payment": down_payment,
                "note": note or False,
            }
        )
        plan.action_split()
        # The debtor's acceptance: an acknowledgement of the debt, with the
        # text they were shown (a different text is refused, nothing kept).
        user = request.env.user
        plan._dunning_record_acceptance(
            "page",
            accepted_by=(
                request.env._("Portal user %(name)s", name=user.name)
                if access.is_portal
                else request.env._("Secret link of the payment page")
            ),
            user=user,
            ip=self._dunning_ip(),
            shown_digest=post.get("acknowledgement_digest") or None,
        )
        period_label = dict(
            weekly=request.env._("weekly"), monthly=request.env._("monthly")
        )[period]
        if within:
            plan.action_start()
            body = request.env._(
                "Payment plan %(name)s of %(count)s %(period)s instalments from "
                "%(date)s started from the payment page.",
                name=plan.name,
                count=count,
                period=period_label,
                date=first,
            )
            message = "plan"
        else:
            body = request.env._(
                "Payment plan %(name)s of %(count)s %(period)s instalments from "
                "%(date)s asked for on the payment page, beyond the company's "
                "limits (%(max_count)s instalments, %(max_months)s months): "
                "to review.",
                name=plan.name,
                count=count,
                period=period_label,
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
        self._dunning_note_debtor(access, body)
        return self._dunning_back(access, message)
