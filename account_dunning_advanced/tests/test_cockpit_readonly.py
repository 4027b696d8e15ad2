# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The read-heavy screens are served on a read-only cursor (Odoo 18 replica).

Called through the web client's RPC routes (``/web/dataset/call_kw``,
``/web/dataset/call_button``), which open a read-only cursor for the methods
marked ``api.readonly`` (``db_replica_host``: the standby serves them) and
retry on a read/write cursor when such a method writes. Each method is
wrapped to record the kind of cursor of every call: one call, read-only,
means it is marked and writes nothing.
"""

from datetime import timedelta
from functools import wraps
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestCockpitReadonly(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._new_user(
            "cockpit_readonly",
            "account_dunning_advanced.group_dunning_manager,"
            "account.group_account_invoice",
            password="cockpit_readonly",
        )
        today = fields.Date.today()
        # 95 days late: newly more than 90 days late (an alert).
        cls._invoice(cls.debtor, 1000, today - timedelta(days=95))
        cls._invoice(cls.debtor, 250, today + timedelta(days=10))

    def setUp(self):
        super().setUp()
        self.authenticate(self.manager.login, self.manager.login)

    def _call(self, route, model, method, args, kwargs=None):
        """Call ``model.method`` through ``route``; return its result and the
        ``readonly`` flag of the cursor of each call of the method."""
        cursors = []
        cls = type(self.env[model])
        original = getattr(cls, method)

        # wraps: the spy keeps the method's markers (api.model, api.readonly).
        @wraps(original)
        def spy(records, *call_args, **call_kwargs):
            cursors.append(records.env.cr.readonly)
            return original(records, *call_args, **call_kwargs)

        self.env.flush_all()
        with patch.object(cls, method, spy):
            result = self.make_jsonrpc_request(
                f"{route}/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )
        return result, cursors

    def test_dashboard_opens_read_only(self):
        # As the web client opens the form: its fields, the company first.
        spec = {
            "company_id": {},
            "total_receivable": {},
            "overdue_amount": {},
            "alerts": {},
        }
        result, cursors = self._call(
            "/web/dataset/call_kw",
            "dunning.dashboard",
            "onchange",
            [[], {}, [], spec],
            {"context": {"allowed_company_ids": [self.company.id]}},
        )
        self.assertEqual(cursors, [True])
        self.assertAlmostEqual(result["value"]["total_receivable"], 1250.0)
        self.assertAlmostEqual(result["value"]["overdue_amount"], 1000.0)
        self.assertIn("Debtor SA", result["value"]["alerts"] or "")

    def test_dashboard_drill_down_read_only(self):
        dashboard = (
            self.env["dunning.dashboard"]
            .with_user(self.manager)
            .with_company(self.company)
            .create({})
        )
        action, cursors = self._call(
            "/web/dataset/call_button",
            "dunning.dashboard",
            "action_open_overdue",
            [dashboard.ids],
            {"context": {"allowed_company_ids": [self.company.id]}},
        )
        self.assertEqual(cursors, [True])
        self.assertEqual(action["res_model"], "dunning.receivable.report")
        self.assertIn(["is_overdue", "=", True], action["domain"])

    def test_receivables_analysis_read_only(self):
        groups, cursors = self._call(
            "/web/dataset/call_kw",
            "dunning.receivable.report",
            "web_read_group",
            [
                [["company_id", "=", self.company.id]],
                ["amount_residual:sum"],
                ["ageing"],
            ],
            {"context": {"allowed_company_ids": [self.company.id]}},
        )
        self.assertEqual(cursors, [True])
        amounts = {
            group["ageing"]: group["amount_residual"] for group in groups["groups"]
        }
        self.assertEqual(amounts, {"not_due": 250.0, "90_plus": 1000.0})

    def test_statement_read_only(self):
        action, cursors = self._call(
            "/web/dataset/call_button",
            "res.partner",
            "action_dunning_statement",
            [self.debtor.ids],
        )
        self.assertEqual(cursors, [True])
        self.assertEqual(action["res_model"], "dunning.statement.wizard")
        wizard = (
            self.env["dunning.statement.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.debtor.id})
        )
        action, cursors = self._call(
            "/web/dataset/call_button",
            "dunning.statement.wizard",
            "action_view",
            [wizard.ids],
        )
        self.assertEqual(cursors, [True])
        self.assertEqual(
            action["report_name"],
            "account_dunning_advanced.report_dunning_statement",
        )
