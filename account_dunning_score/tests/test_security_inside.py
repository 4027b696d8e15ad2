# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..engine import scoring
from .common import ScoreCommon

SCORE_FIELDS = [
    "dunning_grade_id",
    "dunning_score",
    "dunning_score_explanation",
    "dunning_score_trend",
    "dunning_score_id",
    "dunning_credit_limit_suggested",
    "dunning_credit_rule_id",
]


@tagged("post_install", "-at_install")
class TestScoreConfidential(ScoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["dunning.credit.rule"].create(
            {
                "name": "Poor payers",
                "policy": "hold",
                "grade_ids": [Command.set(cls.grades["D"].ids)],
            }
        )
        cls._score()
        cls.portal = new_test_user(
            cls.env,
            login="portal_debtor",
            groups="base.group_portal",
            partner_id=cls.debtor.child_ids[:1].id,
        )
        cls.salesman = cls._new_user(
            "salesman_score",
            "base.group_user,base.group_partner_manager",
        )
        cls.billing = cls._new_user(
            "billing_score",
            "account.group_account_invoice",
        )
        cls.collector = cls._new_user(
            "collector_score",
            "account_dunning_advanced.group_dunning_user",
        )

    def test_portal_and_salesman_do_not_read_scores(self):
        self.assertEqual(self.debtor.dunning_grade_id, self.grades["D"])
        for user in (self.portal, self.salesman):
            partner = self.debtor.with_user(user)
            for name in SCORE_FIELDS:
                with self.assertRaises(AccessError, msg=f"{user.login} {name}"):
                    partner.read([name])
            # The views do not offer the fields either.
            self.assertNotIn(
                "dunning_grade_id", partner.fields_get(attributes=["type"])
            )
        # The salesman's warning names the rule, not the grade.
        message = self.debtor.with_user(self.salesman).read(["dunning_credit_message"])[
            0
        ]["dunning_credit_message"]
        self.assertIn("on hold", message)
        self.assertNotIn(self.grades["D"].name, message)
        # Accounting and collections users read them, with the grade.
        for user in (self.billing, self.collector):
            values = self.debtor.with_user(user).read(
                ["dunning_grade_id", "dunning_credit_message"]
            )[0]
            self.assertEqual(values["dunning_grade_id"][0], self.grades["D"].id)
            self.assertIn(self.grades["D"].name, values["dunning_credit_message"])

    def test_score_buttons_checked_on_server(self):
        partner = self.debtor.with_user(self.salesman)
        with self.assertRaises(AccessError):
            partner.action_dunning_compute_score()
        with self.assertRaises(AccessError):
            partner.action_view_dunning_score_history()
        self.assertTrue(
            self.debtor.with_user(self.collector).action_dunning_compute_score()
        )

    def test_cockpit_grade_of_the_dashboard_company(self):
        """The grade column shows the grade in the dashboard's company."""
        company_b = self.setup_other_company(name="Grade Co B")["company"]
        manager = new_test_user(
            self.env,
            login="manager_two_companies",
            groups="account_dunning_advanced.group_dunning_manager",
            company_id=self.company.id,
            company_ids=[self.company.id, company_b.id],
        )
        partner = self._create_debtor("Two Companies SA", with_contacts=False)
        self._invoice(
            partner, 900, fields.Date.today() - timedelta(days=30), company=company_b
        )
        Score = self.env["dunning.partner.score"]
        Score.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "has_history": True,
                    "grade_id": self.grades["A"].id,
                },
                {
                    "partner_id": partner.id,
                    "company_id": company_b.id,
                    "has_history": True,
                    "grade_id": self.grades["E"].id,
                },
            ]
        )
        # Current company A (first allowed), dashboard of B.
        dashboard = (
            self.env["dunning.dashboard"]
            .with_user(manager)
            .with_context(allowed_company_ids=[self.company.id, company_b.id])
            .create({"company_id": company_b.id})
        )
        self.assertEqual(dashboard.env.company, self.company)
        self.assertIn("Two Companies SA", dashboard.top_debtors)
        self.assertIn(self.grades["E"].display_name, dashboard.top_debtors)
        self.assertNotIn(self.grades["A"].display_name, dashboard.top_debtors)


@tagged("post_install", "-at_install")
class TestHoldOverride(ScoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        no_history = cls.grades[scoring.NO_HISTORY]
        cls.env["dunning.credit.rule"].create(
            {
                "name": "New customers",
                "policy": "hold",
                "grade_ids": [Command.set(no_history.ids)],
            }
        )
        # The company scores people (off by default, GDPR art. 22).
        cls.company.dunning_score_people = True
        cls.person = cls.env["res.partner"].create({"name": "Jeanne Martin"})
        cls.firm = cls._create_debtor("New Firm SA", with_contacts=False)
        cls.manager = cls._new_user(
            "override_manager",
            "account_dunning_advanced.group_dunning_manager",
        )
        cls.collector = cls._new_user(
            "override_collector",
            "account_dunning_advanced.group_dunning_user",
        )

    def _wizard(self, user, partner, reason="Checked by phone"):
        return (
            self.env["dunning.hold.override"]
            .with_user(user)
            .create({"partner_id": partner.id, "reason": reason})
        )

    def test_manager_overrides_a_person_hold_with_a_reason(self):
        person = self.person
        self.assertTrue(person.dunning_natural_person)
        self.assertEqual(person.dunning_credit_policy, "hold")
        self.assertFalse(person.dunning_credit_hold_overridden)
        # Not a collector, not even by writing the fields through RPC.
        with self.assertRaises(AccessError):
            self._wizard(self.collector, person).action_confirm()
        with self.assertRaises(AccessError):
            person.with_user(self.collector).action_dunning_override_hold()
        with self.assertRaises(AccessError):
            person.with_user(self.collector).write(
                {"dunning_hold_override": True, "dunning_hold_override_reason": "x"}
            )
        self.assertFalse(person.dunning_hold_override)
        # A reason is required.
        with self.assertRaises(UserError):
            person.with_user(self.manager)._dunning_override_hold("  ")
        action = person.with_user(self.manager).action_dunning_override_hold()
        self.assertEqual(action["res_model"], "dunning.hold.override")
        self._wizard(self.manager, person, "Late invoices were disputed").with_context(
            mail_notrack=False, tracking_disable=False
        ).action_confirm()
        self.assertTrue(person.dunning_hold_override)
        self.assertEqual(
            person.dunning_hold_override_reason, "Late invoices were disputed"
        )
        self.assertEqual(person.dunning_hold_override_user_id, self.manager)
        self.assertTrue(person.dunning_hold_override_date)
        self.assertTrue(person.dunning_credit_hold_overridden)
        self.assertIn("overridden", person.dunning_credit_message)
        bodies = person.message_ids.mapped("body")
        self.assertTrue(
            any("Late invoices were disputed" in body for body in bodies), bodies
        )
        self.env.cr.precommit.run()  # the tracking is written on commit
        tracked = person.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("dunning_hold_override_reason", tracked)
        # Cancelled: the hold is back.
        person.with_user(self.manager).action_dunning_cancel_hold_override()
        self.assertFalse(person.dunning_credit_hold_overridden)

    def test_company_hold_is_not_overridden(self):
        self.assertFalse(self.firm.dunning_natural_person)
        with self.assertRaisesRegex(UserError, "natural person"):
            self._wizard(self.manager, self.firm).action_confirm()
        vat_person = self.env["res.partner"].create(
            {"name": "Sole trader", "vat": "FR23334175221"}
        )
        self.assertFalse(vat_person.dunning_natural_person)
