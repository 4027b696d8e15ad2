# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late-payment penalties and time limits of the invoices.

Penalties: computed in bulk from the payment history (``engine/penalties.py``
holds the arithmetic), shown on the invoice, invoiced once
(``_dunning_invoice_penalties``).

Limitation periods (prescription) of the customer invoices.

A claim can only be pursued for a limited time, counted from the invoice's
due date and restarted by every acknowledgement of the debt by the debtor
(Code civil 2240):

* between professionals: five years (Code de commerce L110-4);
* a professional against a consumer: two years (Code de la consommation
  L218-2);
* against a public buyer (State, local authority, public body with a public
  accountant): four years from the first of January of the year following the
  due date (loi n° 68-1250 du 31 décembre 1968, article 1, "prescription
  quadriennale"), restarted the same way (article 2).

The acknowledgements read here are the debtor's payments reconciled with the
invoice (a part payment, its last one) and the payment plans covering the
invoice that the debtor accepted (:class:`DunningPaymentPlan` acceptance).

The dates are stored and recomputed by the ORM when what they depend on
changes (a payment reconciled or unreconciled, a plan accepted, the debtor's
regime), in batch: one grouped read of the partial reconciliations and one of
the accepted plans for all the invoices recomputed together.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

from ...engine import payment_terms, penalties
from .res_partner import (
    LIMITATION_MOVE_TYPES,
    PENALTY_GROUP,
    REGIME_CONSUMER,
    REGIME_PUBLIC,
    USER_GROUP,
)

LIMITATION_ALERT_MONTHS = 3


class AccountMove(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move"

    # Late-payment penalties (computed on the context key dunning_date, default
    # today; see engine/penalties.py for the rules).
    dunning_is_penalty = fields.Boolean(
        string="Late-payment penalty invoice",
        readonly=True,
        copy=False,
        help="This invoice claims late-payment penalties: it bears none itself "
        "(no interest on interest).",
    )
    dunning_penalty_interest = fields.Monetary(
        string="Late-payment interest",
        compute="_compute_dunning_penalty",
        groups=PENALTY_GROUP,
        help="Interest accrued on the amount left open each day, from the day "
        "after the due date (after the formal notice for a consumer) or after "
        "the last period invoiced on a penalty invoice: what is still to "
        "claim.",
    )
    dunning_penalty_indemnity = fields.Monetary(
        string="Recovery indemnity",
        compute="_compute_dunning_penalty",
        groups=PENALTY_GROUP,
        help="Fixed indemnity for recovery costs (art. D441-5), once per invoice "
        "paid late, for professional debtors and public buyers; none once "
        "invoiced on a penalty invoice, never for a consumer.",
    )
    dunning_penalty_total = fields.Monetary(
        string="Late-payment penalties",
        compute="_compute_dunning_penalty",
        groups=PENALTY_GROUP,
    )
    dunning_days_late = fields.Integer(
        string="Days late",
        compute="_compute_dunning_penalty",
        groups=PENALTY_GROUP,
        help="Days after the due date with an amount left open.",
    )
    dunning_penalty_stale = fields.Boolean(
        string="Rates to update",
        compute="_compute_dunning_penalty",
        groups=PENALTY_GROUP,
        help="Some late days fall in a half-year missing from the rate table: "
        "the latest earlier rate was used.",
    )
    dunning_penalty_detail = fields.Html(
        string="Interest details",
        compute="_compute_dunning_penalty",
        sanitize=False,
        groups=PENALTY_GROUP,
    )
    dunning_penalty_ids = fields.One2many(
        "dunning.penalty",
        "move_id",
        string="Invoiced penalties",
        groups=PENALTY_GROUP,
    )

    # ------------------------------------------------------------------
    # Late-payment penalties
    # ------------------------------------------------------------------
    @api.model
    def _dunning_date(self):
        """Return the penalty date: context key ``dunning_date``, else today."""
        value = self.env.context.get("dunning_date")
        return fields.Date.to_date(value) if value else fields.Date.context_today(self)

    @api.depends(
        "state",
        "move_type",
        "currency_id",
        "dunning_is_penalty",
        "commercial_partner_id.dunning_no_indemnity",
        "commercial_partner_id.dunning_regime",
        "commercial_partner_id.dunning_proceeding_date",
        "dunning_penalty_ids.penalty_state",
        "dunning_penalty_ids.date_to",
        "line_ids.dunning_action_ids.state",
        "line_ids.dunning_action_ids.level_id.level_type",
        "line_ids.date_maturity",
        "line_ids.amount_residual_currency",
        "company_id.dunning_penalty_mode",
        "company_id.dunning_penalty_rate",
        "company_id.dunning_indemnity_enabled",
        "company_id.dunning_indemnity_amount",
        "company_id.dunning_indemnity_currency_id",
    )
    @api.depends_context("dunning_date")
    def _compute_dunning_penalty(self):
        on_date = self._dunning_date()
        results = self._dunning_penalty_compute(on_date)
        for move in self:
            result = results.get(move.id) or penalties.InvoicePenalty()
            move.dunning_penalty_interest = float(result.interest.amount)
            move.dunning_penalty_indemnity = float(result.indemnity)
            move.dunning_penalty_total = float(result.total)
            move.dunning_days_late = result.interest.days_late
            move.dunning_penalty_stale = result.interest.stale
            move.dunning_penalty_detail = move._dunning_penalty_render(result)

    def _dunning_penalty_breakdown(self, on_date=None):
        """Return the interest segments of this invoice up to on_date.

        :return: a list of dicts, one per run of days sharing a base and a
            rate: ``date_from``, ``date_to`` (both counted), ``days``,
            ``base`` (open amount), ``rate`` (annual, percent), ``amount``
            (rounded to the currency, for display), ``exact`` (unrounded),
            ``rate_date`` (half-year of the rates used), ``stale`` (rates of
            an earlier half-year) and ``floored`` (contractual rate raised to
            the legal floor). Amounts are Decimals in the invoice currency.
        """
        self.ensure_one()
        on_date = fields.Date.to_date(on_date) if on_date else self._dunning_date()
        result = self._dunning_penalty_compute(on_date).get(self.id)
        if not result:
            return []
        return [
            {
                "date_from": segment.date_from,
                "date_to": segment.date_to,
                "days": segment.days,
                "base": segment.base,
                "rate": segment.rate,
                "amount": segment.amount,
                "exact": segment.exact,
                "rate_date": segment.rate_date,
                "stale": segment.stale,
                "floored": segment.floored,
            }
            for segment in result.interest.segments
        ]

    def _dunning_penalty_moves(self):
        """Return the invoices of self that can bear penalties."""
        return self.filtered(
            lambda move: isinstance(move.id, int)
            and move.move_type == "out_invoice"
            and move.state == "posted"
            and not move.dunning_is_penalty
        )

    def _dunning_penalty_compute(self, on_date, start_dates=None, indemnity_done=None):
        """Compute the penalties of the invoices of self on on_date, in bulk.

        What was invoiced already is left out: the interest up to the last
        date of a penalty invoice that is not cancelled, the indemnity once
        invoiced (``dunning.penalty``). The rules follow the debtor's regime
        (``res.partner.dunning_regime``): see ``engine/penalties.py``. An
        open insolvency proceeding of the debtor stops the interest of the
        invoices dated before its judgment on the day before it, and no
        indemnity is due for an invoice not late then (L622-28,
        ``penalties.stay_cutoff``).

        A fixed number of queries, whatever the number of invoices: the
        receivable lines and their partial reconciliations, the rate table,
        what was invoiced, the formal notices of the consumers, the currency
        rates the indemnities need.

        :param start_dates: move id -> first day to count (the day after the
            last invoiced date); days before are left out. Default: read from
            the penalty invoices.
        :param indemnity_done: ids of the moves whose indemnity was invoiced.
            Default: read from the penalty invoices.
        :return: a dict move id -> :class:`penalties.InvoicePenalty`.
        """
        moves = self._dunning_penalty_moves()
        if not moves:
            return {}
        if start_dates is None or indemnity_done is None:
            invoiced_starts, invoiced_indemnities = self.env[
                "dunning.penalty"
            ]._get_invoiced(moves)
            if start_dates is None:
                start_dates = invoiced_starts
            if indemnity_done is None:
                indemnity_done = invoiced_indemnities
        histories = moves._dunning_receivable_histories()
        table = self.env["dunning.interest.rate"]._get_rate_table()
        commercials = moves.commercial_partner_id.sudo()
        exempt = {partner.id: partner.dunning_no_indemnity for partner in commercials}
        regimes = {
            partner.id: partner.dunning_regime or penalties.REGIME_PROFESSIONAL
            for partner in commercials
        }
        # Insolvency: interest of the debts prior to the judgment stops (L622-28).
        judgments = self.env["dunning.proceeding"]._dunning_judgment_dates(commercials)
        last_days = {
            move.id: penalties.stay_cutoff(
                on_date,
                move.invoice_date or move.date,
                judgments.get(move.commercial_partner_id.id),
            )
            for move in moves
        }
        notices = moves.filtered(
            lambda move: regimes[move.commercial_partner_id.id]
            == penalties.REGIME_CONSUMER
        )._dunning_formal_notice_dates()
        interests = {}
        for move in moves:
            company = move.company_id
            digits = move.currency_id.decimal_places
            regime = regimes[move.commercial_partner_id.id]
            interests[move.id] = penalties.combine(
                (
                    penalties.compute_interest(
                        due_date,
                        history,
                        table,
                        last_days[move.id],
                        mode=company.dunning_penalty_mode,
                        contract_rate=company.dunning_penalty_rate,
                        start=start_dates.get(move.id),
                        digits=digits,
                        regime=regime,
                        notice_date=notices.get(move.id),
                    )
                    for due_date, history in histories.get(move.id, [])
                ),
                digits,
            )
        # The fixed indemnity, converted at the (first late) due date.
        claims = {}
        for move in moves:
            company = move.company_id
            currency = company.dunning_indemnity_currency_id or move.currency_id
            if penalties.indemnity(
                interests[move.id].late,
                company.dunning_indemnity_enabled,
                exempt.get(move.commercial_partner_id.id),
                company.dunning_indemnity_amount,
                already_invoiced=move.id in indemnity_done,
                regime=regimes[move.commercial_partner_id.id],
            ):
                due_date = min(
                    due
                    for due, history in histories[move.id]
                    if penalties.days_late(due, history, last_days[move.id])
                )
                claims[move] = (currency, due_date)
        converted = self._dunning_convert_indemnities(claims)
        return {
            move.id: penalties.InvoicePenalty(
                interest=interests[move.id],
                indemnity=converted.get(move, penalties.ZERO),
            )
            for move in moves
        }

    def _dunning_formal_notice_dates(self):
        """Return move id -> date of the first formal notice that listed it.

        A formal notice is a collections action of a level of type *formal
        notice* that was sent (state *done*); interest owed by a consumer
        runs from it (Code civil 1231-6, 1344-1). One query for all moves.
        """
        if not self:
            return {}
        actions = (
            self.env["dunning.action"]
            .sudo()
            .search_fetch(
                [
                    ("state", "=", "done"),
                    ("level_id.level_type", "=", "formal_notice"),
                    ("line_ids.move_id", "in", self.ids),
                ],
                ["date", "line_ids"],
                order="date, id",
            )
        )
        dates = {}
        wanted = set(self.ids)
        for action in actions:
            for move_id in action.line_ids.move_id.ids:
                if move_id in wanted and move_id not in dates:
                    dates[move_id] = action.date
        return dates

    def _dunning_receivable_histories(self):
        """Return move id -> [(due date, open amount history)] per receivable.

        The history of a receivable line, in the invoice currency: its
        original amount, then the amount left after each partial
        reconciliation (payment...) on its ``max_date``. A credit note
        (``out_refund``) lowers the amount from the start: what it credits was
        never owed, whenever it was matched.
        """
        self.env["account.move.line"].flush_model(
            ["move_id", "account_id", "date", "date_maturity", "amount_currency"]
        )
        self.env["account.move"].flush_model(["move_type"])
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "credit_move_id", "debit_amount_currency", "max_date"]
        )
        lines = self.env.execute_query(
            SQL(
                """
                SELECT aml.id, aml.move_id, %(due)s, aml.date, aml.amount_currency
                  FROM account_move_line aml
                 WHERE aml.move_id = ANY(%(moves)s)
                   AND %(receivable)s
                   AND aml.amount_currency > 0
              ORDER BY aml.move_id, %(due)s, aml.id
                """,
                due=self.env["account.move.line"]._dunning_due_date_sql("aml"),
                receivable=self.env["account.move.line"]._dunning_receivable_sql("aml"),
                moves=self.ids,
            )
        )
        paid = defaultdict(list)
        credited = defaultdict(list)
        if lines:
            for line_id, max_date, amount, refund in self.env.execute_query(
                SQL(
                    """
                    SELECT apr.debit_move_id, apr.max_date,
                           apr.debit_amount_currency,
                           COALESCE(cm.move_type = 'out_refund', FALSE)
                      FROM account_partial_reconcile apr
                      JOIN account_move_line caml ON caml.id = apr.credit_move_id
                      JOIN account_move cm ON cm.id = caml.move_id
                     WHERE apr.debit_move_id = ANY(%s)
                  ORDER BY apr.max_date, apr.id
                    """,
                    [line[0] for line in lines],
                )
            ):
                (credited if refund else paid)[line_id].append((max_date, amount))
        digits = {move.id: move.currency_id.decimal_places for move in self}
        histories = defaultdict(list)
        for line_id, move_id, due_date, line_date, amount in lines:
            places = digits[move_id]
            open_amount = penalties.round_amount(amount, places)
            for _day, credit in credited[line_id]:
                open_amount -= penalties.round_amount(credit, places)
            history = [(min(line_date, due_date), open_amount)]
            for day, paid_amount in paid[line_id]:
                open_amount -= penalties.round_amount(paid_amount, places)
                history.append((day, open_amount))
            histories[move_id].append((due_date, history))
        return histories

    def _dunning_convert_indemnities(self, claims):
        """Convert the companies' indemnity amounts to the invoice currencies.

        :param claims: move -> (indemnity currency, conversion date).
        :return: move -> Decimal amount in the move's currency. Same result as
            ``res.currency._convert``, with one query per company for all the
            (currency, date) pairs.
        """
        keys = defaultdict(set)
        for move, (currency, day) in claims.items():
            if currency != move.currency_id:
                keys[move.company_id] |= {
                    (currency.id, day),
                    (move.currency_id.id, day),
                }
        rates = {}
        for company, pairs in keys.items():
            rates[company] = self._dunning_currency_rates(company, pairs)
        result = {}
        for move, (currency, day) in claims.items():
            amount = move.company_id.dunning_indemnity_amount
            if currency != move.currency_id:
                company_rates = rates[move.company_id]
                from_rate = company_rates[(currency.id, day)] or 1.0
                to_rate = company_rates[(move.currency_id.id, day)]
                amount = move.currency_id.round(amount * (1 / (from_rate / to_rate)))
            result[move] = penalties.round_amount(
                amount, move.currency_id.decimal_places
            )
        return result

    @api.model
    def _dunning_currency_rates(self, company, pairs):
        """Return (currency id, date) -> rate, as ``res.currency._get_rates``.

        The same subqueries as Odoo's (latest rate of the company or shared
        on or before the date, else the oldest one, else 1.0), evaluated for
        every pair in one query.
        """
        Rate = self.env["res.currency.rate"]
        currency_sql, day_sql = SQL("k.currency_id"), SQL("k.day")
        company_ids = (False, company.root_id.id)
        rate_query = Rate._search(
            [
                ("name", "<=", day_sql),
                ("company_id", "in", company_ids),
                ("currency_id", "=", currency_sql),
            ],
            order="company_id.id, name DESC",
            limit=1,
        )
        rate_fallback = Rate._search(
            [("company_id", "in", company_ids), ("currency_id", "=", currency_sql)],
            order="company_id.id, name ASC",
            limit=1,
        )
        rate = Rate._field_to_sql(rate_query.table, "rate")
        pairs = sorted(pairs)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT k.currency_id, k.day, COALESCE((%s), (%s), 1.0)
                  FROM unnest(%s::int[], %s::date[]) AS k(currency_id, day)
                """,
                rate_query.select(rate),
                rate_fallback.select(rate),
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )
        return {(currency_id, day): value for currency_id, day, value in rows}

    def _dunning_penalty_render(self, result):
        """Return the HTML table of the interest segments of result, from the
        QWeb template ``account_dunning_advanced.dunning_penalty_detail``;
        False without any segment."""
        self.ensure_one()
        segments = result.interest.segments
        if not segments:
            return False
        env, currency = self.env, self.currency_id
        notes = [env._("Actual days / 365, from the day after the due date.")]
        if any(segment.floored for segment in segments):
            notes.append(
                env._("* Contractual rate raised to 3 times the legal interest rate.")
            )
        if result.interest.stale:
            notes.append(
                env._("* Rates of an earlier half-year: the rate table needs updating.")
            )
        return env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_penalty_detail",
            {
                "segments": segments,
                "total": result.interest.amount,
                "notes": notes,
                "money": lambda value: formatLang(
                    env, float(value), currency_obj=currency
                ),
                "format_day": lambda value: format_date(env, value),
                "percent": lambda value: formatLang(env, float(value), digits=2) + " %",
            },
        )

    # ------------------------------------------------------------------
    # Invoicing the penalties (the wizard dunning.penalty.invoice asks)
    # ------------------------------------------------------------------
    @api.model
    def _dunning_penalty_candidates(
        self, company, on_date, partners=None, include_paid=False
    ):
        """Return the invoices of company whose penalties may be invoiced.

        Those still open (a collectible line: the one definition), or paid
        too with ``include_paid``, with an instalment due before on_date;
        never a penalty invoice, nor one excluded from the reminders.
        """
        domain = [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("dunning_is_penalty", "=", False),
            ("dunning_excluded", "=", False),
            ("line_ids.date_maturity", "<", on_date),
        ]
        if not include_paid:
            collectible = self.env["account.move.line"]._dunning_collectible_domain(
                company
            )
            domain.append(("line_ids", "any", collectible))
        if partners:
            domain.append(
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids)
            )
        return self.search(domain, order="invoice_date, id")

    def _dunning_penalty_to_invoice(self, on_date):
        """Return what is left to invoice on the invoices of self, per invoice.

        :return: a list of dicts: ``move``, ``interest`` (engine Interest from
            the first day not invoiced), ``indemnity`` (Decimal) and
            ``date_from``; invoices with nothing left are left out.
        """
        moves = self._dunning_penalty_moves().filtered(
            lambda move: not move._dunning_stayed()
        )
        start_dates, indemnity_done = self.env["dunning.penalty"]._get_invoiced(moves)
        results = moves._dunning_penalty_compute(on_date, start_dates, indemnity_done)
        lines = []
        for move in moves:
            result = results[move.id]
            if result.interest.amount <= 0 and result.indemnity <= 0:
                continue
            due_dates = move.line_ids.filtered(
                lambda aml: aml.display_type == "payment_term"
            ).mapped("date_maturity")
            first_late = fields.Date.add(
                min(due_dates or [move.invoice_date_due]), days=1
            )
            lines.append(
                {
                    "move": move,
                    "interest": result.interest,
                    "indemnity": result.indemnity,
                    "date_from": result.interest.date_from
                    or min(start_dates.get(move.id) or first_late, on_date),
                }
            )
        return lines

    def _dunning_stayed(self):
        """Return whether this invoice is a debt prior to an opening judgment.

        While the debtor is in insolvency proceedings, nothing may be claimed
        on a debt prior to the judgment but through the proof of claim (Code
        de commerce L622-21): no penalty invoice for it.
        """
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        return bool(
            partner.dunning_in_proceedings
            and partner.dunning_proceeding_date
            and (self.invoice_date or self.date) < partner.dunning_proceeding_date
        )

    @api.model
    def _dunning_penalty_preview(self, lines):
        """Return the HTML table of what would be invoiced (QWeb)."""
        return self.env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_penalty_invoice_preview",
            {
                "lines": lines,
                "format_date": lambda day: format_date(self.env, day),
                "money": lambda value, currency: formatLang(
                    self.env, float(value), currency_obj=currency
                ),
            },
        )

    @api.model
    def _dunning_invoice_penalties(self, company, on_date, lines):
        """Create the penalty invoices of lines (drafts) and record them.

        One draft customer invoice per debtor and currency, one line of
        interest per late invoice (from the day after the last invoiced date)
        and one line per indemnity (once per invoice), on their own income
        accounts and without tax. What each claims is kept in
        ``dunning.penalty`` so that nothing is invoiced twice.

        :param lines: as returned by :meth:`_dunning_penalty_to_invoice`.
        :return: the invoices created.
        """
        if not lines:
            raise UserError(
                self.env._(
                    "Nothing to invoice: no late-payment penalty accrued up to "
                    "%(date)s that was not invoiced already.",
                    date=format_date(self.env, on_date),
                )
            )
        product = company._get_dunning_penalty_product()
        if not product:
            raise UserError(
                self.env._(
                    "Choose the product of the penalty invoices in the settings "
                    "(Collections)."
                )
            )
        accounts = company._get_dunning_penalty_accounts()
        if not all(accounts):
            raise UserError(
                self.env._(
                    "Choose the income accounts of the late-payment interest and "
                    "of the recovery indemnity in the settings (Collections, "
                    "Penalty invoices): penalties are never posted to sales "
                    "(French chart: 7631 and 7581)."
                )
            )
        groups = defaultdict(list)
        for line in lines:
            move = line["move"]
            groups[(move.commercial_partner_id, move.currency_id)].append(line)
        invoices = self.with_company(company).create(
            [
                self._dunning_penalty_invoice_vals(
                    on_date, partner, currency, group, product, accounts
                )
                for (partner, currency), group in groups.items()
            ]
        )
        self.env["dunning.penalty"].create(
            [
                self._dunning_penalty_record_vals(line, invoice, on_date)
                for invoice, group in zip(invoices, groups.values(), strict=True)
                for line in group
            ]
        )
        return invoices

    @api.model
    def _dunning_penalty_record_vals(self, line, invoice, on_date):
        """Return the values of the dunning.penalty recording line."""
        interest = line["interest"]
        return {
            "move_id": line["move"].id,
            "penalty_move_id": invoice.id,
            "date_from": line["date_from"],
            "date_to": on_date,
            "days": sum(segment.days for segment in interest.segments),
            "rates": ", ".join(
                dict.fromkeys(f"{segment.rate:.2f}" for segment in interest.segments)
            ),
            "interest": float(interest.amount),
            "indemnity": float(line["indemnity"]),
        }

    @api.model
    def _dunning_penalty_invoice_vals(
        self, on_date, partner, currency, lines, product, accounts
    ):
        """Return the values of the penalty invoice of partner in currency.

        Labels are in the debtor's language; the interest and the indemnity
        go to their own income accounts (``accounts``: interest, indemnity),
        without tax. The indemnity cites the article of the debtor's regime
        (French Commercial Code D441-5, or Public Procurement Code L2192-13).
        """
        env = self.with_context(lang=partner.lang or self.env.lang).env
        interest_account, indemnity_account = accounts
        regime = partner.sudo().dunning_regime or penalties.REGIME_PROFESSIONAL
        invoice_lines = []
        for line in lines:
            move, interest = line["move"], line["interest"]
            if interest.amount > 0:
                invoice_lines.append(
                    self._dunning_penalty_line_vals(
                        product,
                        env._(
                            "Late-payment interest on %(invoice)s from "
                            "%(date_from)s to %(date_to)s",
                            invoice=move.name,
                            date_from=format_date(env, interest.date_from),
                            date_to=format_date(env, interest.date_to),
                        ),
                        interest.amount,
                        interest_account,
                    )
                )
            if line["indemnity"] > 0:
                if regime == penalties.REGIME_PUBLIC:
                    label = env._(
                        "Fixed recovery indemnity (French Public Procurement "
                        "Code, art. L2192-13) for %(invoice)s",
                        invoice=move.name,
                    )
                else:
                    label = env._(
                        "Fixed recovery indemnity (French Commercial Code, "
                        "art. D441-5) for %(invoice)s",
                        invoice=move.name,
                    )
                invoice_lines.append(
                    self._dunning_penalty_line_vals(
                        product, label, line["indemnity"], indemnity_account
                    )
                )
        return {
            "move_type": "out_invoice",
            "partner_id": partner.address_get(["invoice"])["invoice"],
            "currency_id": currency.id,
            "invoice_date": on_date,
            "dunning_is_penalty": True,
            "invoice_origin": ", ".join(line["move"].name for line in lines)[:500],
            "narration": self._dunning_penalty_narration(env, currency, lines, regime),
            "invoice_line_ids": [Command.create(vals) for vals in invoice_lines],
        }

    @api.model
    def _dunning_penalty_line_vals(self, product, name, amount, account):
        return {
            "product_id": product.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": float(amount),
            # Never a sales account: the interest and the indemnity have their
            # own income accounts.
            "account_id": account.id,
            # Penalties are damages, outside the scope of VAT.
            "tax_ids": [Command.clear()],
        }

    @api.model
    def _dunning_penalty_narration(self, env, currency, lines, regime=None):
        """Return the computation details printed on the penalty invoice.

        The basis by regime: French Civil Code 1231-6 and 1344-1 (consumer),
        Public Procurement Code L2192-13 and R2192-31 (public buyer),
        Commercial Code L441-10 and D441-5 (professional).
        """

        def money(value):
            return formatLang(env, float(value), currency_obj=currency)

        details = [
            env._(
                "%(invoice)s: %(date_from)s - %(date_to)s, %(days)s days x "
                "%(base)s x %(rate)s %% / 365 = %(amount)s",
                invoice=line["move"].name,
                date_from=format_date(env, segment.date_from),
                date_to=format_date(env, segment.date_to),
                days=segment.days,
                base=money(segment.base),
                rate=formatLang(env, float(segment.rate), digits=2),
                amount=money(segment.amount),
            )
            for line in lines
            for segment in line["interest"].segments
        ]
        if regime == penalties.REGIME_CONSUMER:
            intro = env._(
                "Late-payment interest at the legal interest rate (French Civil "
                "Code, art. 1231-6 and 1344-1): from the day after the formal "
                "notice on the amount left open each day, actual days / 365. "
                "Outside the scope of VAT."
            )
        elif regime == penalties.REGIME_PUBLIC:
            intro = env._(
                "Late-payment penalties (French Public Procurement Code, art. "
                "L2192-13 and R2192-31): interest from the day after the due "
                "date on the amount left open each day, actual days / 365. "
                "Outside the scope of VAT."
            )
        else:
            intro = env._(
                "Late-payment penalties (French Commercial Code, art. L441-10 "
                "and D441-5): interest from the day after the due date on the "
                "amount left open each day, actual days / 365. Outside the "
                "scope of VAT."
            )
        return env["ir.qweb"]._render(
            "account_dunning_advanced.dunning_penalty_invoice_narration",
            {"intro": intro, "details": details},
        )

    # ------------------------------------------------------------------
    # Time limits (prescription)
    # ------------------------------------------------------------------
    dunning_plan_ids = fields.Many2many(
        "dunning.payment.plan",
        "dunning_payment_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment plans",
        readonly=True,
        copy=False,
        groups=USER_GROUP,
    )
    dunning_limitation_start = fields.Date(
        string="Limitation runs from",
        compute="_compute_dunning_limitation",
        store=True,
        groups=USER_GROUP,
        help="The due date, or the debtor's last acknowledgement of the debt "
        "(a part payment, an accepted payment plan) when later.",
    )
    dunning_limitation_date = fields.Date(
        string="Claim lapses on",
        compute="_compute_dunning_limitation",
        store=True,
        index=True,
        groups=USER_GROUP,
        help="End of the limitation period: 5 years between professionals "
        "(Code de commerce L110-4), 2 years against a consumer (Code de la "
        "consommation L218-2), 4 years from the next 1 January against a "
        "public buyer (loi 68-1250), from the due date or the last "
        "acknowledgement of the debt (Code civil 2240).",
    )
    dunning_limitation_soon = fields.Boolean(
        string="Claim about to lapse",
        compute="_compute_dunning_limitation_soon",
        groups=USER_GROUP,
    )

    @api.model
    def _dunning_limitation_end(self, regime, start):
        """The last day a claim of a debtor of ``regime`` can be pursued when
        the period runs from ``start`` (overridable)."""
        if regime == REGIME_CONSUMER:
            return start + relativedelta(years=2)
        if regime == REGIME_PUBLIC:
            return start.replace(month=12, day=31) + relativedelta(years=4)
        return start + relativedelta(years=5)

    @api.model
    def _dunning_limitation_alert_date(self, today=None):
        """Claims lapsing on or before this date are flagged."""
        today = today or fields.Date.context_today(self)
        return today + relativedelta(months=LIMITATION_ALERT_MONTHS)

    def _dunning_last_acknowledgements(self):
        """The last acknowledgement of the debt of each invoice of ``self``:
        ``{move id: date}``, read in two grouped queries.

        A payment (a payment or a bank statement line, not a credit note or an
        exchange difference) reconciled with the invoice counts on its date; a
        payment plan covering the invoice on the day the debtor accepted it.
        """
        ids = [move_id for move_id in self.ids if isinstance(move_id, int)]
        result = {}
        if not ids:
            return result
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            ._read_group(
                [
                    ("debit_move_id.move_id", "in", ids),
                    ("credit_move_id.move_id.move_type", "=", "entry"),
                    "|",
                    ("credit_move_id.move_id.origin_payment_id", "!=", False),
                    ("credit_move_id.move_id.statement_line_id", "!=", False),
                ],
                ["debit_move_id"],
                ["max_date:max"],
            )
        )
        for line, last in partials:
            move_id = line.move_id.id
            if last and (move_id not in result or last > result[move_id]):
                result[move_id] = last
        plans = (
            self.env["dunning.payment.plan"]
            .sudo()
            ._read_group(
                [("move_ids", "in", ids), ("dunning_accepted_date", "!=", False)],
                ["move_ids"],
                ["dunning_accepted_date:max"],
            )
        )
        for move, accepted in plans:
            day = accepted.date()
            if move.id in ids and (move.id not in result or day > result[move.id]):
                result[move.id] = day
        return result

    @api.depends(
        "move_type",
        "state",
        "invoice_date_due",
        "commercial_partner_id.dunning_regime",
        "line_ids.matched_credit_ids",
        "dunning_plan_ids.dunning_accepted_date",
    )
    def _compute_dunning_limitation(self):
        invoices = self.filtered(
            lambda m: m.move_type in LIMITATION_MOVE_TYPES
            and m.state == "posted"
            and m.invoice_date_due
        )
        (self - invoices).update(
            {"dunning_limitation_start": False, "dunning_limitation_date": False}
        )
        acknowledged = invoices._dunning_last_acknowledgements()
        for move in invoices:
            start = max(
                move.invoice_date_due,
                acknowledged.get(move.id) or move.invoice_date_due,
            )
            move.dunning_limitation_start = start
            move.dunning_limitation_date = self._dunning_limitation_end(
                move.commercial_partner_id.sudo().dunning_regime, start
            )

    @api.depends("dunning_limitation_date", "payment_state")
    def _compute_dunning_limitation_soon(self):
        alert = self._dunning_limitation_alert_date()
        dated = self.filtered(lambda move: move.dunning_limitation_date and move.id)
        open_moves = dated.line_ids._dunning_collectible().move_id
        for move in self:
            move.dunning_limitation_soon = bool(
                move in open_moves and move.dunning_limitation_date <= alert
            )

    # Legal maximum payment terms (engine/payment_terms.py): Code de commerce
    # L441-10 I between professionals, R2192-10 Code de la commande publique
    # for public buyers; none for consumers.
    dunning_terms_warning = fields.Char(
        string="Payment term over the legal maximum",
        compute="_compute_dunning_terms_warning",
        help="Set when the due date of this customer invoice is later than "
        "the law allows for its debtor (L441-10 I: 60 days from the invoice "
        "date or 45 days end of month, or the company's sector figures; "
        "public buyers: 30 days).",
    )

    @api.model
    def _dunning_terms_max_date(self, invoice_date, regime, company):
        """Return the latest due date allowed by law for an invoice of
        ``invoice_date`` to a debtor of ``regime`` in ``company`` (None:
        no maximum, a consumer). Overridable; the SQL twin is
        :meth:`_dunning_terms_over_max_sql`."""
        return payment_terms.legal_max_due_date(
            invoice_date,
            regime or penalties.REGIME_PROFESSIONAL,
            company.dunning_terms_max_days,
            company.dunning_terms_max_eom_days,
        )

    @api.model
    def _dunning_terms_over_max_sql(self, move_alias, partner_alias, company):
        """Return the SQL condition "this invoice falls due later than the
        law allows" on ``move_alias`` (account_move) and ``partner_alias``
        (its commercial partner), the twin of :meth:`_dunning_terms_max_date`."""
        return payment_terms.over_max_sql(
            SQL.identifier(move_alias, "invoice_date"),
            SQL.identifier(move_alias, "invoice_date_due"),
            SQL.identifier(partner_alias, "dunning_regime"),
            company.dunning_terms_max_days,
            company.dunning_terms_max_eom_days,
        )

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id",
        "company_id.dunning_terms_max_days",
        "company_id.dunning_terms_max_eom_days",
    )
    def _compute_dunning_terms_warning(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.dunning_terms_warning = False
            if move.move_type != "out_invoice" or not move.invoice_date_due:
                continue
            regime = move.commercial_partner_id.sudo().dunning_regime
            maximum = self._dunning_terms_max_date(
                move.invoice_date or today, regime, move.company_id
            )
            if not maximum or move.invoice_date_due <= maximum:
                continue
            if regime == penalties.REGIME_PUBLIC:
                rule = self.env._(
                    "%(days)s days for a public buyer, Code de la commande "
                    "publique R2192-10",
                    days=payment_terms.PUBLIC_DAYS,
                )
            else:
                rule = self.env._(
                    "%(days)s days from the invoice date or %(eom)s days end "
                    "of month, Code de commerce L441-10 I",
                    days=move.company_id.dunning_terms_max_days,
                    eom=move.company_id.dunning_terms_max_eom_days,
                )
            move.dunning_terms_warning = self.env._(
                "The due date %(due)s is later than the legal maximum "
                "%(maximum)s (%(rule)s).",
                due=format_date(self.env, move.invoice_date_due),
                maximum=format_date(self.env, maximum),
                rule=rule,
            )
