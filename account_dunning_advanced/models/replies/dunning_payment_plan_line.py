# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningPaymentPlanLine(models.Model):
    """An instalment of a payment plan."""

    _name = "dunning.payment.plan.line"
    _description = "Collections payment plan instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        "dunning.payment.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    is_down_payment = fields.Boolean(string="Down payment")
    paid_amount = fields.Monetary(readonly=True)
    state = fields.Selection(
        [("pending", "To pay"), ("partial", "Partly paid"), ("paid", "Paid")],
        default="pending",
        readonly=True,
    )
    reminded_before = fields.Boolean(readonly=True, copy=False)
    reminded_after = fields.Boolean(readonly=True, copy=False)

    def _allocate(self, paid):
        """Spread the amount paid on the plan over its instalments, by date."""
        currency = self.plan_id.currency_id
        for line in self.sorted(lambda line: (line.date, line.id)):
            share = min(paid, line.amount)
            paid -= share
            if currency.compare_amounts(share, line.amount) >= 0:
                state = "paid"
            else:
                state = "partial" if share > 0 else "pending"
            line.write({"paid_amount": share, "state": state})

    def _send_reminders(self, on_date):
        """Remind the instalments due soon, and those just missed, once each."""
        template_before = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_instalment_before"
        )
        template_after = self.env.ref(
            "account_dunning_advanced.mail_template_dunning_instalment_after"
        )
        Action = self.env["dunning.action"]
        accounting = self.env.ref(
            "account_dunning_advanced.dunning_contact_role_accounting"
        )
        sent = 0
        for line in self.filtered(lambda line: line.state != "paid"):
            plan = line.plan_id
            days_left = (line.date - on_date).days
            if not line.reminded_before and 0 <= days_left <= plan.remind_days_before:
                template, flag = template_before, "reminded_before"
            elif not line.reminded_after and days_left < 0:
                template, flag = template_after, "reminded_after"
            else:
                continue
            partner = plan.partner_id
            to = (partner | partner.child_ids).filtered(
                lambda c: c.email and accounting in c.dunning_role_ids
            ) or partner.filtered("email")
            if not to:
                continue
            Action._dunning_queue_email(
                template,
                line,
                plan,
                to,
                self.env["res.partner"],
                self.env["ir.attachment"],
            )
            line[flag] = True
            sent += 1
        return sent
