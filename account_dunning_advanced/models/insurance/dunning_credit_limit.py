# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The credit limit an insurer grants on a debtor (agrément, limite de
crédit), the exposure against it and the declaration of the overdue debts.

The policy obliges the insured company to declare a debt left unpaid to the
insurer (déclaration de menace de sinistre / d'impayé) within a period after
the invoice's original due date (set per policy, often 60 days): past it the
insurer may refuse to cover the debt. This is a clause of the contract, not a
legal time limit: the days come from ``dunning.credit.policy``.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

ACTIVITY_TYPE = "account_dunning_advanced.mail_activity_type_dunning_credit_declaration"


class DunningCreditLimit(models.Model):
    _name = "dunning.credit.limit"
    _description = "Collections: credit limit insured on a debtor"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    policy_id = fields.Many2one(
        "dunning.credit.policy",
        required=True,
        ondelete="restrict",
        check_company=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        related="policy_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    insurer_id = fields.Many2one(related="policy_id.insurer_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        help="The debtor insured (its commercial entity): the exposure counts "
        "the open receivables of all its contacts.",
    )
    amount = fields.Monetary(
        string="Insured limit",
        required=True,
        help="The limit the insurer granted, in the company's currency.",
    )
    date_start = fields.Date(
        string="Valid from", required=True, default=fields.Date.context_today
    )
    date_end = fields.Date(
        string="Valid until", help="Empty: until the insurer withdraws the limit."
    )
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("granted", "Granted"),
            ("refused", "Refused"),
            ("withdrawn", "Withdrawn"),
        ],
        required=True,
        default="granted",
        help="Only a granted limit, on its dates, insures the debtor.",
    )
    exposure = fields.Monetary(
        compute="_compute_exposure",
        help="What the debtor owes today: its open receivables, in the "
        "company's currency.",
    )
    over_limit = fields.Boolean(compute="_compute_exposure")
    declaration_deadline = fields.Date(
        compute="_compute_exposure",
        help="The earliest overdue invoice's original due date plus the "
        "policy's declaration days.",
    )
    declaration_date = fields.Date(string="Declared on", copy=False, readonly=True)
    declaration_user_id = fields.Many2one(
        "res.users", string="Declared by", copy=False, readonly=True
    )

    _sql_constraints = [
        (
            "dates_check",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A limit cannot end before it starts.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "The limit cannot be negative."),
    ]

    @api.depends("amount", "partner_id", "policy_id.declaration_days")
    def _compute_exposure(self):
        today = fields.Date.context_today(self)
        for company, limits in self.grouped("company_id").items():
            partners = limits.partner_id
            exposures = self._dunning_exposures(partners, company)
            earliest = self._dunning_earliest_overdue(partners, company, today)
            for limit in limits:
                partner_id = limit.partner_id.commercial_partner_id.id
                limit.exposure = exposures.get(partner_id, 0.0)
                limit.over_limit = limit.currency_id.compare_amounts(
                    limit.exposure, limit.amount
                ) > 0 and limit._dunning_is_valid(today)
                due = earliest.get(partner_id)
                limit.declaration_deadline = due and due + timedelta(
                    days=limit.policy_id.declaration_days
                )

    # ------------------------------------------------------------------
    # Validity, exposure, deadlines: fixed number of queries
    # ------------------------------------------------------------------
    def _dunning_is_valid(self, on_date):
        """Whether this limit insures the debtor on ``on_date``."""
        self.ensure_one()
        return (
            self.state == "granted"
            and self.policy_id.active
            and self.date_start <= on_date
            and (not self.date_end or self.date_end >= on_date)
        )

    @api.model
    def _dunning_valid_domain(self, on_date, company=None):
        """Return the domain of the limits insuring their debtor on ``on_date``."""
        domain = [
            ("state", "=", "granted"),
            ("policy_id.active", "=", True),
            ("date_start", "<=", on_date),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", on_date),
        ]
        if company is not None:
            domain.append(("company_id", "in", company.ids))
        return domain

    @api.model
    def _dunning_valid_limits(self, partners, company, on_date):
        """Return commercial partner id -> the limit insuring it on
        ``on_date`` (the latest started), in one query."""
        commercial = partners.commercial_partner_id
        limits = self.search(
            [
                *self._dunning_valid_domain(on_date, company),
                ("partner_id", "in", commercial.ids),
            ],
            order="date_start, id",
        )
        # Sorted by start: the latest started wins.
        return {limit.partner_id.id: limit for limit in limits}

    @api.model
    def _dunning_exposures(self, partners, company):
        """Return commercial partner id -> open receivables in the company's
        currency (the one definition, ``_dunning_collectible_domain``: a
        partial payment or an unreconciled credit note lowers it), in one
        grouped read."""
        Line = self.env["account.move.line"].sudo()
        groups = Line._read_group(
            [
                *Line._dunning_collectible_domain(company),
                ("partner_id", "child_of", partners.commercial_partner_id.ids),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        result = {}
        for partner, amount in groups:
            key = partner.commercial_partner_id.id
            result[key] = result.get(key, 0.0) + amount
        return result

    @api.model
    def _dunning_earliest_overdue(self, partners, company, on_date):
        """Return commercial partner id -> the earliest original due date of
        its invoices overdue on ``on_date`` (``_dunning_overdue_domain``), in
        one grouped read."""
        Line = self.env["account.move.line"].sudo()
        groups = Line._read_group(
            [
                *Line._dunning_overdue_domain(on_date, company),
                ("partner_id", "child_of", partners.commercial_partner_id.ids),
            ],
            ["partner_id"],
            ["date_maturity:min", "date:min"],
        )
        result = {}
        for partner, maturity, date in groups:
            due = maturity or date
            key = partner.commercial_partner_id.id
            result[key] = min(due, result.get(key, due))
        return result

    # ------------------------------------------------------------------
    # The declaration's activity (daily cron)
    # ------------------------------------------------------------------
    @api.model
    def _cron_declaration_activities(self, today=None):
        """Plan, once per insured debtor, the declaration of its overdue
        debts to the insurer: an activity on the debtor due the policy's
        notice days before the deadline (earliest original due date + the
        policy's declaration days). Debtors already declared, or with an open
        declaration activity, are left alone; the number of queries does not
        depend on the number of debtors."""
        today = today or fields.Date.context_today(self)
        activity_type = self.env.ref(ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type:
            return self.env["mail.activity"]
        limits = self.sudo().search(
            [*self._dunning_valid_domain(today), ("declaration_date", "=", False)]
        )
        planned = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", limits.partner_id.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        activities = self.env["mail.activity"]
        for company, company_limits in limits.grouped("company_id").items():
            earliest = self._dunning_earliest_overdue(
                company_limits.partner_id, company, today
            )
            for limit in company_limits:
                partner = limit.partner_id
                due = earliest.get(partner.id)
                if not due or partner.id in planned:
                    continue
                planned.add(partner.id)
                activities |= limit._dunning_schedule_declaration(due)
        return activities

    def _dunning_schedule_declaration(self, earliest_due):
        """Schedule the declaration activity on the debtor for the overdue
        debt due on ``earliest_due``."""
        self.ensure_one()
        policy = self.policy_id
        deadline = earliest_due + timedelta(days=policy.declaration_days)
        partner = self.partner_id.sudo()
        user = partner.dunning_collector_id or partner.user_id or self.env.user
        return partner.activity_schedule(
            ACTIVITY_TYPE,
            date_deadline=deadline - timedelta(days=policy.notice_days),
            user_id=user.id,
            note=self.env._(
                "Declare the overdue debts to the insurer %(insurer)s (policy "
                "%(policy)s) by %(deadline)s: past that date the insurer may "
                "refuse to cover them.",
                insurer=policy.insurer_id.display_name,
                policy=policy.name,
                deadline=fields.Date.to_string(deadline),
            ),
        )

    # ------------------------------------------------------------------
    # The declaration file
    # ------------------------------------------------------------------
    def _dunning_declaration_lines(self, on_date):
        """Return the debtor's receivable lines overdue on ``on_date``."""
        self.ensure_one()
        Line = self.env["account.move.line"]
        return Line.search(
            [
                *Line._dunning_overdue_domain(on_date, self.company_id),
                ("partner_id", "child_of", self.partner_id.id),
            ],
            order="date_maturity, id",
        )

    def _dunning_declaration_values(self, on_date=None):
        """Return the figures of the declaration of overdue debt (the PDF)."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        lines = self._dunning_declaration_lines(on_date)
        days = self.policy_id.declaration_days
        rows = [
            {
                "move": line.move_id,
                "invoice_date": line.move_id.invoice_date or line.date,
                "date_due": line._dunning_due_date(),
                "deadline": line._dunning_due_date() + timedelta(days=days),
                "amount": line.amount_residual,
            }
            for line in lines
        ]
        exposure = self._dunning_exposures(self.partner_id, self.company_id).get(
            self.partner_id.id, 0.0
        )
        return {
            "date": on_date,
            "currency": self.currency_id,
            "insurer": self.policy_id.insurer_id,
            "policy": self.policy_id.name,
            "debtor": self.partner_id,
            "registry": self.partner_id.company_registry or "",
            "limit": self.amount,
            "exposure": exposure,
            "overdue": sum(row["amount"] for row in rows),
            "rows": rows,
        }

    def _dunning_declare(self, on_date=None):
        """Declare the debtor's overdue debts to the insurer: build the file
        (the invoices and the reminders sent of the collection file, with
        the declaration PDF), record who declared and when, close the
        declaration activity.

        :return: the ``ir.attachment`` of the zip, attached to the debtor.
        """
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        lines = self._dunning_declaration_lines(on_date)
        if not lines:
            raise UserError(
                self.env._(
                    "%(debtor)s has no overdue invoice to declare.",
                    debtor=self.partner_id.display_name,
                )
            )
        partner = self.partner_id
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_credit_declaration",
            self.ids,
            data={"date": fields.Date.to_string(on_date)},
        )
        entries = [
            ("declaration.pdf", pdf),
            *partner._dunning_collection_entries(self.company_id, lines),
        ]
        attachment = partner._dunning_zip_attachment(
            self.env._(
                "Credit insurance declaration %(partner)s.zip", partner=partner.name
            ),
            entries,
            partner,
        )
        self.write({"declaration_date": on_date, "declaration_user_id": self.env.uid})
        partner.activity_feedback(
            [ACTIVITY_TYPE],
            feedback=self.env._("Declared to the insurer."),
        )
        partner.message_post(
            body=self.env._(
                "Overdue debts declared to the insurer %(insurer)s (policy "
                "%(policy)s).",
                insurer=self.insurer_id.display_name,
                policy=self.policy_id.name,
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        return attachment
