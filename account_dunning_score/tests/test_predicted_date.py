# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One predicted payment date: the compute of account.move, the scoring's
bulk UPDATE and the evaluation's replay give the same dates, and an override
of the one definition changes all three."""

from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

from ..engine import prediction


@tagged("post_install", "-at_install")
class TestPredictedDate(DunningCommon):
    """Invoices of every kind, in two companies with different transfer lags.

    ======  =======  ==========  =========================  =================
    move    company  due         debtor (score)             expected
    ======  =======  ==========  =========================  =================
    late    1 (5 d)  2026-06-30  Late payer (+12 days)      2026-07-17
    part    1        2026-07-15  Late payer, half paid      2026-08-01
    eur     1        2026-07-31  Late payer, in EUR         2026-08-17
    early   1        2026-06-30  Early payer (-4 days)      2026-07-01
    newco   1        2026-07-10  Newcomer (no score row)    2026-07-15
    other   2 (1 d)  2026-06-30  Late payer (+2 in comp. 2) 2026-07-03
    paid    1        2026-05-31  Late payer, paid           none
    refund  1        2026-06-30  Late payer, credit note    none
    ======  =======  ==========  =========================  =================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score = cls.env["dunning.partner.score"]
        cls.company.dunning_score_transfer_lag = 5
        cls.company_2 = cls.setup_other_company(name="Second company")["company"]
        cls.company_2.dunning_score_transfer_lag = 1
        cls.eur = cls.setup_other_currency("EUR")
        cls.late = cls._create_debtor("Late payer", with_contacts=False)
        cls.early = cls._create_debtor("Early payer", with_contacts=False)
        cls.newcomer = cls._create_debtor("Newcomer", with_contacts=False)
        cls.moves = {
            "late": cls._invoice(cls.late, 1000, "2026-06-30"),
            "part": cls._invoice(cls.late, 1000, "2026-07-15"),
            "eur": cls._invoice(cls.late, 800, "2026-07-31", currency=cls.eur),
            "early": cls._invoice(cls.early, 400, "2026-06-30"),
            "newco": cls._invoice(cls.newcomer, 300, "2026-07-10"),
            "other": cls._invoice(cls.late, 700, "2026-06-30", company=cls.company_2),
            "paid": cls._invoice(cls.late, 200, "2026-05-31"),
        }
        cls._pay(cls.moves["part"], amount=500, on=d("2026-06-20"))
        cls._pay(cls.moves["paid"], on=d("2026-06-01"))
        refund = cls.moves["late"]._reverse_moves(
            [{"invoice_date": d("2026-06-01"), "invoice_date_due": d("2026-06-30")}]
        )
        refund.invoice_line_ids.price_unit = 50
        refund.action_post()
        cls.moves["refund"] = refund
        # Score rows as the scoring writes them; none for the newcomer.
        cls.Score.create(
            [
                {"partner_id": partner.id, "company_id": company.id, **vals}
                for partner, company, vals in (
                    (cls.late, cls.company, {"typical_delay": 12}),
                    (cls.early, cls.company, {"typical_delay": -4}),
                    (cls.late, cls.company_2, {"typical_delay": 2}),
                )
            ]
        )
        cls.expected = {
            "late": d("2026-07-17"),
            "part": d("2026-08-01"),
            "eur": d("2026-08-17"),
            "early": d("2026-07-01"),
            "newco": d("2026-07-15"),
            "other": d("2026-07-03"),
            "paid": False,
            "refund": False,
        }

    def _all_moves(self):
        moves = self.env["account.move"]
        for move in self.moves.values():
            moves |= move
        return moves

    def _clear(self):
        """Forget the stored dates, so that each path must write its own."""
        moves = self._all_moves()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET dunning_predicted_date = NULL WHERE id = ANY(%s)",
            [moves.ids],
        )
        moves.invalidate_recordset(["dunning_predicted_date"])

    def _by_compute(self):
        """The dates the ORM compute gives."""
        self._clear()
        moves = self._all_moves()
        self.env.add_to_compute(moves._fields["dunning_predicted_date"], moves)
        moves._recompute_recordset(["dunning_predicted_date"])
        return {key: move.dunning_predicted_date for key, move in self.moves.items()}

    def _by_update(self):
        """The dates the scoring's bulk UPDATE writes (both companies)."""
        self._clear()
        for company in (self.company, self.company_2):
            self.Score._update_predicted_dates(company)
        return {key: move.dunning_predicted_date for key, move in self.moves.items()}

    def test_cases_are_what_the_table_says(self):
        self.assertEqual(self.moves["part"].payment_state, "partial")
        self.assertEqual(self.moves["eur"].currency_id, self.eur)
        self.assertEqual(self.moves["paid"].payment_state, "paid")
        self.assertEqual(self.moves["refund"].move_type, "out_refund")
        self.assertEqual(self.moves["refund"].state, "posted")
        self.assertEqual(self.moves["other"].company_id, self.company_2)
        self.assertFalse(
            self.Score.search(
                [("partner_id", "=", self.newcomer.id)],
            )
        )

    def test_compute_and_bulk_update_give_the_same_dates(self):
        by_compute = self._by_compute()
        by_update = self._by_update()
        self.assertEqual(by_compute, self.expected)
        self.assertEqual(by_update, by_compute)

    def test_a_partner_filter_updates_only_its_debtors(self):
        self._clear()
        self.Score._update_predicted_dates(self.company, partner_ids=self.early.ids)
        self.assertEqual(self.moves["early"].dunning_predicted_date, d("2026-07-01"))
        self.assertFalse(self.moves["late"].dunning_predicted_date)

    def test_scoring_refreshes_dates_the_compute_would_give(self):
        """After a real scoring the stored dates are those of the compute."""
        self.Score._compute_scores(self.company, on_date=d("2026-06-30"))
        self.Score._compute_scores(self.company_2, on_date=d("2026-06-30"))
        self.env.invalidate_all()
        stored = {key: move.dunning_predicted_date for key, move in self.moves.items()}
        self.assertEqual(stored, self._by_compute())
        # The late payer's only paid invoice in company 1 ("paid") was paid a
        # day late: typical delay 1 now, + the lag of 5.
        self.assertEqual(stored["late"], d("2026-07-06"))

    def test_an_override_of_the_terms_changes_every_path(self):
        """Adding a term (here a week for every debtor) moves the compute,
        the bulk UPDATE and the evaluation alike."""
        regular = self._create_debtor("Regular", with_contacts=False)
        for due in ("2026-01-31", "2026-02-28", "2026-03-31"):
            move = self._invoice(regular, 1000, due)
            self._pay(move, on=prediction.predicted_date(d(due), 10))
        before = self.Score._evaluate_predictions(self.company)
        # Paid 10 days late; predicted due + 5 (lag), then due + 10 + 5 once
        # the first is known: errors 5, 5, 5; "paid" (1 day late): 4.
        self.assertEqual(before["mae"], 4.75)
        Model = type(self.Score)
        original = Model._predicted_delay_terms

        def with_a_week(self, company):
            return original(self, company) + [7]

        with patch.object(Model, "_predicted_delay_terms", with_a_week):
            by_compute = self._by_compute()
            by_update = self._by_update()
            after = self.Score._evaluate_predictions(self.company)
        week_later = {
            key: value and prediction.predicted_date(value, 7)
            for key, value in self.expected.items()
        }
        self.assertEqual(by_compute, week_later)
        self.assertEqual(by_update, week_later)
        # A week more: errors 2, 12, 12 and 11.
        self.assertEqual(after["mae"], 9.25)

    def test_evaluation_predicts_with_the_formula(self):
        """The replay predicts due + replayed typical delay + lag."""
        regular = self._create_debtor("Regular", with_contacts=False)
        # Paid 10 days late each time: the 2nd and 3rd are predicted exactly
        # with a lag of 0, 5 days late with the company's 5.
        for due in ("2026-01-31", "2026-02-28", "2026-03-31"):
            move = self._invoice(regular, 1000, due, company=self.company_2)
            self._pay(move, on=prediction.predicted_date(d(due), 10))
        self.company_2.dunning_score_transfer_lag = 0
        result = self.Score._evaluate_predictions(self.company_2)
        self.assertEqual(result["count"], 3)
        self.assertEqual(result["count_known"], 2)
        self.assertEqual(result["mae_known"], 0.0)
        self.company_2.dunning_score_transfer_lag = 5
        result = self.Score._evaluate_predictions(self.company_2)
        self.assertEqual(result["mae_known"], 5.0)


class TestPredictionEngine(BaseCase):
    """The one formula, by hand."""

    def test_formula(self):
        predicted = prediction.predicted_date
        self.assertEqual(predicted(d("2026-06-30"), 12, 5), d("2026-07-17"))
        self.assertEqual(predicted(d("2026-06-30"), -4, 5), d("2026-07-01"))
        self.assertEqual(predicted(d("2026-06-30"), None, 3), d("2026-07-03"))
        self.assertEqual(predicted(d("2026-12-30"), 0, 3), d("2027-01-02"))
        self.assertIsNone(predicted(False, 12, 5))
