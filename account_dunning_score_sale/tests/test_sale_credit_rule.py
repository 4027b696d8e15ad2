# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.account_dunning_score.tests.common import ScoreCommon


@tagged("post_install", "-at_install")
class TestSaleCreditRule(ScoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["dunning.credit.rule"].create(
            {
                "name": "Poor payers",
                "policy": "hold",
                "deposit_percent": 30,
                "grade_ids": [Command.set(cls.grades["D"].ids)],
            }
        )
        cls._score()

    def _order(self, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.debtor).id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 10})
                ],
            }
        )

    def test_hold_blocks(self):
        order = self._order()
        self.assertIn("on hold", order.dunning_credit_warning)
        with self.assertRaisesRegex(UserError, "on hold"):
            order.action_confirm()
        order.action_dunning_credit_approve()
        with self.assertRaisesRegex(UserError, "on hold"):
            order.action_confirm()

    def test_deposit_and_advance_need_a_waiver(self):
        for policy, text in (("deposit", "deposit of 30"), ("advance", "in advance")):
            self.rule.policy = policy
            self.env.invalidate_all()
            order = self._order()
            with self.assertRaisesRegex(UserError, text):
                order.action_confirm()
            salesman = self.env["res.users"].create(
                {
                    "name": f"Salesman {policy}",
                    "login": f"salesman_{policy}",
                    "groups_id": [
                        Command.set(self.env.ref("sales_team.group_sale_salesman").ids)
                    ],
                }
            )
            with self.assertRaises(AccessError):
                order.with_user(salesman).action_dunning_credit_approve()
            order.action_dunning_credit_approve()
            self.assertTrue(order.dunning_credit_approved)
            order.action_confirm()
            self.assertEqual(order.state, "sale")

    def test_good_payer_and_no_rule(self):
        good = self._create_debtor("Good", with_contacts=False)
        order = self._order(good)
        self.assertFalse(order.dunning_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.rule.policy = "none"
        self.env.invalidate_all()
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_warning_for_a_debtor_in_proceedings(self):
        """A quotation to a customer under insolvency proceedings says so,
        with the judgment's date, first; not once the order is confirmed."""
        self.rule.unlink()
        order = self._order()
        self.assertNotIn("insolvency", order.dunning_credit_warning or "")
        self.env["dunning.proceeding"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "kind": "safeguard",
                "judgment_date": "2026-02-03",
            }
        ).action_confirm()
        order.invalidate_recordset(["dunning_credit_warning"])
        self.assertTrue(
            order.dunning_credit_warning.startswith(
                "Customer under insolvency proceedings since 02/03/2026"
            ),
            order.dunning_credit_warning,
        )
        other = self._order(self._create_debtor("Healthy SAS"))
        self.assertNotIn("insolvency", other.dunning_credit_warning or "")
        order.action_confirm()
        order.invalidate_recordset(["dunning_credit_warning"])
        self.assertFalse(order.dunning_credit_warning)
