# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL

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
        size = self.env["dunning.run"]._batch_size()
        for company in self.env["res.company"].sudo().search([]):
            today = fields.Date.context_today(self.with_company(company))
            partner_ids = self._dunning_score_partner_ids(company)
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
    def _dunning_score_partner_ids(self, company):
        """The debtors to score: those with an invoice (``_invoices_query``)
        and those scored before (whose score goes if they have none any
        more), in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id FROM (%s) invoices
                 UNION
                SELECT partner_id FROM dunning_partner_score WHERE company_id = %s
              ORDER BY 1
                """,
                self._invoices_query(company),
                company.id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _dunning_job_score_batch(self, company, on_date, partner_ids):
        """Job: score the debtors ``partner_ids`` of ``company``."""
        with retry_on_concurrency(), self.env.cr.savepoint():
            scores = self._compute_scores(
                company, on_date=on_date, partner_ids=partner_ids
            )
        return self.env._("%(count)s debtors scored.", count=len(scores))
