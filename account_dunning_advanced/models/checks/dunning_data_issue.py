# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily data checks: what the reminders rely on and is wrong.

Each check is one method ``_dunning_check_<kind>(company, today)`` reading
the company in one query (or one grouped read), listed by
:meth:`DunningDataIssue._dunning_data_checks` (other addons add theirs, e.g.
the score's sharp grade changes). The daily job
(:meth:`DunningDataIssue._dunning_run_data_checks`) turns their findings into
issues: one per finding and company, kept from one day to the next by its
``key``, closed ("fixed") by the next run once the finding is gone.
"""

import re
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.tools import SQL, format_amount

#: Debtors sharing one of these are the same company (SIREN: the first 9
#: digits of the company registry, or of a French VAT number FRkk + SIREN).
SIREN_LENGTH = 9


def siren_of(vat, registry):
    """Return the SIREN of a partner from its company registry (SIREN or
    SIRET) or its French VAT number, or None."""
    digits = re.sub(r"\D", "", registry or "")
    if len(digits) >= SIREN_LENGTH:
        return digits[:SIREN_LENGTH]
    vat = normalize_vat(vat)
    if vat and vat.startswith("FR") and len(vat) == 4 + SIREN_LENGTH:
        siren = vat[4:]
        if siren.isdigit():
            return siren
    return None


def normalize_vat(vat):
    """Return the VAT number without spaces, dots or dashes, upper case."""
    return re.sub(r"[^A-Z0-9]", "", (vat or "").upper()) or None


class DunningDataIssue(models.Model):
    """A fact the reminders rely on that a data check found wrong."""

    _name = "dunning.data.issue"
    _description = "Collections data check: issue"
    _inherit = ["mail.thread"]
    _order = "state, kind, first_seen desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(
        [
            ("no_contact", "No reachable contact"),
            ("bounced", "Bounced e-mail address"),
            ("terms", "Due date missing or over the legal maximum"),
            ("unreconciled_payment", "Payment not reconciled"),
            ("unreconciled_credit_note", "Credit note not reconciled"),
            ("duplicate", "Duplicate debtors"),
        ],
        string="Check",
        required=True,
        index=True,
        readonly=True,
    )
    key = fields.Char(
        required=True,
        readonly=True,
        help="What the issue is about (kind and records): the same finding "
        "on the next day updates this issue instead of adding one.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, readonly=True
    )
    contact_id = fields.Many2one(
        "res.partner", readonly=True, help="The contact at fault."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "dunning_data_issue_partner_rel",
        "issue_id",
        "partner_id",
        string="Duplicates",
        readonly=True,
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, index="btree_not_null"
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Payment or credit note",
        readonly=True,
        index="btree_not_null",
        help="The unreconciled payment or credit note (its receivable line).",
    )
    message = fields.Text(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("fixed", "Fixed"), ("ignored", "Ignored")],
        required=True,
        default="open",
        index=True,
        tracking=True,
        help="Fixed: the last check no longer found it. Ignored: a collector "
        "decided it is fine; the checks leave it so.",
    )
    first_seen = fields.Date(readonly=True, default=fields.Date.context_today)
    last_seen = fields.Date(readonly=True, default=fields.Date.context_today)

    _sql_constraints = [
        (
            "key_unique",
            "unique(company_id, kind, key)",
            "One issue per finding and company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_ignore(self):
        """The collector decided the finding is fine: the checks leave it."""
        self.filtered(lambda issue: issue.state == "open").write({"state": "ignored"})
        return True

    def action_reopen(self):
        """Put an ignored issue back in the open ones."""
        self.filtered(lambda issue: issue.state == "ignored").write({"state": "open"})
        return True

    def action_fix(self):
        """Open what fixes the issue: the partner, the invoice, the invoices
        where the payment is reconciled, or the merge of the duplicates."""
        self.ensure_one()
        method = getattr(self, f"_dunning_fix_{self.kind}", None)
        if method:
            return method()
        return self._dunning_open_record(self.contact_id or self.partner_id)

    def action_open_payment(self):
        """Open the unreconciled payment or credit note."""
        self.ensure_one()
        return self.move_line_id.action_open_business_doc()

    def _dunning_open_record(self, record):
        """Return the form of ``record``."""
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _dunning_fix_terms(self):
        return self._dunning_open_record(self.move_id)

    def _dunning_fix_unreconciled_payment(self):
        """The debtor's open invoices: their "Outstanding credits" add the
        payment (Odoo's reconciliation of an invoice with a payment)."""
        Line = self.env["account.move.line"]
        invoices = Line.search(
            [
                *Line._dunning_collectible_domain(self.company_id),
                ("amount_residual", ">", 0),
                ("partner_id.commercial_partner_id", "=", self.partner_id.id),
            ]
        ).move_id
        if len(invoices) == 1:
            return self._dunning_open_record(invoices)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Open invoices of %(debtor)s", debtor=self.partner_id.display_name
            ),
            "res_model": "account.move",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", invoices.ids)],
            "context": {"create": False},
        }

    def _dunning_fix_unreconciled_credit_note(self):
        """As for a payment: the credit note is among the "Outstanding
        credits" of the debtor's open invoices."""
        return self._dunning_fix_unreconciled_payment()

    def _dunning_fix_duplicate(self):
        """Odoo's merge of contacts, with the duplicates selected."""
        partners = self.partner_ids or self.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge the duplicates"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": partners.ids},
        }

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------
    @api.model
    def _dunning_data_checks(self):
        """Return the checks: ``{kind: method name}``; each method takes
        ``(company, today)`` and returns the findings, a list of dicts with
        ``key``, ``partner_id``, ``message`` and optionally ``contact_id``,
        ``move_id``, ``move_line_id``, ``partner_ids`` (ids). Other addons
        add theirs (``super()``)."""
        return {
            "no_contact": "_dunning_check_no_contact",
            "bounced": "_dunning_check_bounced",
            "terms": "_dunning_check_terms",
            "unreconciled_payment": "_dunning_check_unreconciled_payment",
            "unreconciled_credit_note": "_dunning_check_unreconciled_credit_note",
            "duplicate": "_dunning_check_duplicate",
        }

    @api.model
    def _cron_run_data_checks(self):
        """The daily job: every company's checks."""
        self._dunning_run_data_checks()

    @api.model
    def _dunning_run_data_checks(self, companies=None, today=None):
        """Run the checks of ``companies`` (default: all) and record their
        findings: a new finding opens an issue, a finding seen again updates
        its issue (an issue fixed by hand and found again reopens, an ignored
        one stays ignored), an open issue no longer found is fixed. Run twice
        the same day, nothing new.

        :return: the issues open after the run.
        """
        today = today or fields.Date.context_today(self)
        companies = companies or self.env["res.company"].sudo().search([])
        checks = self._dunning_data_checks()
        Issue = self.sudo()
        for company in companies:
            # The messages are stored: written in the company's language
            # (the job's user reads none), as its reminders are.
            local = Issue.with_context(lang=company.partner_id.lang or self.env.lang)
            findings = {}
            for kind, method in checks.items():
                for finding in getattr(local, method)(company, today):
                    findings[(kind, finding["key"])] = finding
            Issue._dunning_record_findings(company, list(checks), findings, today)
        return self.search(
            [("company_id", "in", companies.ids), ("state", "=", "open")]
        )

    @api.model
    def _dunning_record_findings(self, company, kinds, findings, today):
        """Turn the findings of the checks ``kinds`` of ``company`` into issues.

        :param findings: ``{(kind, key): finding}`` (see
            :meth:`_dunning_data_checks`).
        """
        existing = self.with_context(active_test=False).search(
            [("company_id", "=", company.id), ("kind", "in", kinds)]
        )
        by_key = {(issue.kind, issue.key): issue for issue in existing}
        seen = self.browse()
        reopen = self.browse()
        to_create = []
        for ident, finding in findings.items():
            vals = self._dunning_finding_vals(finding)
            issue = by_key.get(ident)
            if not issue:
                to_create.append(
                    dict(
                        vals,
                        company_id=company.id,
                        kind=ident[0],
                        key=ident[1],
                        first_seen=today,
                        last_seen=today,
                    )
                )
                continue
            seen |= issue
            if issue.state == "fixed":
                reopen |= issue
            changed = {
                name: value
                for name, value in vals.items()
                if self._dunning_value_changed(issue, name, value)
            }
            if changed:
                issue.write(changed)
        if to_create:
            self.with_context(mail_create_nolog=True).create(to_create)
        if seen:
            seen.write({"last_seen": today})
        if reopen:
            reopen.write({"state": "open"})
        gone = existing.filtered(lambda i: i.state == "open") - seen
        if gone:
            gone.write({"state": "fixed"})

    @api.model
    def _dunning_finding_vals(self, finding):
        """Return the field values of a finding."""
        return {
            "partner_id": finding["partner_id"],
            "contact_id": finding.get("contact_id") or False,
            "move_id": finding.get("move_id") or False,
            "move_line_id": finding.get("move_line_id") or False,
            "partner_ids": [Command.set(finding.get("partner_ids") or [])],
            "message": finding.get("message") or False,
        }

    @api.model
    def _dunning_value_changed(self, issue, name, value):
        """Whether ``value`` (as in :meth:`_dunning_finding_vals`) differs
        from the issue's field ``name``."""
        current = issue[name]
        if isinstance(current, models.BaseModel):
            if name == "partner_ids":
                return set(current.ids) != set(value[0][2])
            return current.id != (value or False)
        return (current or False) != value

    # ------------------------------------------------------------------
    # The checks
    # ------------------------------------------------------------------
    @api.model
    def _dunning_overdue_debtors(self, company, today):
        """Return ``{debtor: overdue amount}``: the commercial partners with
        overdue invoices in ``company`` (one grouped read)."""
        Line = self.env["account.move.line"]
        overdue = defaultdict(float)
        for partner, amount in Line._read_group(
            Line._dunning_overdue_domain(today, company),
            ["partner_id"],
            ["amount_residual:sum"],
        ):
            if partner:
                overdue[partner.commercial_partner_id] += amount
        return overdue

    @api.model
    def _dunning_check_no_contact(self, company, today):
        """Debtors with overdue invoices whose scenario writes to roles
        (its levels' "To" roles) that none of their contacts holding them
        can be reached at: no e-mail for a level sending e-mails, no phone
        for a level sending text messages."""
        overdue = self._dunning_overdue_debtors(company, today)
        if not overdue:
            return []
        debtors = self.env["res.partner"].browse([p.id for p in overdue])
        debtors = debtors.with_company(company).filtered(
            lambda p: not p.sudo().dunning_opt_out
        )
        scenarios = self.env["dunning.scenario"]._resolve_for_partners(
            debtors, company, {p.id: amount for p, amount in overdue.items()}
        )
        debtors.fetch(["child_ids"])
        (debtors | debtors.child_ids).fetch(
            ["email", "phone", "mobile", "dunning_role_ids"]
        )
        findings = []
        for debtor in debtors:
            scenario = scenarios.get(debtor.id)
            if not scenario:
                continue
            contacts = debtor | debtor.child_ids
            missing = {}
            for level in scenario.level_ids:
                roles = level.to_role_ids
                if not roles:
                    continue
                holders = contacts.filtered(lambda c, r=roles: c.dunning_role_ids & r)
                if level.channel_email and not holders.filtered("email"):
                    missing.setdefault(self.env._("e-mail"), set()).update(roles.ids)
                if level.channel_sms and not holders.filtered(
                    lambda c: c.mobile or c.phone
                ):
                    missing.setdefault(self.env._("text message"), set()).update(
                        roles.ids
                    )
            if not missing:
                continue
            Role = self.env["dunning.contact.role"]
            findings.append(
                {
                    "key": str(debtor.id),
                    "partner_id": debtor.id,
                    "message": "\n".join(
                        self.env._(
                            "No contact holding the role %(roles)s can be "
                            "reached by %(channel)s (scenario %(scenario)s).",
                            roles=", ".join(Role.browse(role_ids).mapped("name")),
                            channel=channel,
                            scenario=scenario.display_name,
                        )
                        for channel, role_ids in sorted(missing.items())
                    ),
                }
            )
        return findings

    @api.model
    def _dunning_check_bounced(self, company, today):
        """Contacts of debtors with overdue invoices whose e-mail address
        bounces (``message_bounce``)."""
        overdue = self._dunning_overdue_debtors(company, today)
        if not overdue:
            return []
        contacts = self.env["res.partner"].search_fetch(
            [
                ("commercial_partner_id", "in", [p.id for p in overdue]),
                ("message_bounce", ">", 0),
            ],
            ["email", "message_bounce", "commercial_partner_id"],
        )
        return [
            {
                "key": str(contact.id),
                "partner_id": contact.commercial_partner_id.id,
                "contact_id": contact.id,
                "message": self.env._(
                    "E-mails to %(email)s bounced %(count)s time(s): the "
                    "reminders do not reach %(contact)s.",
                    email=contact.email or "",
                    count=contact.message_bounce,
                    contact=contact.display_name,
                ),
            }
            for contact in contacts
        ]

    @api.model
    def _dunning_check_terms(self, company, today):
        """Open customer invoices without a due date, or falling due later
        than the law allows (``account.move._dunning_terms_over_max_sql``,
        the invoice's warning ``dunning_terms_warning``)."""
        Line = self.env["account.move.line"]
        Move = self.env["account.move"]
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT move.id, move.commercial_partner_id,
                       (move.invoice_date_due IS NULL OR EXISTS (
                           SELECT 1 FROM account_move_line aml
                            WHERE aml.move_id = move.id
                              AND %(collectible)s
                              AND aml.date_maturity IS NULL))
                  FROM account_move move
                  JOIN res_partner partner
                    ON partner.id = move.commercial_partner_id
                 WHERE move.company_id = %(company)s
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND EXISTS (
                       SELECT 1 FROM account_move_line aml
                        WHERE aml.move_id = move.id
                          AND %(collectible)s
                          AND aml.amount_residual > 0)
                   AND (move.invoice_date_due IS NULL
                        OR EXISTS (
                           SELECT 1 FROM account_move_line aml
                            WHERE aml.move_id = move.id
                              AND %(collectible)s
                              AND aml.date_maturity IS NULL)
                        OR %(over_max)s)
                """,
                collectible=Line._dunning_collectible_sql("aml", company),
                company=company.id,
                over_max=Move._dunning_terms_over_max_sql("move", "partner", company),
            )
        )
        moves = Move.browse([row[0] for row in rows])
        moves.fetch(["name", "dunning_terms_warning"])
        findings = []
        for move_id, partner_id, no_due in rows:
            move = Move.browse(move_id)
            findings.append(
                {
                    "key": str(move_id),
                    "partner_id": partner_id,
                    "move_id": move_id,
                    "message": self.env._(
                        "%(invoice)s has no due date: the reminders count the "
                        "days late from its date.",
                        invoice=move.name,
                    )
                    if no_due
                    else move.dunning_terms_warning,
                }
            )
        return findings

    @api.model
    def _dunning_unreconciled_credits(self, company, move_types):
        """Return the open credits (``account.move.line.
        _dunning_open_credit_sql``) of the moves of ``move_types`` of
        customers of ``company`` who have open invoices: a reminder would
        chase what they paid or were credited (the guard holds it:
        ``dunning.action._dunning_payment_hold``). One query.

        :return: list of ``(line id, debtor id, open amount, move name)``.
        """
        Line = self.env["account.move.line"]
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                SELECT pay.id, partner.commercial_partner_id,
                       pay.amount_residual, pay_move.name
                  FROM account_move_line pay
                  JOIN account_move pay_move ON pay_move.id = pay.move_id
                  JOIN res_partner partner ON partner.id = pay.partner_id
                 WHERE %(credits)s
                   AND EXISTS (
                       SELECT 1
                         FROM account_move_line aml
                         JOIN res_partner debtor ON debtor.id = aml.partner_id
                        WHERE %(invoices)s
                          AND aml.amount_residual > 0
                          AND debtor.commercial_partner_id
                              = partner.commercial_partner_id)
                 ORDER BY pay.id
                """,
                credits=Line._dunning_open_credit_sql(
                    "pay", "pay_move", company, move_types
                ),
                invoices=Line._dunning_collectible_sql("aml", company),
            )
        )

    @api.model
    def _dunning_unreconciled_findings(self, company, move_types, message):
        """Return the findings of the open customer credits of
        ``move_types`` (:meth:`_dunning_unreconciled_credits`).

        :param message: ``message(name, amount, debtor)``: the finding's text
            from the credit's name, its formatted amount and the debtor's name.
        """
        rows = self._dunning_unreconciled_credits(company, move_types)
        partners = self.env["res.partner"].browse({row[1] for row in rows})
        partners.fetch(["display_name"])
        return [
            {
                "key": str(line_id),
                "partner_id": partner_id,
                "move_line_id": line_id,
                "message": message(
                    name,
                    format_amount(self.env, -amount, company.currency_id),
                    self.env["res.partner"].browse(partner_id).display_name,
                ),
            }
            for line_id, partner_id, amount, name in rows
        ]

    @api.model
    def _dunning_check_unreconciled_payment(self, company, today):
        """Customer payments left unreconciled while invoices of the same
        customer are open."""
        return self._dunning_unreconciled_findings(
            company,
            ("entry",),
            lambda name, amount, debtor: self.env._(
                "%(payment)s (%(amount)s) is not reconciled while "
                "%(debtor)s has open invoices: reconcile it before the "
                "next reminder.",
                payment=name,
                amount=amount,
                debtor=debtor,
            ),
        )

    @api.model
    def _dunning_check_unreconciled_credit_note(self, company, today):
        """Customer credit notes left unreconciled while invoices of the
        same customer are open: the debtor would be chased for money they
        hold as a credit."""
        return self._dunning_unreconciled_findings(
            company,
            ("out_refund",),
            lambda name, amount, debtor: self.env._(
                "The credit note %(credit_note)s (%(amount)s) is not "
                "reconciled while %(debtor)s has open invoices: set it "
                "against their invoices before the next reminder.",
                credit_note=name,
                amount=amount,
                debtor=debtor,
            ),
        )

    @api.model
    def _dunning_check_duplicate(self, company, today):
        """Customers of the company sharing a SIREN (company registry, or
        the French VAT number) or a VAT number: one debtor chased twice."""
        partners = self.env["res.partner"].search_fetch(
            [
                ("parent_id", "=", False),
                ("customer_rank", ">", 0),
                ("company_id", "in", [False, company.id]),
                "|",
                ("vat", "!=", False),
                ("company_registry", "!=", False),
            ],
            ["vat", "company_registry", "display_name"],
            order="id",
        )
        groups = defaultdict(list)
        for partner in partners:
            siren = siren_of(partner.vat, partner.company_registry)
            vat = normalize_vat(partner.vat)
            if siren:
                groups[("siren", siren)].append(partner)
            elif vat:
                groups[("vat", vat)].append(partner)
        findings = []
        for (kind, number), members in groups.items():
            if len(members) < 2:
                continue
            label = (
                self.env._("the SIREN %(number)s", number=number)
                if kind == "siren"
                else self.env._("the VAT number %(number)s", number=number)
            )
            findings.append(
                {
                    "key": f"{kind}:{number}",
                    "partner_id": members[0].id,
                    "partner_ids": [p.id for p in members],
                    "message": self.env._(
                        "%(count)s customers share %(number)s: %(names)s.",
                        count=len(members),
                        number=label,
                        names=", ".join(p.display_name for p in members),
                    ),
                }
            )
        return findings

    # ------------------------------------------------------------------
    # The cockpit
    # ------------------------------------------------------------------
    @api.model
    def _dunning_open_counts(self, company):
        """Return ``[(kind, label, count)]``: the open issues of ``company``
        per check, in the order of the checks."""
        counts = dict(
            self._read_group(
                [("company_id", "=", company.id), ("state", "=", "open")],
                ["kind"],
                ["__count"],
            )
        )
        labels = dict(self._fields["kind"]._description_selection(self.env))
        return [
            (kind, labels.get(kind, kind), counts[kind])
            for kind in self._dunning_data_checks()
            if counts.get(kind)
        ]

    @api.model
    def _dunning_kind_action(self, params):
        """Return the list of the open issues of one check (the cockpit's
        links: the server action ``dunning_data_issue_action_kind`` with the
        ``kind`` in its query string)."""
        kind = (params or {}).get("kind")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_data_issue_action"
        )
        if kind in self._dunning_data_checks():
            action["domain"] = [("kind", "=", kind)]
            action["name"] = dict(
                self._fields["kind"]._description_selection(self.env)
            )[kind]
        return action
