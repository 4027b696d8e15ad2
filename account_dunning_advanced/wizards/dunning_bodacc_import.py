# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models
from odoo.exceptions import UserError


class DunningBodaccImport(models.TransientModel):
    """Upload a BODACC export: ``dunning.proceeding._dunning_import_bodacc``."""

    _name = "dunning.bodacc.import"
    _description = "Collections: import BODACC announcements"

    file = fields.Binary(required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        self.env["res.partner"]._dunning_check_group()
        result = self.env["dunning.proceeding"]._dunning_import_bodacc(
            base64.b64decode(self.file or b"")
        )
        proceedings = result["proceedings"]
        if not proceedings:
            raise UserError(
                self.env._(
                    "No new proceedings for your debtors in this file: "
                    "%(unmatched)s SIREN matching no debtor, %(ignored)s "
                    "announcements opening no proceedings, %(known)s already "
                    "recorded.",
                    unmatched=len(result["unmatched"]),
                    ignored=result["ignored"],
                    known=result["known"],
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_proceeding_action"
        )
        action["domain"] = [("id", "in", proceedings.ids)]
        return action
