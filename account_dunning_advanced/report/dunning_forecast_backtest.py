# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import format_date

from ..engine import backtest


class DunningForecastBacktest(models.Model):
    """The cash-in forecast's back-test, per week and method (a chart).

    Written by :meth:`_dunning_refresh` from ``dunning.forecast.report.
    _backtest`` for each of its ``_backtest_methods``, with the cash
    collected as a series of its own; the totals per method are
    ``dunning.forecast.backtest.method``.
    """

    _name = "dunning.forecast.backtest"
    _description = "Collections cash-in forecast back-test"
    _order = "week, sequence, id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    week = fields.Date(required=True, help="Monday the forecast was made.")
    method = fields.Char(required=True, help="Forecast method, or the cash.")
    sequence = fields.Integer()
    amount = fields.Monetary(
        help="Forecast for the week made on its Monday, or the cash collected."
    )

    @api.model
    def _dunning_refresh(self, company=None, weeks=12, today=None):
        """Back-test the forecast methods on the last ``weeks`` weeks of
        company and replace its rows (weeks and totals per method)."""
        company = company or self.env.company
        Report = self.env["dunning.forecast.report"].with_company(company)
        results = [
            (
                method["key"],
                method["label"],
                Report._backtest(
                    weeks=weeks, today=today, company=company, method=method
                ),
            )
            for method in Report._backtest_methods()
        ]
        self.search([("company_id", "=", company.id)]).unlink()
        Method = self.env["dunning.forecast.backtest.method"]
        Method.search([("company_id", "=", company.id)]).unlink()
        vals = []
        if results:
            vals += [
                {
                    "company_id": company.id,
                    "week": row["week"],
                    "method": self.env._("Collected"),
                    "sequence": 0,
                    "amount": row["collected"],
                }
                for row in results[0][2]
            ]
        for sequence, (_key, label, rows) in enumerate(results, start=1):
            vals += [
                {
                    "company_id": company.id,
                    "week": row["week"],
                    "method": label,
                    "sequence": sequence,
                    "amount": row["forecast"],
                }
                for row in rows
            ]
        self.create(vals)
        Method.create(
            [
                {
                    "company_id": company.id,
                    "sequence": sequence,
                    "key": total["key"],
                    "name": total["label"],
                    "weeks": total["weeks"],
                    "forecast": total["forecast"],
                    "collected": total["collected"],
                    "wape": total["wape"] or 0.0,
                    "bias": total["bias"] or 0.0,
                    "date": fields.Date.context_today(self),
                }
                for sequence, total in enumerate(backtest.compare(results), start=1)
            ]
        )
        return True

    @api.model
    def action_dunning_refresh(self):
        """Back-test now (the current company) and show the chart."""
        self._dunning_refresh()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_forecast_backtest_action"
        )


class DunningForecastBacktestMethod(models.Model):
    """Totals of a forecast method over the back-test's weeks."""

    _name = "dunning.forecast.backtest.method"
    _description = "Collections cash-in forecast back-test per method"
    _order = "sequence, id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer()
    name = fields.Char(string="Method", required=True)
    key = fields.Char(
        help="Key of the method in dunning.forecast.report._backtest_methods."
    )
    date = fields.Date(string="Back-tested on")
    weeks = fields.Integer()
    forecast = fields.Monetary()
    collected = fields.Monetary()
    wape = fields.Float(
        string="WAPE (%)",
        digits=(16, 1),
        help="Sum over the weeks of |forecast - collected|, in percent of the "
        "sum collected.",
    )
    bias = fields.Float(
        string="Bias (%)",
        digits=(16, 1),
        help="Sum of forecast - collected in percent of the sum collected: "
        "above 0 the forecast was too optimistic.",
    )

    @api.depends("name", "wape", "bias", "weeks", "date")
    def _compute_display_name(self):
        """The method and its figures, e.g. in the forecast's search panel."""
        for row in self:
            row.display_name = row._dunning_summary()

    def _dunning_label(self):
        """The method's label in the reader's language (the stored name is
        in the language of whoever ran the back-test)."""
        self.ensure_one()
        labels = {
            method["key"]: method["label"]
            for method in self.env["dunning.forecast.report"]._backtest_methods()
        }
        return labels.get(self.key) or self.name

    def _dunning_summary(self):
        """Return "<method> — back-tested over N weeks: WAPE x %, bias y %
        (date)", the line the forecast and the cockpit show."""
        self.ensure_one()
        return self.env._(
            "%(method)s — back-tested over %(weeks)s weeks: WAPE %(wape).1f %%, "
            "bias %(bias)+.1f %% (%(date)s)",
            method=self._dunning_label(),
            weeks=self.weeks,
            wape=self.wape,
            bias=self.bias,
            date=format_date(self.env, self.date) if self.date else "-",
        )

    @api.model
    def action_dunning_refresh(self):
        """Back-test now (the current company) and show the totals."""
        self.env["dunning.forecast.backtest"]._dunning_refresh()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_forecast_backtest_method_action"
        )
