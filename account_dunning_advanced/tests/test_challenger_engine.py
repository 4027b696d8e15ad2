# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Champion/challenger statistics, without the database, against figures
computed by hand."""

import math

from odoo.tests.common import BaseCase

from ..engine import challenger as engine


class TestChallengerEngine(BaseCase):
    def test_assignment_stable_and_share(self):
        """The arm depends only on the partner and the champion: the same on
        every call, about the share over 1,000 debtors, and raising the share
        only moves debtors into the challenger."""
        partners = range(1, 1001)
        at_10 = {p for p in partners if engine.arm_of(p, 7, 10) == "challenger"}
        at_20 = {p for p in partners if engine.arm_of(p, 7, 20) == "challenger"}
        again = {p for p in partners if engine.arm_of(p, 7, 20) == "challenger"}
        self.assertEqual(at_20, again)
        # MD5 buckets: 100 and 192 of 1,000 (fixed by the hash, no seed).
        self.assertEqual(len(at_10), 100)
        self.assertEqual(len(at_20), 192)
        self.assertLess(at_10, at_20)
        # Another champion splits the same debtors differently.
        other = {p for p in partners if engine.arm_of(p, 8, 20) == "challenger"}
        self.assertNotEqual(other, at_20)
        self.assertEqual(engine.bucket(42, 7), engine.bucket(42, 7))

    def test_t_quantile(self):
        self.assertAlmostEqual(engine.t_quantile_975(10), 2.228, places=2)
        self.assertAlmostEqual(engine.t_quantile_975(20), 2.086, places=3)
        self.assertAlmostEqual(engine.t_quantile_975(30), 2.042, places=3)
        # Below 3 degrees of freedom: the tables, rounded down (conservative).
        self.assertAlmostEqual(engine.t_quantile_975(1.22), 12.706, places=3)
        self.assertAlmostEqual(engine.t_quantile_975(2.5), 4.303, places=3)

    def test_welch_significant(self):
        """11 paid invoices per arm, equal variances: df = 20.

        Champion 10, 12, ..., 30: mean 20, variance 44; challenger 6 days
        earlier: mean 14. se = sqrt(44/11 + 44/11) = sqrt(8) = 2.8284;
        t(0.975, 20) = 2.0860: -6 +/- 5.9001 = [-11.900, -0.100].
        """
        champion = list(range(10, 31, 2))
        challenger = [day - 6 for day in champion]
        result = engine.welch(champion, challenger)
        self.assertEqual(result.champion, 20)
        self.assertEqual(result.challenger, 14)
        self.assertEqual(result.diff, -6)
        self.assertAlmostEqual(result.se, math.sqrt(8))
        self.assertAlmostEqual(result.low, -11.900, places=2)
        self.assertAlmostEqual(result.high, -0.100, places=2)
        self.assertTrue(result.significant)
        self.assertEqual(engine.verdict(result, lower_is_better=True), ("better", None))

    def test_welch_not_significant_with_power(self):
        """5 days earlier: -5 +/- 5.9001 includes 0. Cases per arm for 80 %
        power: 2 * 44 * (1.95996 + 0.84162)^2 / 25 = 27.6, so 28."""
        champion = list(range(10, 31, 2))
        result = engine.welch(champion, [day - 5 for day in champion])
        self.assertAlmostEqual(result.low, -10.900, places=2)
        self.assertAlmostEqual(result.high, 0.900, places=2)
        self.assertFalse(result.significant)
        self.assertEqual(
            engine.verdict(result, lower_is_better=True), ("not_significant", 28)
        )

    def test_identical_arms_not_significant(self):
        days = [3, 8, 15, 15, 22, 40, 41, 60]
        result = engine.welch(days, list(days))
        self.assertEqual(result.diff, 0)
        self.assertFalse(result.significant)
        self.assertEqual(
            engine.verdict(result, lower_is_better=True)[0], "not_significant"
        )
        pairs = [(100, 100), (0, 100), (50, 200)]
        share = engine.ratio_difference(pairs, list(pairs))
        self.assertFalse(share.significant)
        self.assertEqual(
            engine.verdict(share, lower_is_better=False)[0], "not_significant"
        )

    def test_ratio_difference(self):
        """Champion 200 of 400 collected (0.5), residuals 50, -50, 0, 0:
        variance 5000/3, se = sqrt(5000/3/4)/100 = 0.20412. Challenger 300 of
        400 (0.75), residuals +-25: se = sqrt(2500/3/4)/100 = 0.14434.
        Difference 0.25, se 0.25, interval 0.25 +/- 0.49 = [-0.2400, 0.7400]."""
        champion = [(100, 100), (0, 100), (50, 100), (50, 100)]
        challenger = [(100, 100), (100, 100), (50, 100), (50, 100)]
        self.assertAlmostEqual(engine.ratio(champion)[2], 0.20412, places=5)
        self.assertAlmostEqual(engine.ratio(challenger)[2], 0.14434, places=5)
        result = engine.ratio_difference(champion, challenger)
        self.assertEqual((result.champion, result.challenger), (0.5, 0.75))
        self.assertAlmostEqual(result.diff, 0.25)
        self.assertAlmostEqual(result.se, 0.25)
        self.assertAlmostEqual(result.low, -0.2400, places=4)
        self.assertAlmostEqual(result.high, 0.7400, places=4)
        self.assertFalse(result.significant)
        # The same from the sums the query returns.
        self.assertEqual(
            engine.ratio_difference(engine.sums(champion), engine.sums(challenger)),
            result,
        )

    def test_kaplan_meier_counts_open_invoices(self):
        """Paid on days 5, 10, 10, 30, one open at 20: 0.8 after day 5,
        0.4 after day 10: median 10."""
        self.assertEqual(
            engine.km_median([5, 10, 10, 20, 30], [True, True, True, False, True]),
            10,
        )
        # Open at 3 and 8, paid at 5 and 12: 2/3 after day 5, 0 after day
        # 12: median 12 (the paid invoices alone would say 8.5).
        curve = engine.kaplan_meier([3, 5, 8, 12], [False, True, False, True])
        self.assertEqual([day for day, _s in curve], [0, 5, 12])
        self.assertAlmostEqual(curve[1][1], 2 / 3)
        self.assertEqual(curve[2][1], 0.0)
        self.assertEqual(
            engine.km_median([3, 5, 8, 12], [False, True, False, True]), 12
        )
        # The query's form: one row per day and state with its count.
        self.assertEqual(
            engine.kaplan_meier(
                [5, 10, 20, 30], [True, True, False, True], [1, 2, 1, 1]
            ),
            engine.kaplan_meier([5, 10, 10, 20, 30], [True, True, True, False, True]),
        )
        # Fewer than half paid: no median.
        self.assertIsNone(engine.km_median([5, 20, 20], [True, False, False]))

    def test_no_data(self):
        result = engine.welch([10], [12, 14])
        self.assertEqual(
            engine.verdict(result, lower_is_better=True), ("no_data", None)
        )
