# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The collections tab read by the viewers, written by the collectors only."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

VIEWER_GROUP = "account_dunning_advanced.group_dunning_viewer"
USER_GROUP = "account_dunning_advanced.group_dunning_user"

# The collections fields of a partner that anyone who may edit the contact
# may set: what a contact is for (accounts payable...), shown on every contact.
DUNNING_OPEN_FIELDS = {"dunning_role_ids"}


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    # The fields of the collections tab, read by the viewers (sales,
    # management, legal) too; only a collector writes them (see ``write``).
    dunning_scenario_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_paused_until = fields.Date(groups=VIEWER_GROUP)
    dunning_pause_reason = fields.Char(groups=VIEWER_GROUP)
    dunning_opt_out = fields.Boolean(groups=VIEWER_GROUP)
    dunning_opt_out_reason = fields.Char(groups=VIEWER_GROUP)
    dunning_collector_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_effective_collector_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_action_ids = fields.One2many(groups=VIEWER_GROUP)
    dunning_action_count = fields.Integer(groups=VIEWER_GROUP)
    dunning_effective_scenario_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_level_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_next_date = fields.Date(groups=VIEWER_GROUP)
    dunning_due_amount = fields.Monetary(groups=VIEWER_GROUP)
    dunning_overdue_amount = fields.Monetary(groups=VIEWER_GROUP)
    dunning_currency_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_has_overdue = fields.Boolean(groups=VIEWER_GROUP)
    dunning_public_buyer = fields.Boolean(groups=VIEWER_GROUP)
    dunning_regime = fields.Selection(groups=VIEWER_GROUP)
    dunning_no_indemnity = fields.Boolean(groups=VIEWER_GROUP)
    dunning_litigation = fields.Boolean(groups=VIEWER_GROUP)
    dunning_agency_id = fields.Many2one(groups=VIEWER_GROUP)
    dunning_litigation_date = fields.Date(groups=VIEWER_GROUP)
    dunning_agency_fee_rate = fields.Float(groups=VIEWER_GROUP)
    dunning_litigation_amount = fields.Monetary(groups=VIEWER_GROUP)
    dunning_expected_recovery = fields.Monetary(groups=VIEWER_GROUP)
    dunning_dispute_ids = fields.One2many(groups=VIEWER_GROUP)
    dunning_incoming_ids = fields.One2many(groups=VIEWER_GROUP)
    dunning_plan_ids = fields.One2many(groups=VIEWER_GROUP)
    dunning_promise_ids = fields.One2many(groups=VIEWER_GROUP)

    dunning_can_edit = fields.Boolean(
        string="Can edit the collections",
        compute="_compute_dunning_can_edit",
        help="The user is a collector: the collections tab is editable.",
    )
    dunning_last_reminder_date = fields.Date(
        string="Last reminder",
        compute="_compute_dunning_debtor_summary",
        groups=VIEWER_GROUP,
        help="Date of the last reminder sent to the debtor (any channel).",
    )
    dunning_open_promise_count = fields.Integer(
        string="Open promises",
        compute="_compute_dunning_debtor_summary",
        groups=VIEWER_GROUP,
    )
    dunning_open_dispute_count = fields.Integer(
        string="Open disputes",
        compute="_compute_dunning_debtor_summary",
        groups=VIEWER_GROUP,
    )

    @api.depends_context("uid")
    def _compute_dunning_can_edit(self):
        can_edit = self.env.su or self.env.user.has_group(USER_GROUP)
        self.dunning_can_edit = can_edit

    @api.depends_context("company")
    def _compute_dunning_debtor_summary(self):
        """Last reminder, open promises and disputes of the commercial
        partners, in the current company (three grouped reads)."""
        debtors = self.commercial_partner_id
        company = self.env.company
        last_dates = dict(
            self.env["dunning.action"]._read_group(
                [
                    ("partner_id", "in", debtors.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "done"),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        promises = dict(
            self.env["dunning.promise"]._read_group(
                [
                    ("partner_id", "in", debtors.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", ("to_review", "open")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        disputes = dict(
            self.env["dunning.dispute"]._read_group(
                [
                    ("partner_id", "in", debtors.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            debtor = partner.commercial_partner_id
            partner.dunning_last_reminder_date = last_dates.get(debtor, False)
            partner.dunning_open_promise_count = promises.get(debtor, 0)
            partner.dunning_open_dispute_count = disputes.get(debtor, 0)

    @api.model
    def _dunning_guarded_fields(self, field_names):
        """Return the collections fields among ``field_names`` that only a
        collector may write."""
        return sorted(
            name
            for name in field_names
            if name.startswith("dunning_") and name not in DUNNING_OPEN_FIELDS
        )

    def _dunning_check_collections_write(self, field_names):
        """Refuse a change of the collections fields ``field_names`` to who is
        not a collections user (a viewer reads them, even through RPC).

        :raise AccessError: the user is not a collections user.
        """
        if self.env.su or self.env.user.has_group(USER_GROUP):
            return
        guarded = self._dunning_guarded_fields(field_names)
        if guarded:
            fields_desc = ", ".join(
                self._fields[name].get_description(self.env)["string"]
                if name in self._fields
                else name
                for name in guarded
            )
            raise AccessError(
                self.env._(
                    "Only the collections users may change the collections of "
                    "a customer (%(fields)s). Ask the customer's collector.",
                    fields=fields_desc,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # A new contact comes with the form's empty collections fields: only
        # a value set there is a change.
        for vals in vals_list:
            self._dunning_check_collections_write(
                [name for name, value in vals.items() if value]
            )
        return super().create(vals_list)

    def write(self, vals):
        self._dunning_check_collections_write(vals)
        return super().write(vals)

    def action_dunning_ask_colleague(self):
        """Open the wizard asking a colleague a question about this debtor."""
        self.ensure_one()
        self._dunning_check_group()
        return self.env["dunning.ask.colleague"]._dunning_open_for(
            self.commercial_partner_id
        )
