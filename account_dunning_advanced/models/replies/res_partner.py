# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's answers: its disputes, promises, payment plans and the
e-mails it sends (the mail gateway)."""

from odoo import fields, models

from ..chase.res_partner import DUNNING_GROUP


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_dispute_ids = fields.One2many(
        "dunning.dispute", "partner_id", string="Disputes", groups=DUNNING_GROUP
    )
    dunning_incoming_ids = fields.One2many(
        "dunning.incoming",
        "partner_id",
        string="Incoming e-mails",
        groups=DUNNING_GROUP,
    )
    dunning_plan_ids = fields.One2many(
        "dunning.payment.plan",
        "partner_id",
        string="Payment plans",
        groups=DUNNING_GROUP,
    )
    dunning_promise_ids = fields.One2many(
        "dunning.promise", "partner_id", string="Promises", groups=DUNNING_GROUP
    )

    def _dunning_new_record_action(self, model, name):
        self.ensure_one()
        self._dunning_check_group()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_new_dispute(self):
        """Open a new dispute for this debtor."""
        return self._dunning_new_record_action(
            "dunning.dispute", self.env._("New dispute")
        )

    def action_dunning_new_plan(self):
        """Open a new payment plan for this debtor."""
        return self._dunning_new_record_action(
            "dunning.payment.plan", self.env._("New payment plan")
        )

    def action_dunning_new_promise(self):
        """Open a new promise to pay for this debtor."""
        action = self._dunning_new_record_action(
            "dunning.promise", self.env._("New promise to pay")
        )
        action["context"]["default_source"] = "call"
        return action

    def message_update(self, msg_dict, update_vals=None):
        """A reply to a collections reminder also becomes an incoming e-mail.

        The reply stays in the debtor's chatter with its attachments; the
        collections record classifies it and acts on it. It is found through
        the Message-ID of the reminder we sent, which nobody else knows: the
        sender is trusted (a promise still goes to review beyond the longest
        promise of the company).
        """
        result = super().message_update(msg_dict, update_vals=update_vals)
        parent_id = msg_dict.get("parent_id")
        if parent_id:
            action = (
                self.env["dunning.action"]
                .sudo()
                .search([("message_id", "=", parent_id)], limit=1)
            )
            if action:
                Incoming = self.env["dunning.incoming"].sudo()
                values = Incoming._prepare_from_message(msg_dict)
                values.update(
                    partner_id=action.partner_id.id,
                    company_id=action.company_id.id,
                    state="new",
                    sender_check="reply",
                )
                incoming = Incoming.with_company(action.company_id).create(values)
                incoming._classify()
                incoming._apply_effects()
        return result
