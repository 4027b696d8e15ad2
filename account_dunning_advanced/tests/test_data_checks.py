# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon, d

TODAY = d("2026-03-10")


class DataCheckCommon(DunningCommon):
    """Helpers of the data checks and of the payment guard."""

    @classmethod
    def _payment_entry(cls, partner, amount, on, company=None, company_data=None):
        """Post a customer payment left unreconciled: a journal entry
        crediting the customer's receivable (as a bank statement or an
        imported payment does)."""
        company_data = company_data or cls.company_data
        move = (
            cls.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": "entry",
                    "date": on,
                    "journal_id": company_data["default_journal_misc"].id,
                    "line_ids": [
                        Command.create(
                            {
                                "name": "Payment",
                                "account_id": company_data[
                                    "default_account_revenue"
                                ].id,
                                "debit": amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": "Payment",
                                "partner_id": partner.id,
                                "account_id": company_data[
                                    "default_account_receivable"
                                ].id,
                                "credit": amount,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _check(self, today=TODAY):
        return self.env["dunning.data.issue"]._dunning_run_data_checks(
            self.company, today
        )

    def _issues(self, kind, **domain):
        search = [("company_id", "=", self.company.id), ("kind", "=", kind)]
        search += [(key, "=", value) for key, value in domain.items()]
        return self.env["dunning.data.issue"].search(search)


@tagged("post_install", "-at_install")
class TestDataChecks(DataCheckCommon):
    def test_no_reachable_contact(self):
        """A debtor whose scenario writes to the accounts payable and none of
        whose contacts holds that role with an e-mail is found; a debtor with
        such a contact is not; a debtor without overdue invoices is not."""
        silent = self._create_debtor("Silent SA", with_contacts=False)
        quiet = self._create_debtor("Quiet SA", with_contacts=False)
        self._invoice(self.debtor, 1000, "2026-02-01")
        self._invoice(silent, 500, "2026-02-01")
        self._invoice(quiet, 500, "2026-04-01")  # not due yet
        self._check()
        issues = self._issues("no_contact")
        self.assertEqual(issues.partner_id, silent)
        self.assertIn(self.role_accounting.name, issues.message)
        self.assertIn(self.scenario.name, issues.message)
        # Run again: the same issue, not a second one.
        self._check()
        self.assertEqual(self._issues("no_contact"), issues)
        self.assertEqual(issues.state, "open")
        action = issues.action_fix()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", silent.id)
        )
        # The collector adds the accounts payable contact: the next check
        # closes the issue.
        self.env["res.partner"].create(
            {
                "name": "AP Silent",
                "parent_id": silent.id,
                "email": "ap@silent.example",
                "dunning_role_ids": [Command.set(self.role_accounting.ids)],
            }
        )
        self._check()
        self.assertEqual(issues.state, "fixed")
        self.assertEqual(len(self._issues("no_contact")), 1)

    def test_bounced_address(self):
        """A bounced address of a debtor with overdue invoices is found, not
        that of a debtor owing nothing overdue; fixed once it no longer
        bounces."""
        other = self._create_debtor("Paid Up SA")
        self._invoice(self.debtor, 1000, "2026-02-01")
        self.ap.message_bounce = 3
        other.child_ids.write({"message_bounce": 2})
        self._check()
        issue = self._issues("bounced")
        self.assertEqual(issue.partner_id, self.debtor)
        self.assertEqual(issue.contact_id, self.ap)
        self.assertIn(self.ap.email, issue.message)
        self._check()
        self.assertEqual(self._issues("bounced"), issue)
        self.assertEqual(issue.action_fix()["res_id"], self.ap.id)
        self.ap.message_bounce = 0
        self._check()
        self.assertEqual(issue.state, "fixed")

    def test_messages_in_the_company_language(self):
        """The daily job's user reads no language: the stored messages are
        in the company's, as its reminders are."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "account_dunning_advanced")]
        )._update_translations(["fr_FR"], overwrite=True)
        self.company.partner_id.lang = "fr_FR"
        self._invoice(self.debtor, 1000, "2026-02-01")
        self.ap.message_bounce = 3
        self.env["dunning.data.issue"].with_context(
            lang="en_US"
        )._dunning_run_data_checks(self.company, TODAY)
        message = self._issues("bounced").message
        self.assertIn("ont été rejetés 3 fois", message)
        self.assertNotIn("bounced", message)

    def test_payment_terms(self):
        """An open invoice falling due later than the law allows (60 days
        / 45 days end of month) or without due date is found; an invoice
        within the limit, or paid, is not."""
        too_late = self._invoice(
            self.debtor, 1000, "2026-05-31", invoice_date=d("2026-01-05")
        )
        fine = self._invoice(
            self.debtor, 500, "2026-02-28", invoice_date=d("2026-01-05")
        )
        paid_late = self._invoice(
            self.debtor, 300, "2026-06-30", invoice_date=d("2026-01-06")
        )
        self._pay(paid_late)
        no_due = self._invoice(self.debtor, 200, "2026-02-15")
        # An invoice imported without a due date on its receivable line.
        line = no_due.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.env.cr.execute(
            "UPDATE account_move_line SET date_maturity = NULL WHERE id = %s",
            [line.id],
        )
        line.invalidate_recordset(["date_maturity"])
        self._check()
        issues = self._issues("terms")
        self.assertEqual(issues.move_id, too_late | no_due)
        self.assertNotIn(fine, issues.move_id)
        late_issue = issues.filtered(lambda i: i.move_id == too_late)
        self.assertEqual(late_issue.message, too_late.dunning_terms_warning)
        self.assertIn(
            "no due date", issues.filtered(lambda i: i.move_id == no_due).message
        )
        self.assertEqual(late_issue.action_fix()["res_id"], too_late.id)
        self._check()
        self.assertEqual(self._issues("terms"), issues)
        self._pay(too_late)
        self._check()
        self.assertEqual(late_issue.state, "fixed")

    def test_unreconciled_payment(self):
        """A payment left unreconciled while the customer has open invoices
        is found; one of a customer owing nothing is not; reconciled, the
        issue is fixed."""
        invoice = self._invoice(self.debtor, 1000, "2026-02-01")
        payment = self._payment_entry(self.debtor, 1000, d("2026-02-05"))
        other = self._create_debtor("Prepaid SA")
        self._payment_entry(other, 400, d("2026-02-05"))
        self._check()
        issue = self._issues("unreconciled_payment")
        self.assertEqual(issue.partner_id, self.debtor)
        self.assertEqual(issue.move_line_id.move_id, payment)
        self.assertIn(payment.name, issue.message)
        # The fix opens the invoice, where the payment is reconciled.
        action = issue.action_fix()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", invoice.id)
        )
        self._check()
        self.assertEqual(self._issues("unreconciled_payment"), issue)
        (payment.line_ids | invoice.line_ids).filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self._check()
        self.assertEqual(issue.state, "fixed")

    def test_duplicate_debtors(self):
        """Customers sharing a SIREN (registry or French VAT number) or a VAT
        number are found once per group; the fix merges them."""
        Partner = self.env["res.partner"]
        first, second, third, be_1, be_2 = Partner.create(
            [
                {"name": "Dupont SA", "vat": "FR40303265045", "customer_rank": 1},
                {
                    "name": "Dupont (Lyon)",
                    "company_registry": "303 265 045 00015",
                    "customer_rank": 1,
                },
                {"name": "Durand SA", "vat": "FR23334175221", "customer_rank": 1},
                {"name": "Belge SA", "vat": "BE0477472701", "customer_rank": 1},
                {"name": "Belge NV", "vat": "BE 0477.472.701", "customer_rank": 1},
            ]
        )
        self._check()
        issues = self._issues("duplicate")
        by_key = {issue.key: issue for issue in issues}
        self.assertEqual(by_key["siren:303265045"].partner_ids, first | second)
        self.assertEqual(by_key["vat:BE0477472701"].partner_ids, be_1 | be_2)
        self.assertNotIn(third, issues.partner_ids)
        action = by_key["siren:303265045"].action_fix()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = (
            self.env[action["res_model"]].with_context(**action["context"]).create({})
        )
        self.assertEqual(wizard.partner_ids, first | second)
        self._check()
        self.assertEqual(self._issues("duplicate"), issues)
        second.active = False
        self._check()
        self.assertEqual(by_key["siren:303265045"].state, "fixed")
        self.assertEqual(by_key["vat:BE0477472701"].state, "open")

    def test_ignored_stays_ignored(self):
        """An ignored issue is neither reopened nor duplicated by the checks;
        the cockpit counts the open ones per check."""
        silent = self._create_debtor("Silent SA", with_contacts=False)
        self._invoice(silent, 500, "2026-02-01")
        self._check()
        issue = self._issues("no_contact")
        dashboard = self.env["dunning.dashboard"].create(
            {"company_id": self.company.id}
        )
        self.assertEqual(dashboard.data_issue_count, 1)
        self.assertIn("No reachable contact", dashboard.data_issues)
        # Its link lists the issues of that check only.
        self.assertIn(
            "dunning_data_issue_action_kind?kind=no_contact", dashboard.data_issues
        )
        listed = self.env["dunning.data.issue"]._dunning_kind_action(
            {"kind": "no_contact"}
        )
        self.assertEqual(listed["domain"], [("kind", "=", "no_contact")])
        issue.action_ignore()
        self._check()
        self.assertEqual(self._issues("no_contact"), issue)
        self.assertEqual(issue.state, "ignored")
        dashboard = self.env["dunning.dashboard"].create(
            {"company_id": self.company.id}
        )
        self.assertEqual(dashboard.data_issue_count, 0)

    def test_other_company(self):
        """The checks of a company see only its invoices; a user of another
        company never sees its issues."""
        company_b = self.setup_other_company(name="Checks B")["company"]
        silent = self._create_debtor("Silent SA", with_contacts=False)
        self._invoice(silent, 500, "2026-02-01")
        self.env["dunning.data.issue"]._dunning_run_data_checks(company_b, TODAY)
        self.assertFalse(
            self.env["dunning.data.issue"].search([("company_id", "=", company_b.id)])
        )
        self._check()
        issue = self._issues("no_contact")
        self.assertTrue(issue)
        user_b = new_test_user(
            self.env,
            login="checks_b",
            groups="account_dunning_advanced.group_dunning_manager",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        self.assertFalse(
            self.env["dunning.data.issue"]
            .with_user(user_b)
            .search([("id", "=", issue.id)])
        )
        with self.assertRaises(AccessError):
            issue.with_user(user_b).read(["message"])
