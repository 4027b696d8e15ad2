# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL, format_date


class DunningPenalty(models.Model):
    """What was invoiced as late-payment penalties for one invoice.

    The interest of a late invoice is invoiced up to ``date_to``; the next
    penalty invoice starts the day after. The indemnity is invoiced once. Rows
    of a cancelled penalty invoice no longer count; deleting a draft penalty
    invoice deletes its rows.
    """

    _name = "dunning.penalty"
    _description = "Invoiced late-payment penalty"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Late invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    penalty_move_id = fields.Many2one(
        "account.move",
        string="Penalty invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    penalty_state = fields.Selection(
        related="penalty_move_id.state", string="Penalty invoice status", store=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id",
        string="Debtor",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    date_from = fields.Date(
        string="From", required=True, help="First late day invoiced."
    )
    date_to = fields.Date(
        string="Up to",
        required=True,
        help="Date up to which the interest is invoiced (included).",
    )
    days = fields.Integer(help="Late days with interest invoiced.")
    rates = fields.Char(help="Annual rates applied, in percent.")
    interest = fields.Monetary()
    indemnity = fields.Monetary()

    def init(self):
        # "Never invoiced twice" holds in the data: one live row per invoice
        # and first day, one live indemnity per invoice.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS dunning_penalty_period_unique
                    ON dunning_penalty (move_id, date_from)
                 WHERE penalty_state IS DISTINCT FROM 'cancel'
                """
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS dunning_penalty_indemnity_unique
                    ON dunning_penalty (move_id)
                 WHERE indemnity != 0 AND penalty_state IS DISTINCT FROM 'cancel'
                """
            )
        )

    @api.depends("move_id", "date_from", "date_to")
    def _compute_display_name(self):
        for penalty in self:
            penalty.display_name = self.env._(
                "%(invoice)s: %(date_from)s - %(date_to)s",
                invoice=penalty.move_id.name or "",
                date_from=format_date(self.env, penalty.date_from),
                date_to=format_date(self.env, penalty.date_to),
            )

    @api.model
    def _get_invoiced(self, moves):
        """Return (move id -> first day left to invoice, moves with indemnity).

        Rows of cancelled penalty invoices are ignored.
        """
        groups = self.sudo()._read_group(
            [("move_id", "in", moves.ids), ("penalty_state", "!=", "cancel")],
            ["move_id"],
            ["date_to:max", "indemnity:sum"],
        )
        start_dates = {}
        indemnity_done = set()
        for move, date_to, indemnity in groups:
            start_dates[move.id] = fields.Date.add(date_to, days=1)
            if indemnity:
                indemnity_done.add(move.id)
        return start_dates, indemnity_done
