# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

# Above this many instalments a request from the page is refused outright.
PLAN_HARD_LIMIT = 60
# How far ahead the first instalment may be, in days.
PLAN_MAX_START_DAYS = 366
PLAN_PERIODS = ("weekly", "monthly")


class DunningPaymentPlan(models.Model):
    _inherit = "dunning.payment.plan"

    # ------------------------------------------------------------------
    # Limits of the plans a debtor starts alone
    # ------------------------------------------------------------------
    @api.model
    def _dunning_plan_last_date(self, start, count, period, down_payment=False):
        """The date of the last instalment: with a down payment (on the start
        date), the instalments begin one period later."""
        periods = count if down_payment else count - 1
        if period == "weekly":
            return start + relativedelta(weeks=periods)
        return start + relativedelta(months=periods)

    @api.model
    def _dunning_plan_within_limits(
        self, company, count, start, today, period, down_payment=False
    ):
        """Whether a plan of ``count`` instalments from ``start`` may start
        without the collector: at most the company's number of instalments,
        the last one within its number of months from ``today``."""
        last = self._dunning_plan_last_date(start, count, period, down_payment)
        return (
            count <= company.dunning_plan_max_instalments
            and last <= today + relativedelta(months=company.dunning_plan_max_months)
        )

    # ------------------------------------------------------------------
    # Plans asked for on the payment page
    # ------------------------------------------------------------------
    @api.model
    def _dunning_plan_check_from_portal(
        self, partner, company, count, start, period, down_payment=0.0, today=None
    ):
        """Check a plan request of the payment page and compute it.

        The plan covers the debtor's overdue open invoices in ``company``
        that no draft or running plan holds; it is kept in the company's
        currency.

        :return: dict with ``invoices``, ``total``, ``currency``,
            ``down_payment`` (rounded), ``schedule`` (see
            ``_split_schedule``) and ``within_limits`` (whether it starts
            without a collector).
        :raise ValidationError: for a period, a number of instalments, a
            start date or a down payment the page does not accept, without
            overdue invoices, or when one is already in a plan.
        """
        today = today or fields.Date.context_today(partner)
        if (
            period not in PLAN_PERIODS
            or not isinstance(count, int)
            or not 1 <= count <= PLAN_HARD_LIMIT
            or not start
            or start < today
            or (start - today).days > PLAN_MAX_START_DAYS
            or not down_payment >= 0
        ):
            raise ValidationError(
                self.env._("This payment plan cannot be asked for from this page.")
            )
        Plan = self.sudo().with_company(company)
        planned = Plan.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "in", ("draft", "running")),
            ]
        ).move_ids
        invoices = partner._dunning_overdue_invoices(company, today, ("out_invoice",))
        if not invoices or invoices & planned:
            raise ValidationError(
                self.env._("No overdue invoice can be put in a payment plan.")
            )
        currency = company.currency_id
        down_payment = currency.round(down_payment)
        total = sum(invoices.mapped("amount_residual_signed"))
        # UserError without instalments, or a down payment of the whole debt.
        schedule = Plan._split_schedule(
            total, count, period, start, currency, down_payment=down_payment
        )
        return {
            "invoices": invoices,
            "total": total,
            "currency": currency,
            "down_payment": down_payment,
            "schedule": schedule,
            "within_limits": self._dunning_plan_within_limits(
                company, count, start, today, period, bool(down_payment)
            ),
        }

    @api.model
    def _dunning_plan_proposal_from_portal(
        self, partner, company, count, start, period, down_payment=0.0, today=None
    ):
        """What the page proposes before the debtor confirms: the plan of
        :meth:`_dunning_plan_check_from_portal` and the acknowledgement of
        debt the debtor accepts by confirming (and its fingerprint, which
        comes back with the confirmation). Nothing is recorded.

        :return: the dict of :meth:`_dunning_plan_check_from_portal` with
            ``acknowledgement`` (HTML) and ``acknowledgement_digest``.
        :raise ValidationError: see :meth:`_dunning_plan_check_from_portal`.
        """
        values = self._dunning_plan_check_from_portal(
            partner, company, count, start, period, down_payment, today
        )
        proposal = (
            self.sudo()
            .with_company(company)
            .new(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(values["invoices"].ids)],
                    "line_ids": [Command.create(line) for line in values["schedule"]],
                }
            )
        )
        acknowledgement = proposal._dunning_acknowledgement_text()
        values["acknowledgement"] = acknowledgement
        values["acknowledgement_digest"] = self._dunning_text_digest(acknowledgement)
        return values

    @api.model
    def _dunning_plan_from_portal(
        self,
        partner,
        company,
        count,
        start,
        period,
        down_payment=0.0,
        note=None,
        today=None,
        portal_user=None,
        ip=None,
        shown_digest=None,
    ):
        """Create the plan a debtor confirmed on the payment page.

        Checked as :meth:`_dunning_plan_check_from_portal`, split, and
        accepted by the debtor (an acknowledgement of the debt, see
        ``_dunning_record_acceptance``: the text they were shown, whose
        fingerprint is ``shown_digest``). Within the company's limits it
        starts at once; beyond, it stays a draft and the debtor's collector
        gets an activity. Logged on the plan and on the debtor.

        :param portal_user: the logged-in user under ``/my`` (none for a
            visitor holding the secret link).
        :param ip: the visitor's address, kept with the acceptance.
        :return: the plan (sudoed): ``running``, or ``draft`` to review.
        :raise ValidationError: see :meth:`_dunning_plan_check_from_portal`.
        :raise UserError: when the text shown differs from the plan's.
        """
        values = self._dunning_plan_check_from_portal(
            partner, company, count, start, period, down_payment, today
        )
        plan = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(values["invoices"].ids)],
                    "split_count": count,
                    "split_period": period,
                    "split_start": start,
                    "down_payment": values["down_payment"],
                    "note": (note or "")[:2000] or False,
                }
            )
        )
        plan.action_split()
        plan._dunning_record_acceptance(
            "page",
            accepted_by=(
                self.env._("Portal user %(name)s", name=portal_user.name)
                if portal_user
                else self.env._("Secret link of the payment page")
            ),
            user=portal_user or self.env.user,
            ip=ip,
            shown_digest=shown_digest or None,
        )
        period_label = dict(weekly=self.env._("weekly"), monthly=self.env._("monthly"))[
            period
        ]
        if values["within_limits"]:
            plan.action_start()
            body = self.env._(
                "Payment plan %(name)s of %(count)s %(period)s instalments from "
                "%(date)s started from the payment page.",
                name=plan.name,
                count=count,
                period=period_label,
                date=start,
            )
        else:
            body = self.env._(
                "Payment plan %(name)s of %(count)s %(period)s instalments from "
                "%(date)s asked for on the payment page, beyond the company's "
                "limits (%(max_count)s instalments, %(max_months)s months): "
                "to review.",
                name=plan.name,
                count=count,
                period=period_label,
                date=start,
                max_count=company.dunning_plan_max_instalments,
                max_months=company.dunning_plan_max_months,
            )
            collector = partner.with_company(company)._dunning_get_collector()
            if collector:
                plan.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review the payment plan request"),
                    note=body,
                    user_id=collector.id,
                )
        plan.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")
        partner._dunning_note(body)
        return plan
