# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import zipfile

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import DunningCommon, d

ACTIVITY_TYPE = "account_dunning_advanced.mail_activity_type_dunning_credit_declaration"


@tagged("post_install", "-at_install")
class TestCreditInsurance(DunningCommon):
    """A policy with an insurer (declare within 60 days of the due date, 7
    days of notice) and a debtor insured for 1,000 (company currency, USD)
    from 01/01/2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 USD (company currency) = 2 EUR.
        cls.eur = cls.setup_other_currency("EUR", rates=[("2024-01-01", 2.0)])
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Assureur Crédit SA", "is_company": True, "city": "Paris"}
        )
        cls.policy = cls.env["dunning.credit.policy"].create(
            {"name": "POL-2025-42", "insurer_id": cls.insurer.id}
        )
        cls.debtor.company_registry = "552100554"
        cls.limit = cls.env["dunning.credit.limit"].create(
            {
                "policy_id": cls.policy.id,
                "partner_id": cls.debtor.id,
                "amount": 1000.0,
                "date_start": d("2025-01-01"),
            }
        )
        cls.Limit = cls.env["dunning.credit.limit"]
        cls.Alerts = cls.env["dunning.dashboard"]

    def _refund(self, partner, amount, on):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": on,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Credit",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    def _alerts(self, on):
        return {
            (kind, partner.name)
            for kind, partner in self.Alerts._dunning_alerts(self.company, today=on)
            if kind.startswith("insurance_")
        }

    def _declaration_activities(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.debtor).id),
                ("activity_type_id", "=", self.env.ref(ACTIVITY_TYPE).id),
            ]
        )

    def test_exposure_against_limit(self):
        """Exposure: what is owed in company currency, after a partial payment
        and an unreconciled credit note, a foreign-currency invoice at its
        rate and a contact's invoice; over the limit past 1,000."""
        first = self._invoice(self.debtor, 600, "2025-03-01")
        self._pay(first, amount=200, on=d("2025-03-05"))
        self._refund(self.debtor, 100, d("2025-03-10"))
        # 1,000 EUR = 500 USD.
        self._invoice(self.debtor, 1000, "2025-03-15", currency=self.eur)
        with freeze_time("2025-04-01"):
            self.debtor.invalidate_recordset()
            self.assertEqual(self.debtor.dunning_credit_exposure, 800.0)
            self.assertEqual(self.debtor.dunning_credit_limit_amount, 1000.0)
            self.assertEqual(self.debtor.dunning_credit_insurer_id, self.insurer)
            self.assertFalse(self.debtor.dunning_credit_over_limit)
            self.assertNotIn(
                ("insurance_over_limit", "Debtor SA"), self._alerts(d("2025-04-01"))
            )
        # An invoice to the accounts payable contact counts for the debtor.
        self._invoice(self.ap, 300, "2025-03-20")
        with freeze_time("2025-04-01"):
            self.debtor.invalidate_recordset()
            self.assertEqual(self.debtor.dunning_credit_exposure, 1100.0)
            self.assertTrue(self.debtor.dunning_credit_over_limit)
            self.assertTrue(self.limit.over_limit)
        self.assertIn(
            ("insurance_over_limit", "Debtor SA"), self._alerts(d("2025-04-01"))
        )

    def test_limit_dates_and_state(self):
        """Only a granted limit, on its dates, insures the debtor."""
        self.limit.date_end = d("2025-03-31")
        refused = self.Limit.create(
            {
                "policy_id": self.policy.id,
                "partner_id": self.debtor.id,
                "amount": 5000.0,
                "date_start": d("2025-02-01"),
                "state": "refused",
            }
        )
        self._invoice(self.debtor, 1500, "2025-03-01")
        valid = self.Limit._dunning_valid_limits
        self.assertEqual(valid(self.debtor, self.company, d("2024-12-31")), {})
        self.assertEqual(
            valid(self.debtor, self.company, d("2025-03-31")),
            {self.debtor.id: self.limit},
        )
        self.assertEqual(valid(self.debtor, self.company, d("2025-04-01")), {})
        self.assertNotIn(
            refused, valid(self.ap, self.company, d("2025-03-01")).values()
        )
        self.assertIn(
            ("insurance_over_limit", "Debtor SA"), self._alerts(d("2025-03-31"))
        )
        self.assertNotIn(
            ("insurance_over_limit", "Debtor SA"), self._alerts(d("2025-04-01"))
        )
        with freeze_time("2025-04-01"):
            self.debtor.invalidate_recordset()
            self.assertFalse(self.debtor.dunning_credit_limit_id)
            self.assertFalse(self.debtor.dunning_credit_over_limit)
            self.assertEqual(self.debtor.dunning_credit_exposure, 1500.0)

    def test_declaration_activity_once_at_the_notice_date(self):
        """Due 10/01 + 60 days = deadline 11/03; the activity is due 7 days
        before (04/03), created once whatever the number of runs."""
        self._invoice(self.debtor, 400, "2025-01-10")
        self._invoice(self.debtor, 300, "2025-02-20")
        not_due = self._create_debtor("Not Due SA", with_contacts=False)
        self.Limit.create(
            {"policy_id": self.policy.id, "partner_id": not_due.id, "amount": 10}
        )
        self._invoice(not_due, 900, "2025-03-01")
        self.Limit._cron_declaration_activities(today=d("2025-01-10"))
        self.assertFalse(self._declaration_activities())
        self.Limit._cron_declaration_activities(today=d("2025-02-01"))
        self.Limit._cron_declaration_activities(today=d("2025-02-02"))
        activity = self._declaration_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, d("2025-03-04"))
        self.assertIn("POL-2025-42", str(activity.note))
        self.assertFalse(self._declaration_activities(not_due))
        # The cockpit asks for the declaration from the notice date.
        self.assertNotIn(
            ("insurance_declaration", "Debtor SA"), self._alerts(d("2025-03-03"))
        )
        self.assertIn(
            ("insurance_declaration", "Debtor SA"), self._alerts(d("2025-03-04"))
        )
        with freeze_time("2025-03-04"):
            self.debtor.invalidate_recordset()
            self.assertEqual(
                self.debtor.dunning_credit_declaration_deadline, d("2025-03-11")
            )
            self.assertTrue(self.debtor.dunning_credit_declaration_due)

    def test_declaration_file(self):
        """The declaration: a zip with the PDF, the overdue invoices and the
        reminders sent; recorded, the activity done, the alert gone."""
        old = self._invoice(self.debtor, 400, "2025-01-10")
        self._invoice(self.debtor, 900, "2025-02-20")
        self._invoice(self.debtor, 50, "2025-04-30")  # not due yet
        self.Limit._cron_declaration_activities(today=d("2025-02-01"))
        self.assertEqual(len(self._declaration_activities()), 1)

        values = self.limit._dunning_declaration_values(d("2025-03-05"))
        self.assertEqual(values["insurer"], self.insurer)
        self.assertEqual(values["policy"], "POL-2025-42")
        self.assertEqual(values["registry"], "552100554")
        self.assertEqual(values["limit"], 1000.0)
        self.assertEqual(values["exposure"], 1350.0)
        self.assertEqual(values["overdue"], 1300.0)
        self.assertEqual(
            [(r["move"], r["date_due"], r["deadline"]) for r in values["rows"]][0],
            (old, d("2025-01-10"), d("2025-03-11")),
        )

        attachment = self.limit._dunning_declare(d("2025-03-05"))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            names = set(archive.namelist())
            pdf = archive.read("declaration.pdf").decode()
        self.assertTrue(
            {"declaration.pdf", "statement.pdf", "reminders.csv"} <= names, names
        )
        invoices = {n for n in names if n.startswith("invoices/")}
        self.assertEqual(len(invoices), 2)
        self.assertIn("invoices/%s.pdf" % old.name.replace("/", "_"), invoices)
        # The rendered declaration (HTML in tests) shows its figures.
        for text in ("POL-2025-42", "Assureur Crédit SA", "552100554", old.name):
            self.assertIn(text, pdf)
        self.assertEqual(attachment.res_model, "res.partner")
        self.assertEqual(attachment.res_id, self.debtor.id)
        self.assertEqual(self.limit.declaration_date, d("2025-03-05"))
        self.assertEqual(self.limit.declaration_user_id, self.env.user)
        self.assertFalse(self._declaration_activities())
        self.assertNotIn(
            ("insurance_declaration", "Debtor SA"), self._alerts(d("2025-03-05"))
        )
        # Declared: no new activity.
        self.Limit._cron_declaration_activities(today=d("2025-03-06"))
        self.assertFalse(self._declaration_activities())
        with freeze_time("2025-03-06"):
            self.debtor.invalidate_recordset()
            self.assertTrue(self.debtor.dunning_credit_declared)
            self.assertFalse(self.debtor.dunning_credit_declaration_due)

    def test_record_rules(self):
        """A collections manager of company B sees neither the policies nor
        the limits of company A."""
        company_b = self.setup_other_company(name="Insurance B")["company"]
        manager_b = new_test_user(
            self.env,
            login="insurance_manager_b",
            groups="account_dunning_advanced.group_dunning_manager",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        policy_b = (
            self.env["dunning.credit.policy"]
            .with_company(company_b)
            .create({"name": "POL-B", "insurer_id": self.insurer.id})
        )
        Policy = self.env["dunning.credit.policy"].with_user(manager_b)
        self.assertEqual(Policy.search([]), policy_b)
        self.assertFalse(self.Limit.with_user(manager_b).search([]))
        with self.assertRaises(AccessError):
            self.policy.with_user(manager_b).read(["name"])
        with self.assertRaises(AccessError):
            self.limit.with_user(manager_b).read(["amount"])

    @freeze_time("2025-04-01")
    def test_debtor_form(self):
        """A collections user sees the insurer, the limit and the exposure on
        the debtor's form."""
        collector = self._new_user(
            "insurance_collector", "account_dunning_advanced.group_dunning_user"
        )
        self._invoice(self.debtor, 1200, "2025-03-01")
        form = Form(self.debtor.with_user(collector))
        self.assertEqual(form.dunning_credit_insurer_id, self.insurer)
        self.assertEqual(form.dunning_credit_limit_amount, 1000.0)
        self.assertEqual(form.dunning_credit_exposure, 1200.0)
        self.assertTrue(form.dunning_credit_over_limit)
