# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# The steps of the checklist, in their order on the cockpit.
SETUP_STEPS = ("scenario", "sender", "mail", "payment", "penalty", "collectors")


class ResCompany(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.company"

    dunning_setup_scenario_reviewed = fields.Boolean(
        string="Collections: default scenario reviewed", copy=False
    )
    dunning_setup_closed = fields.Boolean(
        string="Collections: setup checklist closed", copy=False
    )

    def _dunning_setup_steps(self):
        """Return the steps of the collections setup checklist of this company.

        Each step ticks itself from the data (except the review of the default
        scenario, which the user confirms); the checks are those of
        :meth:`_dunning_setup_issues` where it has them.

        :return: dict ``{code: done}`` for the codes of ``SETUP_STEPS``
            (``None`` for a step that does not apply: the payment provider
            without the ``payment`` module).
        """
        self.ensure_one()
        issues = {issue["code"] for issue in self._dunning_setup_issues()}
        company = self.sudo()
        return {
            "scenario": company.dunning_setup_scenario_reviewed
            and "scenario" not in issues,
            "sender": bool(company.email) and bool(self.env.user.signature),
            "mail": not issues & {"mail_server", "alias_domain"},
            "payment": (
                "payment_provider" not in issues
                if "payment.provider" in self.env
                else None
            ),
            "penalty": company.dunning_penalty_mode != "none"
            and "interest_rate" not in issues,
            "collectors": not self._dunning_debtors_without_collector(limit=1),
        }

    def _dunning_debtors_without_collector(self, limit=None):
        """Return the debtors with overdue invoices in this company (only)
        that have no collector, or one who cannot work in this company (the
        collector is not company-dependent)."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(allowed_company_ids=self.ids)
        return Partner.search(
            [
                ("dunning_has_overdue", "=", True),
                "|",
                ("dunning_collector_id", "=", False),
                ("dunning_collector_id.company_ids", "not in", self.ids),
            ],
            limit=limit,
        )
