# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class DunningAction(models.Model):
    _inherit = "dunning.action"

    grade_id = fields.Many2one(
        "dunning.score.grade",
        compute="_compute_grade_id",
        store=True,
        index=True,
        help="The debtor's payment grade in the company when the action was "
        "made (the lists of actions filter and group by it).",
    )

    @api.model
    def _dunning_grades(self, partner_ids, company_ids):
        """Return ``{(commercial partner id, company id): grade}`` of the
        debtors ``partner_ids`` in ``company_ids`` (one query)."""
        scores = (
            self.env["dunning.partner.score"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", list(partner_ids)),
                    ("company_id", "in", list(company_ids)),
                ],
                ["partner_id", "company_id", "grade_id"],
            )
        )
        return {
            (partner.id, company.id): grade.sudo(False)
            for partner, company, grade in scores
        }

    @api.depends("partner_id", "company_id")
    def _compute_grade_id(self):
        """Read the score rows of the actions' debtors at once (one query)."""
        grades = self._dunning_grades(
            self.partner_id.commercial_partner_id.ids, self.company_id.ids
        )
        empty = self.env["dunning.score.grade"]
        for action in self:
            action.grade_id = grades.get(
                (action.partner_id.commercial_partner_id.id, action.company_id.id),
                empty,
            )

    @api.model
    def _dunning_reminder_computed_vals(self, vals_list):
        """The grade of each reminder's debtor, read for the batch at once."""
        result = super()._dunning_reminder_computed_vals(vals_list)
        partners = self.env["res.partner"].browse({v["partner_id"] for v in vals_list})
        partners.fetch(["commercial_partner_id"])
        commercial = {
            partner.id: partner.commercial_partner_id.id for partner in partners
        }
        company_ids = {v.get("company_id") or self.env.company.id for v in vals_list}
        grades = self._dunning_grades(set(commercial.values()), company_ids)
        for vals, extra in zip(vals_list, result, strict=True):
            grade = grades.get(
                (
                    commercial[vals["partner_id"]],
                    vals.get("company_id") or self.env.company.id,
                )
            )
            extra["grade_id"] = grade.id if grade else False
        return result
