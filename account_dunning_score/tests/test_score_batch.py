# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged

from .common import ScoreCommon

SCORE_FIELDS = [
    "partner_id",
    "company_id",
    "computed_on",
    "has_history",
    "score",
    "grade_id",
    "trend",
    "invoice_count",
    "avg_days_late",
    "late_share",
    "max_delay",
    "overdue_amount",
    "open_amount",
    "reminders_per_invoice",
    "disputes",
    "dso",
    "sales",
    "typical_delay",
    "penalties",
]


@tagged("post_install", "-at_install")
class TestScoreBatch(ScoreCommon):
    """The batch entry point (cron, queue jobs) and the streaming by batches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Four more debtors with different behaviours, and one with an open
        # invoice only, besides ScoreCommon's debtor.
        cls.others = cls.env["res.partner"]
        for index, late in enumerate((0, 12, 35, 70)):
            partner = cls._create_debtor(f"Batch Debtor {index}", with_contacts=False)
            cls._history(
                partner,
                [
                    (1000 + 100 * index, "2026-02-28", late),
                    (800, "2026-03-31", late + 5),
                    (1200, "2026-04-30", max(late - 5, 0)),
                ],
            )
            cls._invoice(partner, 400 + index, "2026-06-15")
            cls.others |= partner
        cls.newcomer = cls._create_debtor("Batch Newcomer", with_contacts=False)
        cls.open_invoice = cls._invoice(cls.newcomer, 900, "2026-06-10")
        cls.debtors = cls.debtor | cls.others | cls.newcomer

    def _snapshot(self):
        """The stored scores, snapshots and predicted dates of the company."""
        self.env.invalidate_all()
        scores = self.Score.search([("company_id", "=", self.company.id)])
        history = self.env["dunning.partner.score.history"].search(
            [("company_id", "=", self.company.id)]
        )
        moves = self.env["account.move"].search(
            [("commercial_partner_id", "in", self.debtors.ids)]
        )
        return (
            sorted(
                tuple(sorted((key, row[key]) for key in SCORE_FIELDS))
                for row in scores.read(SCORE_FIELDS, load=None)
            ),
            sorted(
                (row["partner_id"], row["month"], row["score"], row["grade_id"])
                for row in history.read(
                    ["partner_id", "month", "score", "grade_id"], load=None
                )
            ),
            sorted((move.id, move.dunning_predicted_date) for move in moves),
        )

    def _set_batch_size(self, size):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning_score.batch_size", size
        )

    def test_batch_scores_exactly_the_given_partners(self):
        """A batch writes the rows of its partners, no other, and again the same."""
        batch = self.debtor | self.others[1] | self.newcomer
        outside = self.others - self.others[1]
        outside_open = self.env["account.move"].search(
            [("commercial_partner_id", "in", outside.ids)]
            + self.env["account.move"]._dunning_predicted_date_domain()
        )
        self.assertGreaterEqual(len(outside_open), 3)
        outside_dates = [(m.id, m.dunning_predicted_date) for m in outside_open]
        written = self.Score._dunning_score_batch(batch.ids, self.company, self.ON)
        self.assertEqual(written.partner_id, batch)
        scores = self.Score.search([("company_id", "=", self.company.id)])
        self.assertEqual(scores, written)
        self.assertFalse(
            self.Score.search([("partner_id", "in", outside.ids)]),
            "the partners outside the batch are not scored",
        )
        self.assertEqual(
            written.filtered(lambda s: s.partner_id == self.debtor).score, 47
        )
        # The open invoices of the batch got their debtor's predicted date;
        # those outside kept theirs (due date + transfer lag, no score yet).
        debtor_score = written.filtered(lambda s: s.partner_id == self.debtor)
        self.assertEqual(debtor_score.typical_delay, 22)
        self.assertEqual(
            self.i5.dunning_predicted_date,
            self.Score._predicted_date(
                self.i5.invoice_date_due, self.company, debtor_score
            ),
        )
        self.assertEqual(
            [(m.id, m.dunning_predicted_date) for m in outside_open], outside_dates
        )

        before = self._snapshot()
        again = self.Score._dunning_score_batch(batch.ids, self.company, self.ON)
        self.assertEqual(again, written, "the same rows, none created")
        self.assertEqual(self._snapshot(), before, "a second call changes nothing")

    def test_batch_deletes_the_score_of_a_partner_without_invoices(self):
        """A partner of the batch without invoices any more loses its score."""
        nobody = self._create_debtor("Batch Nobody", with_contacts=False)
        stale = self.Score.create(
            {"partner_id": nobody.id, "company_id": self.company.id, "score": 80}
        )
        kept = self.Score.create(
            {"partner_id": self.others[0].id, "company_id": self.company.id}
        )
        self.assertIn(
            nobody.id,
            self.Score._partners_to_score(self.company),
            "listed for the whole company: its batch must delete its row",
        )
        written = self.Score._dunning_score_batch(
            (nobody | self.debtor).ids, self.company, self.ON
        )
        self.assertEqual(written.partner_id, self.debtor)
        self.assertFalse(stale.exists())
        self.assertTrue(kept.exists(), "outside the batch: untouched")
        self.assertNotIn(nobody.id, self.Score._partners_to_score(self.company))

    def test_streaming_by_batches_gives_the_same_scores(self):
        """Batches of 2 debtors give the scores of one batch of 100."""
        Score = type(self.Score)
        original = Score._dunning_score_batch
        self._set_batch_size(100)
        with patch.object(
            Score, "_dunning_score_batch", autospec=True, side_effect=original
        ) as batch:
            self.Score._compute_scores(self.company, on_date=self.ON)
        self.assertEqual(batch.call_count, 1)
        one_batch = self._snapshot()
        self.assertEqual(
            self.Score._partners_to_score(self.company), sorted(self.debtors.ids)
        )
        self.assertEqual(len(one_batch[0]), 6)

        self.Score.search([]).unlink()
        self.env["dunning.partner.score.history"].search([]).unlink()
        self.env["account.move"].search(
            [("commercial_partner_id", "in", self.debtors.ids)]
        ).write({"dunning_predicted_date": False})
        self._set_batch_size(2)
        with patch.object(
            Score, "_dunning_score_batch", autospec=True, side_effect=original
        ) as batch:
            self.Score._compute_scores(self.company, on_date=self.ON)
        sizes = [len(call.args[1]) for call in batch.call_args_list]
        self.assertEqual(sizes, [2, 2, 2], "6 debtors streamed by 2")
        self.assertEqual(self._snapshot(), one_batch)

    def test_cron_runs_the_same_batches(self):
        """The nightly job scores every company batch by batch."""
        self._set_batch_size(2)
        Score = type(self.Score)
        original = Score._dunning_score_batch
        with patch.object(
            Score, "_dunning_score_batch", autospec=True, side_effect=original
        ) as batch:
            self.Score._cron_compute_scores()
        ours = [
            call.args[1]
            for call in batch.call_args_list
            if call.args[2] == self.company
        ]
        self.assertEqual(len(ours), 3)
        self.assertEqual(
            self.Score.search([("company_id", "=", self.company.id)]).partner_id,
            self.debtors,
        )
