# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import api, fields, models

from ...engine import sms

#: Typical rendering of a placeholder, to count the parts of a template.
PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)
SAMPLE_AMOUNT = "12 345,67 \u20ac"
SAMPLE_NAME = "X" * 25
SAMPLE_OTHER = "X" * 10


def sample_text(body):
    """Return ``body`` with its placeholders replaced by typical values.

    An amount (``format_amount``) by "12 345,67 EUR-sign" (as sent, spaces
    made plain), a name by 25 characters, anything else by 10: the count is
    the one of a typical message, not of the longest possible one.
    """

    def sample(match):
        expression = match.group(0)
        if "format_amount" in expression:
            return SAMPLE_AMOUNT
        if "name" in expression:
            return SAMPLE_NAME
        return SAMPLE_OTHER

    return PLACEHOLDER.sub(sample, body or "")


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    dunning_gsm7 = fields.Boolean(
        string="GSM 7-bit",
        compute="_compute_dunning_sms_parts",
        help="The text only uses the GSM 7-bit alphabet: 160 characters per "
        "SMS. Otherwise every character counts double (70 per SMS).",
    )
    dunning_sms_parts = fields.Integer(
        string="SMS per message",
        compute="_compute_dunning_sms_parts",
        help="Number of SMS a typical message costs: placeholders counted as "
        "a 25-character name and an amount like 12 345,67 EUR; the link to "
        "the payment page, when added, comes on top.",
    )
    dunning_non_gsm7 = fields.Char(
        string="Characters outside GSM 7-bit",
        compute="_compute_dunning_sms_parts",
    )

    @api.depends("body", "model")
    @api.depends_context("lang")
    def _compute_dunning_sms_parts(self):
        for template in self:
            if template.model != "dunning.action":
                template.dunning_gsm7 = False
                template.dunning_sms_parts = 0
                template.dunning_non_gsm7 = False
                continue
            text = sms.gsm7_clean(sample_text(template.body))
            template.dunning_gsm7, template.dunning_sms_parts = sms.gsm7_parts(text)
            template.dunning_non_gsm7 = (
                " ".join(repr(char) for char in sms.non_gsm7_chars(text)) or False
            )
