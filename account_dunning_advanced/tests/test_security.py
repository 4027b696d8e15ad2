# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestSecurity(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Other Co")["company"]
        cls.scenario_2 = cls._create_scenario(
            "Other",
            [("Only", 5, cls.tpl_first, {})],
            company=cls.company_2,
            is_default=True,
        )
        cls.collector = cls._new_user(
            "collector",
            "account_dunning_advanced.group_dunning_user",
        )
        cls.manager = cls._new_user(
            "credit_manager",
            "account_dunning_advanced.group_dunning_manager",
        )
        cls.billing = cls._new_user(
            "billing",
            "account.group_account_invoice",
        )
        cls._invoice(cls.debtor, 100, "2026-03-01")
        cls.other_debtor = cls._create_debtor("Other debtor")
        cls._invoice(cls.other_debtor, 300, "2026-03-01", company=cls.company_2)

    def test_companies_are_isolated(self):
        self._run("2026-03-10", company=self.company_2)
        other_action = self._actions(self.other_debtor)
        self.assertEqual(other_action.company_id, self.company_2)
        self.assertFalse(self._actions(), "company 2's run touched only company 2")
        self._run("2026-03-10")
        mine = self._actions()
        self.assertEqual(mine.company_id, self.company)
        Action = self.env["dunning.action"].with_user(self.collector)
        self.assertEqual(
            Action.search(
                [("partner_id", "in", (self.debtor | self.other_debtor).ids)]
            ),
            mine,
        )
        with self.assertRaises(AccessError):
            Action.browse(other_action.id).read(["amount_due"])
        runs = self.env["dunning.run"].with_user(self.collector).search([])
        self.assertEqual(runs.company_id, self.company)

    def test_collector_runs_and_validates_but_does_not_configure(self):
        self.lvl_1.auto_execute = False
        run = (
            self.env["dunning.run"]
            .with_user(self.collector)
            .create({"date": "2026-03-10"})
        )
        run.action_run()
        action = (
            self.env["dunning.action"]
            .with_user(self.collector)
            .search([("partner_id", "=", self.debtor.id)])
        )
        self.assertEqual(action.state, "draft")
        action.action_execute()
        self.assertEqual(action.state, "done", action.error_message)
        with self.assertRaises(AccessError):
            self.scenario.with_user(self.collector).name = "Mine now"
        with self.assertRaises(AccessError):
            self.env["dunning.contact.role"].with_user(self.collector).create(
                {"name": "Hacker"}
            )
        with self.assertRaises(AccessError):
            action.with_user(self.collector).unlink()

    def test_manager_configures(self):
        self.scenario.with_user(self.manager).name = "Renamed"
        self.assertEqual(self.scenario.name, "Renamed")
        role = (
            self.env["dunning.contact.role"]
            .with_user(self.manager)
            .create({"name": "Treasury"})
        )
        self.assertTrue(role.exists())

    def test_billing_user_sees_no_collections(self):
        with self.assertRaises(AccessError):
            self.env["dunning.action"].with_user(self.billing).search([])
        # ...but can still open a partner and its contact roles.
        partner = self.debtor.with_user(self.billing)
        self.assertTrue(partner.child_ids.dunning_role_ids)
