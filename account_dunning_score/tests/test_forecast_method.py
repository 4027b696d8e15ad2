# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cash-in forecast dates an invoice by the company's method: the due
date + lag or the predicted date, per company in one read."""

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestForecastMethodScore(DunningCommon):
    def _predicted(self, move, date):
        """Store the predicted payment date, as the nightly scoring does."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET dunning_predicted_date = %s WHERE id = %s",
            (date, move.id),
        )
        self.env.invalidate_all()

    def _rows(self, move, Report=None):
        Report = Report or self.env["dunning.forecast.report"]
        self.env.invalidate_all()
        return sorted(
            (row.expected_date, row.amount_residual)
            for row in Report.search([("move_id", "=", move.id)])
        )

    def test_lag_or_predicted(self):
        """Due 2030-01-31, predicted 2030-02-20 (a late payer): on
        2030-02-03 (3 days' lag) with "lag", on 2030-02-20 with "predicted"."""
        move = self._invoice(self.debtor, 700, "2030-01-31")
        self._predicted(move, d("2030-02-20"))
        self.company.dunning_forecast_method = "lag"
        self.assertEqual(self._rows(move), [(d("2030-02-03"), 700.0)])
        self.company.dunning_forecast_method = "predicted"
        self.assertEqual(self._rows(move), [(d("2030-02-20"), 700.0)])

    def test_two_companies_in_one_read(self):
        """Company A on "lag", company B on "predicted": one search over
        both gives each invoice the date of its company's method."""
        other = self.setup_other_company(name="Forecast B")["company"]
        mine = self._invoice(self.debtor, 700, "2030-01-31")
        theirs = self._invoice(self.debtor, 300, "2030-01-31", company=other)
        self._predicted(mine, d("2030-02-20"))
        self._predicted(theirs, d("2030-02-20"))
        self.company.dunning_forecast_method = "lag"
        other.dunning_forecast_method = "predicted"
        Report = self.env["dunning.forecast.report"].with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        self.env.invalidate_all()
        rows = Report.search([("move_id", "in", (mine | theirs).ids)])
        self.assertEqual(len(rows), 2)
        self.assertEqual(
            {(r.company_id, r.expected_date, r.amount_residual) for r in rows},
            {
                (self.company, d("2030-02-03"), 700.0),
                (other, d("2030-02-20"), 300.0),
            },
        )
