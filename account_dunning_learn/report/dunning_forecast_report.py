# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.tools import SQL


class DunningForecastReport(models.Model):
    _inherit = "dunning.forecast.report"

    @api.model
    def _select_expected_date(self, dates=None):
        """``learned`` (the richest): the learned payment date when the
        company's model dated the invoice, else the predicted date
        (account_dunning_score)."""
        if dates not in (None, "learned"):
            return super()._select_expected_date(dates=dates)
        return SQL(
            "COALESCE(am.dunning_learned_date, %s)",
            super()._select_expected_date(dates="predicted"),
        )

    @api.model
    def _backtest_methods(self):
        """The learned date, alone and with the recovery curve."""
        return super()._backtest_methods() + [
            {
                "key": "learned",
                "label": self.env._("Learned payment date"),
                "dates": "learned",
                "curve": False,
            },
            {
                "key": "learned_curve",
                "label": self.env._(
                    "Recovery curve from the learned date, promises, plans"
                ),
                "dates": "learned",
                "curve": True,
            },
        ]

    @api.model
    def _backtest_expected_dates(self, company, rows):
        """The learned date as it would have been on each Monday: a model
        trained with only what was known then (the invoices paid before it,
        those open then as censored), predicting with the debtors' histories
        of the Monday. Without enough history on a Monday, the predicted
        date of account_dunning_score."""
        if self.env.context.get("dunning_backtest_method") != "learned":
            return super()._backtest_expected_dates(company, rows)
        fallback = self.with_context(
            dunning_backtest_method="predicted"
        )._backtest_expected_dates(company, rows)
        Model = self.env["dunning.payment.model"]
        invoices, histories = Model._dunning_learn_data(company)
        by_id = {invoice["id"]: invoice for invoice in invoices}
        result = dict(fallback)
        for monday in sorted({row[0] for row in rows}):
            model = Model._dunning_fit(invoices, histories, monday)
            if model is None:
                continue
            items = [
                by_id[row[1]] for row in rows if row[0] == monday and row[1] in by_id
            ]
            for move_id, date in Model._dunning_predict_dates(
                model, items, histories, monday
            ).items():
                result[(monday, move_id)] = date
        return result
