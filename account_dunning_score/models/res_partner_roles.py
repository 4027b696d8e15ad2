# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from .res_partner import SCORE_GROUPS


class ResPartner(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_expected_payment_date = fields.Date(
        string="Expected payment date",
        compute="_compute_dunning_expected_payment_date",
        groups=SCORE_GROUPS,
        help="When what the customer owes today should be paid: the latest "
        "predicted payment date of its open invoices in this company (due date "
        "+ its typical delay + the transfer lag).",
    )

    @api.depends_context("company")
    def _compute_dunning_expected_payment_date(self):
        """One grouped read of the open invoices' predicted dates (stored on
        the invoices by the scoring)."""
        Move = self.env["account.move"].sudo()
        latest = dict(
            Move._read_group(
                [
                    *Move._dunning_predicted_date_domain(),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["commercial_partner_id"],
                ["dunning_predicted_date:max"],
            )
        )
        for partner in self:
            partner.dunning_expected_payment_date = latest.get(
                partner.commercial_partner_id, False
            )
