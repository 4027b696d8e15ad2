# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestForcedLevel(DunningCommon):
    def _force(self, level, on, moves=None, reason="Called, no answer"):
        wizard_form = Form(
            self.env["dunning.force.level"].with_context(
                default_partner_id=self.debtor.id,
                default_move_ids=moves.ids if moves else [],
            )
        )
        wizard_form.level_id = level
        wizard_form.date = d(on)
        wizard_form.reason = reason
        return wizard_form.save().action_confirm()

    def test_force_then_automatic_continuation(self):
        invoice = self._invoice(self.debtor, 800, "2026-03-01")
        self._run("2026-03-06")  # first reminder
        self._force(self.lvl_2, "2026-03-08", reason="Promised, then silence")
        forced = self._actions(kind="forced")
        self.assertEqual(forced.level_id, self.lvl_2)
        self.assertEqual(forced.state, "done")
        self.assertEqual(forced.note, "Promised, then silence")
        self.assertEqual(invoice.dunning_level_id, self.lvl_2)
        self.assertIn("Promised, then silence", self.debtor.message_ids[0].body)
        # Level 3 comes 40 - 20 = 20 days after the forced date.
        self._run("2026-03-27")
        self.assertFalse(self._actions(kind="reminder", level_id=self.lvl_3.id))
        self._run("2026-03-28")
        final = self._actions(kind="reminder", level_id=self.lvl_3.id)
        self.assertEqual(final.state, "done")
        self.assertEqual(len(self._mails()), 2, "no e-mail for the forced level itself")

    def test_force_one_invoice(self):
        first = self._invoice(self.debtor, 100, "2026-03-01")
        second = self._invoice(self.debtor, 200, "2026-03-01")
        self._force(self.lvl_3, "2026-03-02", moves=first)
        self._run("2026-03-06")
        action = self._actions(kind="reminder")
        self.assertEqual(
            action.line_ids.move_id, second, "the forced one is at the top"
        )
        self.assertIn("Collections level forced", first.message_ids[0].body)
        self.assertFalse(
            second.message_ids.filtered(lambda m: "level forced" in (m.body or ""))
        )

    def test_force_supersedes_pending_reminder(self):
        self.lvl_1.auto_execute = False
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-03-06")
        pending = self._actions(kind="reminder")
        self.assertEqual(pending.state, "draft")
        self._force(self.lvl_2, "2026-03-07")
        self.assertEqual(pending.state, "cancel")
        self.assertEqual(pending.note, "Superseded by a forced level.")

    def test_force_backwards_restarts_from_there(self):
        self._invoice(self.debtor, 100, "2026-01-01")
        for on in ("2026-01-06", "2026-01-21"):
            self._run(on)
        self._force(self.lvl_1, "2026-02-01", reason="New contact, start again gently")
        self._run("2026-02-16")
        again = self._actions(kind="reminder", date=d("2026-02-16"))
        self.assertEqual(again.level_id, self.lvl_2)

    def test_nothing_to_force(self):
        with self.assertRaisesRegex(UserError, "no open invoice"):
            self._force(self.lvl_2, "2026-03-08")
