# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
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
    def _get_sides(self):
        """Return what tells the two tables of D441-6 I apart, by side.

        ``customer`` (1° of the "factures émises"): the customer invoices on
        the receivable accounts, against the turnover excluding VAT of the
        year (income accounts); ``supplier`` (the "factures reçues"): the
        vendor bills on the payable accounts, against the purchases
        excluding VAT of the year (the bills' and refunds' product lines).
        ``sign`` turns an open amount into a positive amount owed.
        """
        Line = self.env["account.move.line"]
        payable_accounts = (
            self.env["account.account"]
            .sudo()
            ._search([("account_type", "=", "liability_payable")])
        )
        return {
            "customer": {
                "lines": lambda company: [
                    *Line._dunning_receivable_domain(company),
                    ("move_id.move_type", "=", "out_invoice"),
                ],
                "base": [("account_id.account_type", "=", "income")],
                "sign": 1,
            },
            "supplier": {
                "lines": lambda company: [
                    ("account_id", "in", payable_accounts),
                    ("parent_state", "=", "posted"),
                    ("company_id", "in", company.ids),
                    ("move_id.move_type", "=", "in_invoice"),
                ],
                "base": [
                    ("move_id.move_type", "in", ("in_invoice", "in_refund")),
                    ("display_type", "=", "product"),
                ],
                "sign": -1,
            },
        }

    @api.model
    def _get_table(self, company, closing_date, side="customer"):
        """Return the D441-6 table of company at closing_date.

        ``side``: ``customer`` (invoices issued, share of the turnover) or
        ``supplier`` (invoices received, share of the purchases); one code
        path, the differences are :meth:`_get_sides`.

        A fixed number of queries: the open items (statement's rule), the
        disputes, one grouped read of the turnover (or purchases).

        :return: dict ``{side, buckets: [(key, label)], rows: {key: {count,
            amount, share}}, total: {count, amount, share}, excluded: {count,
            amount, invoices: [(invoice, amount, reason)]}, turnover,
            date_from, date}`` (``turnover``: the base of the shares, the
            purchases on the supplier side).
        """
        closing_date = fields.Date.to_date(closing_date)
        spec = self._get_sides()[side]
        sign = spec["sign"]
        Line = self.env["account.move.line"]
        Statement = self.env["report.account_dunning_advanced.report_dunning_statement"]
        items = Statement._get_open_items(spec["lines"](company), closing_date)
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
        turnover = -sign * sum(
            balance
            for (balance,) in Line._read_group(
                [
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    *spec["base"],
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
            residual *= sign
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
            "side": side,
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
        sides = ["customer"] + (["supplier"] if data.get("supplier") else [])
        tables = [self._get_table(company, closing_date, side) for side in sides]
        return {
            "doc_ids": company.ids,
            "doc_model": "res.company",
            "docs": company,
            "company": company,
            "table": tables[0],
            "tables": tables,
        }

    @api.model
    def _get_rows(self, company, closing_date, supplier=False):
        """Return the table(s) as rows of cells, for the spreadsheet and CSV
        exports: ``[[(value, style)]]``, style ``bold``, ``money`` or None.

        ``supplier``: the table of the invoices received follows the
        customers' one.
        """
        _ = self.env._
        rows = []
        for side in ("customer", "supplier") if supplier else ("customer",):
            table = self._get_table(company, closing_date, side)
            date = fields.Date.to_string(table["date"])
            if side == "customer":
                title = _(
                    "Invoices issued and not paid at the closing date (%(date)s) "
                    "whose term is past (art. D441-6 I)",
                    date=date,
                )
                share = _("Share of the year's turnover excl. VAT (%)")
            else:
                title = _(
                    "Invoices received and not paid at the closing date "
                    "(%(date)s) whose term is past (art. D441-6 I)",
                    date=date,
                )
                share = _("Share of the year's purchases excl. VAT (%)")
            columns = [table["rows"][key] for key in ageing.KEYS] + [table["total"]]
            rows += [
                [(title, "bold")],
                [],
                [("", None)]
                + [(label, "bold") for _key, label in table["buckets"]]
                + [(_("Total (1 day and more)"), "bold")],
            ]
            for label, field, style in (
                (_("Number of invoices"), "count", None),
                (_("Total amount incl. VAT"), "amount", "money"),
                (share, "share", None),
            ):
                rows.append(
                    [(label, "bold")] + [(figures[field], style) for figures in columns]
                )
            excluded = table["excluded"]
            rows += [
                [],
                [(_("Invoices excluded: disputed"), "bold")],
                [(_("Number of invoices"), None), (excluded["count"], None)],
                [(_("Total amount incl. VAT"), None), (excluded["amount"], "money")],
            ]
            rows += [
                [(move.name, None), (amount, "money"), (reason, None)]
                for move, amount, reason in excluded["invoices"]
            ]
            rows.append([])
        return rows

    @api.model
    def _get_xlsx(self, company, closing_date, supplier=False):
        """Return the D441-6 table(s) as an xlsx file (bytes)."""
        import xlsxwriter  # pylint: disable=import-outside-toplevel

        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("D441-6")
        styles = {
            "bold": workbook.add_format({"bold": True}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            None: None,
        }
        for row, cells in enumerate(self._get_rows(company, closing_date, supplier)):
            for col, (value, style) in enumerate(cells):
                sheet.write(row, col, value, styles[style])
        workbook.close()
        return output.getvalue()

    @api.model
    def _get_csv(self, company, closing_date, supplier=False):
        """Return the D441-6 table(s) as a CSV file (bytes, UTF-8 with BOM
        and semicolons, as French spreadsheets open it)."""
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";")
        for cells in self._get_rows(company, closing_date, supplier):
            writer.writerow([value for value, _style in cells])
        return output.getvalue().encode("utf-8-sig")
