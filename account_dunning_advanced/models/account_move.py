# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

from ..engine import penalties

PENALTY_GROUP = "account_dunning_advanced.group_dunning_user"


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_excluded = fields.Boolean(
        string="Excluded from reminders",
        tracking=True,
        copy=False,
        help="Disputed or otherwise not to be chased: no reminder lists this "
        "invoice until the box is cleared.",
    )
    dunning_thanked = fields.Boolean(
        string="Thanked for the payment",
        copy=False,
        help="The thank-you e-mail of the collections was sent for this invoice.",
    )
    dunning_exclude_reason = fields.Char(
        string="Exclusion reason", tracking=True, copy=False
    )
    dunning_action_ids = fields.Many2many(
        "dunning.action",
        string="Reminders",
        compute="_compute_dunning_action_ids",
        groups="account_dunning_advanced.group_dunning_user",
    )
    dunning_level_id = fields.Many2one(
        "dunning.level",
        string="Collections level",
        compute="_compute_dunning_action_ids",
        groups="account_dunning_advanced.group_dunning_user",
        help="Last level reached by this invoice.",
    )
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

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        debtors = posted.line_ids.partner_id.commercial_partner_id
        if debtors:
            # The new debtors' scenario and collector, for the SQL views.
            self.env["dunning.debtor.status"].sudo()._dunning_fill_missing(
                posted.company_id, debtors
            )
        return posted

    @api.depends("line_ids")
    def _compute_dunning_action_ids(self):
        actions = self.env["dunning.action"].search(
            [("line_ids.move_id", "in", self.ids)], order="date desc, id desc"
        )
        for move in self:
            move_actions = actions.filtered(lambda a, m=move: m in a.line_ids.move_id)
            move.dunning_action_ids = move_actions
            move.dunning_level_id = move_actions.filtered(lambda a: a.state == "done")[
                :1
            ].level_id

    def action_dunning_force_level(self):
        """Open the wizard forcing the level of these invoices."""
        self.env["res.partner"]._dunning_check_group()
        partner = self.commercial_partner_id[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force the level"),
            "res_model": "dunning.force.level",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_move_ids": self.ids,
            },
        }

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
        (``res.partner.dunning_regime``): see ``engine/penalties.py``.

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
                        on_date,
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
                    if penalties.days_late(due, history, on_date)
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
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE aml.move_id = ANY(%(moves)s)
                   AND acc.account_type = 'asset_receivable'
                   AND aml.amount_currency > 0
              ORDER BY aml.move_id, %(due)s, aml.id
                """,
                due=self.env["account.move.line"]._dunning_due_date_sql("aml"),
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
        moves = self._dunning_penalty_moves()
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
