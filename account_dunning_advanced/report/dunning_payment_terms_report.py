# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from collections import defaultdict

from odoo import api, fields, models

from ..engine import ageing


class ReportDunningPaymentTerms(models.AbstractModel):
    """The statutory payment-terms table (Code de commerce, art. D441-6 I).

    The invoices issued and not paid at the closing date whose term is past,
    by lateness bucket (1-30, 31-60, 61-90, 91 days and more, plus the
    indicative "0 day" column of the invoices not due): count, amount
    including VAT and share of the turnover excluding VAT of the financial
    year; the invoices excluded because they are disputed, apart.

    The buckets are engine/ageing.py's (same keys: D441-6's are the ageing
    buckets of the collections reports). The receivables open at a past
    closing date are the statement's (``_get_open_items``: rebuilt from the
    reconciliations dated up to that day); the amount of an invoice is what
    was still open of it that day. An invoice is disputed when a dispute on
    it is open, or was closed after the closing date (a dispute opened after
    the closing but before the report is drawn up is known then).

    ``data``: ``company_id`` and ``date`` (ISO, the closing date).
    """

    _name = "report.account_dunning_advanced.report_dunning_payment_terms"
    _description = "Statutory payment-terms report (D441-6)"

    @api.model
    def _get_table(self, company, closing_date):
        """Return the D441-6 table of company at closing_date.

        A fixed number of queries: the open items (statement's rule), the
        disputes, one grouped read of the turnover.

        :return: dict ``{buckets: [(key, label)], rows: {key: {count, amount,
            share}}, total: {count, amount, share}, excluded: {count,
            amount, invoices: [(invoice, amount, reason)]}, turnover,
            date_from, date}``.
        """
        closing_date = fields.Date.to_date(closing_date)
        Line = self.env["account.move.line"]
        Statement = self.env["report.account_dunning_advanced.report_dunning_statement"]
        domain = [
            *Line._dunning_receivable_domain(company),
            ("move_id.move_type", "=", "out_invoice"),
        ]
        items = Statement._get_open_items(domain, closing_date)
        invoices = Line.browse([line.id for line, _res, _cur in items]).move_id
        disputes = self.env["dunning.dispute"].search(
            [
                ("move_ids", "in", invoices.ids),
                "|",
                ("state", "=", "open"),
                ("date_closed", ">", closing_date),
            ]
        )
        disputed = {
            move.id: dispute.reason_id.display_name
            for dispute in disputes
            for move in dispute.move_ids
        }
        fy = company.compute_fiscalyear_dates(closing_date)
        turnover = -sum(
            balance
            for (balance,) in Line._read_group(
                [
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "income"),
                    ("date", ">=", fy["date_from"]),
                    ("date", "<=", closing_date),
                ],
                [],
                ["balance:sum"],
            )
            if balance
        )
        currency = company.currency_id
        per_bucket = {key: defaultdict(float) for key in ageing.KEYS}
        excluded = defaultdict(float)
        for line, residual, _residual_currency in items:
            if residual <= 0:
                continue
            move = line.move_id
            if move.id in disputed:
                excluded[move] += residual
                continue
            days = (closing_date - line._dunning_due_date()).days
            per_bucket[ageing.bucket_of(days)][move] += residual

        def figures(moves_amounts):
            amount = currency.round(sum(moves_amounts.values()))
            return {
                "count": len(moves_amounts),
                "amount": amount,
                "share": round(100.0 * amount / turnover, 2) if turnover else 0.0,
            }

        late = defaultdict(float)
        for key in ageing.KEYS[1:]:
            for move, amount in per_bucket[key].items():
                late[move] += amount
        labels = dict(
            self.env["dunning.receivable.report"]
            ._fields["ageing"]
            ._description_selection(self.env)
        )
        return {
            "company": company,
            "currency": currency,
            "date": closing_date,
            "date_from": fy["date_from"],
            "turnover": currency.round(turnover),
            "buckets": [(key, labels.get(key, key)) for key in ageing.KEYS],
            "rows": {key: figures(per_bucket[key]) for key in ageing.KEYS},
            "total": figures(late),
            "excluded": {
                **figures(excluded),
                "invoices": [
                    (move, currency.round(amount), disputed[move.id])
                    for move, amount in sorted(
                        excluded.items(), key=lambda i: i[0].name
                    )
                ],
            },
        }

    @api.model
    def _get_report_values(self, docids, data=None):
        data = dict(data or {})
        company = (
            self.env["res.company"].browse(int(data["company_id"]))
            if data.get("company_id")
            else self.env.company
        )
        closing_date = fields.Date.to_date(
            data.get("date")
        ) or fields.Date.context_today(self)
        return {
            "doc_ids": company.ids,
            "doc_model": "res.company",
            "docs": company,
            "company": company,
            "table": self._get_table(company, closing_date),
        }

    @api.model
    def _get_xlsx(self, company, closing_date):
        """Return the D441-6 table as an xlsx file (bytes)."""
        import xlsxwriter  # pylint: disable=import-outside-toplevel

        table = self._get_table(company, closing_date)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("D441-6")
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        _ = self.env._
        sheet.write(
            0,
            0,
            _(
                "Invoices issued and not paid at the closing date (%(date)s) "
                "whose term is past (art. D441-6 I)",
                date=fields.Date.to_string(table["date"]),
            ),
            bold,
        )
        header = (
            [""]
            + [label for _key, label in table["buckets"]]
            + [_("Total (1 day and more)")]
        )
        for col, text in enumerate(header):
            sheet.write(2, col, text, bold)
        columns = [table["rows"][key] for key in ageing.KEYS] + [table["total"]]
        for row, (title, field, fmt) in enumerate(
            [
                (_("Number of invoices"), "count", None),
                (_("Total amount incl. VAT"), "amount", money),
                (_("Share of the year's turnover excl. VAT (%)"), "share", None),
            ],
            start=3,
        ):
            sheet.write(row, 0, title, bold)
            for col, figures in enumerate(columns, start=1):
                sheet.write(row, col, figures[field], fmt)
        sheet.write(7, 0, _("Invoices excluded: disputed"), bold)
        sheet.write(8, 0, _("Number of invoices"))
        sheet.write(8, 1, table["excluded"]["count"])
        sheet.write(9, 0, _("Total amount incl. VAT"))
        sheet.write(9, 1, table["excluded"]["amount"], money)
        for row, (move, amount, reason) in enumerate(
            table["excluded"]["invoices"], start=10
        ):
            sheet.write(row, 0, move.name)
            sheet.write(row, 1, amount, money)
            sheet.write(row, 2, reason)
        workbook.close()
        return output.getvalue()
