# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from ..engine import scoring


class DunningForecastReport(models.Model):
    _inherit = "dunning.forecast.report"

    @api.model
    def _select_expected_date(self, dates=None):
        """``predicted`` (and the richest without addons above): the
        predicted payment date of the invoice, else due date + lag."""
        if dates not in (None, "predicted"):
            return super()._select_expected_date(dates=dates)
        return SQL(
            "COALESCE(am.dunning_predicted_date, %s)",
            super()._select_expected_date(dates="lag"),
        )

    @api.model
    def _backtest_methods(self):
        """The predicted date, alone and with the recovery curve."""
        methods = super()._backtest_methods()
        methods.insert(
            1,
            {
                "key": "predicted",
                "label": self.env._("Predicted payment date"),
                "dates": "predicted",
                "curve": False,
            },
        )
        methods.append(
            {
                "key": "predicted_curve",
                "label": self.env._(
                    "Recovery curve from the predicted date, promises, plans"
                ),
                "dates": "predicted",
                "curve": True,
            }
        )
        return methods

    @api.model
    def _backtest_expected_dates(self, company, rows):
        """The predicted payment date as it was on each Monday.

        Due date + the debtor's typical delay computed with only what was
        known on the Monday (the invoices paid before it and due within the
        scoring window before it, recent ones weighing more) + the company's
        transfer lag: the formula of the stored predicted date. One query
        for the whole history. The context key ``dunning_backtest_lag_only``
        measures the due date + transfer lag instead, for comparison, as
        does ``dunning_backtest_method`` other than ``predicted``.
        """
        if self.env.context.get("dunning_backtest_lag_only") or (
            self.env.context.get("dunning_backtest_method", "predicted") != "predicted"
        ):
            return super()._backtest_expected_dates(company, rows)
        history = defaultdict(list)
        Score = self.env["dunning.partner.score"]
        for partner_id, due, paid_on, amount in self.env.execute_query(
            SQL(
                """
                WITH inv AS (%s)
                SELECT partner_id, due, paid_on, amount
                  FROM inv
                 WHERE reconciled AND paid_on IS NOT NULL
                """,
                Score._invoices_query(company),
            )
        ):
            history[partner_id].append((due, paid_on, amount))
        months = company.dunning_score_window_months
        half_life = company.dunning_score_half_life
        delays = {}
        result = {}
        for monday, move_id, partner_id, due, _amount in rows:
            key = (monday, partner_id)
            if key not in delays:
                start = monday - relativedelta(months=months)
                known = [
                    item
                    for item in history.get(partner_id, ())
                    if item[1] < monday and start <= item[0] < monday
                ]
                typical = scoring.typical_delay(known, monday, half_life)
                delays[key] = scoring.round_days(typical) if typical is not None else 0
            result[(monday, move_id)] = Score._predicted_date(
                due, company, {"typical_delay": delays[key]}
            )
        return result
