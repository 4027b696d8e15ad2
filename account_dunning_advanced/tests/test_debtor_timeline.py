# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestDebtorTimeline(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_a = cls._invoice(cls.debtor, 1000, "2026-01-10", d("2026-01-01"))
        cls.inv_b = cls._invoice(cls.debtor, 500, "2026-02-10", d("2026-02-01"))
        cls._pay(cls.inv_a, on=d("2026-02-15"))

    def _rows(self, user=None):
        Timeline = self.env["dunning.debtor.timeline"]
        if user:
            Timeline = Timeline.with_user(user)
        return Timeline.search(
            [("partner_id", "=", self.debtor.id)], order="date, sequence, id"
        )

    def test_rows_order_and_balance(self):
        self._run("2026-02-20")
        self.env["dunning.incoming"].create(
            {
                "subject": "Re: invoice",
                "date": datetime(2026, 2, 21, 9, 0),
                "partner_id": self.ap.id,
                "email_from": "ap@debtorsa.example",
                "company_id": self.company.id,
            }
        )
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.debtor.id,
                "date_made": d("2026-02-22"),
                "date": d("2026-03-01"),
                "amount": 500,
            }
        )
        dispute = self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [Command.set(self.inv_b.ids)],
                "reason_id": self.env["dunning.dispute.reason"].search([], limit=1).id,
            }
        )
        self.env.flush_all()
        rows = self._rows()
        self.assertEqual(
            [(str(r.date), r.kind) for r in rows],
            [
                ("2026-01-01", "invoice"),
                ("2026-02-01", "invoice"),
                ("2026-02-15", "payment"),
                ("2026-02-20", "reminder"),
                ("2026-02-21", "reply"),
                ("2026-02-22", "promise"),
                (str(dispute.create_date.date()), "dispute"),
            ],
        )
        self.assertEqual(rows.mapped("balance"), [1000, 1500, 500, 500, 500, 500, 500])
        self.assertEqual(rows.mapped("amount")[:3], [1000, 500, -1000])
        reminder = rows.filtered(lambda r: r.kind == "reminder")
        self.assertEqual(reminder.channel, "email")
        self.assertEqual(reminder.level_id, self.lvl_1)
        # Opening a row opens its source.
        action = rows.filtered(lambda r: r.kind == "promise").action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("dunning.promise", promise.id)
        )
        action = rows[0].action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", self.inv_a.id)
        )

    def test_smart_button(self):
        action = self.debtor.action_view_dunning_timeline()
        rows = self.env["dunning.debtor.timeline"].search(action["domain"])
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.company_id, self.company)

    def test_viewer_reads_the_timeline(self):
        """A salesperson granted the viewer role reads the debtor's timeline
        (part of the debtor file); an internal user without it cannot."""
        viewer = self._new_user(
            "timeline_viewer",
            "base.group_user,account_dunning_advanced.group_dunning_viewer",
        )
        action = self.debtor.with_user(viewer).action_view_dunning_timeline()
        rows = (
            self.env["dunning.debtor.timeline"]
            .with_user(viewer)
            .search(action["domain"])
        )
        self.assertEqual(rows.mapped("balance"), [500, 1500, 1000], "newest first")
        plain = self._new_user("timeline_plain", "base.group_user")
        with self.assertRaises(AccessError):
            self.debtor.with_user(plain).action_view_dunning_timeline()
        with self.assertRaises(AccessError):
            self.env["dunning.debtor.timeline"].with_user(plain).search([])

    def test_company_isolation(self):
        other = self.setup_other_company(name="Timeline B")["company"]
        self._invoice(self.debtor, 700, "2026-01-20", d("2026-01-05"), company=other)
        self.env.flush_all()
        own = self._new_user(
            "timeline_own", "account_dunning_advanced.group_dunning_user"
        )
        stranger = new_test_user(
            self.env,
            login="timeline_stranger",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=other.id,
            company_ids=[other.id],
        )
        self.assertEqual(self._rows(own).mapped("balance"), [1000, 1500, 500])
        stranger_rows = self._rows(stranger)
        self.assertEqual(stranger_rows.company_id, other)
        self.assertEqual(stranger_rows.mapped("amount"), [700])
        # Nor can they open a row of the other company through its source.
        row = self._rows()[0]
        with self.assertRaises(AccessError):
            row.with_user(stranger).action_open_source()
