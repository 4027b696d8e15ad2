# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The learned payment date: a habitually late debtor is predicted later
than a punctual one; below the minimum history the forecast falls back."""

from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.report.dunning_forecast_report import (
    DunningForecastReport,
)
from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

from ..engine import model_store, payment_date


def synthetic(start, count, late_days, partner):
    """``count`` invoices due every 7 days from ``start``, paid ``late_days``
    late (no randomness)."""
    return [
        {
            "id": partner * 1000 + index,
            "partner_id": partner,
            "due": start + timedelta(days=7 * index),
            "terms": 30,
            "amount": 1000.0 + 100 * (index % 5),
            "paid_on": start + timedelta(days=7 * index + late_days),
            "dispute": False,
            "open": 0,
        }
        for index in range(count)
    ]


@tagged("post_install", "-at_install")
class TestPaymentDate(DunningCommon):
    def test_late_debtor_predicted_later(self):
        start = d("2026-01-05")
        invoices = synthetic(start, 25, 40, 1) + synthetic(start, 25, 0, 2)
        histories = {
            partner: payment_date.DebtorHistory(
                [
                    (i["due"], i["paid_on"])
                    for i in invoices
                    if i["partner_id"] == partner
                ]
            )
            for partner in (1, 2)
        }
        Model = self.env["dunning.payment.model"]
        on_date = d("2026-09-01")
        features, targets, censored = Model._dunning_samples(
            invoices, histories, on_date
        )
        self.assertEqual((len(targets), censored), (50, 0))
        model = Model._dunning_fit(invoices, histories, on_date, random_state=0)
        new = [
            {**invoices[0], "id": 1, "partner_id": 1, "due": d("2026-09-10")},
            {**invoices[0], "id": 2, "partner_id": 2, "due": d("2026-09-10")},
        ]
        dates = Model._dunning_predict_dates(model, new, histories, on_date)
        self.assertGreaterEqual((dates[1] - d("2026-09-10")).days, 30)
        self.assertLessEqual(abs((dates[2] - d("2026-09-10")).days), 5)
        # Below the minimum: nothing learned.
        self.assertIsNone(Model._dunning_fit(invoices[:10], histories, on_date))

    def test_censoring(self):
        due = d("2026-01-05")
        self.assertEqual(payment_date.target(due, d("2026-01-15"), d("2026-03-01")), 10)
        # Paid after the training date: open then, 55 days past due: left out.
        self.assertIsNone(payment_date.target(due, d("2026-03-10"), d("2026-03-01")))
        # Open more than 120 days past due: at least 120 days late.
        self.assertEqual(payment_date.target(due, None, d("2026-06-01")), 120)

    def test_train_store_and_fall_back(self):
        """Without enough history nothing is trained and the forecast keeps
        its dates; with it, the model is stored signed and dates the open
        invoices, which the forecast uses."""
        Model = self.env["dunning.payment.model"]
        other = self._create_debtor("Punctual SA")
        open_move = self._invoice(self.debtor, 500, d("2026-12-20"))
        self.assertFalse(Model._dunning_train(self.company, on_date=d("2026-12-01")))
        self.env.flush_all()
        row = self.env["dunning.forecast.report"].search(
            [("move_id", "=", open_move.id)]
        )
        self.assertFalse(open_move.dunning_learned_date)
        self.assertNotEqual(
            row.expected_date, open_move.invoice_date_due + timedelta(50)
        )
        start = d("2026-01-05")
        for index in range(16):
            due = start + timedelta(days=14 * index)
            late = self._invoice(
                self.debtor, 1000, due, invoice_date=due - timedelta(30)
            )
            self._pay(late, on=due + timedelta(days=45))
            punctual = self._invoice(other, 1000, due, invoice_date=due - timedelta(30))
            self._pay(punctual, on=due)
        record = Model._dunning_train(self.company, on_date=d("2026-12-01"))
        self.assertEqual(record.sample_count, 32)
        self.assertGreater(record.size, 0)
        self.assertTrue(record._dunning_load())
        # Signed with this database's secret: another secret is refused.
        blob = model_store.dumps({"x": 1}, "secret")
        with self.assertRaises(model_store.ModelSignatureError):
            model_store.loads(blob, "other")
        learned = open_move.dunning_learned_date
        self.assertGreaterEqual((learned - open_move.invoice_date_due).days, 30)
        self.env.flush_all()
        with patch.object(
            DunningForecastReport, "_dunning_recovery_curve", return_value={}
        ):
            row = self.env["dunning.forecast.report"].search(
                [("move_id", "=", open_move.id)]
            )
            self.assertEqual(row.expected_date, learned)
