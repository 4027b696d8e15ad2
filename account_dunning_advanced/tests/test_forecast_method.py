# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cash-in forecast uses the method its own back-test shows best (or the
company's choice), and says which on its views and on the cockpit."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..engine import backtest
from ..report.dunning_forecast_report import DunningForecastReport
from .common import DunningCommon, d


def hand_curve(index, shares):
    return {index: {"shares": shares + [0.0] * (13 - len(shares)), "count": 30}}


@tagged("post_install", "-at_install")
class TestForecastMethod(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["dunning.forecast.report"]
        cls.Method = cls.env["dunning.forecast.backtest.method"]

    def _backtest_rows(self, figures, company=None):
        """Store a back-test of ``{key: (wape, bias)}`` over 12 weeks."""
        labels = {m["key"]: m["label"] for m in self.Report._backtest_methods()}
        return self.Method.create(
            [
                {
                    "company_id": (company or self.company).id,
                    "sequence": sequence,
                    "key": key,
                    "name": labels[key],
                    "weeks": 12,
                    "forecast": 1000.0,
                    "collected": 1000.0,
                    "wape": wape,
                    "bias": bias,
                    "date": d("2026-06-15"),
                }
                for sequence, (key, (wape, bias)) in enumerate(figures.items())
            ]
        )

    def test_best_method_engine(self):
        """Lowest WAPE within the bias bound; else the lowest WAPE; a method
        measured on no cash is left out."""

        def total(key, wape, bias, collected=100.0):
            return {"key": key, "wape": wape, "bias": bias, "collected": collected}

        self.assertEqual(
            backtest.best_method(
                [total("a", 20.0, 15.0), total("b", 25.0, -5.0), total("c", 30, 2)]
            ),
            "b",
        )
        self.assertEqual(
            backtest.best_method([total("a", 20.0, 15.0), total("b", 25.0, -12.0)]),
            "a",
        )
        self.assertEqual(
            backtest.best_method([total("a", 0.0, 0.0, 0.0), total("b", 25.0, 1.0)]),
            "b",
        )
        self.assertIsNone(backtest.best_method([]))

    def test_best_of_the_stored_backtest(self):
        """The company's last back-test decides; its setting overrides it."""
        self.assertEqual(self.company.dunning_forecast_method, "best")
        # No back-test yet: the recovery curve from the richest dates.
        richest = [m for m in self.Report._backtest_methods() if m["curve"]][-1]
        method = self.Report._dunning_forecast_method(self.company)
        self.assertEqual(method["key"], richest["key"])
        self.assertFalse(method["backtest"])
        self.assertIn("not back-tested yet", method["summary"])
        # "lag" has the lowest WAPE but a bias of 15 %: the curve wins.
        rows = self._backtest_rows({"lag": (20.0, 15.0), "curve": (25.0, -5.0)})
        method = self.Report._dunning_forecast_method(self.company)
        self.assertEqual(method["key"], "curve")
        self.assertEqual(method["backtest"], rows.filtered(lambda r: r.key == "curve"))
        # None within 10 %: the lowest WAPE.
        method["backtest"].bias = -12.0
        self.assertEqual(
            self.Report._dunning_forecast_method(self.company)["key"], "lag"
        )
        # The company's choice.
        self.company.dunning_forecast_method = "curve"
        method = self.Report._dunning_forecast_method(self.company)
        self.assertEqual(method["key"], "curve")
        self.assertIn("WAPE 25.0 %, bias -12.0 %", method["summary"])
        # The settings show the same line.
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dunning_forecast_method, "curve")
        self.assertEqual(settings.dunning_forecast_method_summary, method["summary"])

    def test_report_lag_or_curve(self):
        """20 days late: on its expected date (late) with "lag"; spread by
        the curve with "curve", a quarter this week and half the next."""
        today = fields.Date.context_today(self.Report)
        monday = today - timedelta(days=today.weekday())
        late = self._invoice(self.debtor, 200, today - timedelta(days=20))
        self._backtest_rows({"lag": (20.0, 5.0), "curve": (25.0, -5.0)})
        self.env.flush_all()

        def rows():
            self.env.invalidate_all()
            with patch.object(
                DunningForecastReport,
                "_dunning_recovery_curve",
                return_value=hand_curve(5, [0.25, 0.5]),
            ):
                records = self.Report.search([("move_id", "=", late.id)])
                return records, sorted(
                    (r.expected_date, round(r.amount_residual, 2)) for r in records
                )

        records, lag_rows = rows()
        self.assertEqual(lag_rows, [(today - timedelta(days=17), 200.0)])
        self.assertEqual(records.forecast_method_id.key, "lag")
        self.company.dunning_forecast_method = "curve"
        records, curve_rows = rows()
        self.assertEqual(
            curve_rows,
            [
                (today - timedelta(days=17), 50.0),
                (today, 50.0),
                (monday + timedelta(weeks=1), 100.0),
            ],
        )
        self.assertEqual(records.forecast_method_id.key, "curve")
        self.assertIn(
            "WAPE 25.0 %, bias -5.0 %",
            self.Report.search_panel_select_range("forecast_method_id")["values"][0][
                "display_name"
            ],
        )

    def test_cockpit_shows_the_method(self):
        """The cockpit's block: the method, its back-test's figures and a
        link to the back-test chart of the company."""
        self._backtest_rows({"lag": (37.4, 12.6), "curve": (29.1, 8.9)})
        # The stored name is in the language of whoever ran the back-test;
        # the line shows the method's label in the reader's.
        self.env["dunning.forecast.backtest.method"].search(
            [("company_id", "=", self.company.id), ("key", "=", "curve")]
        ).name = "Courbe de recouvrement (lancé en français)"
        dashboard = self.env["dunning.dashboard"].new({"company_id": self.company.id})
        self.assertIn(
            "Recovery curve from the due date, promises, plans — back-tested "
            "over 12 weeks: WAPE 29.1 %, bias +8.9 %",
            dashboard.forecast_method_summary,
        )
        # One read of the stored back-test rows.
        dashboard.invalidate_recordset(["forecast_method_summary"])
        with self.assertQueryCount(1):
            self.assertIn("WAPE 29.1 %", dashboard.forecast_method_summary)
        action = dashboard.action_open_forecast_backtest()
        self.assertEqual(action["res_model"], "dunning.forecast.backtest")
        self.assertEqual(action["domain"], [("company_id", "=", self.company.id)])
