# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools
from odoo.tools import SQL

AGEING = [
    ("not_due", "Not due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "More than 90 days"),
]


def scenario_join(company_column):
    """Return the SQL joining ``scenario``: the debtor's forced one, else the default.

    Shared by the analysis views. Assignment rules are not evaluated in SQL.

    :param company_column: the SQL column holding the company of the row.
    """
    return f"""
            LEFT JOIN dunning_scenario scenario ON scenario.id = COALESCE(
                (
                    SELECT forced.id
                      FROM dunning_scenario forced
                     WHERE forced.id = (
                            partner.dunning_scenario_id ->> {company_column}::text
                        )::integer
                       AND forced.active
                       AND forced.company_id = {company_column}
                ),
                (
                    SELECT dflt.id
                      FROM dunning_scenario dflt
                     WHERE dflt.company_id = {company_column}
                       AND dflt.is_default
                       AND dflt.active
                     ORDER BY dflt.sequence, dflt.id
                     LIMIT 1
                )
            )
"""


class DunningReceivableReport(models.Model):
    """Receivables analysis: one row per open receivable line (SQL view).

    The collector and the scenario are those forced on the debtor, else the
    company's default scenario (assignment rules are not evaluated here);
    the level is the last one reached by the line.
    """

    _name = "dunning.receivable.report"
    _description = "Collections receivables analysis"
    _auto = False
    _rec_name = "move_id"
    _order = "days_late desc, id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    scenario_id = fields.Many2one("dunning.scenario", readonly=True)
    level_id = fields.Many2one("dunning.level", string="Current level", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due date", readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="max")
    ageing = fields.Selection(AGEING, readonly=True)
    amount_residual = fields.Monetary(string="Open amount", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    at_risk_amount = fields.Monetary(
        string="At risk", readonly=True, help="Open amount more than 90 days late."
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    is_at_risk = fields.Boolean(string="At risk (90+)", readonly=True)

    def _select(self):
        """Return the SELECT list of the view (extend it in other addons)."""
        return """
            aml.id AS id,
            aml.move_id AS move_id,
            aml.company_id AS company_id,
            company.currency_id AS currency_id,
            partner.id AS partner_id,
            COALESCE(partner.dunning_collector_id, scenario.user_id, partner.user_id)
                AS collector_id,
            scenario.id AS scenario_id,
            lvl.level_id AS level_id,
            am.invoice_date AS invoice_date,
            COALESCE(aml.date_maturity, aml.date) AS date_due,
            GREATEST(CURRENT_DATE - COALESCE(aml.date_maturity, aml.date), 0)
                AS days_late,
            CASE
                WHEN CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) <= 0
                    THEN 'not_due'
                WHEN CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) <= 30
                    THEN '1_30'
                WHEN CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) <= 60
                    THEN '31_60'
                WHEN CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) <= 90
                    THEN '61_90'
                ELSE '90_plus'
            END AS ageing,
            aml.amount_residual AS amount_residual,
            CASE WHEN aml.amount_residual > 0
                  AND COALESCE(aml.date_maturity, aml.date) < CURRENT_DATE
                 THEN aml.amount_residual ELSE 0 END AS overdue_amount,
            CASE WHEN aml.amount_residual > 0
                  AND CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) > 90
                 THEN aml.amount_residual ELSE 0 END AS at_risk_amount,
            (aml.amount_residual > 0
                AND COALESCE(aml.date_maturity, aml.date) < CURRENT_DATE)
                AS is_overdue,
            (aml.amount_residual > 0
                AND CURRENT_DATE - COALESCE(aml.date_maturity, aml.date) > 90)
                AS is_at_risk
        """

    def _from(self):
        """Return the FROM clause of the view (extend it in other addons)."""
        return (
            """
            account_move_line aml
            JOIN account_move am ON am.id = aml.move_id
            JOIN account_account acc ON acc.id = aml.account_id
            JOIN res_company company ON company.id = aml.company_id
            JOIN res_partner line_partner ON line_partner.id = aml.partner_id
            JOIN res_partner partner
                ON partner.id = line_partner.commercial_partner_id
"""
            + scenario_join("aml.company_id")
            + """
            LEFT JOIN LATERAL (
                SELECT action.level_id
                  FROM dunning_action_move_line_rel rel
                  JOIN dunning_action action ON action.id = rel.action_id
                 WHERE rel.move_line_id = aml.id
                   AND action.state != 'cancel'
                 ORDER BY action.date DESC, action.id DESC
                 LIMIT 1
            ) lvl ON TRUE
        """
        )

    def _where(self):
        """Return the WHERE clause of the view: open receivable lines."""
        return """
            acc.account_type = 'asset_receivable'
            AND aml.parent_state = 'posted'
            AND NOT aml.reconciled
            AND aml.amount_residual != 0
        """

    @api.model
    def _view_query(self):
        return f"SELECT {self._select()} FROM {self._from()} WHERE {self._where()}"

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(self._view_query()),
            )
        )
