# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models

MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"


class DunningRetentionPreview(models.TransientModel):
    """What the next purge of the retention policy would touch, listed
    before it runs; the manager can run it from here."""

    _name = "dunning.retention.preview"
    _description = "Preview of the personal data purge"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    line_ids = fields.One2many(
        "dunning.retention.preview.line", "preview_id", readonly=True
    )
    partner_count = fields.Integer(string="Debtors", compute="_compute_partner_count")

    @api.depends("line_ids.partner_id")
    def _compute_partner_count(self):
        for preview in self:
            preview.partner_count = len(preview.line_ids.partner_id)

    @api.model
    def _dunning_open(self, company, on_date=None):
        """Build the preview of ``company``'s next purge and open it."""
        Partner = self.env["res.partner"]
        Partner._dunning_check_group(MANAGER_GROUP)
        on_date = on_date or fields.Date.context_today(self)
        _cutoffs, targets = Partner._dunning_retention_plan(company, on_date)
        counts = Partner._dunning_retention_counts(targets)
        preview = self.create(
            {
                "company_id": company.id,
                "date": on_date,
                "line_ids": [
                    Command.create(
                        {"partner_id": partner_id, "what": label, "count": count}
                    )
                    for (partner_id, _key), (label, count) in sorted(counts.items())
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next purge of personal data"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_purge(self):
        """Run the purge now (what it touches is computed again)."""
        self.ensure_one()
        self.env["res.partner"]._dunning_check_group(MANAGER_GROUP)
        self.env["res.partner"]._dunning_retention_purge(self.company_id, self.date)
        return {"type": "ir.actions.act_window_close"}


class DunningRetentionPreviewLine(models.TransientModel):
    _name = "dunning.retention.preview.line"
    _description = "Preview of the personal data purge: one debtor's records"
    _order = "partner_id, what"

    preview_id = fields.Many2one(
        "dunning.retention.preview", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    what = fields.Char(readonly=True)
    count = fields.Integer(string="Records", readonly=True)
