# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestRecipients(DunningCommon):
    def _first_action(self, partner):
        self._invoice(partner, 100, "2026-03-01")
        self._run("2026-03-10", execute=False)
        return self._actions(partner)

    def test_contacts_by_role(self):
        action = self._first_action(self.debtor)
        self.assertEqual(action.partner_to_ids.mapped("email"), ["ap@debtorsa.example"])
        self.assertFalse(action.recipient_note)

    def test_decision_maker_in_copy(self):
        self.lvl_1.cc_role_ids = [Command.set(self.role_management.ids)]
        action = self._first_action(self.debtor)
        self.assertEqual(
            action.partner_cc_ids.mapped("email"), ["boss@debtorsa.example"]
        )
        action.action_execute()
        mail = self._mails()
        self.assertEqual(mail.email_cc, '"Boss Debtor SA" <boss@debtorsa.example>')

    def test_fallback_to_invoice_address(self):
        partner = self._create_debtor("Nocontact", with_contacts=False)
        invoice_address = self.env["res.partner"].create(
            {
                "name": "Billing dept",
                "type": "invoice",
                "parent_id": partner.id,
                "email": "billing@nocontact.example",
            }
        )
        move = self._invoice(invoice_address, 100, "2026-03-01")
        self.assertEqual(move.commercial_partner_id, partner)
        self._run("2026-03-10", execute=False)
        action = self._actions(partner)
        self.assertEqual(action.partner_to_ids, invoice_address)
        self.assertIn("invoice address", action.recipient_note)
        self.assertIn("Accounts payable", action.recipient_note)

    def test_fallback_to_company_then_error(self):
        partner = self._create_debtor("Lonely", with_contacts=False)
        action = self._first_action(partner)
        self.assertEqual(action.partner_to_ids, partner)
        self.assertIn("company", action.recipient_note)

        silent = self._create_debtor("Silent", with_contacts=False, email=False)
        action = self._first_action(silent)
        self.assertFalse(action.partner_to_ids)
        action.action_execute()
        self.assertEqual(action.state, "error")
        self.assertIn("Nobody at Silent has an e-mail address", action.error_message)
        self.assertFalse(self._mails(silent))

    def test_collector_can_fix_recipients_and_retry(self):
        silent = self._create_debtor("Silent", with_contacts=False, email=False)
        action = self._first_action(silent)
        action.action_execute()
        self.assertEqual(action.state, "error")
        contact = self.env["res.partner"].create(
            {
                "name": "New AP",
                "parent_id": silent.id,
                "email": "ap@silent.example",
                "dunning_role_ids": [Command.set(self.role_accounting.ids)],
            }
        )
        action.action_recompute_recipients()
        self.assertEqual(action.partner_to_ids, contact)
        action.action_execute()
        self.assertEqual(action.state, "done")
        self.assertIn("ap@silent.example", self._mails(silent).email_to)
