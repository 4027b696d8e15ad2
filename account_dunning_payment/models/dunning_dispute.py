# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

# The debtor's words kept with a dispute, in characters.
DISPUTE_MAX_TEXT = 5000


class DunningDispute(models.Model):
    _inherit = "dunning.dispute"

    @api.model
    def _dunning_dispute_from_portal(
        self,
        partner,
        company,
        invoice_id,
        reason_id,
        message=None,
        files=(),
        token=None,
    ):
        """Open the dispute a debtor filed on the payment page.

        The dispute is on one open invoice of the debtor in ``company``, for
        one of the reasons the page offers (see
        ``res.partner._dunning_dispute_reasons``), without a collector
        assigned. The files are sorted by
        ``dunning.payment.page.request._dunning_check_dispute_files`` (names,
        types, sizes, the debtor's daily volume) and the kept ones attached
        to the dispute's message; the dispute is logged on the debtor and
        counted in the page's daily quota.

        :param partner: the debtor (commercial partner).
        :param invoice_id: the invoice's id (as sent: it is checked).
        :param reason_id: the reason's id (an int, or ``None``).
        :param message: the debtor's words (cut to 5,000 characters).
        :param files: an iterable of ``(filename, content)`` pairs, read only
            once the request is accepted.
        :return: ``(dispute, refused)``: the dispute (sudoed) and the names of
            the files left out.
        :raise ValidationError: for an invoice or a reason not offered.
        :raise DunningQuotaReached: beyond the day's number of disputes.
        """
        Request = self.env["dunning.payment.page.request"]
        invoices = partner._dunning_selected_invoices(company, [invoice_id])
        reason = partner._dunning_dispute_reasons(company).filtered(
            lambda r: r.id == reason_id
        )
        if not reason_id or not reason:
            raise ValidationError(self.env._("Choose the reason of the dispute."))
        Request._dunning_check_quota("dispute", partner, company, token)
        text = (message or "")[:DISPUTE_MAX_TEXT]
        dispute = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "reason_id": reason.id,
                    "user_id": False,
                    "description": Markup("<p>%s</p>") % text if text else False,
                }
            )
        )
        kept, refused = Request._dunning_check_dispute_files(files, partner, company)
        body = self.env._(
            "Dispute %(name)s opened on the payment page on %(invoice)s: %(reason)s",
            name=dispute.name,
            invoice=invoices.name,
            reason=reason.name,
        )
        # Stored as attachments of the dispute; created in sudo for a
        # visitor, whose HTML, SVG and the like ir.attachment keeps as text.
        dispute.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (body, text),
            attachments=kept,
            subtype_xmlid="mail.mt_note",
        )
        partner.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (body, text),
            subtype_xmlid="mail.mt_note",
        )
        Request._dunning_record(
            "dispute",
            partner,
            company,
            token,
            files_size=sum(len(content) for _name, content in kept),
        )
        return dispute, refused
