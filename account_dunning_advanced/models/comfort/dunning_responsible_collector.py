# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The responsible collector of the debtor on the records the collectors
work on (actions, promises, disputes), in the record's company: grouped,
sorted and searched through its SQL twin (``_field_to_sql``), the stored
resolution of ``dunning.debtor.status`` that the compute reads too."""

from odoo import fields, models
from odoo.tools import SQL

from .res_partner_list import search_by_sql


class DunningResponsibleCollectorMixin(models.AbstractModel):
    """``responsible_collector_id`` of a record with ``partner_id`` (the
    debtor or one of its contacts) and ``company_id``."""

    _name = "dunning.responsible.collector.mixin"
    _description = "Collections: responsible collector of the record's debtor"

    responsible_collector_id = fields.Many2one(
        "res.users",
        string="Responsible collector",
        compute="_compute_responsible_collector_id",
        search="_search_responsible_collector_id",
        help="The debtor's collector in the company of the record: its own, "
        "else its scenario's, else the salesperson.",
    )

    def _compute_responsible_collector_id(self):
        Status = self.env["dunning.debtor.status"]
        for company in self.company_id:
            records = self.filtered(lambda r, c=company: r.company_id == c)
            status = Status._dunning_status_of(company, records.partner_id)
            for record in records:
                commercial = record.partner_id.commercial_partner_id
                record.responsible_collector_id = (
                    status[commercial.id][1] if commercial else False
                )
        (self - self.filtered("company_id")).responsible_collector_id = False

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        if fname == "responsible_collector_id":
            commercial = SQL(
                "(SELECT debtor.commercial_partner_id FROM res_partner debtor"
                " WHERE debtor.id = %s)",
                SQL.identifier(
                    alias, "partner_id", to_flush=self._fields["partner_id"]
                ),
            )
            company = SQL.identifier(
                alias, "company_id", to_flush=self._fields["company_id"]
            )
            return self.env["res.partner"]._dunning_status_sql(
                commercial, company, "collector_id"
            )
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    def _search_responsible_collector_id(self, operator, value):
        return search_by_sql(self, "responsible_collector_id", operator, value)


class DunningAction(models.Model):
    _name = "dunning.action"
    _inherit = ["dunning.action", "dunning.responsible.collector.mixin"]


class DunningPromise(models.Model):
    _name = "dunning.promise"
    _inherit = ["dunning.promise", "dunning.responsible.collector.mixin"]


class DunningDispute(models.Model):
    _name = "dunning.dispute"
    _inherit = ["dunning.dispute", "dunning.responsible.collector.mixin"]
