# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestOpenFigureStore(DunningCommon):
    """The debtors' open receivables stored for the day: the cockpit reads
    them, and every change of a debtor's open lines after the store makes it
    read that debtor live, so that its figures are those of the ledger now.

    Every test compares the sums the cockpit reads (stored rows and live
    sums of the touched debtors) with the live definition, debtor by
    debtor: a change that did not touch its debtor leaves a stale stored
    row, and the comparison fails. The dates are relative to the database's
    date: the receivables analysis reads ``CURRENT_DATE``, and the equality
    holds on any day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.other = cls._create_debtor("Other SA")
        cls.contact = cls.debtor.child_ids[:1]
        cls.late = cls._invoice(cls.debtor, 1000, today - timedelta(days=120))
        cls.soon = cls._invoice(cls.debtor, 500, today + timedelta(days=10))
        cls.paid = cls._invoice(cls.debtor, 300, today - timedelta(days=20))
        cls._pay(cls.paid)
        cls.others = cls._invoice(cls.other, 700, today - timedelta(days=40))
        # An invoice of a contact: its debtor is the commercial partner.
        cls.contacts = cls._invoice(cls.contact, 200, today - timedelta(days=5))
        cls.OpenFigure = cls.env["dunning.open.figure"]
        cls.Figures = cls.env["dunning.cockpit.figures"]

    def _store(self):
        self.OpenFigure._dunning_store_open(self.company)
        self.env.flush_all()

    def _rows(self, query):
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id, residual, overdue, at_risk, late FROM (%s) sums",
                query,
            )
        )
        return {row[0]: tuple(round(float(x), 2) for x in row[1:]) for row in rows}

    def _read(self):
        """Return the debtors' sums as the cockpit reads them (stored and
        touched), after checking that the stored day is used."""
        self.env.flush_all()
        query = self.OpenFigure._dunning_debtor_rows_sql(self.company)
        self.assertIsNotNone(query, "today's open receivables are stored")
        return self._rows(query)

    def _live(self):
        self.env.flush_all()
        return self._rows(
            self.Figures._dunning_debtor_sums_sql(
                self.Figures._dunning_report_filter("report", self.company)
            )
        )

    def _touched(self):
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT partner_id FROM dunning_open_figure_touch "
                "WHERE company_id = %s",
                self.company.id,
            )
        )
        return {row[0] for row in rows}

    def _assert_exact(self):
        live = self._live()
        self.assertEqual(self._read(), live)
        return live

    def test_store_is_the_live_definition_and_the_cockpit_reads_it(self):
        self._store()
        self.assertFalse(self._touched())
        live = self._assert_exact()
        self.assertEqual(live[self.debtor.id][0], 1700.0)  # 1000 + 500 + 200
        self.assertEqual(live[self.debtor.id][2], 1000.0)  # 120 days late
        self.assertEqual(live[self.other.id][:2], (700.0, 700.0))
        # The dashboard's totals come from the stored rows: a stored row
        # changed behind the ORM shows (and only without a filter).
        total = self.Figures._dunning_kpis(self.company)["total_receivable"]
        self.env.cr.execute(
            SQL(
                "UPDATE dunning_open_figure SET amount_residual = "
                "amount_residual + 1000000 WHERE company_id = %s "
                "AND partner_id = %s",
                self.company.id,
                self.other.id,
            )
        )
        self.assertAlmostEqual(
            self.Figures._dunning_kpis(self.company)["total_receivable"],
            total + 1000000,
        )
        filtered = self.Figures._dunning_kpis(self.company, partners=self.other)
        self.assertAlmostEqual(filtered["total_receivable"], 700.0)

    def test_payment_and_its_undoing_touch_the_debtor(self):
        self._store()
        self._pay(self.late, amount=400)
        self.assertEqual(self._touched(), {self.debtor.id})
        live = self._assert_exact()
        # Overdue: 600 left of the late invoice, 200 of the contact's.
        self.assertEqual(live[self.debtor.id][1], 800.0)
        # The payment undone: the invoice owes 1000 again (the payment
        # stays on the account, unallocated: -400 of receivables).
        self.late.line_ids.remove_move_reconcile()
        live = self._assert_exact()
        self.assertEqual(live[self.debtor.id][:2], (1300.0, 1200.0))
        # The invoice paid before the store, unreconciled after it.
        self.paid.line_ids.remove_move_reconcile()
        live = self._assert_exact()
        self.assertEqual(live[self.debtor.id][:2], (1300.0, 1500.0))

    def test_reconciliation_alone_touches_the_debtor(self):
        # The payment of ``paid`` (posted before the store) taken off the
        # invoice, then set against it again: no entry is posted, only the
        # reconciliation changes.
        receivable = self.paid.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        payment_line = receivable.matched_credit_ids.credit_move_id
        self._store()
        receivable.remove_move_reconcile()
        self.assertEqual(self._touched(), {self.debtor.id})
        self.assertEqual(self._assert_exact()[self.debtor.id][:2], (1700.0, 1500.0))
        self._store()
        (receivable | payment_line).reconcile()
        self.assertEqual(self._touched(), {self.debtor.id})
        self.assertEqual(self._assert_exact()[self.debtor.id][:2], (1700.0, 1200.0))

    def test_posting_and_reset_to_draft_touch_the_debtor(self):
        self._store()
        new = self._invoice(self.other, 50, fields.Date.today() - timedelta(days=3))
        self.assertEqual(self._touched(), {self.other.id})
        self.assertEqual(self._assert_exact()[self.other.id][0], 750.0)
        new.button_draft()
        self.assertEqual(self._assert_exact()[self.other.id][0], 700.0)
        self.others.button_draft()
        self.assertNotIn(self.other.id, self._assert_exact())

    def test_due_date_change_touches_the_debtor(self):
        self._store()
        line = self.soon.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        line.date_maturity = fields.Date.today() - timedelta(days=100)
        live = self._assert_exact()
        self.assertEqual(live[self.debtor.id][2], 1500.0)  # 1000 + 500 at risk

    def test_contact_moved_to_another_debtor_touches_both(self):
        # A private customer invoiced on its own (its lines' partner is
        # itself), then filed under Other SA: its lines become Other SA's.
        private = self.env["res.partner"].create({"name": "J. Martin"})
        self._invoice(private, 80, fields.Date.today() - timedelta(days=2))
        self._store()
        self.assertEqual(self._read()[private.id][0], 80.0)
        private.parent_id = self.other
        self.assertEqual(self._touched(), {private.id, self.other.id})
        live = self._assert_exact()
        self.assertEqual(live[self.other.id][0], 780.0)
        self.assertNotIn(private.id, live)

    def test_merged_contact_touches_the_debtor_kept(self):
        # Two private customers, each invoiced: the merge moves the
        # duplicate's lines to the one kept in SQL.
        kept = self.env["res.partner"].create({"name": "J. Martin"})
        duplicate = self.env["res.partner"].create({"name": "J. Martin (bis)"})
        self._invoice(kept, 80, fields.Date.today() - timedelta(days=2))
        self._invoice(duplicate, 50, fields.Date.today() - timedelta(days=2))
        self._store()
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (kept | duplicate).ids, dst_partner=kept, extra_checks=False
        )
        self.assertFalse(duplicate.exists())
        self.assertEqual(self._touched(), {kept.id})
        self.assertEqual(self._assert_exact()[kept.id][0], 130.0)

    def test_another_day_or_a_new_receivable_account_reads_live(self):
        self._store()
        self.env.cr.execute(
            SQL(
                "UPDATE dunning_open_figure_snapshot SET date = CURRENT_DATE - 1 "
                "WHERE company_id = %s",
                self.company.id,
            )
        )
        self.assertIsNone(self.OpenFigure._dunning_debtor_rows_sql(self.company))
        self._store()
        self.assertIsNotNone(self.OpenFigure._dunning_debtor_rows_sql(self.company))
        self.env["account.account"].create(
            {
                "code": "411900",
                "name": "Doubtful receivables",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        self.assertIsNone(self.OpenFigure._dunning_debtor_rows_sql(self.company))

    def test_nightly_job_stores_the_day(self):
        self.env["dunning.month.end"]._cron_store_month_ends()
        snapshot = self.env["dunning.open.figure.snapshot"].search(
            [("company_id", "=", self.company.id)]
        )
        today = self.env.execute_query(SQL("SELECT CURRENT_DATE"))[0][0]
        self.assertEqual(snapshot.date, today)
        self.assertEqual(self._read(), self._live())
