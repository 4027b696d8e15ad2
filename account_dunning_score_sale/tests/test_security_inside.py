# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.account_dunning_score.engine import scoring
from odoo.addons.account_dunning_score.tests.common import ScoreCommon

# A 1x1 transparent PNG: the customer's signature.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB"
    "0C8AAAAASUVORK5CYII="
)


class SaleInsideCommon(ScoreCommon):
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
        cls.salesman = cls._new_user(
            "salesman_inside",
            "sales_team.group_sale_salesman",
        )

    def _order(self, partner=None, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.debtor).id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create({"product_id": self.product_a.id, "price_unit": 10})
                ],
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestSaleCreditConfidential(SaleInsideCommon):
    def test_salesman_does_not_read_the_grade(self):
        order = self._order().with_user(self.salesman)
        warning = order.dunning_credit_warning
        self.assertIn("on hold", warning)
        self.assertNotIn(self.grades["D"].name, warning)
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertNotIn(self.grades["D"].name, str(caught.exception))
        self.assertNotIn("grade", str(caught.exception))
        self.assertEqual(order.state, "draft")

    def test_hold_of_a_person_overridden_by_a_manager(self):
        no_history = self.grades[scoring.NO_HISTORY]
        self.rule.grade_ids |= no_history
        # The company scores people (off by default, GDPR art. 22).
        self.company.dunning_score_people = True
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        order = self._order(person)
        with self.assertRaisesRegex(UserError, "override the hold"):
            order.with_user(self.salesman).action_confirm()
        self.env["dunning.hold.override"].create(
            {"partner_id": person.id, "reason": "Known customer, paid cash"}
        ).action_confirm()
        order.invalidate_recordset()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestPortalAcceptance(SaleInsideCommon, HttpCase):
    def test_portal_acceptance_reveals_no_grade(self):
        """The customer signs on the portal: no grade, the salesperson decides."""
        order = self._order(require_signature=True, require_payment=False)
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Customer Boss",
                "signature": SIGNATURE,
            },
        )
        self.assertNotIn("error", result)
        self.assertNotIn("grade", str(result).lower())
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent", "not confirmed: on hold")
        self.assertTrue(order.signature)
        public = order.message_ids.filtered(
            lambda m: not m.is_internal and not m.subtype_id.internal
        )
        public_text = " ".join(public.mapped("body"))
        self.assertIn("Our team will confirm your order", public_text)
        for text in (self.grades["D"].name, "grade", "on hold", "Poor payers"):
            self.assertNotIn(text, public_text)
        notes = order.message_ids - public
        self.assertTrue(
            any("not confirmed" in body for body in notes.mapped("body")),
            notes.mapped("body"),
        )
        self.assertNotIn(self.grades["D"].name, " ".join(notes.mapped("body")))
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertIn("Poor payers", activity.note)
        # The customer's page shows no grade either.
        page = self.url_open(order.get_portal_url()).text
        self.assertNotIn(self.grades["D"].name, page)
        self.assertNotIn("Poor payers", page)
