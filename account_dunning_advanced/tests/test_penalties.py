# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late-payment penalties: hand-computed cases.

Rates of the shipped table used below:
  2024-H1: ECB 4.50 % -> legal penalty rate 14.50 %; legal interest rate
           5.07 % -> contractual floor 3 x 5.07 = 15.21 %
  2024-H2: ECB 4.25 % -> 14.25 %; legal interest rate 4.92 % -> floor 14.76 %
Day count: actual days / 365, from the day after the due date; the payment
day still accrues on the amount before the payment.
"""

from datetime import date
from decimal import Decimal

from lxml import html
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import BaseCase
from odoo.tools import format_date, mute_logger

from ..engine import penalties
from ..engine.penalties import RatePeriod, compute_interest
from .common import DunningCommon, d

RATES = [
    RatePeriod.make(date(2024, 1, 1), 4.5, 5.07),
    RatePeriod.make(date(2024, 7, 1), 4.25, 4.92),
]


@tagged("post_install", "-at_install")
class TestPenaltyEngine(BaseCase):
    """engine/penalties.py, without the database."""

    def test_single_half_year(self):
        # 10,000 due 15/02/2024, on 16/03/2024: 16-29 Feb (14) + 1-16 Mar (16)
        # = 30 days; 10,000 x 14.50 % x 30 / 365 = 43,500 / 365 = 119.178...
        result = compute_interest(
            date(2024, 2, 15), [(date(2024, 2, 1), 10000)], RATES, date(2024, 3, 16)
        )
        self.assertEqual(result.amount, Decimal("119.18"))
        self.assertEqual(result.days_late, 30)
        self.assertEqual(len(result.segments), 1)
        segment = result.segments[0]
        self.assertEqual(
            (segment.date_from, segment.date_to, segment.days, segment.rate),
            (date(2024, 2, 16), date(2024, 3, 16), 30, Decimal("14.5")),
        )

    def test_due_date_and_first_day(self):
        history = [(date(2024, 2, 1), 10000)]
        # On the due date: not late.
        result = compute_interest(date(2024, 2, 15), history, RATES, date(2024, 2, 15))
        self.assertEqual((result.amount, result.days_late), (0, 0))
        self.assertFalse(result.late)
        # The day after: 10,000 x 14.50 % / 365 = 3.9726...
        result = compute_interest(date(2024, 2, 15), history, RATES, date(2024, 2, 16))
        self.assertEqual((result.amount, result.days_late), (Decimal("3.97"), 1))

    def test_half_year_boundary(self):
        # 12,000 due 15/05/2024, on 20/08/2024:
        #   16/05-30/06: 16 + 30 = 46 days x 14.50 %: 12,000 x 14.50 % x 46 / 365
        #                = 80,040 / 365 = 219.2876...
        #   01/07-20/08: 31 + 20 = 51 days x 14.25 %: 12,000 x 14.25 % x 51 / 365
        #                = 87,210 / 365 = 238.9315...
        #   total 167,250 / 365 = 458.2191... -> 458.22
        result = compute_interest(
            date(2024, 5, 15), [(date(2024, 5, 1), 12000)], RATES, date(2024, 8, 20)
        )
        self.assertEqual(result.amount, Decimal("458.22"))
        self.assertEqual(result.days_late, 97)
        self.assertEqual(
            [(s.date_from, s.date_to, s.days, s.rate) for s in result.segments],
            [
                (date(2024, 5, 16), date(2024, 6, 30), 46, Decimal("14.5")),
                (date(2024, 7, 1), date(2024, 8, 20), 51, Decimal("14.25")),
            ],
        )
        # Segments are rounded for display only: 219.29 + 238.93.
        self.assertEqual(
            [s.amount for s in result.segments], [Decimal("219.29"), Decimal("238.93")]
        )

    def test_partial_payment(self):
        # 10,000 due 15/02/2024, 4,000 paid on 01/03/2024, on 31/03/2024:
        #   16/02-01/03: 15 days on 10,000: 21,750 / 365 = 59.589...
        #   02/03-31/03: 30 days on 6,000:  26,100 / 365 = 71.506...
        #   total 47,850 / 365 = 131.0958... -> 131.10
        history = [(date(2024, 2, 1), 10000), (date(2024, 3, 1), 6000)]
        result = compute_interest(date(2024, 2, 15), history, RATES, date(2024, 3, 31))
        self.assertEqual(result.amount, Decimal("131.10"))
        self.assertEqual(
            [(s.days, s.base) for s in result.segments], [(15, 10000), (30, 6000)]
        )

    def test_leap_year_counts_365(self):
        # 29/02/2024 is a late day like any other, still divided by 365:
        # 36,500 x 14.50 % x 2 / 365 = 29.00 exactly (28/02 and 29/02).
        result = compute_interest(
            date(2024, 2, 27), [(date(2024, 2, 1), 36500)], RATES, date(2024, 2, 29)
        )
        self.assertEqual((result.amount, result.days_late), (Decimal("29.00"), 2))

    def test_contractual_floor(self):
        history = [(date(2024, 2, 1), 10000)]
        # 5 % < 3 x 5.07 % = 15.21 %: 10,000 x 15.21 % x 30 / 365 = 125.0136...
        result = compute_interest(
            date(2024, 2, 15),
            history,
            RATES,
            date(2024, 3, 16),
            mode=penalties.MODE_CONTRACTUAL,
            contract_rate=5,
        )
        self.assertEqual(result.amount, Decimal("125.01"))
        self.assertTrue(result.segments[0].floored)
        # 18 % is above the floor: 10,000 x 18 % x 30 / 365 = 147.9452...
        result = compute_interest(
            date(2024, 2, 15),
            history,
            RATES,
            date(2024, 3, 16),
            mode=penalties.MODE_CONTRACTUAL,
            contract_rate=18,
        )
        self.assertEqual(result.amount, Decimal("147.95"))
        self.assertFalse(result.segments[0].floored)

    def test_start_after_invoiced_date(self):
        # Interest already invoiced up to 16/03: from 17/03 to 15/04 = 15 + 15
        # = 30 days on 10,000 = 119.18; days late still count from the due date.
        result = compute_interest(
            date(2024, 2, 15),
            [(date(2024, 2, 1), 10000)],
            RATES,
            date(2024, 4, 15),
            start=date(2024, 3, 17),
        )
        self.assertEqual(result.amount, Decimal("119.18"))
        self.assertEqual(result.date_from, date(2024, 3, 17))
        self.assertEqual(result.date_to, date(2024, 4, 15))
        self.assertEqual(result.days_late, 60)

    def test_rounding_once_half_up(self):
        rates = [RatePeriod.make(date(2024, 1, 1), 4.6, 1)]  # 14.60 %
        # 12.50 x 14.60 % x 1 / 365 = 182.5 / 36,500 = 0.005 exactly: half-up.
        result = compute_interest(
            date(2024, 1, 10), [(date(2024, 1, 1), "12.50")], rates, date(2024, 1, 11)
        )
        self.assertEqual(result.amount, Decimal("0.01"))
        # Two installments of 0.004 each: 0.00 + 0.00 if rounded apiece, 0.01
        # (0.008) when only the invoice total is rounded.
        part = compute_interest(
            date(2024, 1, 10), [(date(2024, 1, 1), 10)], rates, date(2024, 1, 11)
        )
        self.assertEqual(part.amount, Decimal("0.00"))
        self.assertEqual(penalties.combine([part, part]).amount, Decimal("0.01"))

    def test_missing_half_year_uses_latest_rate(self):
        # No 2025 rate in RATES: 2025 days use 2024-H2 (14.25 %), flagged.
        result = compute_interest(
            date(2024, 12, 31), [(date(2024, 12, 1), 36500)], RATES, date(2025, 1, 2)
        )
        # 36,500 x 14.25 % x 2 / 365 = 28.50
        self.assertEqual(result.amount, Decimal("28.50"))
        self.assertTrue(result.stale)
        self.assertEqual(result.segments[0].rate_date, date(2024, 7, 1))
        table = penalties.RateTable(RATES)
        self.assertEqual(
            table.missing_half_years(date(2025, 8, 1)),
            [date(2025, 1, 1), date(2025, 7, 1)],
        )
        self.assertEqual(table.missing_half_years(date(2024, 12, 31)), [])

    def test_no_interest_mode_and_overpaid(self):
        history = [(date(2024, 2, 1), 10000)]
        result = compute_interest(
            date(2024, 2, 15), history, RATES, date(2024, 3, 16), mode="none"
        )
        self.assertEqual((result.amount, result.days_late), (0, 30))
        # Paid in full on 20/02 (5 days late), then overpaid: nothing after.
        history += [(date(2024, 2, 20), 0), (date(2024, 2, 25), -50)]
        result = compute_interest(date(2024, 2, 15), history, RATES, date(2024, 3, 16))
        # 10,000 x 14.50 % x 5 / 365 = 7,250 / 365 = 19.863...
        self.assertEqual((result.amount, result.days_late), (Decimal("19.86"), 5))

    def test_indemnity_rule(self):
        self.assertEqual(penalties.indemnity(True, True, False, 40), 40)
        self.assertEqual(penalties.indemnity(False, True, False, 40), 0)
        self.assertEqual(penalties.indemnity(True, False, False, 40), 0)
        self.assertEqual(penalties.indemnity(True, True, True, 40), 0)
        self.assertEqual(penalties.indemnity(True, True, False, 40, True), 0)


@tagged("post_install", "-at_install")
class TestPenalties(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 USD (company currency) = 2 EUR until 29/02/2024, then 4 EUR;
        # 1 USD = 1.5 CHF.
        cls.eur = cls.setup_other_currency(
            "EUR", rates=[("2024-01-01", 2.0), ("2024-03-01", 4.0)]
        )
        cls.chf = cls.setup_other_currency("CHF", rates=[("2024-01-01", 1.5)])
        cls.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": False,
                "dunning_indemnity_amount": 40.0,
                "dunning_indemnity_currency_id": cls.eur.id,
            }
        )
        cls.product = cls.env.ref("account_dunning_advanced.product_dunning_penalty")
        # Penalties post to their own income accounts, never to sales.
        cls.interest_account, cls.indemnity_account = cls.env["account.account"].create(
            [
                {
                    "name": name,
                    "code": code,
                    "account_type": "income",
                    "company_ids": [(6, 0, cls.company.ids)],
                }
                for name, code in (
                    ("Late-payment interest", "763100"),
                    ("Recovery indemnities", "758100"),
                )
            ]
        )
        cls.company.write(
            {
                "dunning_penalty_account_id": cls.interest_account.id,
                "dunning_indemnity_account_id": cls.indemnity_account.id,
            }
        )

    def _penalty(self, move, on):
        move = move.with_context(dunning_date=on)
        return (
            move.dunning_penalty_interest,
            move.dunning_penalty_indemnity,
            move.dunning_days_late,
        )

    def _invoice_penalties(self, on, partners=None, moves=None, user=None):
        wizard = (
            self.env["dunning.penalty.invoice"]
            .with_user(user or self.env.user)
            .create(
                {
                    "date": d(on),
                    "partner_ids": [(6, 0, (partners or self.debtor).ids)],
                    "move_ids": [(6, 0, moves.ids if moves else [])],
                }
            )
        )
        action = wizard.action_confirm()
        return self.env["account.move"].browse(action.get("res_id")) or (
            self.env["account.move"].search(action["domain"])
        )

    def test_shipped_rates(self):
        ref = self.env.ref
        rates = ref("account_dunning_advanced.dunning_interest_rate_2024_1") + ref(
            "account_dunning_advanced.dunning_interest_rate_2024_2"
        )
        self.assertEqual(
            [
                (
                    r.ecb_rate,
                    r.legal_rate_professional,
                    r.legal_penalty_rate,
                    r.floor_rate,
                )
                for r in rates
            ],
            [(4.5, 5.07, 14.5, 15.21), (4.25, 4.92, 14.25, 14.76)],
        )
        self.assertFalse(self.product.taxes_id)
        self.assertEqual(self.product.type, "service")

    def test_rate_constraints_and_warning(self):
        Rate = self.env["dunning.interest.rate"]
        with self.assertRaises(ValidationError):
            Rate.create(
                {"date_from": "2026-03-01", "ecb_rate": 2, "legal_rate_professional": 3}
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Rate.create(
                {"date_from": "2024-01-01", "ecb_rate": 2, "legal_rate_professional": 3}
            )
        # A table that ends with 2025-H2 (the rates of 2026 removed): fine
        # until 31/12/2025, then a warning.
        Rate.search([("date_from", ">=", "2026-01-01")]).unlink()
        self.assertFalse(Rate._get_outdated_message(date(2025, 12, 31)))
        self.assertIn("01/01/2026", Rate._get_outdated_message(date(2026, 2, 1)))
        latest = self.env.ref("account_dunning_advanced.dunning_interest_rate_2025_2")
        self.assertTrue(latest.with_context(dunning_date="2026-02-01").outdated_warning)
        # An invoice late in 2026 uses 2025-H2 (2.15 + 10 = 12.15 %), flagged:
        # 36,500 x 12.15 % x 17 / 365 (15/01-31/01) = 206.55
        move = self._invoice(self.debtor, 36500, "2026-01-14")
        move = move.with_context(dunning_date="2026-01-31")
        self.assertEqual(move.dunning_penalty_interest, 206.55)
        self.assertTrue(move.dunning_penalty_stale)
        settings = (
            self.env["res.config.settings"]
            .with_context(dunning_date="2026-02-01")
            .create({})
        )
        self.assertIn("01/01/2026", settings.dunning_rate_warning)

    def test_1_single_half_year_legal(self):
        # 10,000.00 due 15/02/2024, on 16/03/2024: 30 days (14 in Feb + 16);
        # 10,000 x 14.50 % x 30 / 365 = 43,500 / 365 = 119.178... -> 119.18
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        self.assertEqual(self._penalty(move, "2024-03-16"), (119.18, 0.0, 30))
        self.assertEqual(self._penalty(move, "2024-02-15"), (0.0, 0.0, 0))
        # The detail shown on the invoice.
        detail = move.with_context(dunning_date="2024-03-16").dunning_penalty_detail
        self.assertIn("119.18", detail)
        self.assertIn("14.50 %", detail)

    def test_2_half_year_boundary(self):
        # 12,000.00 due 15/05/2024, on 20/08/2024:
        #   16/05-30/06  46 days x 14.50 %: 12,000 x 0.145 x 46 / 365 = 219.2876...
        #   01/07-20/08  51 days x 14.25 %: 12,000 x 0.1425 x 51 / 365 = 238.9315...
        #   total 167,250 / 365 = 458.2191... -> 458.22, 97 days late
        move = self._invoice(self.debtor, 12000, "2024-05-15")
        self.assertEqual(self._penalty(move, "2024-08-20"), (458.22, 0.0, 97))
        breakdown = move._dunning_penalty_breakdown(d("2024-08-20"))
        self.assertEqual(
            [(s["date_from"], s["date_to"], s["days"], s["rate"]) for s in breakdown],
            [
                (d("2024-05-16"), d("2024-06-30"), 46, Decimal("14.5")),
                (d("2024-07-01"), d("2024-08-20"), 51, Decimal("14.25")),
            ],
        )
        self.assertEqual(
            [s["amount"] for s in breakdown], [Decimal("219.29"), Decimal("238.93")]
        )

    def test_detail_rows(self):
        # The table on the invoice shows the segments of test_4 (15 %
        # contractual, raised to 15.21 % in 2024-H1): one row per segment,
        # the floored rate starred and explained, the total.
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 15.0}
        )
        move = self._invoice(self.debtor, 12000, "2024-05-15")
        detail = move.with_context(dunning_date="2024-08-20").dunning_penalty_detail
        root = html.fragment_fromstring(detail, create_parent="div")
        table = root.xpath("table[contains(@class, 'o_dunning_penalty_detail')]")[0]
        self.assertEqual(
            [
                (th.text_content().strip(), th.get("class"))
                for th in table.xpath("thead/tr/th")
            ],
            [
                ("From", None),
                ("To", None),
                ("Days", "text-end"),
                ("Open amount", "text-end"),
                ("Rate", "text-end"),
                ("Interest", "text-end"),
            ],
        )
        rows = [
            [td.text_content().strip() for td in tr.xpath("td")]
            for tr in table.xpath("tbody/tr")
        ]
        day = lambda value: format_date(self.env, d(value))  # noqa: E731
        self.assertEqual(
            [row[:3] for row in rows],
            [
                [day("2024-05-16"), day("2024-06-30"), "46"],
                [day("2024-07-01"), day("2024-08-20"), "51"],
            ],
        )
        self.assertEqual([row[4] for row in rows], ["15.21 % *", "15.00 %"])
        self.assertIn("12,000.00", rows[0][3])
        self.assertIn("230.03", rows[0][5])
        self.assertIn("251.51", rows[1][5])
        total = [td.text_content().strip() for td in table.xpath("tfoot/tr/td")]
        self.assertEqual(total[0], "Total")
        self.assertIn("481.53", total[1])
        notes = root.xpath("p[contains(@class, 'text-muted')]")[0].text_content()
        self.assertIn("Actual days / 365, from the day after the due date.", notes)
        self.assertIn("* Contractual rate raised to 3 times", notes)
        self.assertNotIn("earlier half-year", notes)
        # Not late: no table.
        self.assertFalse(
            move.with_context(dunning_date="2024-05-15").dunning_penalty_detail
        )

    def test_3_partial_payment(self):
        # 10,000.00 due 15/02/2024, 4,000 paid on 01/03/2024, on 31/03/2024:
        #   16/02-01/03  15 days on 10,000: 10,000 x 0.145 x 15 / 365 = 59.589...
        #   02/03-31/03  30 days on  6,000:  6,000 x 0.145 x 30 / 365 = 71.506...
        #   total 47,850 / 365 = 131.0958... -> 131.10
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        self._pay(move, 4000, on=d("2024-03-01"))
        self.assertEqual(self._penalty(move, "2024-03-31"), (131.10, 0.0, 45))
        breakdown = move._dunning_penalty_breakdown("2024-03-31")
        self.assertEqual(
            [(s["days"], s["base"]) for s in breakdown],
            [(15, Decimal("10000.00")), (30, Decimal("6000.00"))],
        )
        # The balance paid on 10/03/2024: 02/03-10/03 = 9 days on 6,000
        # = 7,830 / 365; total (21,750 + 7,830) / 365 = 81.0410... -> 81.04,
        # 24 days late; nothing accrues after the payment.
        self._pay(move, 6000, on=d("2024-03-10"))
        self.assertEqual(self._penalty(move, "2024-03-31"), (81.04, 0.0, 24))
        self.assertEqual(self._penalty(move, "2024-12-31"), (81.04, 0.0, 24))

    def test_4_contractual_rate_floor(self):
        self.company.write(
            {"dunning_penalty_mode": "contractual", "dunning_penalty_rate": 5.0}
        )
        # 5 % < 3 x 5.07 % = 15.21 %: 10,000 x 15.21 % x 30 / 365 = 45,630 / 365
        # = 125.0136... -> 125.01
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        self.assertEqual(self._penalty(move, "2024-03-16"), (125.01, 0.0, 30))
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.dunning_floor_warning)
        # 15 %: raised to 15.21 % in 2024-H1, kept in 2024-H2 (floor 14.76 %):
        #   12,000 x 15.21 % x 46 / 365 = 8,395,920 / 36,500 = 230.0252...
        #   12,000 x 15.00 % x 51 / 365 = 9,180,000 / 36,500 = 251.5068...
        #   total 17,575,920 / 36,500 = 481.5320... -> 481.53
        self.company.dunning_penalty_rate = 15.0
        move = self._invoice(self.debtor, 12000, "2024-05-15")
        self.assertEqual(self._penalty(move, "2024-08-20"), (481.53, 0.0, 97))
        # 18 % is above the floor: 10,000 x 18 % x 30 / 365 = 147.945... -> 147.95
        self.company.dunning_penalty_rate = 18.0
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        self.assertEqual(self._penalty(move, "2024-03-16"), (147.95, 0.0, 30))

    def test_5_indemnity(self):
        self.company.dunning_indemnity_enabled = True
        exempt = self._create_debtor("Consumer", with_contacts=False)
        exempt.dunning_no_indemnity = True
        late_usd = self._invoice(self.debtor, 10000, "2024-02-15")
        late_usd_may = self._invoice(self.debtor, 1000, "2024-05-15")
        late_eur = self._invoice(self.debtor, 10000, "2024-02-15", currency=self.eur)
        late_chf = self._invoice(self.debtor, 1000, "2024-02-15", currency=self.chf)
        not_late = self._invoice(self.debtor, 1000, "2024-03-20")
        paid_on_time = self._invoice(self.debtor, 1000, "2024-02-15")
        self._pay(paid_on_time, on=d("2024-02-15"))
        exempt_move = self._invoice(exempt, 10000, "2024-02-15")
        moves = (
            late_usd + late_eur + late_chf + not_late + paid_on_time + exempt_move
        ).with_context(dunning_date="2024-03-16")
        # 40 EUR at the due date 15/02/2024 (1 USD = 2 EUR): 20.00 USD; in EUR
        # 40.00; in CHF 40 x 1.5 / 2 = 30.00. Interest in the invoice currency.
        self.assertEqual(
            [
                (
                    m.dunning_penalty_interest,
                    m.dunning_penalty_indemnity,
                    m.dunning_penalty_total,
                )
                for m in moves
            ],
            [
                (119.18, 20.0, 139.18),  # USD
                (119.18, 40.0, 159.18),  # EUR
                (11.92, 30.0, 41.92),  # CHF: 1,000 x 14.50 % x 30 / 365 = 11.917...
                (0.0, 0.0, 0.0),  # not late
                (0.0, 0.0, 0.0),  # paid on time
                (119.18, 0.0, 119.18),  # exempt debtor: interest, no indemnity
            ],
        )
        # Converted at the due date (15/05/2024: 1 USD = 4 EUR), not today.
        self.assertEqual(self._penalty(late_usd_may, "2024-06-01")[1], 10.0)
        # Paid late: the indemnity stays due.
        self._pay(late_usd, on=d("2024-03-01"))
        self.assertEqual(self._penalty(late_usd, "2024-03-16")[1], 20.0)
        # Switched off for the company: none.
        self.company.dunning_indemnity_enabled = False
        self.assertEqual(self._penalty(late_eur, "2024-03-16")[1], 0.0)

    def test_6_invoice_twice(self):
        self.company.dunning_indemnity_enabled = True
        collector = new_test_user(
            self.env,
            login="penalty_collector",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        # 1st run on 16/03/2024: 16/02-16/03 = 30 days -> 119.18 (case 1), and
        # the indemnity 40 EUR = 20.00 USD.
        first = self._invoice_penalties("2024-03-16", user=collector)
        self.assertEqual(len(first), 1)
        self.assertRecordValues(
            first,
            [{"partner_id": self.debtor.id, "currency_id": self.company.currency_id.id,
              "dunning_is_penalty": True, "amount_total": 139.18, "state": "draft"}],
        )  # fmt: skip
        self.assertEqual(
            [(line.name, line.price_unit) for line in first.invoice_line_ids],
            [
                (
                    f"Late-payment interest on {move.name} "
                    "from 02/16/2024 to 03/16/2024",
                    119.18,
                ),
                (
                    "Fixed recovery indemnity (French Commercial Code, art. D441-5) "
                    f"for {move.name}",
                    20.0,
                ),
            ],
        )
        self.assertEqual(first.invoice_line_ids.product_id, self.product)
        self.assertFalse(first.invoice_line_ids.tax_ids)
        self.assertEqual(
            first.invoice_line_ids.account_id,
            self.interest_account + self.indemnity_account,
        )
        # 2nd run on 15/04/2024: only 17/03-15/04 = 15 + 15 = 30 days -> 119.18,
        # no second indemnity.
        second = self._invoice_penalties("2024-04-15", user=collector)
        self.assertEqual(
            [(line.name, line.price_unit) for line in second.invoice_line_ids],
            [
                (
                    f"Late-payment interest on {move.name} "
                    "from 03/17/2024 to 04/15/2024",
                    119.18,
                )
            ],
        )
        self.assertEqual(
            [
                (
                    p.date_from,
                    p.date_to,
                    p.days,
                    p.interest,
                    p.indemnity,
                    p.penalty_move_id,
                )
                for p in move.dunning_penalty_ids.sorted("date_from")
            ],
            [
                (d("2024-02-16"), d("2024-03-16"), 30, 119.18, 20.0, first),
                (d("2024-03-17"), d("2024-04-15"), 30, 119.18, 0.0, second),
            ],
        )
        # The computation is printed on the penalty invoice.
        self.assertIn("30 days", first.narration)
        self.assertIn("14.50 %", first.narration)
        # The data itself refuses a second live row for the same period (two
        # users invoicing at the same time).
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["dunning.penalty"].create(
                {
                    "move_id": move.id,
                    "penalty_move_id": second.id,
                    "date_from": d("2024-03-17"),
                    "date_to": d("2024-04-15"),
                }
            )
        # 3rd run on the same date: nothing new.
        with self.assertRaises(UserError):
            self._invoice_penalties("2024-04-15", user=collector)
        # A cancelled penalty invoice no longer counts: its period is free again.
        second.button_cancel()
        third = self._invoice_penalties("2024-04-15", user=collector)
        self.assertEqual(third.invoice_line_ids.mapped("price_unit"), [119.18])
        # The penalty invoice bears no penalty itself (no interest on interest).
        first.action_post()
        self.assertEqual(
            first.with_context(dunning_date="2024-12-31").dunning_penalty_total, 0.0
        )

    def test_invoice_per_debtor_and_currency(self):
        other = self._create_debtor("Other SA", with_contacts=False)
        a = self._invoice(self.debtor, 10000, "2024-02-15")
        b = self._invoice(self.debtor, 10000, "2024-02-15", currency=self.eur)
        c = self._invoice(self.debtor, 5000, "2024-03-01")
        e = self._invoice(other, 10000, "2024-02-15")
        invoices = self._invoice_penalties("2024-03-16", partners=self.debtor + other)
        self.assertEqual(len(invoices), 3)
        usd = invoices.filtered(
            lambda inv: inv.partner_id == self.debtor
            and inv.currency_id == self.company.currency_id
        )
        # a: 119.18; c: 5,000 x 14.50 % x 15 / 365 = 10,875 / 365 = 29.79
        self.assertEqual(usd.invoice_line_ids.mapped("price_unit"), [119.18, 29.79])
        self.assertEqual(set(usd.invoice_origin.split(", ")), {a.name, c.name})
        # From a selection of invoices: only those.
        d_move = self._invoice(other, 1000, "2024-03-01")
        selected = self._invoice_penalties("2024-04-15", moves=b + d_move)
        self.assertEqual(set(selected.mapped("invoice_origin")), {b.name, d_move.name})
        self.assertEqual(e.dunning_penalty_ids.mapped("date_to"), [d("2024-03-16")])

    def test_partner_total(self):
        self.company.dunning_indemnity_enabled = True
        self._invoice(self.debtor, 10000, "2024-02-15")
        self._invoice(self.debtor, 5000, "2024-03-01")
        paid = self._invoice(self.debtor, 5000, "2024-02-15")
        self._pay(paid, on=d("2024-03-01"))
        # Open invoices only: 119.18 + 40 EUR at 15/02 (1 USD = 2 EUR) 20.00,
        # and 5,000 x 14.50 % x 15 / 365 = 29.79 + 40 EUR at 01/03 (1 USD =
        # 4 EUR) 10.00: 178.97 USD.
        partner = self.debtor.with_context(dunning_date="2024-03-16")
        self.assertAlmostEqual(partner.dunning_penalty_total, 178.97)
        self.assertEqual(partner.dunning_penalty_currency_id, self.company.currency_id)

    def test_query_count_does_not_grow(self):
        self.company.dunning_indemnity_enabled = True

        def make(count):
            moves = self.env["account.move"]
            for index in range(count):
                currency = (self.company.currency_id, self.eur, self.chf)[index % 3]
                due = f"2024-02-{10 + index:02d}"
                moves |= self._invoice(
                    self.debtor, 1000 + index, due, currency=currency
                )
            return moves

        def queries(moves):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            moves.with_context(dunning_date="2024-04-01").mapped(
                "dunning_penalty_total"
            )
            return self.env.cr.sql_log_count - before

        few, many = make(3), make(12)
        queries(few)  # warm the caches (ormcache, registry...)
        self.assertEqual(queries(few), queries(many))

    def test_wizard_from_selection_and_rights(self):
        move = self._invoice(self.debtor, 10000, "2024-02-15")
        Wizard = self.env["dunning.penalty.invoice"]
        wizard = Wizard.with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"date": "2024-03-16"})
        self.assertEqual(wizard.move_ids, move)
        self.assertIn(move.name, wizard.preview)
        self.assertIn("119.18", wizard.preview)
        contact = self.debtor.child_ids[:1]
        wizard = Wizard.with_context(
            active_model="res.partner", active_ids=contact.ids
        ).create({"date": "2024-03-16"})
        self.assertEqual(wizard.partner_ids, self.debtor)
        # Billing users without the collections group do not see penalties.
        billing = new_test_user(
            self.env,
            login="penalty_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            move.with_user(billing).read(["dunning_penalty_total"])
        with self.assertRaises(AccessError):
            Wizard.with_user(billing).create({"date": "2024-03-16"})
