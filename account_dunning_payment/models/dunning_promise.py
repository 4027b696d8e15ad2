# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

# How far ahead a debtor may promise to pay from the page, in days.
PROMISE_MAX_DAYS = 366


class DunningPromise(models.Model):
    _inherit = "dunning.promise"

    @api.model
    def _dunning_promise_from_portal(
        self, partner, company, date, note=None, token=None, today=None
    ):
        """Record the promise a debtor made on the payment page.

        The promise covers the debtor's overdue open invoices in ``company``;
        it is logged on the debtor and counted in the page's daily quota
        (per link ``token``, or per debtor under ``/my``). Beyond the
        company's longest promise, it waits for a collector (state
        ``to_review``, see ``dunning.promise``).

        :param partner: the debtor (commercial partner).
        :param date: the promised payment date (a date), from ``today`` to
            a year later.
        :param note: the debtor's words (cut to 2,000 characters).
        :return: the promise (sudoed).
        :raise ValidationError: for a date in the past or beyond a year.
        :raise DunningQuotaReached: beyond the day's number of promises.
        """
        Request = self.env["dunning.payment.page.request"]
        today = today or fields.Date.context_today(partner)
        if not date or date < today or (date - today).days > PROMISE_MAX_DAYS:
            raise ValidationError(
                self.env._("Choose a payment date within a year from today.")
            )
        Request._dunning_check_quota("promise", partner, company, token)
        invoices = partner._dunning_overdue_invoices(company, today)
        promise = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "date": date,
                    "source": "portal",
                    "move_ids": [Command.set(invoices.ids)],
                    "note": (note or "")[:2000] or False,
                }
            )
        )
        partner._dunning_note(
            self.env._(
                "Promise to pay by %(date)s made on the payment page.",
                date=promise.date,
            )
        )
        Request._dunning_record("promise", partner, company, token)
        return promise
