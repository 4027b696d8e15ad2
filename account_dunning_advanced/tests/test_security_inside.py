# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import DunningCommon


class InsideCommon(DunningCommon):
    """Company A (ours) and company B, each with an overdue debtor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.debtor_b = cls._create_debtor("Secret Debtor B", with_contacts=False)
        cls._invoice(
            cls.debtor_b, 7777, cls.today - timedelta(days=120), company=cls.company_b
        )
        cls._invoice(cls.debtor, 300, cls.today - timedelta(days=40))

        def user(login, groups, companies):
            return new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=groups,
                company_id=companies[0].id,
                company_ids=[c.id for c in companies],
            )

        manager = "account_dunning_advanced.group_dunning_manager"
        cls.manager_a = user("manager_a", manager, [cls.company])
        cls.manager_ab = user("manager_ab", manager, [cls.company, cls.company_b])
        cls.collector = user(
            "collector_a", "account_dunning_advanced.group_dunning_user", [cls.company]
        )
        cls.billing = user("billing_a", "account.group_account_invoice", [cls.company])


@tagged("post_install", "-at_install")
class TestCockpitCompany(InsideCommon):
    def test_foreign_company_figures_refused(self):
        """A manager of A setting company B on the cockpit gets an error."""
        Dashboard = self.env["dunning.dashboard"].with_user(self.manager_a)
        # Own company: the figures.
        mine = Dashboard.create({})
        self.assertEqual(mine.company_id, self.company)
        self.assertEqual(mine.total_receivable, 300)
        self.assertNotIn("Secret Debtor B", mine.top_debtors)
        # create / write / new record (onchange) with company B.
        with self.assertRaisesRegex(AccessError, f"#{self.company_b.id}"):
            Dashboard.create({"company_id": self.company_b.id})
        with self.assertRaises(AccessError):
            mine.write({"company_id": self.company_b.id})
        with self.assertRaises(AccessError):
            self.assertFalse(
                Dashboard.new({"company_id": self.company_b.id}).total_receivable
            )
        # A dashboard of B made by someone else: no figure, no drill-down.
        foreign = self.env["dunning.dashboard"].create(
            {"company_id": self.company_b.id}
        )
        foreign_as_a = foreign.with_user(self.manager_a)
        for name in ("total_receivable", "top_debtors", "alerts"):
            with self.assertRaises(AccessError):
                foreign_as_a.invalidate_recordset()
                foreign_as_a.read([name])
        for method in (
            "action_open_receivables",
            "action_open_overdue",
            "action_open_at_risk",
            "action_open_promises_week",
            "action_open_promises_broken",
            "action_open_disputes",
            "action_open_actions_today",
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(foreign_as_a, method)()
        # The private figures too.
        with self.assertRaises(AccessError):
            Dashboard._dunning_kpis(self.company_b)
        with self.assertRaises(AccessError):
            Dashboard._dunning_alerts(self.company_b)

    def test_request_companies_count(self):
        """Allowed in B but working in A only (company switcher): refused."""
        Dashboard = self.env["dunning.dashboard"].with_user(self.manager_ab)
        in_b = Dashboard.with_context(
            allowed_company_ids=[self.company_b.id]
        )._dunning_kpis(self.company_b)
        self.assertEqual(in_b["total_receivable"], 7777)
        with self.assertRaises(AccessError):
            Dashboard.with_context(allowed_company_ids=[self.company.id])._dunning_kpis(
                self.company_b
            )

    def test_billing_user_has_no_cockpit(self):
        with self.assertRaises(AccessError):
            self.env["dunning.dashboard"].with_user(self.billing)._dunning_kpis(
                self.company
            )


@tagged("post_install", "-at_install")
class TestDigestCompany(InsideCommon):
    def _mails(self, subscription):
        return self.env["mail.mail"].search(
            [("model", "=", subscription._name), ("res_id", "=", subscription.id)]
        )

    def test_user_who_lost_the_company_gets_nothing(self):
        Subscription = self.env["dunning.digest.subscription"]
        subscription = Subscription.create(
            {"user_id": self.manager_ab.id, "company_id": self.company_b.id}
        )
        self.manager_ab.write(
            {
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        with self.assertLogs(
            "odoo.addons.account_dunning_advanced.models.cockpit.dunning_digest_subscription",
            "WARNING",
        ):
            sent = Subscription._cron_send_digests(today=self.today)
        self.assertNotIn(subscription, sent)
        self.assertFalse(self._mails(subscription))
        self.assertFalse(subscription.last_sent)

    def test_digest_keeps_to_its_company(self):
        """A manager's digest of A never lists B's debtors."""
        subscription = self.env["dunning.digest.subscription"].create(
            {"user_id": self.manager_ab.id, "company_id": self.company.id}
        )
        self.env["dunning.promise"].create(
            {
                "partner_id": self.debtor_b.id,
                "company_id": self.company_b.id,
                "date": self.today - timedelta(days=1),
            }
        )
        self.env["dunning.digest.subscription"]._cron_send_digests(today=self.today)
        body = self._mails(subscription).body_html
        self.assertIn("Debtor SA", body)
        self.assertNotIn("Secret Debtor B", body)

    def test_subscribing_others(self):
        Subscription = self.env["dunning.digest.subscription"]
        with self.assertRaises(AccessError):
            Subscription.with_user(self.collector).create(
                {"user_id": self.manager_a.id}
            )
        with self.assertRaises(AccessError):
            Subscription.with_user(self.collector).create(
                {"company_id": self.company_b.id}
            )
        own = Subscription.with_user(self.collector).create({})
        with self.assertRaises(AccessError):
            own.write({"user_id": self.manager_a.id})
        # A manager subscribes a collector, to a company the collector sees.
        Subscription.with_user(self.manager_ab).create(
            {"user_id": self.collector.id, "company_id": self.company.id}
        )
        with self.assertRaises(ValidationError):
            Subscription.with_user(self.manager_ab).create(
                {"user_id": self.collector.id, "company_id": self.company_b.id}
            )


@tagged("post_install", "-at_install")
class TestButtonsChecked(InsideCommon):
    def test_collections_buttons_need_the_group(self):
        """Buttons hidden from a billing user are refused through RPC too."""
        partner = self.debtor.with_user(self.billing)
        for method in (
            "action_view_dunning_actions",
            "action_dunning_force_level",
            "action_view_dunning_ageing",
            "action_dunning_new_dispute",
            "action_dunning_new_plan",
            "action_dunning_new_promise",
            "action_dunning_schedule_call",
            "action_dunning_statement",
            "action_dunning_collection_file",
            "action_dunning_end_litigation",
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(partner, method)()
        self.debtor.dunning_litigation = True
        with self.assertRaises(AccessError):
            partner.action_dunning_end_litigation()
        self.assertTrue(self.debtor.dunning_litigation)
        self.assertFalse(self.debtor.activity_ids)
        invoice = self.debtor.invoice_ids[:1].with_user(self.billing)
        with self.assertRaises(AccessError):
            invoice.action_dunning_force_level()
        # The collector may.
        as_collector = self.debtor.with_user(self.collector)
        self.assertEqual(
            as_collector.action_view_dunning_ageing()["res_model"],
            "dunning.receivable.report",
        )
        as_collector.action_dunning_end_litigation()
        self.assertFalse(self.debtor.dunning_litigation)


@tagged("post_install", "-at_install")
class TestCockpitRpc(InsideCommon, HttpCase):
    def test_rpc_company_b_refused(self):
        """Through the real JSON-RPC route: an error, no figure of B."""
        self.authenticate("manager_a", "manager_a")
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/dunning.dashboard/web_save",
                {
                    "model": "dunning.dashboard",
                    "method": "web_save",
                    "args": [[], {"company_id": self.company_b.id}],
                    "kwargs": {
                        "specification": {"total_receivable": {}, "top_debtors": {}}
                    },
                },
            )
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        self.assertFalse(
            self.env["dunning.dashboard"].search(
                [("company_id", "=", self.company_b.id)]
            )
        )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/dunning.dashboard/onchange",
                {
                    "model": "dunning.dashboard",
                    "method": "onchange",
                    "args": [
                        [],
                        {"company_id": self.company_b.id},
                        ["company_id"],
                        {"company_id": {}, "total_receivable": {}},
                    ],
                    "kwargs": {
                        "context": {"allowed_company_ids": [self.company.id]},
                    },
                },
            )
