# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# The lists a mass action runs from, and the field giving their debtor.
MASS_MODELS = {
    "dunning.action": "partner_id",
    "res.partner": False,
    "dunning.promise": "partner_id",
    "dunning.dispute": "partner_id",
}


class DunningMassAction(models.TransientModel):
    """Validate, reassign or pause many records of a collections list at once,
    after a confirmation stating how many records it changes.

    Reassigning sets the collector of the records' debtors; pausing holds the
    reminders of the records' debtors until a date.
    """

    _name = "dunning.mass.action"
    _description = "Collections: mass action"

    operation = fields.Selection(
        [
            ("validate", "Validate"),
            ("reassign", "Reassign"),
            ("pause", "Pause"),
        ],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    collector_id = fields.Many2one(
        "res.users",
        string="New collector",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    pause_until = fields.Date(string="Pause until")
    pause_reason = fields.Char()
    record_count = fields.Integer(compute="_compute_confirmation")
    confirmation = fields.Char(compute="_compute_confirmation")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        model = context.get("active_model")
        if model in MASS_MODELS:
            values.setdefault("res_model", model)
            values.setdefault("res_ids", list(context.get("active_ids") or []))
        values.setdefault("operation", context.get("dunning_mass_operation"))
        return values

    def _records(self):
        """The selected records the user can read (the record rules apply)."""
        self.ensure_one()
        if self.res_model not in MASS_MODELS:
            raise UserError(self.env._("This list has no mass action."))
        ids = [i for i in (self.res_ids or []) if isinstance(i, int)]
        return self.env[self.res_model].browse(ids).exists()._filtered_access("read")

    def _targets(self):
        """The records the operation changes: the actions to validate, or
        the debtors of the selection to reassign or pause."""
        records = self._records()
        if self.operation == "validate":
            if self.res_model != "dunning.action":
                raise UserError(self.env._("Only reminders can be validated."))
            return records.filtered(lambda a: a.state in ("draft", "error"))
        if self.res_model != "res.partner":
            records = records.mapped(MASS_MODELS[self.res_model])
        return records.commercial_partner_id

    @api.depends("operation", "res_model", "res_ids")
    def _compute_confirmation(self):
        for wizard in self:
            count = len(wizard._targets()) if wizard.operation else 0
            wizard.record_count = count
            if wizard.operation == "validate":
                wizard.confirmation = self.env._(
                    "Validate %(count)s actions?", count=count
                )
            elif wizard.operation == "reassign":
                wizard.confirmation = self.env._(
                    "Reassign %(count)s debtors?", count=count
                )
            else:
                wizard.confirmation = self.env._(
                    "Pause the reminders of %(count)s debtors?", count=count
                )

    def action_confirm(self):
        self.ensure_one()
        self.env["res.partner"]._dunning_check_group()
        targets = self._targets()
        if not targets:
            raise UserError(self.env._("Nothing to change in the selection."))
        if self.operation == "validate":
            targets.action_execute()
        elif self.operation == "reassign":
            collector = self.collector_id
            if (
                not collector
                or collector.share
                or self.company_id not in collector.company_ids
                or self.company_id not in self.env.companies
            ):
                raise UserError(
                    self.env._(
                        "Choose a collector who works in %(company)s.",
                        company=self.company_id.name,
                    )
                )
            targets.write({"dunning_collector_id": collector.id})
        else:
            if not self.pause_until or self.pause_until <= fields.Date.context_today(
                self
            ):
                raise UserError(self.env._("Choose a date after today."))
            targets.write(
                {
                    "dunning_paused_until": self.pause_until,
                    "dunning_pause_reason": self.pause_reason
                    or self.env._("Paused by %(user)s", user=self.env.user.name),
                }
            )
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _dunning_open(self, operation):
        """The window of the mass ``operation`` on the records selected in
        the list (``active_model``, ``active_ids`` of the context)."""
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["operation"]._description_selection(self.env))[
                operation
            ],
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {**self.env.context, "dunning_mass_operation": operation},
        }
