# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"

PERIODS = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
}


class DunningDigestSubscription(models.Model):
    """A user's periodic e-mail summing up their collections portfolio."""

    _name = "dunning.digest.subscription"
    _description = "Collections digest subscription"
    _order = "user_id, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    frequency = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=True,
        default="weekly",
    )
    active = fields.Boolean(default=True)
    last_sent = fields.Date(readonly=True, copy=False)
    last_snapshot = fields.Text(
        readonly=True,
        copy=False,
        help="Overdue amount per debtor when the last digest was sent (JSON).",
    )

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        for subscription in self:
            if subscription.company_id not in subscription.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot receive the collections digest of "
                        "%(company)s: the user has no access to this company.",
                        user=subscription.user_id.name,
                        company=subscription.company_id.name,
                    )
                )

    @api.model
    def _check_subscriber(self, user, company):
        """Only a collections manager subscribes someone else.

        And a user subscribes only to a company they are allowed in (in the
        request too): the digest holds the figures of the whole company.
        """
        if self.env.su:
            return True
        me = self.env.user
        if user != me and not me.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a collections manager can subscribe another user to "
                    "the collections digest."
                )
            )
        if company not in me.company_ids & self.env.companies:
            raise AccessError(
                self.env._(
                    "You cannot subscribe to the collections digest of "
                    "%(company)s: you have no access to this company.",
                    company=company.name,
                )
            )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            user = (
                self.env["res.users"].browse(vals["user_id"])
                if vals.get("user_id")
                else self.env.user
            )
            company = (
                self.env["res.company"].browse(vals["company_id"])
                if vals.get("company_id")
                else self.env.company
            )
            self._check_subscriber(user, company)
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals or "company_id" in vals:
            for subscription in self:
                self._check_subscriber(
                    self.env["res.users"].browse(vals["user_id"])
                    if "user_id" in vals
                    else subscription.user_id,
                    self.env["res.company"].browse(vals["company_id"])
                    if "company_id" in vals
                    else subscription.company_id,
                )
        return super().write(vals)

    def _is_due(self, today):
        self.ensure_one()
        return not self.last_sent or today >= self.last_sent + PERIODS[self.frequency]

    @api.model
    def _cron_send_digests(self, today=None):
        """Send the digests due on ``today`` (default: today)."""
        today = today or fields.Date.context_today(self)
        return self._dunning_due_subscriptions(today)._dunning_send_digests(today)

    @api.model
    def _dunning_due_subscriptions(self, today):
        """Return the subscriptions whose digest is due on ``today``.

        Archived subscriptions are left out by the search, and so are the
        users who left (archived).
        """
        return self.search([("user_id.active", "=", True)]).filtered(
            lambda s: s._is_due(today)
        )

    def _dunning_send_digests(self, today):
        """Send the digests of these subscriptions still due on ``today``,
        each in its savepoint; return the subscriptions sent.

        A batch of the daily job (or a queue job): a digest sent by a previous
        try is not due any more, so it is not sent again.
        """
        sent = self.browse()
        for subscription in self.filtered(
            lambda s: s.user_id.active and s._is_due(today)
        ):
            try:
                with self.env.cr.savepoint():
                    subscription._send_digest(today)
            except AccessError as error:
                _logger.warning(
                    "Collections digest %s of user %s (company %s) skipped: %s",
                    subscription.id,
                    subscription.user_id.login,
                    subscription.company_id.name,
                    error,
                )
                continue
            sent |= subscription
        return sent

    def _digest_partners(self):
        """The user's portfolio: all debtors for a manager (``None``)."""
        self.ensure_one()
        if self.user_id.has_group("account_dunning_advanced.group_dunning_manager"):
            return None
        return (
            self.env["res.partner"]
            .with_company(self.company_id)
            .search([("dunning_effective_collector_id", "=", self.user_id.id)])
        )

    def _digest_values(self, today):
        self.ensure_one()
        company = self.company_id
        self.env["dunning.dashboard"]._dunning_check_company(company)
        partners = self._digest_partners()
        Dashboard = self.env["dunning.dashboard"].with_company(company)
        kpis = Dashboard._dunning_kpis(company, today=today, partners=partners)
        self.env.flush_all()
        where = SQL("company_id = %s", company.id)
        if partners is not None:
            where = SQL("%s AND partner_id = ANY(%s)", where, partners.ids or [0])
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, SUM(overdue_amount) "
                "FROM %s report WHERE %s GROUP BY partner_id",
                self.env["dunning.receivable.report"]._table_sql,
                where,
            )
        )
        overdue = {str(pid): amount for pid, amount in self.env.cr.fetchall()}
        previous = json.loads(self.last_snapshot or "{}")
        movers = sorted(
            (
                (pid, overdue.get(pid, 0.0) - previous.get(pid, 0.0))
                for pid in set(overdue) | set(previous)
            ),
            key=lambda item: (-abs(item[1]), int(item[0])),
        )
        Partner = self.env["res.partner"]
        reasons = Partner._dunning_todo_reasons(
            partners.ids if partners is not None else None
        )
        return {
            "subscription": self,
            "company": company,
            "currency": company.currency_id,
            "kpis": kpis,
            "since": self.last_sent,
            "overdue_change": sum(overdue.values()) - sum(previous.values()),
            "todo": [
                (Partner.browse(pid), ", ".join(labels))
                for pid, labels in sorted(reasons.items())
            ],
            "movers": [
                (Partner.browse(int(pid)), delta) for pid, delta in movers[:5] if delta
            ],
            "snapshot": overdue,
        }

    def _digest_as_user(self):
        """This subscription seen by its user, in its company only.

        The figures are built with the user's rights (record rules, own
        portfolio), never with those of the scheduled action.
        """
        self.ensure_one()
        return self.with_user(self.user_id).with_context(
            allowed_company_ids=self.company_id.ids
        )

    def _send_digest(self, today):
        """Send the digest to its user.

        :raise AccessError: the user lost access to the company or is no
            longer a collections user: nothing is sent.
        """
        self.ensure_one()
        self.env["dunning.dashboard"]._dunning_check_company(
            self.company_id, user=self.user_id
        )
        as_user = self._digest_as_user()
        values = as_user._digest_values(today)
        body = as_user.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_digest_mail", values
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.env._(
                    "Collections digest %(company)s - %(date)s",
                    company=self.company_id.name,
                    date=today,
                ),
                "body_html": body,
                "email_from": self.company_id.email_formatted
                or self.env.user.email_formatted,
                "recipient_ids": [(4, self.user_id.partner_id.id)],
                "model": self._name,
                "res_id": self.id,
            }
        )
        self.sudo().write(
            {"last_sent": today, "last_snapshot": json.dumps(values["snapshot"])}
        )
