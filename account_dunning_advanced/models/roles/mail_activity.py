# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    dunning_question = fields.Boolean(
        string="Collections question",
        readonly=True,
        help="A collector's question to a colleague (Ask a colleague): the "
        "answer given when the activity is marked done also goes to the "
        "debtor's chatter.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # Odoo posts the feedback on the activity's record: the debtor's
        # chatter for a question on a debtor. A question on a dispute is
        # answered on the dispute; the debtor's chatter gets it too.
        answered = [
            (activity.res_id, activity.user_id, activity.summary)
            for activity in self.sudo()
            if activity.dunning_question and activity.res_model == "dunning.dispute"
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if answered:
            disputes = (
                self.env["dunning.dispute"]
                .sudo()
                .browse([res_id for res_id, _user, _summary in answered])
            )
            for dispute, (_res_id, user, summary) in zip(
                disputes, answered, strict=True
            ):
                dispute._dunning_post_answer_on_debtor(user, summary, feedback=feedback)
        return result
