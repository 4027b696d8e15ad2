# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class DunningContactRole(models.Model):
    """A family of people at the debtor: accounts payable, management..."""

    _name = "dunning.contact.role"
    _description = "Collections contact role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Technical code, stable across languages, for scripts and rules."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a contact role must be unique."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("dunning_role_ids", "in", self.ids)],
                ["dunning_role_ids"],
                ["__count"],
            )
        )
        for role in self:
            role.partner_count = counts.get(role, 0)
