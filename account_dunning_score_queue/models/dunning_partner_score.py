# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from odoo.addons.account_dunning_queue.models.dunning_run import (
    CHANNEL,
    batch_hash,
    retry_on_concurrency,
)


class DunningPartnerScore(models.Model):
    """The nightly scoring as jobs: one job per batch of debtors."""

    _inherit = "dunning.partner.score"

    @api.model
    def _cron_compute_scores(self):
        """Enqueue the scoring of every company, by batches of debtors."""
        if not self.env["dunning.run"]._dunning_use_queue():
            return super()._cron_compute_scores()
        size = self._score_batch_size()
        for company in self.env["res.company"].sudo().search([]):
            today = fields.Date.context_today(self.with_company(company))
            partner_ids = self._partners_to_score(company)
            for start in range(0, len(partner_ids), size):
                batch = partner_ids[start : start + size]
                self.sudo().with_delay(
                    channel=CHANNEL,
                    identity_key=f"dunning.score/{company.id}/{today}/"
                    f"{batch_hash(batch)}",
                    description=self.env._(
                        "Payment scores of %(company)s", company=company.name
                    ),
                )._dunning_job_score_batch(company, today, batch)

    @api.model
    def _dunning_job_score_batch(self, company, on_date, partner_ids):
        """Job: score the debtors ``partner_ids`` of ``company``."""
        with retry_on_concurrency(), self.env.cr.savepoint():
            scores = self._dunning_score_batch(partner_ids, company, on_date=on_date)
        return self.env._("%(count)s debtors scored.", count=len(scores))
