# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestEngine(DunningCommon):
    def _tracked(self, record):
        """Return the names of the fields tracked in ``record``'s chatter."""
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", record._name),
                ("mail_message_id.res_id", "=", record.id),
            ]
        )
        return values.field_id.mapped("name")

    def _flush_tracking(self):
        """Write the tracking values, as the end of a user's transaction does."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_progression_over_simulated_dates(self):
        invoice = self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-02-26")
        self.assertFalse(self._actions(), "too early for the D-2 reminder")
        self._run("2026-02-27")
        pre = self._actions()
        self.assertEqual(pre.level_id, self.lvl_pre)
        self.assertEqual(pre.state, "done")
        self.assertEqual(pre.line_ids.move_id, invoice)
        self._run("2026-03-05")
        self.assertEqual(len(self._actions()), 1, "first reminder is at D+5")
        self._run("2026-03-06")
        self._run("2026-03-21")
        self._run("2026-04-10")
        actions = self._actions()
        self.assertEqual(
            actions.mapped("level_id"),
            self.lvl_pre + self.lvl_1 + self.lvl_2 + self.lvl_3,
        )
        self.assertEqual(
            actions.mapped("date"),
            [d("2026-02-27"), d("2026-03-06"), d("2026-03-21"), d("2026-04-10")],
        )
        self._run("2026-06-01")
        self.assertEqual(len(self._actions()), 4, "no level after the last one")
        self.assertEqual(invoice.dunning_level_id, self.lvl_3)
        self.assertEqual(len(self._mails()), 4)

    def test_pre_due_reminder_mail(self):
        invoice = self._invoice(self.debtor, 1234.56, "2026-03-01")
        self._run("2026-02-27")
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertIn("ap@debtorsa.example", mail.email_to)
        self.assertFalse(mail.email_cc)
        self.assertIn("falling due soon", mail.subject)
        self.assertIn(invoice.name, mail.body_html)
        self.assertIn("1,234.56", mail.body_html)
        self.assertEqual(mail.state, "outgoing", "queued in the real mail queue")
        message = mail.mail_message_id
        self.assertEqual(
            (message.model, message.res_id), ("res.partner", self.debtor.id)
        )
        action = self._actions()
        self.assertEqual(action.message_id, message)
        self.assertIn("Reminder e-mailed", action.message_ids[0].body)

    def test_mail_lists_invoices_days_late_and_attaches_pdfs(self):
        self.lvl_1.attach_invoices = True
        inv1 = self._invoice(self.debtor, 100, "2026-03-01")
        inv2 = self._invoice(self.debtor, 250, "2026-03-03")
        self._run("2026-03-10")
        mail = self._mails()
        self.assertEqual(len(mail), 1, "one message for the two invoices")
        body = mail.body_html
        self.assertIn(inv1.name, body)
        self.assertIn(inv2.name, body)
        self.assertIn(">9<", body, "days late of the first invoice")
        self.assertIn(">7<", body, "days late of the second invoice")
        self.assertIn("350.00", body, "total")
        self.assertEqual(len(mail.attachment_ids), 2)
        self.assertEqual(self._actions().amount_due, 350)
        self.assertEqual(self._actions().amount_overdue, 350)
        # The next level reuses the PDFs rendered for the first one.
        self.lvl_2.attach_invoices = True
        self._run("2026-03-25")
        second = self._mails()[-1]
        self.assertEqual(second.attachment_ids, mail.attachment_ids)
        # Clearing the mail queue keeps the reminder in the debtor's chatter.
        message = second.mail_message_id
        (mail | second).unlink()
        self.assertTrue(message.exists())
        self.assertEqual(message.message_type, "email_outgoing")

    def test_penalties_in_the_mail(self):
        self.company.dunning_penalty_mode = "legal"
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-06")
        # 1,000 x 12.15 % (2025-H2 rate, the latest shipped) x 5 / 365 = 1.66
        self.assertIn("Late-payment penalties", self._mails().body_html)
        self.assertIn("1.66", self._mails().body_html)
        self.company.dunning_penalty_mode = "none"
        self._invoice(self.debtor, 500, "2026-03-02")
        self._run("2026-03-20")
        self.assertNotIn("Late-payment penalties", self._mails()[-1].body_html)

    def test_rerun_same_date_creates_nothing(self):
        self.lvl_1.auto_execute = False
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-03-10")
        self._run("2026-03-10")
        self.assertEqual(len(self._actions()), 1)
        self.assertEqual(self._actions().state, "draft", "waits for validation")
        self._run("2026-03-11")
        self.assertEqual(len(self._actions()), 1, "still pending: nothing new")
        self._actions().action_execute()
        self._run("2026-03-11")
        self.assertEqual(len(self._actions()), 1)
        self.assertEqual(len(self._mails()), 1)

    def test_min_interval(self):
        self.lvl_1.min_interval_days = 10
        self._invoice(self.debtor, 100, "2026-03-01")
        self._run("2026-02-27")  # pre-due reminder of the first invoice
        self._invoice(self.debtor, 200, "2026-02-20")
        self._run("2026-03-01")
        self.assertEqual(len(self._actions()), 1, "10 days since the last reminder")
        self._run("2026-03-09")
        self.assertEqual(len(self._actions()), 2)
        self.assertEqual(len(self._actions()[-1].line_ids), 2, "both invoices at once")
        self.assertEqual(self.debtor.dunning_action_count, 2)

    def test_pause_exclusion_opt_out(self):
        invoice = self._invoice(self.debtor, 100, "2026-03-01")
        other = self._invoice(self.debtor, 300, "2026-03-02")
        self.env = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )
        self.debtor = self.debtor.with_env(self.env)
        other = other.with_env(self.env)
        self.debtor.write(
            {"dunning_paused_until": "2026-03-20", "dunning_pause_reason": "Holiday"}
        )
        self._run("2026-03-10")
        self.assertFalse(self._actions())
        self._run("2026-03-20")
        self.assertEqual(self._actions().line_ids.move_id, invoice | other)
        other.write({"dunning_excluded": True, "dunning_exclude_reason": "Dispute"})
        self._run("2026-04-04")
        self.assertEqual(self._actions()[-1].line_ids.move_id, invoice)
        self.debtor.write(
            {"dunning_opt_out": True, "dunning_opt_out_reason": "Public body"}
        )
        self._run("2026-04-30")
        self.assertEqual(len(self._actions()), 2)
        self._flush_tracking()
        self.assertIn("dunning_opt_out", self._tracked(self.debtor))
        self.assertIn("dunning_excluded", self._tracked(other))

    def test_tolerance(self):
        self.company.dunning_tolerance = 5.0
        self._invoice(self.debtor, 4.5, "2026-03-01")
        self._run("2026-03-10")
        self.assertFalse(self._actions())
        invoice = self._invoice(self.debtor, 104.0, "2026-03-01")
        self._pay(invoice, amount=100.0)
        self._run("2026-03-11")
        self.assertFalse(self._actions(), "4 left on each invoice: below tolerance")

    def test_partial_payment_and_paid_invoices(self):
        invoice = self._invoice(self.debtor, 500, "2026-03-01")
        self._pay(invoice, amount=200)
        self._run("2026-03-10")
        self.assertEqual(self._actions().amount_due, 300)
        self.assertIn("300.00", self._mails().body_html)
        self._pay(invoice)
        self._run("2026-04-10")
        self.assertEqual(len(self._actions()), 1, "paid: no more reminders")

    def test_paid_before_validation_cancels(self):
        self.lvl_1.auto_execute = False
        invoice = self._invoice(self.debtor, 500, "2026-03-01")
        self._run("2026-03-10")
        self._pay(invoice)
        self._actions().action_execute()
        self.assertEqual(self._actions().state, "cancel")
        self.assertFalse(self._mails())

    def test_account_mode(self):
        self.scenario.mode = "account"
        old = self._invoice(self.debtor, 100, "2026-02-01")
        self._run("2026-02-06")
        self.assertEqual(self._actions().level_id, self.lvl_1)
        new = self._invoice(self.debtor, 200, "2026-02-15")
        self._invoice(self.debtor, 400, "2026-03-30")  # not due: not listed
        self._run("2026-02-21")
        last = self._actions()[-1]
        self.assertEqual(last.level_id, self.lvl_2)
        self.assertEqual(last.line_ids.move_id, old | new, "every overdue invoice")
        self.assertEqual(len(self._mails()), 2)

    def test_invoice_mode_one_action_per_level(self):
        self._invoice(self.debtor, 100, "2026-02-01")
        self._run("2026-02-06")
        self._invoice(self.debtor, 200, "2026-02-15")
        self._run("2026-02-21")
        actions = self._actions().filtered(lambda a: a.date == d("2026-02-21"))
        self.assertEqual(actions.level_id, self.lvl_1 | self.lvl_2)
        self.assertEqual(len(actions), 2)

    def test_multi_currency(self):
        eur = self.setup_other_currency("EUR")
        self._invoice(self.debtor, 100, "2026-03-01")
        self._invoice(self.debtor, 300, "2026-03-01", currency=eur)
        self._run("2026-03-10")
        actions = self._actions()
        self.assertEqual(len(actions), 2, "one action per currency")
        by_currency = {a.currency_id: a.amount_due for a in actions}
        self.assertEqual(by_currency[eur], 300)
        self.assertEqual(by_currency[self.company.currency_id], 100)
        self.assertEqual(len(self._mails()), 2)

    def test_debtors_to_follow_and_partner_status(self):
        self._invoice(self.debtor, 100, "2026-03-01")
        calm = self._create_debtor("Calm", with_contacts=False)
        self._invoice(calm, 100, "2099-03-01")
        with self.env.cr.savepoint():
            found = self.env["res.partner"].search([("dunning_has_overdue", "=", True)])
        self.assertIn(self.debtor, found)
        self.assertNotIn(calm, found)
        self._run("2026-03-06")
        self.assertEqual(self.debtor.dunning_level_id, self.lvl_1)
        self.assertEqual(self.debtor.dunning_effective_scenario_id, self.scenario)
        self.assertEqual(self.debtor.dunning_overdue_amount, 100)

    def test_query_count_does_not_grow_with_debtors(self):
        """The planner reads in a fixed number of queries (no per-debtor loop)."""
        for count in (2, 12):
            debtors = self.env["res.partner"].create(
                [
                    {
                        "name": f"Q{count}-{i}",
                        "is_company": True,
                        "email": "q@x.example",
                    }
                    for i in range(count)
                ]
            )
            for debtor in debtors:
                self._invoice(debtor, 100, "2026-03-01")
            planner = self.env["dunning.planner"]
            planner._compute_plan(self.company, d("2026-03-10"), debtors.ids)
            self.env.invalidate_all()  # cold records, warm registry caches
            before = self.env.cr.sql_log_count
            planner._compute_plan(self.company, d("2026-03-10"), debtors.ids)
            queries = self.env.cr.sql_log_count - before
            if count == 2:
                small = queries
        self.assertLessEqual(queries, small)
        self.assertLess(small, 25)

    def test_run_creates_actions_in_one_go(self):
        debtors = self.env["res.partner"].create(
            [
                {"name": f"D{i}", "is_company": True, "email": "d@x.example"}
                for i in range(5)
            ]
        )
        for debtor in debtors:
            self._invoice(debtor, 100, "2026-03-01")
        run = self._run("2026-03-10", execute=False)
        self.assertEqual(run.action_count, 5)
        self.assertEqual(run.state, "done")
        self.assertIn("5 actions created", run.log)
        self.assertEqual(run.action_draft_count, 5, "not executed in this mode")

    def test_role_cc_on_late_level(self):
        self.lvl_3.cc_role_ids = [Command.set(self.role_management.ids)]
        self._invoice(self.debtor, 100, "2026-01-01")
        for on in ("2026-01-06", "2026-01-21", "2026-02-10"):
            self._run(on)
        final = self._mails()[-1]
        self.assertIn("ap@debtorsa.example", final.email_to)
        self.assertIn("boss@debtorsa.example", final.email_cc)
        self.assertIn("final reminder", final.subject)
