# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cash-in forecast uses what the collector knows: promises, payment
plans, and the recovery curve for the rest (computed by hand)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..engine import forecast
from ..report.dunning_forecast_report import DunningForecastReport
from .common import DunningCommon, d


def expected(move):
    """The invoice's expected date (the predicted one with the scoring)."""
    predicted = (
        move._fields.get("dunning_predicted_date") and move["dunning_predicted_date"]
    )
    return predicted or move.invoice_date_due + timedelta(days=3)


def hand_curve(index, shares):
    return {index: {"shares": shares + [0.0] * (13 - len(shares)), "count": 30}}


@tagged("post_install", "-at_install")
class TestForecastKnown(DunningCommon):
    def test_spread_by_hand(self):
        """20 days late: bucket 15-29; 10 % this week, 30 % the next, the
        other 60 % not expected within 13 weeks."""
        curve = forecast.curve_from_sums(
            [(5, 0, 1000.0, 100.0, 30), (5, 1, 1000.0, 300.0, 30)]
        )
        self.assertEqual(curve[5]["shares"][:3], [0.1, 0.3, 0.0])
        monday = d("2026-06-15")
        self.assertEqual(
            [
                (week, round(value, 2))
                for week, value in forecast.spread(500, 20, curve, monday)
            ],
            [(monday, 50.0), (d("2026-06-22"), 150.0), (None, 300.0)],
        )
        # Measured on too few snapshots: not used, the amount stays apart.
        thin = forecast.curve_from_sums([(5, 0, 1000.0, 100.0, 3)])
        self.assertEqual(forecast.spread(500, 20, thin, monday), [(None, 500)])
        self.assertEqual(forecast.bucket_label(5), "15 to 29 days late")

    def test_recovery_curve_by_hand(self):
        """Invoice of 1000 due 05-04, 400 paid on 06-02 and 300 on 06-09.

        Known on 06-17, snapshots of Mondays 06-01 and 06-08: on 06-01 it is
        28 days late (bucket 15-29), 1000 open, 400 paid in its week, 300
        the next (the week after is not over on 06-17); on 06-08 35 days
        late (bucket 30-59), 600 open, 300 paid in its week.
        """
        move = self._invoice(
            self.debtor, 1000, "2026-05-04", invoice_date=d("2026-04-04")
        )
        self._pay(move, amount=400, on=d("2026-06-02"))
        self._pay(move, amount=300, on=d("2026-06-09"))
        with patch.object(forecast, "MIN_COUNT", 1):
            curve = self.env["dunning.forecast.report"]._dunning_recovery_curve(
                self.company, d("2026-06-17"), history_weeks=2
            )
        self.assertEqual(sorted(curve), [5, 6])
        self.assertEqual(curve[5]["shares"][:3], [0.4, 0.3, 0.0])
        self.assertEqual(curve[5]["count"], 1)
        self.assertEqual(curve[6]["shares"][:2], [0.5, 0.0])
        # What was paid after 06-17 is not known then.
        with patch.object(forecast, "MIN_COUNT", 1):
            before = self.env["dunning.forecast.report"]._dunning_recovery_curve(
                self.company, d("2026-06-09"), history_weeks=1
            )
        self.assertEqual(before[5]["shares"][:2], [0.4, 0.0])

    def test_report_promise_plan_and_curve(self):
        """Today's report: a promise dates its amount, a plan its
        instalments, a late invoice is spread by the (hand-made) curve."""
        today = fields.Date.context_today(self.env["res.partner"])
        monday = today - timedelta(days=today.weekday())
        late = self._invoice(self.debtor, 200, today - timedelta(days=20))
        promised_debtor = self._create_debtor("Promise SA")
        promised = self._invoice(promised_debtor, 1000, today - timedelta(days=10))
        self.env["dunning.promise"].create(
            {
                "partner_id": promised_debtor.id,
                "date": today + timedelta(days=6),
                "amount": 400,
                "move_ids": [(6, 0, promised.ids)],
            }
        )
        plan_debtor = self._create_debtor("Plan SARL")
        planned = self._invoice(plan_debtor, 900, today + timedelta(days=30))
        self.env["dunning.payment.plan"].create(
            {
                "partner_id": plan_debtor.id,
                "move_ids": [(6, 0, planned.ids)],
                "state": "running",
                "line_ids": [
                    (0, 0, {"date": today + timedelta(days=7), "amount": 200}),
                    (0, 0, {"date": today + timedelta(days=37), "amount": 400}),
                ],
            }
        )
        self.env.flush_all()
        # 20 days late: bucket 15-29, a quarter this week, half the next.
        curve = hand_curve(5, [0.25, 0.5])
        with patch.object(
            DunningForecastReport, "_dunning_recovery_curve", return_value=curve
        ):
            rows = self.env["dunning.forecast.report"].search([])
            by_move = {}
            for row in rows:
                by_move.setdefault(row.move_id, []).append(
                    (row.expected_date, round(row.amount_residual, 2), row.is_late)
                )
        self.assertEqual(
            sorted(by_move[late]),
            [
                (expected(late), 50.0, True),
                (today, 50.0, True),
                (monday + timedelta(weeks=1), 100.0, True),
            ],
        )
        # The promised 400 on its date, the rest on the expected date (10
        # days late, bucket 0-14: no curve, stays).
        self.assertEqual(
            sorted(by_move[promised]),
            [
                (expected(promised), 600.0, True),
                (today + timedelta(days=6), 400.0, False),
            ],
        )
        # The open 900 split as the instalments: 1/3 and 2/3.
        self.assertEqual(
            sorted(by_move[planned]),
            [
                (today + timedelta(days=7), 300.0, False),
                (today + timedelta(days=37), 600.0, False),
            ],
        )
        self.assertEqual(sum(rows.mapped("amount_residual")), 2100)

    def test_backtest_promise_and_plan_by_hand(self):
        """Wednesday 2026-06-17, Mondays 06-01 and 06-08, lag 3 days.

        P 600 due 05-20 (late); promise made 05-28 to pay 400 on 06-10. Q 900
        due 06-30; plan accepted 05-25: 300 on 06-03, 06-10 and 06-17.
        On 06-01: Q's 06-03 instalment (a third of 900): 300; P's rest
        (200, expected 05-23) is late, its promise is for the week after.
        On 06-08: P's promised 400; Q's 900 split on its two instalments
        left: 450. No history: no curve, the late money is not forecast.
        """
        other = self._create_debtor("Other SA")
        p = self._invoice(self.debtor, 600, "2026-05-20", invoice_date=d("2026-04-20"))
        q = self._invoice(other, 900, "2026-06-30", invoice_date=d("2026-05-20"))
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.debtor.id,
                "date_made": d("2026-05-28"),
                "date": d("2026-06-10"),
                "amount": 400,
            }
        )
        promise.state = "broken"
        plan = self.env["dunning.payment.plan"].create(
            {
                "partner_id": other.id,
                "move_ids": [(6, 0, q.ids)],
                "state": "running",
                "line_ids": [
                    (0, 0, {"date": d("2026-06-03"), "amount": 300}),
                    (0, 0, {"date": d("2026-06-10"), "amount": 300}),
                    (0, 0, {"date": d("2026-06-17"), "amount": 300}),
                ],
            }
        )
        plan.dunning_accepted_date = "2026-05-25 10:00:00"
        self._pay(q, amount=300, on=d("2026-06-04"))
        Report = self.env["dunning.forecast.report"]
        method = {"key": "curve", "label": "curve", "dates": "lag", "curve": True}
        rows = Report._backtest(
            weeks=2, today=d("2026-06-17"), company=self.company, method=method
        )
        self.assertEqual(
            [(r["week"], r["forecast"], r["collected"], r["late"]) for r in rows],
            [(d("2026-06-01"), 300, 300, 200), (d("2026-06-08"), 400 + 300, 0, 200)],
        )
        lag_only = Report._backtest(
            weeks=2,
            today=d("2026-06-17"),
            company=self.company,
            method={"key": "lag", "label": "lag", "dates": "lag", "curve": False},
        )
        self.assertEqual([r["forecast"] for r in lag_only], [0, 0])
        self.assertEqual([r["late"] for r in lag_only], [600, 600])
        self.assertTrue(p)
