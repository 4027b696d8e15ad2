# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, ormcache
from odoo.tools.query import Query
from odoo.tools.sql import create_index


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_action_ids = fields.Many2many(
        "dunning.action",
        "dunning_action_move_line_rel",
        "move_line_id",
        "action_id",
        string="Collections actions",
        copy=False,
        groups="account_dunning_advanced.group_dunning_user",
    )

    def init(self):
        res = super().init()
        # The open lines with every column the receivables analysis and the
        # cockpit's totals read (the debtor's line partner, the due date, the
        # open amount): they are read from this index alone (index-only
        # scan, ~56 MB at 1,000,000 open lines) rather than from the ledger's
        # table, ten times larger with the invoices' other lines and the
        # paid history (``scripts/bench_cockpit.py --scale``: the ageing of
        # 1,000,000 open lines 1.2 s -> 0.65 s). Its condition is implied by
        # :meth:`_dunning_collectible_domain` (the receivable accounts are a
        # key: their ids are not fixed).
        create_index(
            self.env.cr,
            "account_move_line_dunning_open_idx",
            self._table,
            [
                "account_id",
                "company_id",
                "partner_id",
                "date_maturity",
                "date",
                "amount_residual",
                # Read by no total, but PostgreSQL 15 keeps the columns of
                # the joins it dropped (the invoice, the level) among those
                # a scan must return: without them, no index-only scan.
                "move_id",
                "id",
            ],
            where="(reconciled IS NULL OR NOT reconciled)"
            " AND parent_state = 'posted' AND amount_residual <> 0",
        )
        return res

    # ------------------------------------------------------------------
    # What collections chase: the one definition
    # ------------------------------------------------------------------
    @api.model
    def _dunning_collectible_domain(self, company=None):
        """Return the domain of the receivable lines collections chase.

        The one definition of an open receivable line: posted, on a
        receivable account, not reconciled, with an open amount (either
        sign: an unreconciled payment or credit note lowers what the debtor
        owes). The planner, the reports, the cockpit, the statement, the
        penalties, the page and the score all read the lines through it or
        through its SQL twin :meth:`_dunning_collectible_sql`, which is
        compiled from this domain: override this method and both follow.

        :param company: restrict to these companies (a recordset; None: all).
        """
        return [
            *self._dunning_receivable_domain(company),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ]

    @api.model
    def _dunning_receivable_domain(self, company=None):
        """Return the domain of the posted receivable lines, open or not.

        The statement's ledger, the payments a promise waits for and the
        "is this sender a debtor" test read every receivable line; what is
        still owed is :meth:`_dunning_collectible_domain`, built on this one.

        :param company: restrict to these companies (a recordset; None: all).
        """
        # The ids themselves, read now: PostgreSQL then knows from its
        # statistics how many lines they hold. Through a subquery it guesses
        # from the share of receivable accounts among all the accounts (2 of
        # 51 on a fresh chart, 1 of hundreds on a real one) while most of
        # the lines of a ledger are receivable: a plan made for a few hundred
        # lines, probing the debtor once per line, where a hash join reads
        # each once. The analyses are queries built at each read
        # (``_table_query``), never stored views, so they get the ids too.
        # The ids are cached (cleared when a receivable account is created,
        # changed or deleted: ``account.account``): a dashboard builds this
        # condition several times.
        domain = [
            ("account_id", "in", list(self._dunning_receivable_account_ids())),
            ("parent_state", "=", "posted"),
        ]
        if company is not None:
            domain.append(("company_id", "in", company.ids))
        return domain

    @api.model
    @ormcache()
    def _dunning_receivable_account_ids(self):
        """Return the ids of the receivable accounts, all companies (cached)."""
        return tuple(
            self.env["account.account"]
            .sudo()
            ._search([("account_type", "=", "asset_receivable")])
        )

    @api.model
    def _dunning_collectible_sql(self, alias="aml", company=None):
        """Return the SQL condition selecting the collectible lines.

        The twin of :meth:`_dunning_collectible_domain`, compiled from it by
        the ORM, for the queries and SQL views that read the lines in bulk
        (``FROM account_move_line <alias> ... WHERE <this>``).

        :param alias: the alias of ``account_move_line`` in the query.
        :param company: as for the domain.
        """
        return self._dunning_where_sql(self._dunning_collectible_domain(company), alias)

    @api.model
    def _dunning_open_credit_move_types(self):
        """Return the move types whose open credit on the receivable may
        settle invoices of the same customer: payments left unreconciled
        (journal entries: registered, imported or bank statement payments)
        and customer credit notes."""
        return ("entry", "out_refund")

    @api.model
    def _dunning_open_credit_sql(
        self, alias="pay", move_alias="pay_move", company=None, move_types=None
    ):
        """Return the SQL condition of a customer's open credit.

        A collectible line (:meth:`_dunning_collectible_sql`) crediting the
        receivable (open amount below zero) of a move of
        :meth:`_dunning_open_credit_move_types`: what the customer already
        paid or was credited and is not set against an invoice yet. The
        data checks flag it while invoices of the same debtor are open; the
        reminder guard holds the reminders it may cover.

        :param move_alias: the alias of the line's ``account_move``, joined
            by the query.
        :param move_types: restrict to these types (default: all of them).
        """
        return SQL(
            "%s AND %s < 0 AND %s IN %s",
            self._dunning_collectible_sql(alias, company),
            SQL.identifier(alias, "amount_residual"),
            SQL.identifier(move_alias, "move_type"),
            tuple(move_types or self._dunning_open_credit_move_types()),
        )

    @api.model
    def _dunning_receivable_sql(self, alias="aml", company=None):
        """Return the SQL twin of :meth:`_dunning_receivable_domain`."""
        return self._dunning_where_sql(self._dunning_receivable_domain(company), alias)

    @api.model
    def _dunning_overdue_domain(self, on_date, company=None):
        """Return the domain of the collectible lines owed and due before on_date.

        A debit left open (the debtor owes it) whose due date (maturity, else
        date: :meth:`_dunning_due_date`) is before ``on_date``.
        """
        return [
            *self._dunning_collectible_domain(company),
            ("amount_residual", ">", 0),
            "|",
            ("date_maturity", "<", on_date),
            "&",
            ("date_maturity", "=", False),
            ("date", "<", on_date),
        ]

    @api.model
    def _dunning_overdue_sql(self, on_date, alias="aml", company=None):
        """Return the SQL twin of :meth:`_dunning_overdue_domain`."""
        return self._dunning_where_sql(
            self._dunning_overdue_domain(on_date, company), alias
        )

    @api.model
    def _dunning_where_sql(self, domain, alias="aml"):
        """Compile a domain on the lines into a condition on ``alias``.

        The ORM writes the SQL (same operators, same NULL handling), so that
        the SQL of a definition is its domain's, not a copy. A domain that
        needs joins (``move_id.x`` of an overriding module) becomes a
        correlated ``EXISTS``: the condition never needs a FROM clause.
        """
        model = self.sudo()
        table = SQL.identifier(self._table)
        query = Query(self.env, alias, table)
        expression.expression(domain, model, alias=alias, query=query)
        if query.from_clause == Query(self.env, alias, table).from_clause:
            return SQL("(%s)", query.where_clause)
        inner = f"{alias}__where"
        inner_query = Query(self.env, inner, table)
        expression.expression(domain, model, alias=inner, query=inner_query)
        return SQL(
            "EXISTS (SELECT 1 FROM %s WHERE %s = %s AND %s)",
            inner_query.from_clause,
            SQL.identifier(inner, "id"),
            SQL.identifier(alias, "id"),
            inner_query.where_clause,
        )

    @api.model
    def _dunning_due_date_sql(self, alias="aml"):
        """Return the due date of a line in SQL: its maturity, else its date.

        The date the days late, the ageing bucket and the levels count from
        (:meth:`_dunning_due_date` in Python).
        """
        return SQL(
            "COALESCE(%s, %s)",
            SQL.identifier(alias, "date_maturity"),
            SQL.identifier(alias, "date"),
        )

    def _dunning_collectible(self):
        """Return the lines of self that are still collectible (one query)."""
        if not self:
            return self
        return self.search(
            [*self._dunning_collectible_domain(), ("id", "in", self.ids)]
        )

    def _dunning_due_date(self):
        """Return the due date of this line: its maturity, else its date."""
        self.ensure_one()
        return self.date_maturity or self.date

    def action_dunning_invoice_pdf(self):
        """Download the PDF of this line's invoice, from the collections screens."""
        self.ensure_one()
        return self.env.ref("account.account_invoices").report_action(self.move_id)
