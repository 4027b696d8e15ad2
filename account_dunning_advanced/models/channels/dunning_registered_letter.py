# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class DunningRegisteredLetter(models.Model):
    """The posting and the receipt of a registered letter with acknowledgement
    of receipt, for one collections action (a formal notice).

    A model of its own rather than fields on ``dunning.action``: its life
    (posted, received, not claimed, returned) is not the action's, the
    cockpit lists the letters awaiting their acknowledgement, and the
    payment order file reads the proof from it.

    The deadline to pay runs from the receipt (Code de procédure civile,
    art. 669 al. 3: the date of receipt of a registered letter is the one
    the post office stamps on the acknowledgement). A letter the debtor did
    not claim still puts him on notice (Code civil, art. 1344: a letter
    calling on him clearly to pay suffices; he cannot gain from refusing
    it): the deadline then runs from its first presentation, the date of
    the post office's notice of passage. A letter returned undelivered
    (unknown address) gives no deadline: serve the notice by a
    commissaire de justice.
    """

    _name = "dunning.registered.letter"
    _description = "Collections: registered letter"
    _order = "posting_date desc, id desc"
    _check_company_auto = True
    _rec_name = "tracking_number"

    action_id = fields.Many2one(
        "dunning.action", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="action_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="action_id.partner_id",
        string="Debtor",
        store=True,
        index=True,
        precompute=True,
    )
    level_id = fields.Many2one(related="action_id.level_id")
    tracking_number = fields.Char(
        string="Posting number", copy=False, help="Number of the registered letter."
    )
    posting_date = fields.Date(copy=False)
    state = fields.Selection(
        [
            ("to_post", "To post"),
            ("posted", "Awaiting acknowledgement"),
            ("received", "Received"),
            ("not_claimed", "Not claimed"),
            ("returned", "Returned undelivered"),
        ],
        required=True,
        default="to_post",
        index=True,
        copy=False,
    )
    presentation_date = fields.Date(
        string="First presentation",
        copy=False,
        help="Not claimed: the date of the post office's notice of passage.",
    )
    acknowledgement_date = fields.Date(
        copy=False, help="The date stamped on the acknowledgement of receipt."
    )
    proof_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Proof",
        copy=False,
        help="Scan of the acknowledgement of receipt (or of the returned "
        "envelope), attached to the action.",
    )
    payment_deadline = fields.Date(
        compute="_compute_payment_deadline",
        store=True,
        help="Deadline to pay: the level's deadline counted from the receipt, "
        "or from the first presentation of a letter not claimed.",
    )

    @api.depends(
        "state",
        "acknowledgement_date",
        "presentation_date",
        "action_id.level_id.payment_deadline_days",
    )
    def _compute_payment_deadline(self):
        for letter in self:
            start = letter._dunning_deadline_start()
            letter.payment_deadline = start and start + timedelta(
                days=letter.action_id.level_id.payment_deadline_days or 0
            )

    def _dunning_deadline_start(self):
        """Return the day the deadline to pay runs from (see the class): the
        receipt, the first presentation when not claimed, else False."""
        self.ensure_one()
        if self.state == "received":
            return self.acknowledgement_date
        if self.state == "not_claimed":
            return self.presentation_date
        return False

    @api.depends("tracking_number", "partner_id")
    def _compute_display_name(self):
        for letter in self:
            letter.display_name = self.env._(
                "Registered letter %(number)s - %(partner)s",
                number=letter.tracking_number or self.env._("(not posted)"),
                partner=letter.partner_id.display_name or "",
            )

    def _dunning_record_posting(self, tracking_number, posting_date):
        """Record that the letter was posted."""
        for letter in self:
            letter.write(
                {
                    "tracking_number": tracking_number,
                    "posting_date": posting_date,
                    "state": "posted",
                }
            )
            letter.action_id.message_post(
                body=self.env._(
                    "Registered letter %(number)s posted on %(date)s.",
                    number=tracking_number,
                    date=posting_date,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _dunning_record_receipt(self, outcome, on_date, proof=None, proof_name=None):
        """Record what became of the letter, with the proof.

        :param outcome: ``received`` (``on_date``: the acknowledgement's date),
            ``not_claimed`` (``on_date``: the first presentation) or
            ``returned``.
        :param proof: the scan (bytes), attached to the action.
        """
        self.ensure_one()
        if outcome not in ("received", "not_claimed", "returned"):
            raise UserError(self.env._("Unknown outcome: %s", outcome))
        if self.state == "to_post":
            raise UserError(self.env._("Record the posting of the letter first."))
        if outcome != "returned" and not on_date:
            raise UserError(self.env._("Give the date of the receipt."))
        attachment = self.env["ir.attachment"]
        if proof:
            attachment = attachment.create(
                {
                    "name": proof_name
                    or self.env._(
                        "Acknowledgement %(number)s", number=self.tracking_number
                    ),
                    "raw": proof,
                    "res_model": "dunning.action",
                    "res_id": self.action_id.id,
                }
            )
        self.write(
            {
                "state": outcome,
                "acknowledgement_date": on_date if outcome == "received" else False,
                "presentation_date": on_date if outcome != "returned" else False,
                "proof_attachment_id": attachment.id or self.proof_attachment_id.id,
            }
        )
        labels = dict(self._fields["state"]._description_selection(self.env))
        self.action_id.message_post(
            body=self.env._(
                "Registered letter %(number)s: %(outcome)s on %(date)s. Deadline "
                "to pay: %(deadline)s.",
                number=self.tracking_number,
                outcome=labels[outcome],
                date=on_date or "-",
                deadline=self.payment_deadline or "-",
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _dunning_awaiting_domain(self, company):
        """The formal notices awaiting their acknowledgement (the cockpit's
        list): posted, no outcome recorded yet."""
        return [("company_id", "=", company.id), ("state", "=", "posted")]

    def action_dunning_posted(self):
        """Record the posting from the form (number and date entered)."""
        for letter in self:
            if not (letter.tracking_number and letter.posting_date):
                raise UserError(
                    self.env._("Enter the posting number and the posting date.")
                )
            letter._dunning_record_posting(letter.tracking_number, letter.posting_date)
        return True

    def action_dunning_receipt(self):
        """Open the form recording the receipt."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dunning.registered.letter.receipt",
            "view_mode": "form",
            "target": "new",
            "context": {"default_letter_id": self.id},
        }
