# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivables analysis and the forecast are queries built at each read,
no stored views: an upgraded database loses its old views, and the receivable
accounts they read (cached) follow the accounts the accountant adds."""

import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common import DunningCommon

MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "18.0.2.0.1"


@tagged("post_install", "-at_install")
class TestReportQueries(DunningCommon):
    def test_upgrade_drops_the_old_views(self):
        for table in ("dunning_receivable_report", "dunning_forecast_report"):
            self.env.cr.execute(f"CREATE VIEW {table} AS SELECT 1 AS id")
        spec = importlib.util.spec_from_file_location(
            "dunning_migration_views", MIGRATION / "pre-migrate.py"
        )
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.2.0.0")
        self.env.cr.execute(
            "SELECT table_name FROM information_schema.views"
            " WHERE table_name IN ('dunning_receivable_report',"
            " 'dunning_forecast_report')"
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        # The analysis reads the ledger itself.
        debtor = self._create_debtor("Viewless SARL")
        self._invoice(debtor, 321, "2026-02-01")
        report = self.env["dunning.receivable.report"].search(
            [("partner_id", "=", debtor.id)]
        )
        self.assertEqual(sum(report.mapped("amount_residual")), 321)

    def test_account_added_after_a_read_is_chased(self):
        Line = self.env["account.move.line"]
        # A first read caches the receivable accounts.
        Line._dunning_collectible_domain(self.company)
        account = self.env["account.account"].create(
            {
                "code": "411200",
                "name": "Clients - douteux",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        debtor = self._create_debtor("Doubtful SAS")
        debtor.with_company(self.company).property_account_receivable_id = account
        invoice = self._invoice(debtor, 450, "2026-02-01")
        line = invoice.line_ids.filtered(lambda aml: aml.account_id == account)
        self.assertEqual(line.amount_residual, 450)
        # Runtime queries: the domain, its SQL twin (the planner's), and the
        # analysis.
        self.assertIn(line, Line.search(Line._dunning_collectible_domain(self.company)))
        _plan, lines = self.env["dunning.planner"]._compute_plan(
            self.company, invoice.invoice_date_due, debtor.ids
        )
        self.assertEqual([planned.id for planned in lines], line.ids)
        report = self.env["dunning.receivable.report"].search(
            [("partner_id", "=", debtor.id)]
        )
        self.assertEqual(sum(report.mapped("amount_residual")), 450)

    def test_account_made_receivable_after_a_read_is_chased(self):
        Line = self.env["account.move.line"]
        account = self.env["account.account"].create(
            {
                "code": "411300",
                "name": "Clients - export",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )
        Line._dunning_collectible_domain(self.company)
        account.account_type = "asset_receivable"
        debtor = self._create_debtor("Export GmbH")
        debtor.with_company(self.company).property_account_receivable_id = account
        invoice = self._invoice(debtor, 275, "2026-02-01")
        line = invoice.line_ids.filtered(lambda aml: aml.account_id == account)
        self.assertIn(line, Line.search(Line._dunning_collectible_domain(self.company)))
