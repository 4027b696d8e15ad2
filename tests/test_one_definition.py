# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One definition of what a debtor owes, seen the same everywhere.

A partially paid invoice, a fully paid one, an invoice settled by a credit
note, an unreconciled credit note and a foreign-currency invoice: the planner
(the daily run), the receivables analysis (the cockpit's source), the
statement, the debtor's page (``account_dunning_payment``) and the debtor's
form must list the same open lines and the same total. The SQL twin of the
definition is compiled from its domain, so an override of the domain changes
both.
"""

from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

STATEMENT = "report.account_dunning_advanced.report_dunning_statement"
TODAY = "2026-03-16"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOneDefinitionOfWhatIsOwed(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        debtor = cls.debtor
        cls.partial = cls._invoice(debtor, 1000, "2026-02-01")
        cls._pay(cls.partial, 400, on=d("2026-02-10"))
        cls.paid = cls._invoice(debtor, 500, "2026-02-05")
        cls._pay(cls.paid)
        cls.credited = cls._invoice(debtor, 300, "2026-02-10")
        cls._refund(cls.credited, 300, reconcile=True)
        cls.open_refund = cls._refund(cls.credited, 50, reconcile=False)
        # 800 EUR at 2 EUR for 1 of the company's currency: 400 owed.
        cls.foreign = cls._invoice(
            debtor, 800, "2026-04-30", invoice_date=d("2026-03-02"), currency=cls.eur
        )

    @classmethod
    def _refund(cls, invoice, amount, reconcile):
        """Post a credit note of amount for invoice, reconciled with it or not."""
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "invoice_date": invoice.invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Credit",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        if reconcile:
            (refund + invoice).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconcile()
        return refund

    def _receivable(self, moves):
        return moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_every_reader_sees_the_same_open_lines(self):
        expected = self._receivable(self.partial + self.open_refund + self.foreign)
        expected_total = 600 - 50 + 400
        Line = self.env["account.move.line"]
        self.assertEqual(
            Line.search(
                [
                    *Line._dunning_collectible_domain(self.company),
                    ("partner_id", "child_of", self.debtor.id),
                ]
            ),
            expected,
            "the domain: the partial, the open credit note and the foreign invoice",
        )

        # The planner (the daily run and the debtor's form).
        lines = self.env["dunning.planner"]._fetch_lines(self.company, [self.debtor.id])
        self.assertEqual({line.id for line in lines}, set(expected.ids))
        self.assertAlmostEqual(
            sum(line.amount_company for line in lines), expected_total
        )
        debtor = self.debtor.with_company(self.company)
        self.assertAlmostEqual(debtor.dunning_due_amount, expected_total)

        # The receivables analysis (the cockpit's figures and drill-downs).
        rows = self.env["dunning.receivable.report"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(set(rows.ids), set(expected.ids))
        self.assertAlmostEqual(sum(rows.mapped("amount_residual")), expected_total)

        # The statement of today.
        statement = self.env[STATEMENT]._get_statements(
            self.debtor, self.company, d("2026-01-01"), fields.Date.today()
        )[self.debtor.id]
        self.assertEqual(
            {item["line"].id for item in statement["open_items"]}, set(expected.ids)
        )
        self.assertAlmostEqual(statement["open_total"], expected_total)

        # The debtor's page.
        page = self.debtor._dunning_page_values(self.company, today=d(TODAY))
        self.assertEqual(
            {row["move"] for row in page["rows"]}, set(self.partial + self.foreign)
        )
        self.assertEqual(page["refunds"], self.open_refund)
        self.assertAlmostEqual(page["total_due"], expected_total)

    def test_the_sql_twin_is_compiled_from_the_domain(self):
        Line = self.env["account.move.line"]

        def sql_ids():
            return set(
                Line.env.execute_query(
                    SQL(
                        "SELECT aml.id FROM account_move_line aml WHERE %s",
                        Line._dunning_collectible_sql("aml", self.company),
                    )
                )
            )

        def orm_ids():
            return {
                (line_id,)
                for line_id in Line.search(
                    Line._dunning_collectible_domain(self.company)
                ).ids
            }

        self.assertEqual(sql_ids(), orm_ids())
        self.assertIn((self._receivable(self.foreign).id,), sql_ids())

        # A module that stops chasing foreign-currency invoices overrides the
        # domain only (a criterion needing a join, ``move_id.currency_id``):
        # the SQL of the planner and of the views follows.
        original = type(Line)._dunning_collectible_domain
        company_currency = self.company.currency_id.id

        def company_currency_only(model, company=None):
            return [
                *original(model, company),
                ("move_id.currency_id", "=", company_currency),
            ]

        with patch.object(
            type(Line), "_dunning_collectible_domain", company_currency_only
        ):
            self.assertEqual(sql_ids(), orm_ids())
            self.assertNotIn((self._receivable(self.foreign).id,), sql_ids())
            planned = self.env["dunning.planner"]._fetch_lines(
                self.company, [self.debtor.id]
            )
            self.assertEqual(
                {line.id for line in planned},
                set(self._receivable(self.partial + self.open_refund).ids),
            )

    def test_receivable_domain_and_sql_agree(self):
        """The history readers (cockpit stocks, forecast, penalties, score)
        see every posted receivable line, paid ones included."""
        Line = self.env["account.move.line"]
        lines = Line.search(Line._dunning_receivable_domain(self.company))
        self.assertIn(self._receivable(self.paid), lines)
        rows = Line.env.execute_query(
            SQL(
                "SELECT aml.id FROM account_move_line aml WHERE %s",
                Line._dunning_receivable_sql("aml", self.company),
            )
        )
        self.assertEqual({row[0] for row in rows}, set(lines.ids))

    def test_overdue_domain_and_sql_agree(self):
        Line = self.env["account.move.line"]
        on_date = d(TODAY)
        overdue = Line.search(Line._dunning_overdue_domain(on_date, self.company))
        self.assertEqual(overdue, self._receivable(self.partial))
        rows = Line.env.execute_query(
            SQL(
                "SELECT aml.id FROM account_move_line aml WHERE %s",
                Line._dunning_overdue_sql(on_date, "aml", self.company),
            )
        )
        self.assertEqual({row[0] for row in rows}, set(overdue.ids))
        self.assertTrue(self.debtor.with_company(self.company).dunning_has_overdue)
        self.assertIn(
            self.debtor,
            self.env["res.partner"].search([("dunning_has_overdue", "=", True)]),
        )
