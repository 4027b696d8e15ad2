# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models


class DunningPromise(models.Model):
    """A debtor's promise to pay an amount by a date.

    The chase of the debtor pauses until that date. Past it, the promise is
    kept when the amount came in since it was made, else broken: the
    collector is notified and the scenario may escalate.
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
                ("company_id", "=", company.id),
                ("partner_id", "in", promises.partner_id.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
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
