# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools
from odoo.tools import SQL

# The row id is the source record's id times 10 plus the kind of source, so
# that it is stable from one read to the next (and unique over the union).
SOURCE_MOVE, SOURCE_CHANNEL, SOURCE_INCOMING, SOURCE_PROMISE, SOURCE_DISPUTE = (
    1,
    2,
    3,
    4,
    5,
)


class DunningDebtorTimeline(models.Model):
    """The debtor's file in one chronological view.

    A SQL view (``UNION ALL``) of the invoices and credit notes, the
    payments and other receivable entries, the reminders sent by each channel
    (the calls being the phone channel's; on the action's date), the
    replies, the promises and the disputes of a debtor (commercial partner)
    in a company. ``balance`` is
    what the debtor owed after the row: the running sum, per debtor and
    company, of the posted receivable entries (company currency) in the order
    of the rows; the other rows carry it over.
    """

    _name = "dunning.debtor.timeline"
    _description = "Collections: debtor timeline"
    _auto = False
    _order = "date desc, sequence desc, id desc"
    _rec_name = "description"

    date = fields.Date(readonly=True)
    sequence = fields.Integer(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [
            ("invoice", "Invoice"),
            ("refund", "Credit note"),
            ("payment", "Payment"),
            ("entry", "Other entry"),
            ("reminder", "Reminder"),
            ("call", "Call"),
            ("reply", "Reply"),
            ("promise", "Promise"),
            ("dispute", "Dispute"),
        ],
        readonly=True,
    )
    channel = fields.Selection(
        selection=lambda self: self.env["dunning.action.channel"]._selection_channel(),
        readonly=True,
    )
    level_id = fields.Many2one("dunning.level", readonly=True)
    description = fields.Char(readonly=True)
    state = fields.Char(readonly=True, help="State of the source record.")
    amount = fields.Monetary(
        readonly=True,
        help="The amount of the row: the entry's effect on the receivable, the "
        "promised or disputed amount.",
    )
    balance = fields.Monetary(
        string="Balance after",
        readonly=True,
        aggregator="max",
        help="What the debtor owed after this row (posted receivable entries).",
    )
    res_model = fields.Char(string="Source model", readonly=True)
    res_id = fields.Integer(string="Source", readonly=True)

    def _sql_sources(self):
        """Return the SELECTs of the union, each giving: id, date, sort (0 for
        the accounting entries, which come first on a day), partner_id,
        company_id, kind, channel, level_id, description, state, ledger
        amount (what changes the balance), amount, res_model, res_id.

        Addons add their sources by overriding this method.
        """
        return [
            SQL(
                """
            SELECT am.id * 10 + %(src_move)s AS id,
                   am.date AS date, 0 AS sort,
                   aml.partner_id AS partner_id, am.company_id AS company_id,
                   CASE WHEN am.move_type = 'out_invoice' THEN 'invoice'
                        WHEN am.move_type = 'out_refund' THEN 'refund'
                        WHEN SUM(aml.balance) < 0 THEN 'payment'
                        ELSE 'entry' END AS kind,
                   NULL AS channel, NULL::integer AS level_id,
                   COALESCE(NULLIF(am.ref, '') || ' (' || am.name || ')', am.name)
                       AS description,
                   am.payment_state AS state,
                   SUM(aml.balance) AS ledger, SUM(aml.balance) AS amount,
                   'account.move' AS res_model, am.id AS res_id
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE acc.account_type = 'asset_receivable'
               AND aml.parent_state = 'posted'
               AND aml.partner_id IS NOT NULL
             GROUP BY am.id, aml.partner_id
            """,
                src_move=SOURCE_MOVE,
            ),
            SQL(
                """
            SELECT ch.id * 10 + %(src)s, act.date, 1,
                   rp.commercial_partner_id, act.company_id,
                   CASE WHEN ch.channel = 'phone' THEN 'call' ELSE 'reminder' END,
                   ch.channel, act.level_id, ch.result, ch.state,
                   0, act.amount_overdue, 'dunning.action', act.id
              FROM dunning_action_channel ch
              JOIN dunning_action act ON act.id = ch.action_id
              JOIN res_partner rp ON rp.id = act.partner_id
             WHERE ch.state = 'done'
            """,
                src=SOURCE_CHANNEL,
            ),
            SQL(
                """
            SELECT inc.id * 10 + %(src)s, (inc.date AT TIME ZONE 'UTC')::date, 2,
                   rp.commercial_partner_id, inc.company_id, 'reply', NULL, NULL,
                   COALESCE(inc.subject, inc.email_from), inc.message_class,
                   0, 0, 'dunning.incoming', inc.id
              FROM dunning_incoming inc
              JOIN res_partner rp ON rp.id = inc.partner_id
            """,
                src=SOURCE_INCOMING,
            ),
            SQL(
                """
            SELECT pr.id * 10 + %(src)s, pr.date_made, 3,
                   rp.commercial_partner_id, pr.company_id, 'promise', NULL, NULL,
                   pr.date::text, pr.state,
                   0, COALESCE(pr.amount, 0), 'dunning.promise', pr.id
              FROM dunning_promise pr
              JOIN res_partner rp ON rp.id = pr.partner_id
            """,
                src=SOURCE_PROMISE,
            ),
            SQL(
                """
            SELECT dis.id * 10 + %(src)s, (dis.create_date AT TIME ZONE 'UTC')::date,
                   4, rp.commercial_partner_id, dis.company_id, 'dispute', NULL,
                   NULL, dis.name, dis.state,
                   0, COALESCE((
                       SELECT SUM(am.amount_total_signed)
                         FROM dunning_dispute_move_rel rel
                         JOIN account_move am ON am.id = rel.move_id
                        WHERE rel.dispute_id = dis.id), 0),
                   'dunning.dispute', dis.id
              FROM dunning_dispute dis
              JOIN res_partner rp ON rp.id = dis.partner_id
            """,
                src=SOURCE_DISPUTE,
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        union = SQL(" UNION ALL ").join(self._sql_sources())
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT src.id, src.date, src.sort AS sequence, src.partner_id,
                       src.company_id, src.kind, src.channel, src.level_id,
                       src.description, src.state, src.amount,
                       SUM(src.ledger) OVER (
                           PARTITION BY src.partner_id, src.company_id
                           ORDER BY src.date, src.sort, src.id
                           ROWS UNBOUNDED PRECEDING
                       ) AS balance,
                       src.res_model, src.res_id
                  FROM (%(union)s) AS src
                 WHERE src.date IS NOT NULL
            )
            """,
                table=SQL.identifier(self._table),
                union=union,
            )
        )

    def action_open_source(self):
        """Open the record the row comes from (an access error if the user
        may not read it)."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _dunning_action_for(self, partner):
        """The timeline of the debtor ``partner`` in the current company."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_debtor_timeline_action"
        )
        partner = partner.commercial_partner_id
        action["domain"] = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", self.env.company.id),
        ]
        action["context"] = {"default_partner_id": partner.id}
        action["display_name"] = self.env._(
            "Timeline of %(debtor)s", debtor=partner.display_name
        )
        return action
