# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, models
from odoo.fields import Command


class DunningIncoming(models.Model):
    _inherit = "dunning.incoming"

    @api.model
    def _dunning_copy_from_portal(
        self, partner, company, invoice_id=None, note=None, token=None
    ):
        """Record a debtor's request, made on the payment page, for a copy of
        an invoice (or of every open one and the statement) by e-mail.

        It becomes an incoming request of the collections core (a copy
        request, sender checked by the page) that a collector checks and
        sends: the collector is asked whatever the settings of the automatic
        effects on e-mails. Logged on the debtor and counted in the page's
        daily quota.

        :param partner: the debtor (commercial partner).
        :param invoice_id: one open invoice's id (as sent: it is checked), or
            nothing for every open invoice.
        :param note: the debtor's words (cut to 2,000 characters).
        :return: the incoming request (sudoed).
        :raise ValidationError: for an invoice not open for the debtor.
        :raise DunningQuotaReached: beyond the day's number of copies.
        """
        Request = self.env["dunning.payment.page.request"]
        invoices = self.env["account.move"]
        if invoice_id:
            invoices = partner._dunning_selected_invoices(company, [invoice_id])
        Request._dunning_check_quota("copy", partner, company, token)
        subject = self.env._(
            "Copy requested on the payment page: %(documents)s",
            documents=invoices.name
            or self.env._("every open invoice and the statement"),
        )
        incoming = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "subject": subject,
                    "email_from": partner.email_formatted or False,
                    "body": Markup("<p>%s</p>") % ((note or "")[:2000] or subject),
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "state": "new",
                    "message_class": "copy_request",
                    "sender_check": "page",
                    "move_ids": [Command.set(invoices.ids)],
                }
            )
        )
        incoming._notify_collector(self.env._("Copy requested: check and send"))
        incoming.effect = self.env._(
            "Copy requested on the payment page: waiting for a collector to send it."
        )
        partner._dunning_note(subject)
        Request._dunning_record("copy", partner, company, token)
        return incoming
