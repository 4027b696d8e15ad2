# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Today's open receivables per debtor: stored at night, exact all day."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)


class DunningOpenFigure(models.Model):
    """A debtor's open receivables on a day, as the cockpit sums them.

    The cockpit's dashboard sums every open line per debtor (receivables,
    overdue, at risk, overdue times days late:
    ``dunning.cockpit.figures._dunning_debtor_sums_sql``). At 1,000,000 open
    lines those numeric sums alone take about 0.9 s on a 2-core machine,
    whatever the plan (BENCHMARKS.md, Cockpit). So the nightly job stores
    each debtor's sums of the day (:meth:`_dunning_store_open`, from the same
    query), and the dashboard reads them (:meth:`_dunning_debtor_rows_sql`)
    **except** for the debtors touched since (``dunning.open.figure.touch``),
    whose sums it computes live from their lines. The figures stay those of
    the ledger at the moment of reading, not of the night:

    - a change and its touch are written in the same transaction, so a
      reader sees both or neither;
    - the nightly store deletes the touches its own snapshot saw, in the
      transaction that writes the sums: a touch committed while it ran
      stays, and its debtor is read live;
    - the stored day is used on that day only (overdue, at risk and days
      late move with the date), for the whole company (the dashboard
      without filter: a filtered one reads live).

    What touches a debtor (``dunning_month_end_ledger``): a reconciliation
    made or undone (the debtors of both lines), an entry with a receivable
    line posted, reset to draft, cancelled, deleted or re-dated, a
    receivable line's due date, debtor or account changed (the debtor
    before and after), a contact moved to another commercial partner or
    merged (every company). A receivable account created, changed or
    deleted drops the stored day (:meth:`_dunning_drop_open`). As for the
    month ends, writes outside the ORM are seen the next night only.
    """

    _name = "dunning.open.figure"
    _description = "Collections: a debtor's open receivables of the day"
    _order = "date desc, company_id, partner_id"
    _rec_name = "partner_id"

    date = fields.Date(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, readonly=True, ondelete="cascade"
    )
    amount_residual = fields.Monetary(string="Receivables", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    at_risk_amount = fields.Monetary(string="At risk (90+)", readonly=True)
    late_amount = fields.Float(
        string="Overdue x days late",
        readonly=True,
        help="The overdue amounts times their days late: divided by the "
        "overdue amount, the average days delinquent.",
    )

    def init(self):
        create_index(
            self.env.cr,
            "dunning_open_figure_company_partner_idx",
            self._table,
            ["company_id", "partner_id"],
        )

    @api.model
    def _dunning_store_open(self, companies=None):
        """Store today's open receivables per debtor of ``companies``.

        Set-based, in one transaction: the rows of the companies and the
        touches this transaction sees are deleted, the sums of every debtor
        inserted (one ``INSERT ... SELECT`` per company, the cockpit's own
        query), the stored day written.

        :param companies: default: every company.
        """
        companies = companies or self.env["res.company"].sudo().search([])
        if not companies:
            return
        Figures = self.env["dunning.cockpit.figures"]
        Figures._dunning_no_jit()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM dunning_open_figure WHERE company_id = ANY(%(ids)s);"
                "DELETE FROM dunning_open_figure_touch"
                " WHERE company_id = ANY(%(ids)s)",
                ids=companies.ids,
            )
        )
        rows = 0
        for company in companies:
            cr.execute(
                SQL(
                    """
                    INSERT INTO dunning_open_figure (
                        date, company_id, currency_id, partner_id,
                        amount_residual, overdue_amount, at_risk_amount,
                        late_amount, create_uid, write_uid, create_date,
                        write_date)
                    SELECT CURRENT_DATE, %(company)s, %(currency)s,
                           debtor.partner_id, debtor.residual, debtor.overdue,
                           debtor.at_risk, debtor.late, %(uid)s, %(uid)s,
                           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                      FROM (%(sums)s) debtor
                    """,
                    company=company.id,
                    currency=company.currency_id.id,
                    uid=self.env.uid,
                    sums=Figures._dunning_debtor_sums_sql(
                        Figures._dunning_report_filter("report", company)
                    ),
                )
            )
            rows += cr.rowcount
        cr.execute(
            SQL(
                """
                INSERT INTO dunning_open_figure_snapshot (
                    company_id, date, computed_at, create_uid, write_uid,
                    create_date, write_date)
                SELECT company_id, CURRENT_DATE, now() AT TIME ZONE 'UTC',
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(companies)s::int[]) AS company_id
                ON CONFLICT (company_id) DO UPDATE
                   SET date = EXCLUDED.date,
                       computed_at = EXCLUDED.computed_at,
                       write_date = EXCLUDED.write_date,
                       write_uid = EXCLUDED.write_uid
                """,
                uid=self.env.uid,
                companies=companies.ids,
            )
        )
        self.env.invalidate_all()
        _logger.info(
            "Collections: open receivables of the day stored for %s companies "
            "(%s debtors)",
            len(companies),
            rows,
        )

    @api.model
    def _dunning_drop_open(self):
        """Forget the stored days of every company: the dashboard reads live
        until the next night (what is receivable changed)."""
        self.env.cr.execute("DELETE FROM dunning_open_figure_snapshot")

    @api.model
    def _dunning_touch(self, pairs):
        """Record that the open lines of these debtors changed.

        :param pairs: ``(company id, commercial partner id)``; a company id
            ``None`` touches the debtor in every company.
        """
        pairs = {
            (company_id, partner_id) for company_id, partner_id in pairs if partner_id
        }
        if not pairs:
            return
        if any(company_id is None for company_id, _partner_id in pairs):
            every = self.env["res.company"].sudo().search([]).ids
            pairs = {
                (company_id, partner_id)
                for pair_company, partner_id in pairs
                for company_id in ([pair_company] if pair_company else every)
            }
        companies, partners = zip(*sorted(pairs), strict=True)
        self.env.cr.execute(
            SQL(
                "INSERT INTO dunning_open_figure_touch (company_id, partner_id) "
                "SELECT * FROM unnest(%s::int[], %s::int[])",
                list(companies),
                list(partners),
            )
        )

    @api.model
    def _dunning_line_debtors(self, lines):
        """Return ``{(company id, debtor id)}`` of the receivable ones of
        these journal items, for :meth:`_dunning_touch`."""
        return {
            (line.company_id.id, line.partner_id.commercial_partner_id.id)
            for line in lines
            if line.partner_id and line.account_id.account_type == "asset_receivable"
        }

    @api.model
    def _dunning_touch_lines(self, lines):
        """Touch the debtors of these journal items (their receivable ones)."""
        self._dunning_touch(self._dunning_line_debtors(lines))

    @api.model
    def _dunning_debtor_rows_sql(self, company):
        """Return the query of the debtors' sums of ``company`` from the
        stored day, or ``None`` when today is not stored.

        Rows ``partner_id, residual, overdue, at_risk, late``, as
        ``dunning.cockpit.figures._dunning_debtor_sums_sql`` without filter:
        the stored rows of the debtors not touched since, and the live sums
        of the touched ones.
        """
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM dunning_open_figure_snapshot "
                "WHERE company_id = %s AND date = CURRENT_DATE",
                company.id,
            )
        )
        if not self.env.cr.rowcount:
            return None
        Figures = self.env["dunning.cockpit.figures"]
        touched = SQL(
            "SELECT touch.partner_id FROM dunning_open_figure_touch touch "
            "WHERE touch.company_id = %s",
            company.id,
        )
        return SQL(
            """
            SELECT figure.partner_id, figure.amount_residual AS residual,
                   figure.overdue_amount AS overdue,
                   figure.at_risk_amount AS at_risk,
                   figure.late_amount AS late
              FROM dunning_open_figure figure
             WHERE figure.company_id = %(company)s
               AND figure.date = CURRENT_DATE
               AND figure.partner_id NOT IN (%(touched)s)
            UNION ALL
            %(live)s
            """,
            company=company.id,
            touched=touched,
            live=Figures._dunning_debtor_sums_sql(
                SQL(
                    "%s AND report.partner_id IN (%s)",
                    Figures._dunning_report_filter("report", company),
                    touched,
                )
            ),
        )


class DunningOpenFigureSnapshot(models.Model):
    """The day whose open receivables are stored for a company
    (``dunning.open.figure``), and when they were computed."""

    _name = "dunning.open.figure.snapshot"
    _description = "Collections: open receivables of the day stored"
    _order = "company_id"
    _rec_name = "date"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    date = fields.Date(required=True, readonly=True)
    computed_at = fields.Datetime(string="Stored on", readonly=True)

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "The open receivables of the day are stored once per company.",
        )
    ]


class DunningOpenFigureTouch(models.Model):
    """A debtor whose open lines changed since its sums were stored: the
    cockpit reads its sums live (``dunning.open.figure``). Rows are only
    inserted, never updated, so that concurrent changes never wait on each
    other; the nightly store deletes them."""

    _name = "dunning.open.figure.touch"
    _description = "Collections: debtor changed since the day was stored"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, ondelete="cascade"
    )

    def init(self):
        create_index(
            self.env.cr,
            "dunning_open_figure_touch_company_partner_idx",
            self._table,
            ["company_id", "partner_id"],
        )
