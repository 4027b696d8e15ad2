# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import d

from .common import ScoreCommon


@tagged("post_install", "-at_install")
class TestScore(ScoreCommon):
    def test_factors(self):
        """Each factor of the hand-computed history (see ScoreCommon)."""
        score = self._score()
        self.assertEqual(score.invoice_count, 4)  # I1-I4 due in the window
        # (0 x 1000 + 20 x 2000 + 40 x 1000) / 4000
        self.assertAlmostEqual(score.avg_days_late, 20.0)
        # I2, I3 paid late, I4 open past due: 3 of 4
        self.assertAlmostEqual(score.late_share, 0.75)
        self.assertEqual(score.max_delay, 40)
        self.assertAlmostEqual(score.open_amount, 1000.0)  # I4 + I5
        self.assertAlmostEqual(score.overdue_amount, 500.0)  # I4
        self.assertAlmostEqual(score.overdue_ratio, 0.5)
        self.assertAlmostEqual(score.reminders_per_invoice, 0.5)  # 2 / 4
        self.assertEqual(score.disputes, 1)  # I4 excluded from reminders
        self.assertEqual(score.promises, 0)
        self.assertAlmostEqual(score.sales, 5000.0)
        # 1000 open / 5000 sold x 365 days
        self.assertAlmostEqual(score.dso, 73.0)
        # weights 1000 x 0.5^(150/90), 2000 x 0.5^(122/90), 1000 x 0.5^(91/90)
        # on delays 0, 20, 40 -> 22.28
        self.assertEqual(score.typical_delay, 22)

    def test_dispute_records_and_broken_promises_count(self):
        """Disputes and broken promises of the collections count too."""
        self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "move_ids": [(6, 0, self.i5.ids)],
                "reason_id": self.env.ref(
                    "account_dunning_advanced.dunning_dispute_reason_price"
                ).id,
            }
        )
        self.env["dunning.promise"].create(
            [
                {
                    "partner_id": self.debtor.id,
                    "date": d("2026-06-10"),
                    "date_made": d("2026-06-01"),
                    "state": "broken",
                    "date_broken": d("2026-06-11"),
                },
                {
                    "partner_id": self.debtor.id,
                    "date": d("2026-06-25"),
                    "state": "kept",
                },
            ]
        )
        score = self._score()
        self.assertEqual(score.disputes, 2, "I4 excluded and I5 in dispute")
        self.assertEqual(score.promises, 1, "only the broken promise")
        self.assertIn("Broken promises: 1", score.explanation)

    def test_score_grade_explanation(self):
        score = self._score()
        self.assertEqual(
            score.penalties,
            {
                "days_late": 16.7,  # 25 x 20 / 30
                "late_share": 11.2,  # 15 x 0.75
                "max_delay": 4.4,  # 10 x 40 / 90
                "overdue_ratio": 10.0,  # 20 x 0.5
                "reminders": 2.5,  # 10 x 0.5 / 2
                "disputes": 3.3,  # 10 x 1 / 3
                "promises": 0.0,
                "dso": 4.8,  # 10 x (73 - 30) / 90
            },
        )
        # 100 - 52.9 = 47.1
        self.assertEqual(score.score, 47)
        self.assertTrue(score.has_history)
        self.assertEqual(score.grade_id.code, "D")
        explanation = score.explanation
        self.assertIn("Score 47 / 100", explanation)
        self.assertIn(
            "Average days late (weighted by amount): 20.0 days: -16.7", explanation
        )
        self.assertIn("Broken promises: 0: -0.0 points", explanation)
        self.assertEqual(self.debtor.dunning_grade_id.code, "D")
        self.assertEqual(self.debtor.dunning_score, 47)
        contact = self.debtor.child_ids[:1]
        self.assertEqual(contact.dunning_grade_id.code, "D")

    def test_thresholds_and_weights_from_company(self):
        self.company.dunning_score_grade_c = 45
        self.assertEqual(self._score().grade_id.code, "C")
        self.company.dunning_score_w_days_late = 0
        score = self._score()
        self.assertEqual(score.score, 64)  # 47 + 16.7 = 63.8 -> 64
        self.assertEqual(score.grade_id.code, "C")

    def test_no_history(self):
        newcomer = self._create_debtor("Newcomer", with_contacts=False)
        self._history(newcomer, [(800, "2026-05-31", 60)])
        self._invoice(newcomer, 300, "2026-06-15")
        score = self._score(newcomer)
        self.assertFalse(score.has_history)
        self.assertEqual(score.invoice_count, 2)
        self.assertEqual(score.grade_id.code, "none")
        self.assertEqual(score.grade_id.name, "Not enough history")
        self.assertIn("Not enough history: 2 invoice(s)", score.explanation)
        self.assertFalse(score.trend)
        self.assertEqual(newcomer.dunning_grade_id.code, "none")
        unknown = self._create_debtor("Unknown", with_contacts=False)
        self.assertEqual(unknown.dunning_grade_id.code, "none")
        self.assertFalse(unknown.dunning_score_id)
        self.assertIn("Not scored yet", unknown.dunning_score_explanation)

    def test_good_payer_grade_a(self):
        good = self._create_debtor("Good", with_contacts=False)
        self._history(
            good,
            [
                (1000, "2026-02-28", 0),
                (1000, "2026-03-31", -5),
                (1000, "2026-04-30", 0),
                (1000, "2026-05-31", 1),
            ],
        )
        score = self._score(good)
        # 1 day late on 1 of 4: 25 x 0.25/30 = 0.2, 15 x 0.25 = 3.8 (3.75),
        # 10 x 1/90 = 0.1 -> 95.9
        self.assertAlmostEqual(score.avg_days_late, 0.25)
        self.assertEqual(score.score, 96)
        self.assertEqual(score.grade_id.code, "A")
        self.assertEqual(score.typical_delay, -1)

    def test_snapshot_and_trend(self):
        History = self.env["dunning.partner.score.history"]
        self._score()
        snaps = History.search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(len(snaps), 1)
        self.assertEqual(snaps.month, d("2026-06-01"))
        self.assertEqual(snaps.score, 47)
        self.assertEqual(snaps.grade_id.code, "D")
        # Same month again: the snapshot is updated, not duplicated.
        self._score(on=d("2026-06-29"))
        self.assertEqual(History.search_count([("partner_id", "=", self.debtor.id)]), 1)
        # Better scores in the previous months: worsening.
        History.create(
            [
                {
                    "month": month,
                    "partner_id": self.debtor.id,
                    "company_id": self.company.id,
                    "has_history": True,
                    "score": value,
                }
                for month, value in (("2026-04-01", 70), ("2026-05-01", 60))
            ]
        )
        self.assertEqual(self._score().trend, "worsening")  # 47 vs 65
        History.search([("month", "=", d("2026-04-01"))]).score = 44
        History.search([("month", "=", d("2026-05-01"))]).score = 54
        self.assertEqual(self._score().trend, "stable")  # 47 vs 49
        History.search([("month", "in", ("2026-04-01", "2026-05-01"))]).score = 30
        self.assertEqual(self._score().trend, "improving")
        self.assertEqual(self.debtor.dunning_score_trend, "improving")
        self.assertEqual(History.search_count([("partner_id", "=", self.debtor.id)]), 3)

    def test_predicted_dates(self):
        self._score()
        # I4: due 2026-05-31 + 22 days typical delay + 3 days transfer lag
        self.assertEqual(self.i4.dunning_predicted_date, d("2026-06-25"))
        self.assertEqual(self.i5.dunning_predicted_date, d("2026-08-25"))
        self.assertFalse(self.i1.dunning_predicted_date)  # paid
        # A new invoice gets its date at posting from the stored score.
        new = self._invoice(self.debtor, 100, "2026-09-30")
        self.assertEqual(new.dunning_predicted_date, d("2026-10-25"))
        # The lag is a setting; paying clears the prediction.
        self.company.dunning_score_transfer_lag = 0
        self._score()
        self.assertEqual(self.i4.dunning_predicted_date, d("2026-06-22"))
        self._pay(self.i4, on=d("2026-06-30"))
        self.assertFalse(self.i4.dunning_predicted_date)

    def test_new_debtor_predicted_on_due_date_plus_lag(self):
        newcomer = self._create_debtor("Newcomer", with_contacts=False)
        move = self._invoice(newcomer, 100, "2026-07-31")
        self.assertEqual(move.dunning_predicted_date, d("2026-08-03"))

    def test_multi_company(self):
        company_2 = self.setup_other_company(name="Second company")["company"]
        move = self._invoice(self.debtor, 900, "2026-05-31", company=company_2)
        self.assertEqual(move.company_id, company_2)
        self._score()
        score_2 = self._score(company=company_2)
        self.assertEqual(score_2.company_id, company_2)
        self.assertEqual(score_2.invoice_count, 1)
        self.assertAlmostEqual(score_2.overdue_amount, 900.0)
        self.assertEqual(score_2.grade_id.code, "none")
        score_1 = self.Score.search(
            [("partner_id", "=", self.debtor.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(score_1.invoice_count, 4)
        self.assertEqual(
            self.debtor.with_company(self.company).dunning_grade_id.code, "D"
        )
        self.assertEqual(
            self.debtor.with_company(company_2).dunning_grade_id.code, "none"
        )
        # Record rules: a user of company 1 only does not see company 2's row.
        user = self.env.user.copy(
            {
                "login": "score_user",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
            }
        )
        rows = self.Score.with_user(user).search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(rows, score_1)

    def test_evaluation(self):
        regular = self._create_debtor("Regular", with_contacts=False)
        self._history(
            regular,
            [
                (1000, "2026-01-31", 10),
                (1000, "2026-02-28", 10),
                (1000, "2026-03-31", 10),
                (1000, "2026-04-30", 10),
            ],
        )
        self.company.dunning_score_transfer_lag = 0
        result = self.Score._evaluate_predictions(self.company)
        # Debtor SA: I1-I3 paid; Regular: 4 invoices paid 10 days late.
        self.assertEqual(result["count"], 7)
        # Regular: first invoice unknown (error 10), then exact (0).
        # Debtor SA: I1 unknown (0), I2 known I1 -> 0 (error 20); I3 known
        # I1 only (I2 paid 2026-03-20 < 2026-03-31 -> known too).
        self.assertLess(result["mae_known"], result["mae_baseline_known"])
        self.assertEqual(result["mae_baseline"], round((0 + 20 + 40 + 40) / 7, 2))
