# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestUi(DunningCommon, HttpCase):
    def test_collector_validates_a_reminder(self):
        collector = new_test_user(
            self.env,
            login="tour_collector",
            password="tour_collector",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.lvl_1.auto_execute = False
        # The collector's lists open on its own debtors.
        debtor = self._create_debtor("Tour Debtor", dunning_collector_id=collector.id)
        self._invoice(debtor, 1500, "2026-03-01")
        self._run("2026-03-10")
        action = self._actions(debtor)
        self.assertEqual(action.state, "draft")
        self.start_tour(
            "/odoo/action-account_dunning_advanced.dunning_action_action_to_validate",
            "account_dunning_advanced_validate",
            login=collector.login,
            # The first request compiles the asset bundles: slow on a busy machine.
            timeout=180,
        )
        self.assertEqual(action.state, "done")
        self.assertEqual(action.executed_by_id, collector)
        self.assertIn("ap@tourdebtor.example", self._mails(debtor).email_to)
