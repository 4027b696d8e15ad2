# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestUiViewer(DunningCommon, HttpCase):
    def test_viewer_sees_and_cannot_change(self):
        viewer = new_test_user(
            self.env,
            login="tour_viewer",
            password="tour_viewer",
            groups="base.group_user,account_dunning_advanced.group_dunning_viewer",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        debtor = self._create_debtor("Viewer Debtor")
        self._invoice(debtor, 1500, "2026-03-01")
        self._run("2026-03-10")
        self.assertEqual(self._actions(debtor).state, "done")
        debtor.write(
            {"dunning_paused_until": "2026-04-30", "dunning_pause_reason": "Audit"}
        )
        self.start_tour(
            f"/odoo/res.partner/{debtor.id}",
            "account_dunning_advanced_viewer",
            login=viewer.login,
            # The first request compiles the asset bundles: slow on a busy machine.
            timeout=180,
        )
        self.assertEqual(
            debtor.with_user(viewer).dunning_last_reminder_date, d("2026-03-10")
        )
        self.assertEqual(debtor.dunning_paused_until, d("2026-04-30"))
