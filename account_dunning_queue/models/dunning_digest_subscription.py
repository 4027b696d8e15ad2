# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from .dunning_run import CHANNEL, batch_hash


class DunningDigestSubscription(models.Model):
    """The digests as jobs: one job per batch of recipients."""

    _inherit = "dunning.digest.subscription"

    @api.model
    def _cron_send_digests(self, today=None):
        """Enqueue the digests due on ``today``, by batches of subscriptions
        (one per recipient and company); return the subscriptions enqueued."""
        if not self.env["dunning.run"]._dunning_use_queue():
            return super()._cron_send_digests(today=today)
        today = today or fields.Date.context_today(self)
        subscriptions = self._dunning_due_subscriptions(today)
        size = self.env["dunning.run"]._batch_size()
        for start in range(0, len(subscriptions), size):
            batch = subscriptions[start : start + size]
            batch.with_delay(
                channel=CHANNEL,
                identity_key=f"dunning.digest/{today}/{batch_hash(batch.ids)}",
                description=self.env._("Collections digests of %(date)s", date=today),
            )._dunning_job_send_digests(today)
        return subscriptions

    def _dunning_job_send_digests(self, today):
        """Job: send the digests of these subscriptions still due on
        ``today`` (``_dunning_send_digests``: a digest sent by a previous try
        is not sent again)."""
        sent = self._dunning_send_digests(today)
        return self.env._("%(count)s digests sent.", count=len(sent))
