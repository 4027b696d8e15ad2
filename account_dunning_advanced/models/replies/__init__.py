# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's answers: incoming e-mails (the mail gateway), disputes,
promises and payment plans."""

from . import dunning_debtor_record
from . import dunning_dispute_reason
from . import dunning_dispute
from . import dunning_promise
from . import dunning_message_rule
from . import dunning_incoming
from . import dunning_payment_plan
from . import dunning_payment_plan_line
from . import res_partner
