# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import BaseCase

from ..engine import scoring


class TestScoringEngine(BaseCase):
    """The arithmetic of the score, by hand."""

    def test_perfect_payer(self):
        points = scoring.penalties(scoring.Factors(invoice_count=5), {"dso": 10})
        self.assertEqual(sum(points.values()), 0)
        self.assertEqual(scoring.score(points), 100)
        self.assertEqual(scoring.grade(100), "A")

    def test_penalties_saturate(self):
        factors = scoring.Factors(
            invoice_count=4,
            avg_days_late=60,  # saturates at 30
            late_share=0.5,
            max_delay=45,
            overdue_amount=300,
            open_amount=1200,
            reminders_per_invoice=1,
            disputes=6,
            dso=75,
        )
        points = scoring.penalties(factors, scoring.DEFAULT_WEIGHTS)
        self.assertEqual(
            points,
            {
                "days_late": 25.0,
                "late_share": 7.5,
                "max_delay": 5.0,
                "overdue_ratio": 5.0,  # 300 / 1200 x 20
                "reminders": 5.0,
                "disputes": 10.0,
                "promises": 0.0,
                "dso": 5.0,  # (75 - 30) / 90 x 10
            },
        )
        self.assertEqual(scoring.score(points), 38)
        self.assertEqual(scoring.grade(38), "D")

    def test_grades_and_thresholds(self):
        self.assertEqual(scoring.grade(80), "A")
        self.assertEqual(scoring.grade(79), "B")
        self.assertEqual(scoring.grade(65), "B")
        self.assertEqual(scoring.grade(50), "C")
        self.assertEqual(scoring.grade(35), "D")
        self.assertEqual(scoring.grade(34), "E")
        self.assertEqual(scoring.grade(90, (95, 90, 50, 10)), "B")
        self.assertEqual(scoring.score([72.5]), 28)  # 27.5 rounded half up
        self.assertEqual(scoring.score([150]), 0)

    def test_no_history(self):
        self.assertFalse(scoring.has_history(scoring.Factors(invoice_count=2), 3))
        self.assertTrue(scoring.has_history(scoring.Factors(invoice_count=3), 3))
        self.assertFalse(scoring.has_history(scoring.Factors(invoice_count=0), 0))

    def test_typical_delay_recent_counts_more(self):
        on = date(2026, 6, 30)
        # Same amounts: 10 days late 90 days ago (weight 1/2), 40 days late
        # today (weight 1) -> (0.5 x 10 + 1 x 40) / 1.5 = 30.
        history = [
            (date(2026, 4, 1), date(2026, 4, 11), 100),
            (date(2026, 6, 30), date(2026, 8, 9), 100),
        ]
        self.assertAlmostEqual(scoring.typical_delay(history, on, 90), 30.0)
        self.assertIsNone(scoring.typical_delay([], on, 90))
        self.assertEqual(scoring.round_days(-2.5), -2)
        self.assertEqual(scoring.round_days(22.5), 23)
