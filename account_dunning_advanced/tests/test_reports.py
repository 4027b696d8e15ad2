# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import html as lxml_html

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon, d

LETTER = "account_dunning_advanced.action_report_dunning_letter"
STATEMENT = "account_dunning_advanced.action_report_dunning_statement"
STATEMENT_HTML = "account_dunning_advanced.action_report_dunning_statement_html"
STATEMENT_MODEL = "report.account_dunning_advanced.report_dunning_statement"


def normalize(text):
    """Return text with the spaces of number formats as plain single spaces."""
    text = text.replace("\ufeff", "")
    text = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
    return text.strip()


@tagged("post_install", "-at_install")
class TestReports(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )
        cls.company.write({"city": "Paris", "street": "1 place de la Bourse"})
        bank = cls.env["res.bank"].create({"name": "Banque Test", "bic": "AGRIFRPP"})
        cls.bank_account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
                "bank_id": bank.id,
            }
        )
        cls.debtor.write(
            {
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "ref": "CUST-042",
                "lang": "en_US",
            }
        )
        cls.collector = cls.env["res.users"].create(
            {
                "name": "Claire Collector",
                "login": "claire.collector",
                "email": "claire@mycompany.example",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.debtor.dunning_collector_id = cls.collector
        cls.formal = cls.lvl_3
        cls.formal.write({"level_type": "formal_notice", "payment_deadline_days": 8})
        cls.eur = cls.setup_other_currency("EUR")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _action(self, level, on, moves, currency=None, partner=None):
        """Create a reminder of level dated on listing the moves."""
        lines = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return self.env["dunning.action"].create(
            {
                "partner_id": (partner or self.debtor).id,
                "company_id": self.company.id,
                "level_id": level.id,
                "scenario_id": level.scenario_id.id,
                "currency_id": (currency or self.company.currency_id).id,
                "date": d(on),
                "line_ids": [Command.set(lines.ids)],
            }
        )

    def _render(self, report, ids, data=None):
        """Return the report rendered as HTML, parsed, and its plain text."""
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            report, ids, data=data
        )
        tree = lxml_html.fromstring(content)
        return tree, normalize(tree.text_content())

    def _cells(self, tree, name):
        """Return the plain texts of the table cells named name."""
        return [
            normalize(cell.text_content())
            for cell in tree.xpath(f"//*[@name='{name}']")
        ]

    def _refund(self, partner, amount, on):
        """Create and post a credit note of amount dated on."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": d(on),
                "invoice_date_due": d(on),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Refund",
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

    def _enable_penalties(self):
        """Charge the legal rate (ECB 4.6 + 10 = 14.6 %) and the indemnity.

        14.6 % a year is 0.04 % a day: 1,000.00 thirty days late bears 12.00.
        """
        # The penalties are part of this addon: a missing field is a failure.
        self.assertIn("dunning_penalty_mode", self.company._fields)
        Rate = self.env["dunning.interest.rate"]
        rate = Rate.search([("date_from", "=", d("2026-01-01"))])
        values = {"ecb_rate": 4.6, "legal_rate_professional": 3.0}
        if rate:
            rate.write(values)
        else:
            Rate.create({"date_from": d("2026-01-01"), **values})
        self.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": True,
                "dunning_indemnity_amount": 40.0,
                "dunning_indemnity_currency_id": self.company.currency_id.id,
            }
        )

    # ------------------------------------------------------------------
    # Reminder letter
    # ------------------------------------------------------------------
    def test_letter_reminder(self):
        inv1 = self._invoice(self.debtor, 1000, "2026-03-01")
        inv2 = self._invoice(self.debtor, 250.50, "2026-03-10")
        action = self._action(self.lvl_2, "2026-03-21", inv1 + inv2)
        tree, text = self._render(LETTER, action.ids)
        # The debtor's address and the place and date of the letter.
        self.assertIn("Debtor SA", text)
        self.assertIn("12 rue des Lilas", text)
        self.assertIn("69003 Lyon", text)
        self.assertIn("Customer reference: CUST-042", text)
        self.assertIn("Paris, March 21, 2026", text)
        # Subject and default text of a later reminder.
        self.assertIn("Subject: Reminder: overdue invoices", text)
        self.assertIn("Despite our previous reminder, the invoices listed", text)
        # The invoices with their days late and the total.
        self.assertEqual(self._cells(tree, "invoice"), [inv1.name, inv2.name])
        self.assertEqual(self._cells(tree, "days_late"), ["20", "11"])
        self.assertEqual(self._cells(tree, "amount_due"), ["$ 1,000.00", "$ 250.50"])
        self.assertIn("Total due $ 1,250.50", text)
        self.assertNotIn("Late-payment interest", text)
        self.assertNotIn("FORMAL NOTICE", text)
        # How to pay: the bank account and each invoice's payment reference.
        # base_iban (brought by the payment addon) prints IBANs in groups of 4.
        self.assertEqual(
            [cell.replace(" ", "") for cell in self._cells(tree, "acc_number")],
            ["FR7630006000011234567890189"],
        )
        self.assertIn("BIC: AGRIFRPP (Banque Test)", text)
        self.assertEqual(
            self._cells(tree, "payment_reference"),
            [inv1.payment_reference, inv2.payment_reference],
        )
        self.assertTrue(inv1.payment_reference)
        # Signed by the debtor's collector, for the company.
        self.assertEqual(self._cells(tree, "signatory"), ["Claire Collector"])
        self.assertEqual(self._cells(tree, "company"), [self.company.name])
        self.assertIn("Your contact: Claire Collector", text)

    def test_letter_body_of_the_level_and_defaults(self):
        inv = self._invoice(self.debtor, 100, "2026-03-01")
        Letter = self.env["report.account_dunning_advanced.report_dunning_letter"]
        self.assertEqual(Letter._get_body_kind(self.lvl_pre), "pre_due")
        self.assertEqual(Letter._get_body_kind(self.lvl_1), "first")
        self.assertEqual(Letter._get_body_kind(self.lvl_2), "second")
        self.assertEqual(Letter._get_body_kind(self.formal), "formal_notice")
        cases = [
            (self.lvl_pre, "2026-02-27", "Subject: Invoices falling due soon"),
            (self.lvl_pre, "2026-02-27", "will soon fall due"),
            (self.lvl_1, "2026-03-06", "Subject: Payment reminder"),
            (self.lvl_1, "2026-03-06", "Unless we are mistaken"),
        ]
        for level, on, expected in cases:
            action = self._action(level, on, inv)
            _tree, text = self._render(LETTER, action.ids)
            self.assertIn(expected, text)
            action.unlink()
        # The level's own text replaces the default one.
        self.lvl_1.letter_body = "<p>Our own words about <b>your</b> debt.</p>"
        action = self._action(self.lvl_1, "2026-03-06", inv)
        tree, text = self._render(LETTER, action.ids)
        self.assertIn("Our own words about your debt.", text)
        self.assertNotIn("Unless we are mistaken", text)
        self.assertTrue(tree.xpath("//*[@name='letter_body']//b[text()='your']"))

    def test_letter_addressed_to_invoice_address_and_signed_by_user(self):
        accounts = self.env["res.partner"].create(
            {
                "name": "Accounts Dept",
                "parent_id": self.debtor.id,
                "type": "invoice",
                "street": "5 avenue des Comptes",
                "zip": "69007",
                "city": "Lyon",
            }
        )
        inv = self._invoice(accounts, 100, "2026-03-01")
        self.debtor.dunning_collector_id = False
        action = self._action(self.lvl_1, "2026-03-06", inv)
        tree, text = self._render(LETTER, action.ids)
        self.assertIn("5 avenue des Comptes", text)
        self.assertIn("Accounts Dept", text)
        self.assertNotIn("12 rue des Lilas", text)
        self.assertEqual(self._cells(tree, "signatory"), [self.env.user.name])

    def test_letters_one_page_each(self):
        inv = self._invoice(self.debtor, 100, "2026-03-01")
        other = self._create_debtor("Other Ltd")
        inv_other = self._invoice(other, 70, "2026-03-01")
        action = self._action(self.lvl_1, "2026-03-06", inv)
        action_other = self._action(self.lvl_1, "2026-03-06", inv_other, partner=other)
        tree, _text = self._render(LETTER, (action + action_other).ids)
        pages = tree.xpath("//div[hasclass('article')]")
        self.assertEqual(len(pages), 2)
        self.assertIn(inv.name, pages[0].text_content())
        self.assertIn(inv_other.name, pages[1].text_content())

    # ------------------------------------------------------------------
    # Formal notice
    # ------------------------------------------------------------------
    def test_formal_notice_english(self):
        # The mentions are those of the debtor's regime and of the penalties
        # the company charges (none charged: none printed).
        self._enable_penalties()
        inv = self._invoice(self.debtor, 1234.56, "2026-03-01")
        action = self._action(self.formal, "2026-04-10", inv)
        tree, text = self._render(LETTER, action.ids)
        self.assertIn("FORMAL NOTICE TO PAY", text)
        self.assertIn("Registered letter with acknowledgement of receipt", text)
        self.assertIn("Subject: Formal notice to pay", text)
        self.assertIn(
            "We hereby give you formal notice to pay us, within 8 days of "
            "receiving this letter, the sum of $ 1,234.56 (one thousand, two "
            "hundred and thirty-four dollars and fifty-six cents), the principal "
            "still owed under the invoices listed below.",
            text,
        )
        self.assertIn(
            "In accordance with article L441-10 of the French Commercial Code, any "
            "sum not paid by its due date bears, automatically and without any "
            "reminder being necessary, late-payment interest at the rate applied "
            "by the European Central Bank to its most recent refinancing "
            "operation plus 10 percentage points",
            text,
        )
        self.assertIn(
            "a fixed indemnity for recovery costs of $ 40.00 is due for each "
            "invoice paid late (articles L441-10 and D441-5 of the French "
            "Commercial Code)",
            text,
        )
        self.assertIn("injunction to pay (injonction de payer)", text)
        # Amicable recovery costs stay with the creditor (CPCE L111-8): only
        # what a court may award is mentioned.
        self.assertNotIn("borne by you", text)
        self.assertIn(
            "Should we have to bring the matter to court, the court may order "
            "you to pay the legal costs.",
            text,
        )
        self.assertEqual(self._cells(tree, "days_late"), ["40"])
        self.assertEqual(self._cells(tree, "signatory"), ["Claire Collector"])

    def test_formal_notice_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        # The module's own French translation (i18n/fr.po), as a French
        # database has it.
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning_advanced"], ["fr_FR"], overwrite=True
        )
        # Odoo names the cent "Cents" in French too: the letter writes the
        # legal "centimes" itself.
        self.debtor.lang = "fr_FR"
        self._enable_penalties()
        inv = self._invoice(self.debtor, 1234.56, "2026-03-01", currency=self.eur)
        action = self._action(self.formal, "2026-04-10", inv, currency=self.eur)
        tree, text = self._render(LETTER, action.ids)
        self.assertIn(
            "(mille deux cent trente-quatre euros et cinquante-six centimes)", text
        )
        self.assertIn("1 234,56 €", text)
        self.assertIn("Paris, le 10 avril 2026", text)
        self.assertIn("MISE EN DEMEURE DE PAYER", text)
        self.assertIn("Lettre recommandée avec accusé de réception", text)
        # The computed mentions of a professional debtor, in French.
        self.assertIn(
            "dans un délai de 8 jours à compter de la réception de ce courrier",
            text,
        )
        self.assertIn(
            "Conformément à l'article L441-10 du Code de commerce, toute somme "
            "non payée à son échéance porte, de plein droit",
            text,
        )
        self.assertIn("majoré de 10 points de pourcentage", text)
        self.assertIn("une indemnité forfaitaire pour frais de recouvrement de", text)
        self.assertIn(
            "est due pour chaque facture payée en retard (articles L441-10 et "
            "D441-5 du Code de commerce)",
            text,
        )
        self.assertIn(
            "Si nous devions saisir la justice, le tribunal pourrait vous "
            "condamner aux dépens.",
            text,
        )
        self.assertIn("injonction de payer", text)
        # Dates in the table in the French format: the letter is in French.
        self.assertIn("01/03/2026", text)
        self.assertEqual(self._cells(tree, "amount_due"), ["1 234,56 €"])
        # The English debtor's letter is still in English.
        self.debtor.lang = "en_US"
        _tree, text = self._render(LETTER, action.ids)
        self.assertIn(
            "(one thousand, two hundred and thirty-four euros and fifty-six cents)",
            text,
        )

    def test_formal_notice_with_penalties(self):
        self._enable_penalties()
        inv = self._invoice(self.debtor, 1000, "2026-03-01")
        action = self._action(self.formal, "2026-03-31", inv)
        moves = inv.with_context(dunning_date=d("2026-03-31"))
        self.assertEqual(moves.dunning_penalty_interest, 12.0)
        self.assertEqual(moves.dunning_penalty_indemnity, 40.0)
        tree, text = self._render(LETTER, action.ids)
        self.assertEqual(self._cells(tree, "interest"), ["$ 12.00"])
        self.assertEqual(self._cells(tree, "indemnity"), ["$ 40.00"])
        self.assertIn("Late-payment interest $ 12.00", text)
        self.assertIn("Fixed recovery indemnities $ 40.00", text)
        self.assertIn("Total including penalties $ 1,052.00", text)
        self.assertIn(
            "To this principal are added the late-payment interest accrued to the "
            "date of this letter, $ 12.00, and the fixed recovery indemnities, "
            "$ 40.00: a total of $ 1,052.00.",
            text,
        )
        # No penalty when the company charges none.
        self.company.dunning_penalty_mode = "none"
        _tree, text = self._render(LETTER, action.ids)
        self.assertNotIn("Late-payment interest", text)

    # ------------------------------------------------------------------
    # Account statement
    # ------------------------------------------------------------------
    def _statement_history(self):
        """Build the debtor's history around the period 2026-01-01..06-30."""
        inv0 = self._invoice(self.debtor, 500, "2025-12-31", d("2025-12-01"))
        self._pay(inv0, 200, d("2026-01-15"))
        inv1 = self._invoice(self.debtor, 1000, "2026-03-03", d("2026-02-01"))
        inv5 = self._invoice(self.debtor, 600, "2026-03-31", d("2026-03-01"))
        self._pay(inv5, on=d("2026-04-05"))
        inv2 = self._invoice(self.debtor, 300, "2026-05-10", d("2026-04-10"))
        refund = self._refund(self.debtor, 100, "2026-05-20")
        inv3 = self._invoice(self.debtor, 400, "2026-06-15", d("2026-06-01"))
        inv4 = self._invoice(self.debtor, 250, "2026-07-20", d("2026-06-20"))
        # After the period: not in the statement; inv2 was open on 06-30.
        self._invoice(self.debtor, 999, "2026-08-05", d("2026-07-05"))
        self._pay(inv2, on=d("2026-07-10"))
        # Another debtor's invoice is not in this statement.
        self._invoice(self._create_debtor("Other Ltd"), 777, "2026-03-01")
        return inv0, inv1, inv2, inv3, inv4, inv5, refund

    def _receivable_balance(self, date_to):
        """Return the debtor's receivable balance in the accounting."""
        [(balance,)] = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", self.debtor.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company.id),
                ("date", "<=", date_to),
            ],
            [],
            ["balance:sum"],
        )
        return balance

    def test_statement(self):
        inv0, inv1, inv2, inv3, inv4, inv5, refund = self._statement_history()
        data = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
        values = self.env[STATEMENT_MODEL]._get_report_values(self.debtor.ids, data)
        statement = values["statements"][self.debtor.id]
        self.assertEqual(statement["opening"], 500.0)
        self.assertEqual(
            [row["balance"] for row in statement["lines"]],
            [300.0, 1300.0, 1900.0, 1300.0, 1600.0, 1500.0, 1900.0, 2150.0],
        )
        self.assertEqual(statement["total_debit"], 2550.0)
        self.assertEqual(statement["total_credit"], 900.0)
        self.assertEqual(statement["closing"], 2150.0)
        self.assertEqual(statement["closing"], self._receivable_balance("2026-06-30"))
        self.assertEqual(statement["open_total"], statement["closing"])
        self.assertEqual(
            [(item["move"], item["residual"]) for item in statement["open_items"]],
            [
                (inv0, 300.0),
                (inv1, 1000.0),
                (inv2, 300.0),
                (refund, -100.0),
                (inv3, 400.0),
                (inv4, 250.0),
            ],
        )
        self.assertNotIn(inv5, [item["move"] for item in statement["open_items"]])
        self.assertEqual(
            statement["ageing"],
            {
                "not_due": 250.0,
                "1_30": 400.0,
                "31_60": 200.0,
                "61_90": 0.0,
                "90_plus": 1300.0,
            },
        )

        tree, text = self._render(STATEMENT, self.debtor.ids, data=data)
        self.assertIn("Account statement", text)
        self.assertIn("Period: 01/01/2026 - 06/30/2026", text)
        self.assertIn("Opening balance $ 500.00", text)
        self.assertEqual(
            self._cells(tree, "running_balance"),
            [
                "$ 300.00",
                "$ 1,300.00",
                "$ 1,900.00",
                "$ 1,300.00",
                "$ 1,600.00",
                "$ 1,500.00",
                "$ 1,900.00",
                "$ 2,150.00",
            ],
        )
        self.assertIn("Closing balance $ 2,550.00 $ 900.00 $ 2,150.00", text)
        self.assertIn("Credit note", text)
        self.assertIn("Payment", text)
        self.assertEqual(
            self._cells(tree, "open_amount"),
            [
                "$ 300.00",
                "$ 1,000.00",
                "$ 300.00",
                "$ -100.00",
                "$ 400.00",
                "$ 250.00",
            ],
        )
        self.assertEqual(
            self._cells(tree, "days_overdue"), ["181", "119", "51", "41", "15", "0"]
        )
        self.assertEqual(
            [
                self._cells(tree, f"ageing_{key}")[0]
                for key in ("not_due", "1_30", "31_60", "61_90", "90_plus")
            ],
            ["$ 250.00", "$ 400.00", "$ 200.00", "$ 0.00", "$ 1,300.00"],
        )
        self.assertEqual(self._cells(tree, "ageing_total"), ["$ 2,150.00"])
        self.assertNotIn("Amount in currency", text)

    def test_statement_today_and_multi_currency(self):
        """Default period; a line in euros shows its amount in euros too."""
        today = fields.Date.context_today(self.env.user)
        inv = self._invoice(self.debtor, 1000, today - timedelta(days=40))
        inv_eur = self._invoice(
            self.debtor, 200, today - timedelta(days=10), currency=self.eur
        )
        self._pay(inv, 400, today - timedelta(days=5))
        # Older than the 12 months: in the opening balance.
        old = self._invoice(
            self.debtor, 50, today - timedelta(days=400), today - timedelta(days=430)
        )
        values = self.env[STATEMENT_MODEL]._get_report_values(self.debtor.ids, {})
        self.assertEqual(values["date_to"], today)
        self.assertEqual(
            values["date_from"], today - relativedelta(years=1) + timedelta(days=1)
        )
        statement = values["statements"][self.debtor.id]
        self.assertEqual(statement["opening"], 50.0)
        self.assertTrue(statement["show_foreign"])
        # 200 EUR at 2 EUR per USD.
        self.assertEqual(inv_eur.amount_total_signed, 100.0)
        self.assertEqual(statement["closing"], 50.0 + 600.0 + 100.0)
        self.assertEqual(statement["closing"], self._receivable_balance(today))
        self.assertEqual(statement["open_total"], statement["closing"])
        self.assertIn(old, [item["move"] for item in statement["open_items"]])
        _tree, text = self._render(STATEMENT, self.debtor.ids)
        self.assertIn("Amount in currency", text)
        self.assertIn("200.00 €", text)

    def test_statement_with_penalties(self):
        self._enable_penalties()
        inv = self._invoice(self.debtor, 1000, "2026-03-01", d("2026-02-01"))
        data = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        values = self.env[STATEMENT_MODEL]._get_report_values(self.debtor.ids, data)
        statement = values["statements"][self.debtor.id]
        [item] = statement["open_items"]
        self.assertEqual(item["move"], inv)
        self.assertEqual((item["interest"], item["indemnity"]), (12.0, 40.0))
        self.assertEqual(
            statement["penalty_totals"], [(self.company.currency_id, 12.0, 40.0, 52.0)]
        )
        _tree, text = self._render(STATEMENT, self.debtor.ids, data=data)
        self.assertIn("Late-payment penalties", text)
        self.assertIn("$ 12.00 $ 40.00 $ 52.00", text)

    def test_statement_queries_do_not_depend_on_debtors(self):
        Report = self.env[STATEMENT_MODEL]
        data = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
        debtors = self.env["res.partner"]
        for index in range(3):
            debtor = self._create_debtor(f"Batch {index}", with_contacts=False)
            for month in range(1, 2 + 2 * index):
                invoice = self._invoice(debtor, 100 * month, f"2026-0{month}-10")
                self._pay(invoice, 30, d("2026-07-01"))
            debtors |= debtor
        counts = []
        # The first round fills the caches (rules, groups, registry).
        for partners in (debtors[:1], debtors) * 2:
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Report._get_report_values(partners.ids, data)
            counts.append(self.env.cr.sql_log_count - before)
        counts = counts[2:]
        self.assertEqual(counts[0], counts[1])
        with self.assertRaises(UserError):
            Report._get_report_values(debtors.ids, {**data, "date_from": "2026-07-01"})

    # ------------------------------------------------------------------
    # Wizard
    # ------------------------------------------------------------------
    def test_statement_wizard(self):
        inv = self._invoice(self.debtor, 1000, "2026-03-01", d("2026-02-01"))
        today = fields.Date.context_today(self.env.user)
        wizard = (
            self.env["dunning.statement.wizard"]
            .with_context(default_partner_id=self.debtor.id)
            .create({})
        )
        self.assertEqual(wizard.partner_id, self.debtor)
        self.assertEqual(wizard.company_id, self.env.company)
        self.assertEqual(wizard.date_to, today)
        self.assertEqual(
            wizard.date_from, today - relativedelta(years=1) + timedelta(days=1)
        )
        wizard.write({"date_from": d("2026-01-01"), "date_to": d("2026-03-31")})
        expected_data = {
            "date_from": "2026-01-01",
            "date_to": "2026-03-31",
            "company_id": self.env.company.id,
            "partner_ids": self.debtor.ids,
        }
        for method, report_type in (
            (wizard.action_print, "qweb-pdf"),
            (wizard.action_view, "qweb-html"),
        ):
            action = method()
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertEqual(
                action["report_name"],
                "account_dunning_advanced.report_dunning_statement",
            )
            self.assertEqual(action["report_type"], report_type)
            self.assertEqual(action["data"], expected_data)
            self.assertEqual(action["context"]["active_ids"], self.debtor.ids)
        # As the web client renders a report with data: no docids.
        _tree, text = self._render(
            STATEMENT_HTML, None, data=dict(action["data"], context=action["context"])
        )
        self.assertIn(inv.name, text)
        self.assertIn("Closing balance $ 1,000.00 $ 0.00 $ 1,000.00", text)
