# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late-payment penalties by debtor regime, nothing claimed twice.

Rates of the shipped table used below:
  2024-H1: ECB 4.50 %, legal interest rate 5.07 %
  2024-H2: ECB 4.25 %, legal interest rate 4.92 %
Professional: ECB of each half-year + 10 points (14.50 %, 14.25 %) and the
indemnity. Consumer: the legal interest rate of each half-year, from the day
after the formal notice, no indemnity. Public buyer: the ECB rate of the
half-year the interest started in + 8 points, for the whole delay, and the
indemnity. Actual days / 365; the indemnity is 40.00 in the company currency.
"""

import re
from datetime import date
from decimal import Decimal

from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..engine import penalties
from ..engine.penalties import RatePeriod, compute_interest
from .common import DunningCommon, d

RATES = [
    RatePeriod.make(date(2024, 1, 1), 4.5, 5.07),
    RatePeriod.make(date(2024, 7, 1), 4.25, 4.92),
]
LETTER = "account_dunning_advanced.action_report_dunning_letter"
STATEMENT = "account_dunning_advanced.action_report_dunning_statement"


def normalize(text):
    text = text.replace("\ufeff", "")
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text).strip()


@tagged("post_install", "-at_install")
class TestRegimeEngine(BaseCase):
    """engine/penalties.py: the regime is a parameter of the plain engine."""

    history = [(date(2024, 5, 1), 12000)]

    def _amount(self, **kwargs):
        return compute_interest(
            date(2024, 5, 15), self.history, RATES, date(2024, 8, 20), **kwargs
        )

    def test_public_buyer_one_rate(self):
        # 16/05-20/08/2024 = 97 days, all at the 2024-H1 ECB 4.50 + 8 = 12.50 %
        # (the half-year the interest started in): 12,000 x 12.50 x 97 / 36,500
        # = 14,550,000 / 36,500 = 398.630... -> 398.63; a contract rate does
        # not apply to a public buyer.
        result = self._amount(regime=penalties.REGIME_PUBLIC)
        self.assertEqual(result.amount, Decimal("398.63"))
        self.assertEqual({s.rate for s in result.segments}, {Decimal("12.5")})
        result = self._amount(
            regime=penalties.REGIME_PUBLIC,
            mode=penalties.MODE_CONTRACTUAL,
            contract_rate=20,
        )
        self.assertEqual(result.amount, Decimal("398.63"))

    def test_consumer_from_formal_notice(self):
        # No formal notice: no interest, the days late still count.
        result = self._amount(regime=penalties.REGIME_CONSUMER)
        self.assertEqual((result.amount, result.days_late), (0, 97))
        # Formal notice on 10/06/2024: from 11/06, at the legal interest rate:
        #   11/06-30/06 20 days x 5.07 %: 12,000 x 5.07 x 20 = 1,216,800
        #   01/07-20/08 51 days x 4.92 %: 12,000 x 4.92 x 51 = 3,011,040
        #   4,227,840 / 36,500 = 115.831... -> 115.83
        result = self._amount(
            regime=penalties.REGIME_CONSUMER, notice_date=date(2024, 6, 10)
        )
        self.assertEqual(result.amount, Decimal("115.83"))
        self.assertEqual(
            [(s.date_from, s.days, s.rate) for s in result.segments],
            [
                (date(2024, 6, 11), 20, Decimal("5.07")),
                (date(2024, 7, 1), 51, Decimal("4.92")),
            ],
        )
        # A contract rate does not apply to a consumer either.
        result = self._amount(
            regime=penalties.REGIME_CONSUMER,
            notice_date=date(2024, 6, 10),
            mode=penalties.MODE_CONTRACTUAL,
            contract_rate=20,
        )
        self.assertEqual(result.amount, Decimal("115.83"))
        # The creditor charging no interest: none for anybody.
        result = self._amount(
            regime=penalties.REGIME_CONSUMER,
            notice_date=date(2024, 6, 10),
            mode=penalties.MODE_NONE,
        )
        self.assertEqual(result.amount, 0)

    def test_indemnity_by_regime(self):
        self.assertEqual(
            penalties.indemnity(True, True, False, 40, regime="professional"), 40
        )
        self.assertEqual(
            penalties.indemnity(True, True, False, 40, regime="public"), 40
        )
        self.assertEqual(
            penalties.indemnity(True, True, False, 40, regime="consumer"), 0
        )


@tagged("post_install", "-at_install")
class TestRegimePenalties(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )
        cls.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": True,
                "dunning_indemnity_amount": 40.0,
                "dunning_indemnity_currency_id": cls.company.currency_id.id,
            }
        )
        # The French chart's accounts, found by code (the settings are empty).
        Account = cls.env["account.account"]
        cls.interest_account = Account.create(
            {
                "name": "Revenus des créances commerciales",
                "code": "763100",
                "account_type": "income",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.indemnity_account = Account.create(
            {
                "name": "Dédits et pénalités perçus sur achats et ventes",
                "code": "758100",
                "account_type": "income",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.debtor.lang = "en_US"
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Jean Dupont", "email": "jean@dupont.example", "lang": "en_US"}
        )
        cls.public = cls.env["res.partner"].create(
            {
                "name": "Mairie de Lyon",
                "is_company": True,
                "dunning_public_buyer": True,
                "email": "compta@mairie.example",
                "lang": "en_US",
            }
        )
        cls.formal = cls.lvl_3
        cls.formal.write({"level_type": "formal_notice", "payment_deadline_days": 8})

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _penalty(self, move, on):
        move = move.with_context(dunning_date=on)
        return (
            move.dunning_penalty_interest,
            move.dunning_penalty_indemnity,
            move.dunning_days_late,
        )

    def _action(self, level, on, moves, partner, state="draft"):
        lines = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        action = self.env["dunning.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "scenario_id": level.scenario_id.id,
                "currency_id": self.company.currency_id.id,
                "date": d(on),
                "line_ids": [Command.set(lines.ids)],
            }
        )
        if state != "draft":
            action.state = state
        return action

    def _invoice_penalties(self, on, partner):
        wizard = self.env["dunning.penalty.invoice"].create(
            {"date": d(on), "partner_ids": [Command.set(partner.ids)]}
        )
        return self.env["account.move"].browse(wizard.action_confirm()["res_id"])

    def _letter_text(self, action):
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            LETTER, action.ids
        )
        return lxml_html.fromstring(content), normalize(
            lxml_html.fromstring(content).text_content()
        )

    def _mail_text(self, xmlid, action):
        template = self.env.ref(f"account_dunning_advanced.{xmlid}")
        body = template._render_field("body_html", action.ids)[action.id]
        return normalize(lxml_html.fromstring(body).text_content())

    # ------------------------------------------------------------------
    # Regimes
    # ------------------------------------------------------------------
    def test_regimes_of_the_debtors(self):
        self.assertEqual(self.debtor.dunning_regime, "professional")
        self.assertEqual(self.consumer.dunning_regime, "consumer")
        self.assertEqual(self.public.dunning_regime, "public")

    def test_professional(self):
        # 12,000 due 15/05/2024, on 20/08/2024: 46 days x 14.50 % + 51 days x
        # 14.25 % = 167,250 / 365 = 458.22, and the indemnity 40.00.
        move = self._invoice(self.debtor, 12000, "2024-05-15")
        self.assertEqual(self._penalty(move, "2024-08-20"), (458.22, 40.0, 97))
        # The contractual rate applies to professionals (floor 3 x legal rate).
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 18.0}
        )
        # 12,000 x 18 x 97 / 36,500 = 20,952,000 / 36,500 = 574.027... -> 574.03
        self.assertEqual(self._penalty(move, "2024-08-20"), (574.03, 40.0, 97))

    def test_public_buyer(self):
        # ECB 2024-H1 4.50 + 8 = 12.50 % for the 97 days, across the half-year
        # change (not 4.25 + 8 from July): 398.63, and the indemnity 40.00.
        move = self._invoice(self.public, 12000, "2024-05-15")
        self.assertEqual(self._penalty(move, "2024-08-20"), (398.63, 40.0, 97))
        # A contractual rate of the company does not apply to a public buyer.
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 18.0}
        )
        self.assertEqual(self._penalty(move, "2024-08-20"), (398.63, 40.0, 97))

    def test_consumer(self):
        move = self._invoice(self.consumer, 12000, "2024-05-15")
        # No formal notice: nothing, and never an indemnity.
        self.assertEqual(self._penalty(move, "2024-08-20"), (0.0, 0.0, 97))
        # A formal notice still to validate is not a formal notice.
        draft = self._action(self.formal, "2024-06-10", move, self.consumer)
        self.assertEqual(self._penalty(move, "2024-08-20"), (0.0, 0.0, 97))
        # Sent on 10/06/2024: from 11/06, legal interest rate 5.07 % then
        # 4.92 %: 4,227,840 / 36,500 = 115.83; still no indemnity.
        draft.state = "done"
        self.assertEqual(self._penalty(move, "2024-08-20"), (115.83, 0.0, 97))
        # A formal notice about another invoice does not make this one run.
        other = self._invoice(self.consumer, 1000, "2024-07-15")
        self.assertEqual(self._penalty(other, "2024-08-20"), (0.0, 0.0, 36))
        # The contractual rate of the company does not apply to a consumer.
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 18.0}
        )
        self.assertEqual(self._penalty(move, "2024-08-20"), (115.83, 0.0, 97))
        # Nor does the regime forced by a manager stay unnoticed: forced to
        # professional, the debtor owes the professional's penalties.
        self.consumer.dunning_regime_override = "professional"
        self.company.dunning_penalty_mode = "legal"
        self.assertEqual(self._penalty(move, "2024-08-20"), (458.22, 40.0, 97))

    def test_credit_note_from_the_invoice_date(self):
        # 10,000 due 15/02/2024, a credit note of 4,000 matched on 10/03/2024:
        # the 4,000 were never owed, so 6,000 bear interest from 16/02:
        # 6,000 x 14.50 x 30 / 36,500 = 71.506... -> 71.51 on 16/03/2024
        # (not 10,000 until 10/03: that would be 101.26).
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.debtor.id,
                "invoice_date": d("2024-03-10"),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Credit",
                            "quantity": 1,
                            "price_unit": 4000,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        (move + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(self._penalty(move, "2024-03-16"), (71.51, 40.0, 30))
        # A payment, by contrast, counts from its own date: 6,000 paid on
        # 01/03/2024 -> 16/02-01/03 = 15 days on 6,000 = 1,305,000 / 36,500
        # = 35.75; nothing after.
        self._pay(move, 6000, on=d("2024-03-01"))
        self.assertEqual(self._penalty(move, "2024-03-16"), (35.75, 40.0, 15))

    # ------------------------------------------------------------------
    # Nothing claimed twice
    # ------------------------------------------------------------------
    def test_after_a_penalty_invoice(self):
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        # 16/02-16/03 = 30 days x 14.50 % on 10,000 = 119.18, and 40.00.
        penalty = self._invoice_penalties("2024-03-16", self.debtor)
        self.assertEqual(penalty.amount_total, 159.18)
        # Own income accounts, never sales; no tax (outside the scope of VAT).
        self.assertEqual(
            [
                (line.account_id, line.price_unit, line.tax_ids.ids)
                for line in penalty.invoice_line_ids
            ],
            [
                (self.interest_account, 119.18, []),
                (self.indemnity_account, 40.0, []),
            ],
        )
        self.assertEqual(penalty.amount_tax, 0.0)
        penalty.action_post()
        self.assertTrue(penalty.dunning_is_penalty)
        # On 15/04/2024: only 17/03-15/04 = 30 days = 119.18 is left to claim,
        # no second indemnity.
        self.assertEqual(self._penalty(move, "2024-04-15"), (119.18, 0.0, 60))
        # The penalty invoice, unpaid and past its due date, bears nothing.
        self.assertEqual(self._penalty(penalty, "2024-12-31"), (0.0, 0.0, 0))
        # The debtor's total: 119.18 (not 238.36 + 2 x 40).
        partner = self.debtor.with_context(dunning_date="2024-04-15")
        self.assertAlmostEqual(partner.dunning_penalty_total, 119.18)
        # The letter lists the penalty invoice as an open invoice of its own,
        # labelled, and claims only the interest since.
        action = self._action(self.formal, "2024-04-15", move + penalty, self.debtor)
        letter = self.env[
            "report.account_dunning_advanced.report_dunning_letter"
        ]._get_letters(action)[action.id]
        self.assertEqual(
            [(row["move"], row["is_penalty"], row["amount"]) for row in letter["rows"]],
            [(move, False, 10000.0), (penalty, True, 159.18)],
        )
        self.assertEqual(
            (letter["total_interest"], letter["total_indemnity"]), (119.18, 0.0)
        )
        tree, text = self._letter_text(action)
        self.assertEqual(
            [
                normalize(td.text_content())
                for td in tree.xpath("//td[@name='invoice']")
            ],
            [move.name, f"{penalty.name} (late-payment penalty invoice)"],
        )
        # The e-mail as well: the penalty invoice labelled, 119.18 to claim.
        mail = self._mail_text("mail_template_dunning_formal_notice", action)
        self.assertIn(f"{penalty.name} (late-payment penalty invoice)", mail)
        self.assertIn(
            "Late-payment penalties accrued to date and not invoiced yet, due in "
            "addition: $ 119.18",
            mail,
        )
        # The statement: the penalty invoice is labelled, the penalties left
        # to claim are 119.18.
        statement = self.env[
            "report.account_dunning_advanced.report_dunning_statement"
        ]._get_statements(self.debtor, self.company, d("2024-01-01"), d("2024-04-15"))[
            self.debtor.id
        ]
        labels = [item["label"] for item in statement["open_items"]]
        self.assertIn("Late-payment penalty invoice", labels)
        self.assertEqual(
            [values[1:] for values in statement["penalty_totals"]],
            [(119.18, 0.0, 119.18)],
        )
        # A cancelled penalty invoice frees its period and its indemnity.
        penalty.button_draft()
        penalty.button_cancel()
        self.assertEqual(self._penalty(move, "2024-04-15"), (238.36, 40.0, 60))

    def test_accounts_required(self):
        self._invoice(self.debtor, 10000, "2024-02-15")
        # Neither set nor found by code: the user is asked, nothing created.
        (self.interest_account + self.indemnity_account).deprecated = True
        count = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "income accounts"):
            self._invoice_penalties("2024-03-16", self.debtor)
        self.assertEqual(self.env["account.move"].search_count([]), count)
        # The accounts of the settings win over the lookup.
        other = self.env["account.account"].create(
            {
                "name": "Other interest",
                "code": "768800",
                "account_type": "income_other",
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        settings = self.env["res.config.settings"].create(
            {
                "dunning_penalty_account_id": other.id,
                "dunning_indemnity_account_id": other.id,
            }
        )
        settings.execute()
        penalty = self._invoice_penalties("2024-03-16", self.debtor)
        self.assertEqual(penalty.invoice_line_ids.account_id, other)

    # ------------------------------------------------------------------
    # Mentions
    # ------------------------------------------------------------------
    def test_mentions_by_regime(self):
        on = d("2024-08-20")
        pro = normalize(" ".join(self.debtor._dunning_legal_mentions(self.company, on)))
        self.assertIn("article L441-10 of the French Commercial Code", pro)
        self.assertIn("plus 10 percentage points, 14.25 % a year", pro)
        self.assertIn("indemnity for recovery costs of $ 40.00", pro)
        consumer = " ".join(self.consumer._dunning_legal_mentions(self.company, on))
        self.assertIn("articles 1231-6 and 1344-1 of the French Civil Code", consumer)
        self.assertIn("legal interest rate, 4.92 % a year", consumer)
        self.assertIn("from the date of the formal notice", consumer)
        for wrong in ("10 percentage points", "indemnity", "40.00", "L441-10"):
            self.assertNotIn(wrong, consumer)
        public = normalize(
            " ".join(self.public._dunning_legal_mentions(self.company, on))
        )
        self.assertIn("article R2192-31 of the French Public Procurement Code", public)
        self.assertIn("plus 8 percentage points (12.25 % a year", public)
        self.assertIn("$ 40.00", public)
        self.assertNotIn("10 percentage points", public)
        # The contractual rate, raised to the floor, for professionals only.
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 5.0}
        )
        pro = " ".join(self.debtor._dunning_legal_mentions(self.company, on))
        self.assertIn("annual rate of 14.76 %", pro)  # 3 x 4.92
        # Exempt debtor, or indemnity off: no indemnity sentence.
        self.debtor.dunning_no_indemnity = True
        pro = " ".join(self.debtor._dunning_legal_mentions(self.company, on))
        self.assertNotIn("indemnity", pro)
        # No penalty charged at all: no mention.
        self.company.write(
            {"dunning_penalty_mode": "none", "dunning_indemnity_enabled": False}
        )
        self.assertEqual(self.consumer._dunning_legal_mentions(self.company, on), [])

    def test_letters_and_mails_print_the_regime(self):
        consumer_move = self._invoice(self.consumer, 1000, "2024-05-15")
        public_move = self._invoice(self.public, 1000, "2024-05-15")
        notice = self._action(self.formal, "2024-08-20", consumer_move, self.consumer)
        _tree, text = self._letter_text(notice)
        self.assertIn("legal interest rate, 4.92 % a year", text)
        self.assertIn(
            "Should we have to bring the matter to court, the court may order you "
            "to pay the legal costs.",
            text,
        )
        for wrong in ("10 percentage points", "40.00", "borne by you", "D441-5"):
            self.assertNotIn(wrong, text)
        mail = self._mail_text("mail_template_dunning_formal_notice", notice)
        self.assertIn("legal interest rate, 4.92 % a year", mail)
        self.assertIn("the court may order you to pay the legal costs", mail)
        for wrong in ("10 percentage points", "40 EUR", "40.00", "D441-5"):
            self.assertNotIn(wrong, mail)
        public_notice = self._action(
            self.formal, "2024-08-20", public_move, self.public
        )
        _tree, text = self._letter_text(public_notice)
        self.assertIn("plus 8 percentage points", text)
        self.assertNotIn("10 percentage points", text)
        mail = self._mail_text("mail_template_dunning_agency", public_notice)
        self.assertIn("plus 8 percentage points", mail)
        self.assertNotIn("recovery costs provided for by law", mail)
        pro_move = self._invoice(self.debtor, 1000, "2024-05-15")
        pro_notice = self._action(self.formal, "2024-08-20", pro_move, self.debtor)
        mail = self._mail_text("mail_template_dunning_final", pro_notice)
        self.assertIn("plus 10 percentage points, 14.25 % a year", mail)
        self.assertIn("indemnity for recovery costs of $ 40.00", mail)
        self.assertNotIn("fixed recovery costs provided for by law", mail)
