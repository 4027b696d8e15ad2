# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import d
from odoo.addons.account_dunning_score.tests.common import ScoreCommon

VIEWER = "account_dunning_advanced.group_dunning_viewer"
SALESMAN = "sales_team.group_sale_salesman"


@tagged("post_install", "-at_install")
class TestQuotationPanel(ScoreCommon):
    """The customer's collections on the quotation, for the viewers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._score()
        cls.seller = cls._new_user("seller", SALESMAN)
        cls.seller_viewer = cls._new_user("seller_viewer", f"{SALESMAN},{VIEWER}")
        cls.contact = cls.debtor.child_ids[0]
        reason = cls.env.ref("account_dunning_advanced.dunning_dispute_reason_price")
        cls.env["dunning.dispute"].create(
            [
                {"partner_id": cls.debtor.id, "reason_id": reason.id},
                {"partner_id": cls.debtor.id, "reason_id": reason.id},
            ]
        )
        cls.env["dunning.promise"].create(
            {"partner_id": cls.debtor.id, "date": d("2026-07-10"), "amount": 200}
        )
        # The quotation is made for a contact of the customer.
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                # Any salesperson's quotation (their record rule).
                "user_id": False,
                "order_line": [
                    Command.create({"product_id": cls.product_a.id, "price_unit": 10})
                ],
            }
        )

    def test_panel_shows_the_customer(self):
        panel = [
            "dunning_partner_level_id",
            "dunning_partner_overdue_amount",
            "dunning_partner_last_reminder_date",
            "dunning_partner_promise_count",
            "dunning_partner_dispute_count",
            "dunning_partner_grade_id",
            "dunning_partner_score_explanation",
            "dunning_partner_expected_date",
        ]
        values = self.order.with_user(self.seller_viewer).read(panel)[0]
        debtor = self.debtor
        self.assertEqual(values["dunning_partner_level_id"][0], self.lvl_2.id)
        self.assertEqual(values["dunning_partner_last_reminder_date"], d("2026-06-20"))
        self.assertEqual(values["dunning_partner_promise_count"], 1)
        self.assertEqual(values["dunning_partner_dispute_count"], 2)
        self.assertEqual(
            values["dunning_partner_grade_id"][0], debtor.dunning_grade_id.id
        )
        self.assertTrue(values["dunning_partner_score_explanation"])
        self.assertEqual(
            values["dunning_partner_score_explanation"],
            debtor.dunning_score_explanation,
        )
        self.assertEqual(
            values["dunning_partner_overdue_amount"], debtor.dunning_overdue_amount
        )
        # The latest predicted payment date of the open invoices.
        expected = max(self.i4.dunning_predicted_date, self.i5.dunning_predicted_date)
        self.assertTrue(expected)
        self.assertEqual(values["dunning_partner_expected_date"], expected)
        self.assertEqual(debtor.dunning_expected_payment_date, expected)
        # Paid in full: no date expected any more.
        self._pay(self.i4)
        self._pay(self.i5)
        self.env.invalidate_all()
        self.assertFalse(self.order.dunning_partner_expected_date)

    def test_panel_is_for_the_viewers(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.seller).read(["dunning_partner_level_id"])
        arch = self.order.with_user(self.seller).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertNotIn("dunning_customer_collections", arch)
        arch = self.order.with_user(self.seller_viewer).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn("dunning_customer_collections", arch)

    def test_settings_option_salespeople_see_collections(self):
        viewer_group = self.env.ref(VIEWER)
        self.selling_collector = self._new_user(
            "selling_collector",
            f"{SALESMAN},account_dunning_advanced.group_dunning_user",
        )
        self.env["res.config.settings"].create(
            {"group_dunning_viewer_sale": True}
        ).execute()
        self.assertIn(viewer_group, self.seller.groups_id)
        self.assertEqual(
            self.order.with_user(self.seller).read(
                ["dunning_partner_last_reminder_date"]
            )[0]["dunning_partner_last_reminder_date"],
            d("2026-06-20"),
        )
        # The salesperson reads the customer's tab but cannot change it.
        with self.assertRaises(AccessError):
            self.debtor.with_user(self.seller).write({"dunning_opt_out": True})
        self.env["res.config.settings"].create(
            {"group_dunning_viewer_sale": False}
        ).execute()
        self.assertNotIn(viewer_group, self.seller.groups_id)
        # A collector who also sells keeps it through the collections group
        # (Odoo's option removes the group from the salespeople who do not
        # get it another way: a viewer right given by hand to a salesperson
        # goes with the option too).
        self.assertIn(viewer_group, self.selling_collector.groups_id)
        with self.assertRaises(AccessError):
            self.order.with_user(self.seller).read(["dunning_partner_level_id"])
