# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestConfiguration(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_tag = cls.env["res.partner.category"].create({"name": "Key"})
        cls.key_scenario = cls._create_scenario(
            "Key accounts", [("Gentle", 15, cls.tpl_first, {})], sequence=5
        )
        cls.strict_scenario = cls._create_scenario(
            "Strict", [("Early", 1, cls.tpl_first, {})], sequence=6
        )
        cls.env["dunning.scenario.rule"].create(
            [
                {
                    "scenario_id": cls.key_scenario.id,
                    "sequence": 1,
                    "category_ids": [Command.set(cls.key_tag.ids)],
                },
                {
                    "scenario_id": cls.strict_scenario.id,
                    "sequence": 2,
                    "country_ids": [Command.set(cls.env.ref("base.be").ids)],
                    "min_overdue_amount": 1000,
                },
            ]
        )

    def _scenario_of(self, partner, overdue=0.0):
        return self.env["dunning.scenario"]._resolve_for_partners(
            partner, self.company, {partner.id: overdue}
        )[partner.id]

    def test_scenario_selection(self):
        plain = self._create_debtor("Plain", with_contacts=False)
        self.assertEqual(self._scenario_of(plain), self.scenario, "company default")
        key = self._create_debtor(
            "Key", with_contacts=False, category_id=[Command.set(self.key_tag.ids)]
        )
        self.assertEqual(self._scenario_of(key), self.key_scenario, "tag rule")
        belgian = self._create_debtor(
            "Belge", with_contacts=False, country_id=self.env.ref("base.be").id
        )
        self.assertEqual(
            self._scenario_of(belgian, 999), self.scenario, "below the rule's amount"
        )
        self.assertEqual(self._scenario_of(belgian, 1500), self.strict_scenario)
        key.with_company(self.company).dunning_scenario_id = self.strict_scenario
        self.assertEqual(
            self._scenario_of(key), self.strict_scenario, "forced wins over rules"
        )

    def test_rule_drives_the_run(self):
        key = self._create_debtor("Key", category_id=[Command.set(self.key_tag.ids)])
        self._invoice(key, 500, "2026-03-01")
        self._run("2026-03-10")
        self.assertFalse(self._actions(key), "the gentle scenario waits 15 days")
        self._run("2026-03-16")
        self.assertEqual(self._actions(key).scenario_id, self.key_scenario)
        self.assertEqual(key.dunning_action_ids.level_id.name, "Gentle")

    def test_same_delay_refused(self):
        with self.assertRaisesRegex(ValidationError, "same delay"):
            self.env["dunning.level"].create(
                {
                    "scenario_id": self.scenario.id,
                    "name": "Duplicate",
                    "sequence": 99,
                    "delay_days": 20,
                    "mail_template_id": self.tpl_first.id,
                }
            )

    def test_delays_must_follow_the_order(self):
        with self.assertRaisesRegex(ValidationError, "increasing delays"):
            self.lvl_1.sequence = 99

    def test_negative_interval_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.lvl_1.min_interval_days = -3

    def test_email_level_needs_a_template(self):
        with self.assertRaisesRegex(ValidationError, "template"):
            self.lvl_1.mail_template_id = False

    def test_one_default_per_company(self):
        with self.assertRaisesRegex(ValidationError, "one default"):
            self.key_scenario.is_default = True

    def test_engine_scenario_of_the_levels(self):
        # The engine sees the scenario's levels in delay order, each one the
        # level record it stands for, and the escalation level once chosen.
        spec = self.scenario._get_engine_scenarios()[self.scenario.id]
        self.assertEqual([lvl.delay_days for lvl in spec.levels], [-2, 5, 20, 40])
        self.assertEqual(
            [lvl.id for lvl in spec.levels],
            (self.lvl_pre | self.lvl_1 | self.lvl_2 | self.lvl_3).ids,
        )
        self.assertEqual(spec.mode, self.scenario.mode)
        self.assertIsNone(spec.escalation_level, "no level chosen yet")
        self.lvl_2.after_broken_promise = True
        spec = self.scenario._get_engine_scenarios()[self.scenario.id]
        self.assertEqual(spec.escalation_level.id, self.lvl_2.id)
