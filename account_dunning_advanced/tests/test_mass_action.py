# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestMassAction(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scenario.level_ids.auto_execute = False
        cls.debtor_2 = cls._create_debtor("Second SA")
        cls.debtor_3 = cls._create_debtor("Third SA")
        for debtor in (cls.debtor, cls.debtor_2, cls.debtor_3):
            cls._invoice(debtor, 400, "2026-01-10")
        cls.collector = cls._new_user(
            "mass_collector", "account_dunning_advanced.group_dunning_user"
        )

    def _wizard(self, operation, records, **vals):
        return (
            self.env["dunning.mass.action"]
            .with_context(
                active_model=records._name,
                active_ids=records.ids,
                dunning_mass_operation=operation,
            )
            .create(vals)
        )

    def test_validate_counts_and_sends(self):
        self._run("2026-01-20")
        actions = self.env["dunning.action"].search(
            [("partner_id", "in", (self.debtor | self.debtor_2 | self.debtor_3).ids)]
        )
        self.assertEqual(len(actions), 3)
        actions[0].action_cancel()
        wizard = self._wizard("validate", actions)
        # The cancelled one is not validated, nor counted.
        self.assertEqual(wizard.record_count, 2)
        self.assertEqual(wizard.confirmation, "Validate 2 actions?")
        wizard.action_confirm()
        self.assertEqual(actions.mapped("state"), ["cancel", "done", "done"])

    def test_reassign_the_debtors(self):
        debtors = self.debtor | self.debtor_2
        wizard = self._wizard("reassign", debtors, collector_id=self.collector.id)
        self.assertEqual(wizard.confirmation, "Reassign 2 debtors?")
        wizard.action_confirm()
        self.assertEqual(debtors.dunning_collector_id, self.collector)
        self.assertFalse(self.debtor_3.dunning_collector_id)
        # The actions' collector follows, so that their lists group by it.
        self._run("2026-01-20")
        mine = self.env["dunning.action"].search(
            [("collector_id", "=", self.collector.id)]
        )
        self.assertEqual(mine.partner_id, debtors)

    def test_reassign_from_actions_counts_debtors(self):
        self._run("2026-01-20")
        actions = self._actions() | self._actions(self.debtor_2)
        wizard = self._wizard("reassign", actions, collector_id=self.collector.id)
        self.assertEqual(wizard.record_count, 2)
        wizard.action_confirm()
        self.assertEqual(actions.collector_id, self.collector)

    def test_reassign_refuses_a_collector_of_another_company(self):
        other = self.setup_other_company(name="Mass B")["company"]
        outsider = new_test_user(
            self.env,
            login="mass_outsider",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=other.id,
            company_ids=[other.id],
        )
        wizard = self._wizard("reassign", self.debtor, collector_id=outsider.id)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self.debtor.dunning_collector_id)

    def test_pause_until_a_date(self):
        debtors = self.debtor | self.debtor_3
        wizard = self._wizard(
            "pause", debtors, pause_until=d("2099-01-31"), pause_reason="Audit"
        )
        self.assertEqual(wizard.confirmation, "Pause the reminders of 2 debtors?")
        wizard.action_confirm()
        self.assertEqual(set(debtors.mapped("dunning_paused_until")), {d("2099-01-31")})
        self.assertEqual(set(debtors.mapped("dunning_pause_reason")), {"Audit"})
        self.assertFalse(self.debtor_2.dunning_paused_until)
        with self.assertRaises(UserError):
            self._wizard(
                "pause", self.debtor_2, pause_until=d("2020-01-01")
            ).action_confirm()

    def test_other_company_records_are_not_counted(self):
        self._run("2026-01-20")
        actions = self._actions()
        stranger = new_test_user(
            self.env,
            login="mass_stranger",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.setup_other_company(name="Mass C")["company"].id,
        )
        stranger.company_ids = stranger.company_id
        wizard = (
            self.env["dunning.mass.action"]
            .with_user(stranger)
            .with_context(
                active_model="dunning.action",
                active_ids=actions.ids,
                dunning_mass_operation="validate",
                allowed_company_ids=stranger.company_id.ids,
            )
            .create({})
        )
        self.assertEqual(wizard.record_count, 0)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(actions.state, "draft")
