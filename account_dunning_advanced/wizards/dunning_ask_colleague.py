# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

ASK_MODELS = ("res.partner", "dunning.dispute")


class DunningAskColleague(models.TransientModel):
    """A collector asks a colleague (sales, legal) about a debtor or a
    dispute: a To-Do activity for the colleague on the record and a note
    mentioning them in its chatter."""

    _name = "dunning.ask.colleague"
    _description = "Collections: ask a colleague"

    res_model = fields.Selection(
        [("res.partner", "Debtor"), ("dunning.dispute", "Dispute")],
        required=True,
        readonly=True,
    )
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Colleague",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    question = fields.Text(required=True)
    date_deadline = fields.Date(
        string="Answer by",
        required=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), days=2),
    )

    @api.model
    def _dunning_open_for(self, record):
        """Return the wizard's action for ``record`` (a debtor or a dispute)."""
        company = record.company_id if "company_id" in record else self.env.company
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask a colleague"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": record._name,
                "default_res_id": record.id,
                "default_company_id": (company or self.env.company).id,
            },
        }

    def _dunning_record(self):
        """The record asked about, checked: a debtor or a dispute the user
        may write, in the wizard's company."""
        self.ensure_one()
        if self.res_model not in ASK_MODELS:
            raise UserError(self.env._("A question is asked on a debtor or a dispute."))
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("The record of the question no longer exists."))
        record.check_access("write")
        record_company = record.company_id if "company_id" in record else False
        if record_company and record_company != self.company_id:
            raise UserError(
                self.env._("The question is asked in the record's company.")
            )
        if self.company_id not in self.env.user.company_ids:
            raise UserError(self.env._("You do not work in this company."))
        return record

    def action_ask(self):
        self.ensure_one()
        record = self._dunning_record()
        colleague = self.user_id.sudo()
        if (
            not colleague.active
            or colleague.share
            or self.company_id not in colleague.company_ids
        ):
            raise UserError(
                self.env._(
                    "Ask an active internal user of %(company)s.",
                    company=self.company_id.display_name,
                )
            )
        summary = self.env._("Question from %(user)s", user=self.env.user.name)
        record.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date_deadline,
            summary=summary,
            note=plaintext2html(self.question),
            user_id=colleague.id,
            dunning_question=True,
        )
        record.message_post(
            body=self.env["ir.qweb"]._render(
                "account_dunning_advanced.dunning_ask_colleague_question",
                {"colleague": colleague, "question": self.question},
            ),
            partner_ids=colleague.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
