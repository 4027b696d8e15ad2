# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_reply_summary = fields.Char(
        string="Reply classifier", compute="_compute_dunning_reply_summary"
    )

    def _compute_dunning_reply_summary(self):
        for settings in self:
            settings.dunning_reply_summary = (
                self.env["dunning.reply.classifier"]
                ._get_for_company(settings.company_id)
                .summary
            )

    def action_dunning_train_replies(self):
        """Train the company's reply classifier now, then show its quality."""
        self.env["dunning.reply.classifier"]._get_for_company(
            self.company_id
        ).action_train()
        return self.action_dunning_open_reply_classifier()

    def action_dunning_open_reply_classifier(self):
        record = self.env["dunning.reply.classifier"]._get_for_company(self.company_id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply classifier"),
            "res_model": "dunning.reply.classifier",
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
