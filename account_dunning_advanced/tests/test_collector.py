# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestTeamwork(DunningCommon):
    def test_collector_defaults_and_followers(self):
        sales = new_test_user(self.env, login="sales_rep", groups="base.group_user")
        default_collector = new_test_user(
            self.env, login="scenario_collector", groups="base.group_user"
        )
        self.debtor.user_id = sales
        self.assertEqual(self.debtor._dunning_get_collector(), sales)
        self.scenario.user_id = default_collector
        self.assertEqual(self.debtor._dunning_get_collector(), default_collector)
        self.assertEqual(self.debtor.dunning_effective_collector_id, default_collector)
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-03-06")
        followers = self.debtor.message_partner_ids
        self.assertIn(sales.partner_id, followers)
        self.assertIn(default_collector.partner_id, followers)
        found = self.env["res.partner"].search(
            [("dunning_effective_collector_id", "=", sales.id)]
        )
        self.assertNotIn(self.debtor, found, "the scenario's collector comes first")

    def test_my_collections_today(self):
        me = new_test_user(
            self.env,
            login="collector_today",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.debtor.dunning_collector_id = me
        quiet = self._create_debtor("Quiet")
        quiet.dunning_collector_id = me
        self.lvl_1.auto_execute = False
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-03-06")
        Partner = self.env["res.partner"].with_user(me)
        today = Partner.search(
            [
                ("dunning_todo", "!=", False),
                ("dunning_effective_collector_id", "=", me.id),
            ]
        )
        self.assertEqual(today, self.debtor)
        self.assertIn("reminders to validate", today.dunning_todo)
        self._actions().action_execute()
        self.assertFalse(
            Partner.search(
                [
                    ("dunning_todo", "!=", False),
                    ("dunning_effective_collector_id", "=", me.id),
                ]
            )
        )
