# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResPartner(models.Model):
    """The scores in the retention policy and the right of access."""

    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    def _dunning_retention_targets(self, company, cutoffs):
        """The score and its monthly history of the settled people go."""
        targets = super()._dunning_retention_targets(company, cutoffs)
        domain = [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
        for model, label in (
            ("dunning.partner.score", self.env._("Payment score")),
            ("dunning.partner.score.history", self.env._("Payment score history")),
        ):
            records = self.env[model].sudo().search(domain)
            if records:
                targets.append(
                    {
                        "key": model,
                        "label": label,
                        "records": records,
                        "values": None,
                        "partner_of": {r.id: r.partner_id.id for r in records},
                    }
                )
        return targets

    def _dunning_personal_data(self):
        data = super()._dunning_personal_data()
        data["scores"] = self._dunning_export_section(
            "dunning.partner.score",
            (
                "company_id",
                "computed_on",
                "score",
                "grade_id",
                "trend",
                "explanation",
                "credit_policy",
                "credit_limit_suggested",
            ),
            with_messages=False,
        )
        data["score_history"] = self._dunning_export_section(
            "dunning.partner.score.history",
            ("month", "company_id", "score", "grade_id", "avg_days_late", "dso"),
            with_messages=False,
        )
        return data
