# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import get_lang

from ..engine import ageing
from .dunning_letter import NO_PENALTY, penalties_enabled, read_penalties


class ReportDunningStatement(models.AbstractModel):
    """The detailed account statement of a debtor (extrait de compte).

    In the company currency, the one of the accounting: the opening balance,
    every receivable move of the period with a running balance, the closing
    balance, then the items open at the end of the period with their ageing
    (and their late-payment penalties when the company charges them). The
    lines in another currency also show their amount in that currency.

    ``data`` (all optional): ``date_from`` and ``date_to`` (ISO dates, default
    the twelve months up to today), ``company_id`` (default the current
    company), ``partner_ids`` (when the records are not given as docids, as
    the web client does for a report with data).
    """

    _name = "report.account_dunning_advanced.report_dunning_statement"
    _description = "Collections account statement"

    @api.model
    def _get_default_period(self, date_to=None):
        """Return ``(date_from, date_to)``: the twelve months up to date_to.

        :param date_to: the last day of the period, default today.
        """
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        return date_to - relativedelta(years=1) + timedelta(days=1), date_to

    @api.model
    def _get_options(self, data):
        """Return ``(company, date_from, date_to)`` from the report's data."""
        company = (
            self.env["res.company"].browse(int(data["company_id"]))
            if data.get("company_id")
            else self.env.company
        )
        default_from, date_to = self._get_default_period(data.get("date_to"))
        date_from = fields.Date.to_date(data.get("date_from")) or default_from
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The statement cannot start (%(date_from)s) after it ends "
                    "(%(date_to)s).",
                    date_from=date_from,
                    date_to=date_to,
                )
            )
        return company, date_from, date_to

    @api.model
    def _get_report_values(self, docids, data=None):
        data = dict(data or {})
        company, date_from, date_to = self._get_options(data)
        ids = (
            docids
            or data.get("partner_ids")
            or (data.get("context") or {}).get("active_ids")
            or []
        )
        partners = self.env["res.partner"].browse(ids).commercial_partner_id
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            # The letterhead of the company of the statement.
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "statements": self._get_statements(partners, company, date_from, date_to),
        }

    @api.model
    def _get_domain(self, partners, company):
        """Return the domain of the receivable lines of the debtors."""
        contacts = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "child_of", partners.ids)])
        )
        return [
            *self.env["account.move.line"]._dunning_receivable_domain(),
            ("company_id", "child_of", company.id),
            ("partner_id", "in", contacts.ids),
        ]

    @api.model
    def _get_ageing_buckets(self, env):
        """Return ``[(key, label)]`` of the ageing buckets in env's language.

        The buckets are engine/ageing.py's; their labels are those of the
        receivables analysis' ``ageing`` field, translated like it.
        """
        field = env["dunning.receivable.report"]._fields["ageing"]
        labels = dict(field._description_selection(env))
        return [(key, labels.get(key, key)) for key in ageing.KEYS]

    @api.model
    def _get_line_label(self, line, env):
        """Return what a line is, in the language of ``env``."""
        move = line.move_id
        if move.move_type == "out_invoice" and move.dunning_is_penalty:
            kind = env._("Late-payment penalty invoice")
        elif move.move_type == "out_invoice":
            kind = env._("Invoice")
        elif move.move_type == "out_refund":
            kind = env._("Credit note")
        elif move.origin_payment_id or move.statement_line_id:
            kind = env._("Payment")
        else:
            kind = env._("Journal entry")
        detail = move.ref or (line.name if line.name != move.name else "")
        return f"{kind} - {detail}" if detail else kind

    @api.model
    def _get_open_items(self, domain, date_to):
        """Return ``[(line, residual, residual in its currency)]`` at date_to.

        The lines dated up to date_to that are open now, or were reconciled by
        a match dated after date_to (an ageing report's rule: a match counts
        from the later date of its two lines); their amount open at date_to
        is their amount minus the matches dated up to date_to.
        """
        candidates = self.env["account.move.line"].search(
            domain
            + [
                ("date", "<=", date_to),
                "|",
                "|",
                ("reconciled", "=", False),
                ("matched_debit_ids.max_date", ">", date_to),
                ("matched_credit_ids.max_date", ">", date_to),
            ]
        )
        Partial = self.env["account.partial.reconcile"]
        matched = defaultdict(lambda: [0.0, 0.0])
        for side, sign in (("debit", 1), ("credit", -1)):
            for line, amount, amount_currency in Partial._read_group(
                [
                    (f"{side}_move_id", "in", candidates.ids),
                    ("max_date", "<=", date_to),
                ],
                [f"{side}_move_id"],
                ["amount:sum", f"{side}_amount_currency:sum"],
            ):
                matched[line.id][0] += sign * amount
                matched[line.id][1] += sign * amount_currency
        items = []
        for line in candidates:
            residual = line.company_currency_id.round(
                line.balance - matched[line.id][0]
            )
            residual_currency = line.currency_id.round(
                line.amount_currency - matched[line.id][1]
            )
            if residual or residual_currency:
                items.append((line, residual, residual_currency))
        items.sort(
            key=lambda item: (
                item[0].date_maturity or item[0].date,
                item[0].date,
                item[0].move_name or "",
                item[0].id,
            )
        )
        return items

    @api.model
    def _get_statements(self, partners, company, date_from, date_to):
        """Return ``{partner id: values of its statement}`` for many debtors.

        A fixed number of queries for all the debtors: one grouped read for
        the opening balances, one search for the lines of the period, one for
        the open items and two grouped reads of their matches.
        """
        if not partners:
            return {}
        Line = self.env["account.move.line"]
        domain = self._get_domain(partners, company)
        currency = company.currency_id
        show_penalties = penalties_enabled(company)
        rate_table = self.env["dunning.interest.rate"]._get_rate_table()
        statements = {
            partner.id: {
                "currency": currency,
                "opening": 0.0,
                "lines": [],
                "total_debit": 0.0,
                "total_credit": 0.0,
                "open_items": [],
                "open_total": 0.0,
                "ageing": dict.fromkeys(ageing.KEYS, 0.0),
                "show_foreign": False,
                "show_penalties": show_penalties,
                "penalty_totals": [],
                # Computed from the debtor's regime and the company's settings.
                "mentions": partner._dunning_legal_mentions(
                    company, date_to, rate_table
                )
                if show_penalties
                else [],
            }
            for partner in partners
        }

        for partner, balance in Line._read_group(
            domain + [("date", "<", date_from)], ["partner_id"], ["balance:sum"]
        ):
            statement = statements.get(partner.commercial_partner_id.id)
            if statement is not None:
                statement["opening"] += balance

        period_lines = Line.search(
            domain + [("date", ">=", date_from), ("date", "<=", date_to)],
            order="date, move_name, id",
        )
        open_items = self._get_open_items(domain, date_to)
        penalties = {}
        if show_penalties:
            invoices = Line.browse(
                [line.id for line, residual, _cur in open_items if residual > 0]
            ).move_id.filtered(lambda move: move.move_type == "out_invoice")
            penalties = read_penalties(invoices, date_to)

        envs = {}

        def env_of(partner):
            lang = get_lang(self.env, partner.commercial_partner_id.lang).code
            if lang not in envs:
                envs[lang] = self.with_context(lang=lang).env
            return envs[lang]

        for partner in partners:
            statements[partner.id]["ageing_buckets"] = self._get_ageing_buckets(
                env_of(partner)
            )

        running = {pid: st["opening"] for pid, st in statements.items()}
        for line in period_lines:
            partner_id = line.partner_id.commercial_partner_id.id
            statement = statements.get(partner_id)
            if statement is None:
                continue
            running[partner_id] += line.balance
            foreign = line.currency_id != currency
            statement["show_foreign"] |= foreign
            statement["total_debit"] += line.debit
            statement["total_credit"] += line.credit
            statement["lines"].append(
                {
                    "line": line,
                    "date": line.date,
                    "move": line.move_id,
                    "label": self._get_line_label(line, env_of(line.partner_id)),
                    "due_date": line.date_maturity,
                    "debit": line.debit,
                    "credit": line.credit,
                    "balance": currency.round(running[partner_id]),
                    "amount_currency": line.amount_currency if foreign else False,
                    "foreign_currency": line.currency_id if foreign else False,
                }
            )

        penalty_totals = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0]))
        penalized = set()
        for line, residual, residual_currency in open_items:
            partner_id = line.partner_id.commercial_partner_id.id
            statement = statements.get(partner_id)
            if statement is None:
                continue
            due_date = line.date_maturity or line.date
            days_overdue = (date_to - due_date).days
            foreign = line.currency_id != currency
            statement["show_foreign"] |= foreign
            statement["open_total"] += residual
            statement["ageing"][ageing.bucket_of(days_overdue)] += residual
            interest, indemnity, penalty = NO_PENALTY
            move = line.move_id
            if move.id in penalties and move.id not in penalized:
                # Penalties are per invoice: on its first open instalment.
                penalized.add(move.id)
                interest, indemnity, penalty = penalties[move.id]
                totals = penalty_totals[partner_id][move.currency_id]
                totals[0] += interest
                totals[1] += indemnity
                totals[2] += penalty
            statement["open_items"].append(
                {
                    "line": line,
                    "move": move,
                    "date": line.date,
                    "due_date": due_date,
                    "days_overdue": max(days_overdue, 0),
                    "amount": line.balance,
                    "residual": residual,
                    "residual_currency": residual_currency if foreign else False,
                    "foreign_currency": line.currency_id if foreign else False,
                    "label": self._get_line_label(line, env_of(line.partner_id)),
                    "interest": interest,
                    "indemnity": indemnity,
                    "penalty": penalty,
                    "penalty_currency": move.currency_id,
                }
            )

        for partner_id, statement in statements.items():
            statement["opening"] = currency.round(statement["opening"])
            statement["closing"] = currency.round(
                statement["opening"]
                + statement["total_debit"]
                - statement["total_credit"]
            )
            statement["open_total"] = currency.round(statement["open_total"])
            statement["ageing"] = {
                key: currency.round(amount)
                for key, amount in statement["ageing"].items()
            }
            statement["penalty_totals"] = [
                (penalty_currency, *(penalty_currency.round(v) for v in values))
                for penalty_currency, values in penalty_totals[partner_id].items()
            ]
        return statements
