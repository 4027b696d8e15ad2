# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL


class DunningCollectedReport(models.Model):
    """What came in: one row per payment credited on a receivable line.

    The cash collected is the credit of a payment entry (``move_type``
    ``entry``: customer payments, bank statement lines) on a debtor's
    receivable line, dated by the entry: the figure the cockpit shows as
    "Collected this month" and the back-test compares its forecast with,
    all read from :meth:`_dunning_collected_sql`. The collector and the
    scenario are the debtor's (``dunning.debtor.status``), as in the
    receivables analysis, so that the dashboard's filters apply.
    """

    _name = "dunning.collected.report"
    _description = "Collections: cash collected"
    _auto = False
    _rec_name = "move_id"
    _order = "date desc, id desc"

    date = fields.Date(readonly=True)
    move_id = fields.Many2one("account.move", string="Payment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    scenario_id = fields.Many2one("dunning.scenario", readonly=True)
    amount = fields.Monetary(string="Collected", readonly=True)

    @api.model
    def _dunning_collected_sql(self, company=None):
        """Return the SQL of the cash collected, the one definition.

        Rows ``id`` (the receivable line), ``date``, ``company_id``,
        ``partner_id`` (the debtor: the commercial partner of the line),
        ``move_id`` (the payment entry) and ``amount`` (the credit): the
        credits of payment entries on the posted receivable lines with a
        partner (:meth:`account.move.line._dunning_receivable_sql`). Callers
        select from it (``FROM (<this>) collected``) and filter on the date,
        the company and the debtor; PostgreSQL merges it into their query
        (no aggregate inside), so the index on the lines' date still serves.

        :param company: restrict to these companies (a recordset; None: all).
        """
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.date AS date,
                   aml.company_id AS company_id,
                   line_partner.commercial_partner_id AS partner_id,
                   aml.move_id AS move_id,
                   aml.credit AS amount
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN res_partner line_partner ON line_partner.id = aml.partner_id
             WHERE %(receivable)s
               AND am.move_type = 'entry'
               AND aml.credit > 0
            """,
            receivable=self.env["account.move.line"]._dunning_receivable_sql(
                "aml", company
            ),
        )

    @property
    def _table_query(self):
        """Return the SQL of the report: the collected rows with the
        debtor's collector and scenario (built at each query, as the
        receivables analysis)."""
        return SQL(
            """
            SELECT collected.id, collected.date, collected.company_id,
                   company.currency_id, collected.partner_id,
                   collected.move_id, collected.amount,
                   status.collector_id, status.scenario_id
              FROM (%(collected)s) collected
              JOIN res_company company ON company.id = collected.company_id
              %(status)s
            """,
            collected=self._dunning_collected_sql(),
            status=self.env["dunning.debtor.status"]._dunning_join_sql(
                SQL("collected.partner_id"), SQL("collected.company_id")
            ),
        )
