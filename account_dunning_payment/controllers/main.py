# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's payment page: routes only.

Each route checks who is asking (:mod:`.access`), turns the request's
parameters into Python values (:mod:`..tools`), calls one model method (the
rules live on ``res.partner`` and the ``dunning.*`` models, as
``_dunning_*`` and ``_dunning_*_from_portal`` methods) and renders the
result or redirects to the page with a message.
"""

from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.payment import utils as payment_utils

from ..formatting import PageFormatter
from ..models.dunning_payment_page_request import (
    DISPUTE_FILE_TYPES,
    DISPUTE_MAX_FILE_SIZE,
    DISPUTE_MAX_FILES,
    DISPUTE_MAX_TOTAL_SIZE,
)
from ..models.dunning_payment_token import normalize_token
from ..tools import parse_amount, parse_id
from . import json_dispatcher  # noqa: F401  (the ``dunning_json`` routes)
from .access import (  # noqa: F401  (DebtorAccess: imported from here too)
    DebtorAccess,
    DebtorAccessMixin,
    debtor_route,
    secure_response,
)


class DunningCollectionsPortal(DebtorAccessMixin, PortalAccount):
    """The debtor's payment page, reached through a secret link or ``/my``."""

    def _dunning_today(self, access):
        return fields.Date.context_today(access.partner_id)

    def _dunning_common_values(self, access):
        """What every template of the page reads besides its own data."""
        return {
            "access": access,
            "prefix": access.prefix,
            "is_portal_user": access.is_portal,
            "no_breadcrumbs": True,
        }

    # ------------------------------------------------------------------
    # Page data
    # ------------------------------------------------------------------
    def _dunning_page_values(self, access, today=None):
        """The page's values: ``res.partner._dunning_page_values`` and what
        the templates read from the request."""
        values = access.partner_id._dunning_page_values(
            access.company_id, today or self._dunning_today(access)
        )
        values.update(self._dunning_common_values(access))
        values["html_data"] = {"lang": (request.env.lang or "en_US").replace("_", "-")}
        # The rows' amounts and dates, in the language the page renders in.
        values["page_format"] = PageFormatter(request.env)
        return values

    def _dunning_messages(self):
        """The confirmations and errors the page shows after a request."""
        env = request.env
        return {
            "limit": env._(
                "We have already received several requests of this kind today: "
                "our credit department will get back to you. You can send a new "
                "one tomorrow."
            ),
            "promise": env._("Thank you: your promise to pay was recorded."),
            "promise_review": env._(
                "Thank you: your promise to pay was sent to our credit "
                "department, which will confirm it: until then, the reminders "
                "go on."
            ),
            "dispute": env._(
                "Thank you: your dispute was sent to our credit department."
            ),
            "dispute_file": env._(
                "Thank you: your dispute was sent to our credit department, but "
                "some files were not attached. We accept at most %(count)s files "
                "of %(size)s MB each, %(total)s MB in all, of these types: "
                "%(types)s. Please send the others in reply to our e-mail.",
                count=DISPUTE_MAX_FILES,
                size=DISPUTE_MAX_FILE_SIZE // (1024 * 1024),
                total=DISPUTE_MAX_TOTAL_SIZE // (1024 * 1024),
                types=", ".join(sorted(DISPUTE_FILE_TYPES)),
            ),
            "paid": env._("Thank you: your payment was received."),
            "processing": env._(
                "Thank you: your payment is being processed; the invoices will "
                "be settled once it is confirmed."
            ),
            "not_paid": env._(
                "Your payment was not completed: nothing was charged. You can "
                "try again or pay by bank transfer."
            ),
            "plan": env._(
                "Thank you: your payment plan is in place. You will receive a "
                "reminder before each instalment."
            ),
            "plan_request": env._(
                "Thank you: your payment plan request was sent to our credit "
                "department, which will contact you."
            ),
            "copy": env._(
                "Thank you: our credit department will send you the copies by "
                "e-mail."
            ),
            "error": env._("Your request could not be processed."),
        }

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dunning_overdue_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id.sudo()
            values["dunning_overdue_count"] = partner._dunning_overdue_count(
                request.env.company, fields.Date.context_today(partner)
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

    @debtor_route([""], methods=["GET"])
    def dunning_page(self, access, message=None, reference=None, **kw):
        if access.token:
            # Throttled, outside the request's transaction: a GET writes
            # nothing shared (see dunning.payment.token._dunning_mark_used).
            access.token._dunning_mark_used()
        values = self._dunning_page_values(access)
        receipt = None
        if message == "paid":
            receipt = access.partner_id._dunning_receipt(access.company_id, reference)
        if receipt and receipt.state in ("pending", "authorized"):
            message = "processing"
        elif receipt and receipt.state in ("cancel", "error"):
            message = "not_paid"
        values["receipt"] = receipt
        values["message_code"] = message
        values["message"] = self._dunning_messages().get(message)
        return request.render("account_dunning_payment.collections_page", values)

    @debtor_route(["/invoice/<int:invoice_id>/pdf"], methods=["GET"])
    def dunning_invoice_pdf(self, access, invoice_id=None, **kw):
        move = access.partner_id._dunning_page_document(access.company_id, invoice_id)
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
        partner = access.partner_id
        company = access.company_id
        selection = partner._dunning_payment_selection(
            company,
            request.httprequest.form.getlist("invoice_ids"),
            requested=post.get("partial_amount"),
            shown_total=post.get("amount"),
        )
        invoices, currency = selection["invoices"], selection["currency"]
        amount, total = selection["amount"], selection["total"]
        ids_key = self._dunning_ids_key(invoices)
        reference = partner._dunning_payment_reference(company, invoices)
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
        values.update(self._dunning_common_values(access))
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
                "allow_partial": selection["allow_partial"],
                "currency": currency,
                "invoices": invoices,
                "reference": reference,
                "partner": partner,
                "company": company,
                # The payment form's templates call it.
                "is_html_empty": is_html_empty,
                "transfer": partner._dunning_transfer_values(company, invoices, amount),
            }
        )
        return request.render("account_dunning_payment.collections_pay_page", values)

    @debtor_route(["/transaction/<string:ids_key>"], json=True)
    def dunning_transaction(self, access, ids_key=None, access_token=None, **kwargs):
        """Create the transaction of the selected invoices, checked again.

        A replay after the payment finds the invoices paid and is refused; the
        amount must be the one signed by the access token of the payment step.
        """
        partner = access.partner_id
        company = access.company_id
        selection = partner._dunning_payment_selection(
            company, (ids_key or "").split("-"), requested=kwargs.get("amount")
        )
        invoices, currency = selection["invoices"], selection["currency"]
        amount = selection["amount"]
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
                "reference_prefix": partner._dunning_payment_reference(
                    company, invoices
                ),
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
    # A ValidationError (UserError) of the model answers "error", a
    # DunningQuotaReached "limit", and nothing is kept (see debtor_route).
    @debtor_route(["/promise"], methods=["POST"])
    def dunning_promise(self, access, date=None, **post):
        try:
            promised = fields.Date.to_date(date)
        except (TypeError, ValueError):
            promised = None
        promise = request.env["dunning.promise"]._dunning_promise_from_portal(
            access.partner_id,
            access.company_id,
            promised,
            note=post.get("note"),
            token=access.token,
            today=self._dunning_today(access),
        )
        # Beyond the company's longest promise, a collector decides.
        if promise.state == "to_review":
            return self._dunning_back(access, "promise_review")
        return self._dunning_back(access, "promise")

    def _dunning_dispute_files(self):
        """The files sent with a dispute as ``(filename, content)`` pairs,
        read one by one when the dispute is accepted. Past the number of
        files, nothing more is read (they are refused)."""
        for index, storage in enumerate(
            request.httprequest.files.getlist("attachments")
        ):
            if not storage.filename:
                continue
            content = b""
            if index < DISPUTE_MAX_FILES:
                content = storage.read(DISPUTE_MAX_FILE_SIZE + 1)
            yield storage.filename, content

    @debtor_route(["/dispute"], methods=["POST"])
    def dunning_dispute(self, access, invoice_id=None, reason_id=None, **post):
        _dispute, refused = request.env["dunning.dispute"]._dunning_dispute_from_portal(
            access.partner_id,
            access.company_id,
            invoice_id,
            parse_id(reason_id),
            message=post.get("message"),
            files=self._dunning_dispute_files(),
            token=access.token,
        )
        return self._dunning_back(access, "dispute_file" if refused else "dispute")

    @debtor_route(["/copy"], methods=["POST"])
    def dunning_copy(self, access, invoice_id=None, **post):
        """Ask for a copy of an invoice (or of every open one) by e-mail."""
        request.env["dunning.incoming"]._dunning_copy_from_portal(
            access.partner_id,
            access.company_id,
            invoice_id=invoice_id,
            note=post.get("note"),
            token=access.token,
        )
        return self._dunning_back(access, "copy")

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------
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
        started at once; beyond, it stays a draft and the collector is told
        (see ``dunning.payment.plan._dunning_plan_from_portal``).
        """
        Plan = request.env["dunning.payment.plan"]
        today = self._dunning_today(access)
        try:
            count = int(instalments)
            first = fields.Date.to_date(start) if start else today
            down_payment = parse_amount(post.get("down_payment") or 0.0)
        except (TypeError, ValueError, OverflowError):
            return self._dunning_back(access, "error")
        args = (access.partner_id, access.company_id, count, first, period)
        note = (post.get("note") or "")[:2000]
        if not confirm:
            values = Plan._dunning_plan_proposal_from_portal(
                *args, down_payment=down_payment, today=today
            )
            values.update(self._dunning_common_values(access))
            values.update(
                {
                    "company": access.company_id,
                    "partner": access.partner_id,
                    "form": {
                        "instalments": count,
                        "start": first,
                        "period": period,
                        "down_payment": values["down_payment"] or "",
                        "note": note,
                    },
                }
            )
            return request.render(
                "account_dunning_payment.collections_plan_page", values
            )
        plan = Plan._dunning_plan_from_portal(
            *args,
            down_payment=down_payment,
            note=note,
            today=today,
            portal_user=access.portal_user,
            ip=self._dunning_ip(),
            shown_digest=post.get("acknowledgement_digest") or None,
        )
        return self._dunning_back(
            access, "plan" if plan.state == "running" else "plan_request"
        )
