# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

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
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a collections manager can revoke payment links.")
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
