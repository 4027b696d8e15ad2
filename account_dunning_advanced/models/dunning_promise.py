# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

# Promises the debtor makes alone, capped by the company's longest promise.
DEBTOR_SOURCES = ("email", "portal")
# Promises made by word (an e-mail, a call), confirmed to the debtor in writing.
CONFIRMED_SOURCES = ("email", "call")


class DunningPromise(models.Model):
    """A debtor's promise to pay an amount by a date.

    The chase of the debtor pauses until that date. Past it, the promise is
    kept when the amount came in since it was made, else broken: the
    collector is notified and the scenario may escalate.

    A promise the debtor makes alone (e-mail, payment page) further away than
    the company's longest promise is created "to review": it pauses nothing
    until a collector accepts it.
    """

    _name = "dunning.promise"
    _description = "Collections promise to pay"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True
    )
    date_made = fields.Date(
        string="Made on",
        required=True,
        default=fields.Date.context_today,
        help="Payments received from this date on count for the promise.",
    )
    date = fields.Date(string="Promised date", required=True, tracking=True)
    amount = fields.Monetary(
        string="Promised amount",
        currency_field="currency_id",
        help="Leave empty for the whole overdue amount.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        "dunning_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    source = fields.Selection(
        [
            ("call", "Phone call"),
            ("email", "E-mail"),
            ("portal", "Payment page"),
            ("manual", "By hand"),
        ],
        default="manual",
        required=True,
    )
    state = fields.Selection(
        [
            ("to_review", "To review"),
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancel", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    date_broken = fields.Date(readonly=True, copy=False)
    received_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Paid by the debtor between the promise and its date.",
    )
    note = fields.Text()
    confirmation_message_id = fields.Many2one(
        "mail.message",
        string="Written confirmation",
        readonly=True,
        copy=False,
        help="The e-mail confirming the promise to the debtor in writing (a "
        "promise made by e-mail or on the phone), sent once.",
    )

    @api.model
    def _dunning_max_date(self, company, date_made=None):
        """Return the furthest date a debtor may promise alone, or None."""
        days = company.dunning_promise_max_days
        if not days:
            return None
        return (date_made or fields.Date.context_today(self)) + timedelta(days=days)

    @api.model
    def _dunning_beyond_cap(self, company, date, date_made=None):
        """Whether a promise by date made on date_made needs a collector."""
        furthest = self._dunning_max_date(company, date_made)
        return bool(furthest and date and fields.Date.to_date(date) > furthest)

    @api.model_create_multi
    def create(self, vals_list):
        """Promises made by the debtor beyond the company's cap wait for review."""
        Company = self.env["res.company"]
        for vals in vals_list:
            if vals.get("source") not in DEBTOR_SOURCES or vals.get("state") not in (
                None,
                "open",
            ):
                continue
            company = Company.browse(vals.get("company_id")) or self.env.company
            date_made = fields.Date.to_date(vals.get("date_made"))
            if self._dunning_beyond_cap(company, vals.get("date"), date_made):
                vals["state"] = "to_review"
        promises = super().create(vals_list)
        for promise in promises.filtered(lambda p: p.state == "to_review"):
            promise._dunning_ask_review()
        promises._dunning_send_confirmation()
        return promises

    def _dunning_send_confirmation(self):
        """Confirm in writing to the debtor the open promises made by e-mail or
        on the phone: the date and amount promised, to its accounts payable
        contacts (else its address), through the mail queue, once per promise.
        Not for a promise to review (sent when a collector accepts it)."""
        template = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_promise_confirmation",
            raise_if_not_found=False,
        )
        if not template:
            return
        Action = self.env["dunning.action"]
        for promise in self.filtered(
            lambda p: p.state == "open"
            and p.source in CONFIRMED_SOURCES
            and not p.confirmation_message_id
        ):
            partner = promise.partner_id.commercial_partner_id
            to = partner._dunning_acknowledgement_recipients()
            if not to:
                continue
            message = Action._dunning_queue_email(
                template,
                promise,
                partner,
                to,
                self.env["res.partner"],
                self.env["ir.attachment"],
            )
            promise.sudo().confirmation_message_id = message

    def _dunning_ask_review(self):
        """Ask the debtor's collector to accept or refuse the promise."""
        for promise in self:
            body = self.env._(
                "%(partner)s promised to pay by %(date)s, beyond the %(days)s days "
                "a debtor may promise alone: accept or refuse the promise.",
                partner=promise.partner_id.display_name,
                date=promise.date,
                days=promise.company_id.dunning_promise_max_days,
            )
            promise.message_post(body=Markup("<p>%s</p>") % body)
            collector = promise.partner_id.with_company(
                promise.company_id
            )._dunning_get_collector()
            if collector:
                promise.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=collector.id,
                    summary=self.env._("Promise to pay to review"),
                    note=body,
                )

    def action_accept(self):
        """Accept a promise to review: it pauses the chase until its date."""
        to_accept = self.filtered(lambda p: p.state == "to_review")
        to_accept.write({"state": "open"})
        to_accept.activity_unlink(["mail.mail_activity_data_todo"])
        to_accept._dunning_send_confirmation()
        return True

    def action_refuse(self):
        """Refuse a promise to review: the chase goes on."""
        to_refuse = self.filtered(lambda p: p.state == "to_review")
        to_refuse.write({"state": "cancel"})
        to_refuse.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        """Withdraw the promise: the chase resumes."""
        self.filtered(lambda p: p.state == "open").write({"state": "cancel"})
        return True

    @api.model
    def _check_due_promises(self, company, on_date):
        """Settle the open promises whose date has passed, in one pass.

        Kept when the debtor paid at least the promised amount (or, without
        an amount, cleared the promised invoices) since the promise was made;
        otherwise broken, with an activity for the debtor's collector.

        :return: the promises found broken.
        """
        promises = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date", "<", on_date),
            ]
        )
        if not promises:
            return promises
        # Payments per debtor and day, summed per promise from its creation.
        payments = self.env["account.move.line"]._read_group(
            [
                *self.env["account.move.line"]._dunning_receivable_domain(company),
                ("partner_id", "in", promises.partner_id.ids),
                ("credit", ">", 0),
                ("date", ">=", min(promises.mapped("date_made"))),
                ("date", "<=", on_date),
            ],
            ["partner_id", "date:day"],
            ["credit:sum"],
        )
        broken = self.browse()
        for promise in promises:
            start = promise.date_made
            paid = sum(
                credit
                for partner, day, credit in payments
                if partner == promise.partner_id and day >= start
            )
            if promise.amount:
                kept = company.currency_id.compare_amounts(paid, promise.amount) >= 0
            else:
                kept = bool(promise.move_ids) and all(
                    move.payment_state in ("paid", "in_payment")
                    for move in promise.move_ids
                )
            promise.write(
                {
                    "received_amount": paid,
                    "state": "kept" if kept else "broken",
                    "date_broken": False if kept else on_date,
                }
            )
            if not kept:
                broken |= promise
        for promise in broken:
            partner = promise.partner_id
            collector = partner._dunning_get_collector()
            body = self.env._(
                "Broken promise: %(partner)s promised to pay %(amount)s by %(date)s.",
                partner=partner.name,
                amount=promise.amount or self.env._("the overdue invoices"),
                date=promise.date,
            )
            promise.message_post(body=Markup("<b>%s</b>") % body)
            if collector:
                promise.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=on_date,
                    user_id=collector.id,
                    summary=self.env._("Broken promise to pay"),
                    note=body,
                )
        return broken
