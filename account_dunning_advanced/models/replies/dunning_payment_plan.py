# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

ACCEPTANCE_CHANNELS = [
    ("page", "Payment page"),
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("phone", "Phone"),
    ("in_person", "In person"),
]
# Frozen once the debtor accepted: the proof of the acknowledgement.
ACCEPTANCE_FIELDS = (
    "dunning_accepted_date",
    "dunning_accepted_channel",
    "dunning_accepted_by",
    "dunning_accepted_user_id",
    "dunning_accepted_ip",
    "dunning_acknowledgement",
    "dunning_penalties_waived",
)


class DunningPaymentPlan(models.Model):
    """A payment plan (échéancier): the debt of some invoices in instalments.

    While the plan runs, its invoices are out of the scenario's chase; each
    instalment gets a reminder before and after its date; the payments are
    read from the accounting and allocated to the instalments in date order;
    an instalment missed beyond the tolerance breaks the plan and hands the
    invoices back to the scenario.
    """

    _name = "dunning.payment.plan"
    _description = "Collections payment plan"
    _inherit = "dunning.debtor.record"
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        "dunning_payment_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Paid"),
            ("broken", "Broken"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "dunning.payment.plan.line", "plan_id", string="Instalments", copy=True
    )
    amount_start = fields.Monetary(
        string="Amount of the plan",
        readonly=True,
        help="Open amount of the invoices when the plan started (company currency).",
    )
    amount_paid = fields.Monetary(compute="_compute_amount_paid")
    tolerance_days = fields.Integer(
        default=5, help="Days an instalment may be late before the plan breaks."
    )
    remind_days_before = fields.Integer(
        string="Reminder before (days)",
        default=3,
        help="Days before each instalment's date its reminder is sent.",
    )
    split_count = fields.Integer(string="Number of instalments", default=3)
    split_period = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly")], default="monthly"
    )
    split_start = fields.Date(
        string="First instalment", default=fields.Date.context_today
    )
    down_payment = fields.Monetary(
        help="Paid first, on the start date; the instalments follow, one period "
        "apart."
    )
    note = fields.Text()
    dunning_penalties_waived = fields.Boolean(
        string="Penalties waived",
        tracking=True,
        help="Waive the late-payment interest and recovery indemnities while "
        "the plan is honoured; unchecked (the default), they remain due. Said "
        "in the text the debtor accepts.",
    )
    dunning_accepted_date = fields.Datetime(
        string="Accepted on",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the debtor accepted the plan: an acknowledgement of the "
        "debt (Code civil 2240) that restarts the limitation of its invoices.",
    )
    dunning_accepted_channel = fields.Selection(
        ACCEPTANCE_CHANNELS,
        string="Accepted through",
        copy=False,
        tracking=True,
    )
    dunning_accepted_by = fields.Char(
        string="Accepted by",
        copy=False,
        help="Who accepted for the debtor: the person's name, the secret link "
        "or the portal user of the payment page.",
    )
    dunning_accepted_user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        readonly=True,
        copy=False,
        help="The portal user who accepted on the page, or the collector who "
        "recorded the acceptance.",
    )
    dunning_accepted_ip = fields.Char(string="IP address", readonly=True, copy=False)
    dunning_acknowledgement = fields.Html(
        string="Text accepted",
        readonly=True,
        copy=False,
        help="The text the debtor accepted, frozen at acceptance.",
    )

    @api.depends("move_ids.amount_residual_signed", "amount_start", "state")
    def _compute_amount_paid(self):
        for plan in self:
            open_now = sum(plan.move_ids.mapped("amount_residual_signed"))
            plan.amount_paid = (
                max(plan.amount_start - open_now, 0.0)
                if plan.state in ("running", "done", "broken")
                else 0.0
            )

    @api.constrains("line_ids", "tolerance_days", "remind_days_before")
    def _check_plan(self):
        for plan in self:
            if plan.tolerance_days < 0 or plan.remind_days_before < 0:
                raise ValidationError(
                    self.env._(
                        "The tolerance and the reminder days cannot be negative."
                    )
                )
            if any(line.amount <= 0 for line in plan.line_ids):
                raise ValidationError(
                    self.env._("Every instalment must have a positive amount.")
                )

    def write(self, vals):
        if (
            not self.env.su
            and any(plan.dunning_accepted_date for plan in self)
            and any(name in vals for name in ACCEPTANCE_FIELDS)
        ):
            raise AccessError(
                self.env._("The acceptance of a payment plan cannot be changed.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Acceptance by the debtor: an acknowledgement of the debt
    # ------------------------------------------------------------------
    def _dunning_acknowledgement_text(self):
        """The text the debtor accepts (HTML): the debt acknowledged, the
        instalments, the acceleration clause and the penalties waived or kept.

        Rendered from the QWeb template
        ``account_dunning_advanced.dunning_plan_acknowledgement`` in the
        debtor's language; works on a plan not saved yet (``new``), as the
        payment page shows it before anything is recorded.
        """
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        lang = partner.lang or self.env.lang
        plan = self.with_context(lang=lang)
        lines = plan.line_ids.sorted(lambda line: (line.date, not line.is_down_payment))
        return Markup(
            plan.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_plan_acknowledgement",
                {
                    "plan": plan,
                    "partner": partner,
                    "company": plan.company_id,
                    "invoices": plan.move_ids.sorted("name"),
                    "lines": lines,
                    "currency": plan.currency_id,
                    "total": sum(lines.mapped("amount")),
                    "penalties_waived": plan.dunning_penalties_waived,
                    "tolerance_days": plan.tolerance_days,
                },
                lang=lang,
            )
        )

    @api.model
    def _dunning_text_digest(self, text):
        """A fingerprint of an acknowledgement text, to check that the debtor
        confirms the text they were shown."""
        return hashlib.sha256(str(text or "").encode()).hexdigest()

    def _dunning_record_acceptance(
        self, channel, accepted_by=None, user=None, ip=None, shown_digest=None
    ):
        """Record that the debtor accepted the plan through ``channel``,
        freezing the text of :meth:`_dunning_acknowledgement_text`, and send
        them a copy of it.

        :param shown_digest: the fingerprint of the text shown to the debtor
            (the page): refused when the plan's text differs.
        :raise UserError: already accepted, no instalments, a text changed.
        """
        self.ensure_one()
        if self.dunning_accepted_date:
            raise UserError(self.env._("The debtor already accepted this plan."))
        if channel not in dict(ACCEPTANCE_CHANNELS):
            raise UserError(self.env._("Say how the debtor accepted the plan."))
        if not self.line_ids:
            raise UserError(self.env._("Split the debt into instalments first."))
        text = self._dunning_acknowledgement_text()
        if shown_digest is not None and shown_digest != self._dunning_text_digest(text):
            raise UserError(
                self.env._(
                    "The payment plan changed since it was shown: look at it "
                    "again before confirming."
                )
            )
        self.write(
            {
                "dunning_accepted_date": fields.Datetime.now(),
                "dunning_accepted_channel": channel,
                "dunning_accepted_by": accepted_by
                or self.dunning_accepted_by
                or self.partner_id.name,
                "dunning_accepted_user_id": (user or self.env.user).id,
                "dunning_accepted_ip": ip or False,
                "dunning_acknowledgement": text,
            }
        )
        self.message_post(
            body=self.env._(
                "The debtor accepted the payment plan (%(channel)s): an "
                "acknowledgement of the debt.",
                channel=dict(
                    self._fields["dunning_accepted_channel"]._description_selection(
                        self.env
                    )
                )[channel],
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._dunning_send_acknowledgement()
        return True

    def _dunning_send_acknowledgement(self):
        """Send the debtor a copy of the text they accepted (its accounts
        payable contacts, else its address), through the mail queue."""
        template = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_plan_acknowledgement",
            raise_if_not_found=False,
        )
        if not template:
            return
        for plan in self:
            to = plan.partner_id._dunning_acknowledgement_recipients()
            if to:
                self.env["dunning.action"]._dunning_queue_email(
                    template,
                    plan,
                    plan.partner_id,
                    to,
                    self.env["res.partner"],
                    self.env["ir.attachment"],
                )

    def action_dunning_accepted(self):
        """The collector records that the debtor accepted the plan (by
        e-mail, letter, phone or in person)."""
        for plan in self:
            if plan.state not in ("draft", "running"):
                raise UserError(
                    self.env._("Only a draft or running plan can be accepted.")
                )
            if not plan.dunning_accepted_channel:
                raise UserError(self.env._("Say how the debtor accepted the plan."))
            plan._dunning_record_acceptance(plan.dunning_accepted_channel)
        return True

    def _open_amount(self):
        self.ensure_one()
        return sum(self.move_ids.mapped("amount_residual_signed"))

    @api.model
    def _split_schedule(self, total, count, period, start, currency, down_payment=0.0):
        """The instalments of ``total`` (down payment included) as dicts
        ``date``, ``amount``, ``is_down_payment``: an optional down payment on
        ``start``, then ``count`` even amounts one ``period`` apart (the last
        one takes the rounding), from ``start`` or one period after the down
        payment.

        :raise UserError: without instalments, or when the down payment covers
            the whole debt.
        """
        if count < 1:
            raise UserError(self.env._("Give at least one instalment."))
        rest = currency.round(total - down_payment)
        if rest <= 0:
            raise UserError(
                self.env._("The down payment covers the whole debt: no plan needed.")
            )
        share = currency.round(rest / count)
        step = relativedelta(weeks=1) if period == "weekly" else relativedelta(months=1)
        schedule = []
        if down_payment:
            schedule.append(
                {"date": start, "amount": down_payment, "is_down_payment": True}
            )
        # After a down payment (on the start date), the first instalment
        # comes one period later.
        offset = 1 if down_payment else 0
        for index in range(count):
            amount = (
                share
                if index < count - 1
                else currency.round(rest - share * (count - 1))
            )
            schedule.append(
                {
                    "date": start + step * (index + offset),
                    "amount": amount,
                    "is_down_payment": False,
                }
            )
        return schedule

    def action_split(self):
        """Fill the instalments: an optional down payment, then even amounts."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be split again."))
            schedule = self._split_schedule(
                plan._open_amount(),
                plan.split_count,
                plan.split_period,
                plan.split_start,
                plan.currency_id,
                down_payment=plan.down_payment,
            )
            plan.line_ids = [Command.clear()] + [
                Command.create(values) for values in schedule
            ]
        return True

    def action_start(self):
        """Start the plan: its invoices leave the scenario's chase."""
        for plan in self:
            if not plan.line_ids:
                raise UserError(self.env._("Split the debt into instalments first."))
            open_amount = plan._open_amount()
            planned = sum(plan.line_ids.mapped("amount"))
            if plan.currency_id.compare_amounts(planned, open_amount) != 0:
                raise UserError(
                    self.env._(
                        "The instalments add up to %(planned)s but the invoices "
                        "still owe %(open)s.",
                        planned=planned,
                        open=open_amount,
                    )
                )
            plan.write({"state": "running", "amount_start": open_amount})
            plan.message_post(
                body=self.env._(
                    "Payment plan started: %(count)s instalments.",
                    count=len(plan.line_ids),
                )
            )
        return True

    def action_cancel(self):
        """Cancel the plan: the invoices go back to the scenario."""
        self.write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------
    # Daily follow-up, called by the run
    # ------------------------------------------------------------------
    @api.model
    def _follow_up(self, company, on_date):
        """Allocate the payments, send the instalment reminders, break or close.

        :return: (reminders sent, plans broken).
        """
        plans = self.search(
            [("company_id", "=", company.id), ("state", "=", "running")]
        )
        sent = 0
        broken = self.browse()
        for plan in plans:
            plan.line_ids._allocate(plan.amount_paid)
            if all(line.state == "paid" for line in plan.line_ids):
                plan.state = "done"
                plan.message_post(body=self.env._("Payment plan fully paid."))
                continue
            late = plan.line_ids.filtered(
                lambda line, d=on_date, p=plan: line.state != "paid"
                and (d - line.date).days > p.tolerance_days
            )
            if late:
                broken |= plan
                continue
            sent += plan.line_ids._send_reminders(on_date)
        for plan in broken:
            plan.state = "broken"
            partner = plan.partner_id
            user = partner._dunning_get_collector()
            body = self.env._(
                "Payment plan %(name)s broken: an instalment is unpaid beyond the "
                "tolerance. Its invoices are chased again by the scenario.",
                name=plan.name,
            )
            plan.message_post(body=Markup("<b>%s</b>") % body)
            if user:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Broken payment plan"),
                    note=body,
                )
        return sent, broken
