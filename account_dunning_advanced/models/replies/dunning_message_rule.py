# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

MESSAGE_CLASSES = [
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("payment", "Payment announced"),
    ("copy_request", "Copy of an invoice or statement requested"),
    ("out_of_office", "Out of office"),
    ("other", "Other"),
]


class DunningMessageRule(models.Model):
    """A keyword or pattern that classifies incoming collections e-mails."""

    _name = "dunning.message.rule"
    _description = "Collections incoming e-mail rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    message_class = fields.Selection(MESSAGE_CLASSES, string="Class", required=True)
    pattern = fields.Char(
        required=True,
        help="Regular expression searched in the subject and the text, ignoring "
        "case, e.g. \\b(je|nous) (vous )?(réglerons|paierons)\\b.",
    )
    match_count = fields.Integer(compute="_compute_match_count")
    correction_count = fields.Integer(
        compute="_compute_match_count",
        help="Messages this rule classified that a collector corrected.",
    )

    @api.constrains("pattern")
    def _check_pattern(self):
        for rule in self:
            try:
                re.compile(rule.pattern)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The pattern of the rule %(rule)s is not a valid regular "
                        "expression: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    def _compute_match_count(self):
        groups = self.env["dunning.incoming"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id", "corrected"], ["__count"]
        )
        matches, corrections = {}, {}
        for rule, corrected, count in groups:
            matches[rule] = matches.get(rule, 0) + count
            if corrected:
                corrections[rule] = count
        for rule in self:
            rule.match_count = matches.get(rule, 0)
            rule.correction_count = corrections.get(rule, 0)
