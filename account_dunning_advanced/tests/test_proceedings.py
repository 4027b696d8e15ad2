# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Insolvency proceedings: the stay of the prior debts (L622-21), the interest
stopped at the judgment (L622-28), the proof of claim and its deadline
(R622-24), the BODACC import.

Rates (shipped table): 2024-H1 ECB 4.50 %, so the legal rate of a professional
is 14.50 %. Judgment on 01/03/2024, published in the BODACC on 10/03/2024.
"""

from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from ..engine import bodacc, penalties
from .common import DunningCommon, d

DATA = Path(__file__).parent / "data"


@tagged("post_install", "-at_install")
class TestProceedings(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": True,
                "dunning_indemnity_amount": 40.0,
                "dunning_indemnity_currency_id": cls.company.currency_id.id,
            }
        )
        cls.debtor.write({"company_registry": "123 456 789 00012", "is_company": True})
        # Prior to the judgment: one overdue, one not yet due.
        cls.overdue = cls._invoice(cls.debtor, 1000.0, "2024-01-31", d("2024-01-01"))
        cls.not_due = cls._invoice(cls.debtor, 500.0, "2024-03-15", d("2024-02-15"))
        # Born after the judgment: paid normally (L622-17).
        cls.later = cls._invoice(cls.debtor, 300.0, "2024-03-10", d("2024-03-05"))
        cls.representative = cls.env["res.partner"].create(
            {"name": "SELARL MJ Exemple", "is_company": True, "city": "Lyon"}
        )

    def _proceeding(self, **vals):
        return self.env["dunning.proceeding"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "kind": "receivership",
                "judgment_date": d("2024-03-01"),
                "bodacc_date": d("2024-03-10"),
                "court": "Tribunal de commerce de Lyon",
                "representative_id": self.representative.id,
                **vals,
            }
        )

    def _receivable(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_prior_debts_not_chased_later_ones_are(self):
        self._proceeding().action_confirm()
        self.assertTrue(self.debtor.dunning_in_proceedings)
        self.assertEqual(self.debtor.dunning_proceeding_date, d("2024-03-01"))
        self._run("2024-03-20", execute=False)
        actions = self._actions()
        self.assertTrue(actions, "the debt born after the judgment is chased")
        self.assertEqual(actions.line_ids, self._receivable(self.later))

    def test_without_proceedings_prior_debts_are_chased(self):
        # The same run without the judgment chases the prior debts too: the
        # test above is not passing by accident.
        self._run("2024-03-20", execute=False)
        self.assertIn(self._receivable(self.overdue), self._actions().line_ids)

    def test_only_prior_debts_skipped_reason(self):
        self.later.button_draft()
        self.later.button_cancel()
        self._proceeding().action_confirm()
        result, _lines = self.env["dunning.planner"]._compute_plan(
            self.company, d("2024-03-20"), self.debtor.ids
        )
        self.assertFalse(result.proposals)
        self.assertEqual(result.skipped[self.debtor.id], "proceedings")

    def test_confirm_cancels_pending_actions_with_reason(self):
        self._run("2024-02-10", execute=False)
        pending = self._actions(state="draft")
        self.assertTrue(pending)
        proceeding = self._proceeding()
        self.assertEqual(self._actions(state="draft"), pending, "to confirm: no effect")
        proceeding.action_confirm()
        self.assertEqual(set(pending.mapped("state")), {"cancel"})
        self.assertIn("L622-21", pending[0].note)
        self.assertIn(proceeding.name, pending[0].note)
        self.assertIn(
            self.env.ref(
                "account_dunning_advanced.dunning_contact_role_representative"
            ),
            self.representative.dunning_role_ids,
        )

    def test_interest_stops_at_judgment(self):
        on_date = d("2024-06-30")
        before = self.overdue.with_context(dunning_date=on_date)
        # Without proceedings: 01/02 - 30/06, 151 days at 14.50 %.
        self.assertAlmostEqual(before.dunning_penalty_interest, 59.99)
        self._proceeding().action_confirm()
        self.env.invalidate_all()
        # 01/02 - 29/02/2024: 29 days x 1000 x 14.50 / 36500 = 11.52.
        self.assertAlmostEqual(before.dunning_penalty_interest, 11.52)
        self.assertAlmostEqual(before.dunning_penalty_indemnity, 40.0)
        # Not late at the judgment: neither interest nor indemnity.
        not_due = self.not_due.with_context(dunning_date=on_date)
        self.assertEqual(not_due.dunning_penalty_interest, 0.0)
        self.assertEqual(not_due.dunning_penalty_indemnity, 0.0)
        # Born after: interest from 11/03, 112 days at 14.50 % on 300 = 13.35.
        later = self.later.with_context(dunning_date=on_date)
        self.assertAlmostEqual(later.dunning_penalty_interest, 13.35)
        self.assertAlmostEqual(later.dunning_penalty_indemnity, 40.0)

    def test_no_penalty_invoice_for_prior_debts(self):
        """L622-21: a prior debt is only claimed through the proof of claim."""
        Move = self.env["account.move"]
        on_date = d("2024-06-30")
        moves = self.overdue | self.later
        self.assertIn(
            self.overdue,
            [line["move"] for line in moves._dunning_penalty_to_invoice(on_date)],
        )
        self._proceeding().action_confirm()
        self.env.invalidate_all()
        lines = moves._dunning_penalty_to_invoice(on_date)
        self.assertEqual([line["move"] for line in lines], [self.later])
        self.assertTrue(self.overdue._dunning_stayed())
        self.assertFalse(self.later._dunning_stayed())
        self.assertFalse(Move.browse()._dunning_penalty_to_invoice(on_date))

    def test_stay_cutoff(self):
        judgment = d("2024-03-01")
        self.assertEqual(
            penalties.stay_cutoff(d("2024-06-30"), d("2024-01-01"), judgment),
            d("2024-02-29"),
        )
        self.assertEqual(
            penalties.stay_cutoff(d("2024-06-30"), judgment, judgment), d("2024-06-30")
        )
        self.assertEqual(
            penalties.stay_cutoff(d("2024-02-10"), d("2024-01-01"), judgment),
            d("2024-02-10"),
        )

    def test_claim_deadline_activity(self):
        proceeding = self._proceeding()
        proceeding.action_confirm()
        self.assertEqual(proceeding.claim_deadline, d("2024-05-10"))
        self.assertEqual(proceeding.late_claim_deadline, d("2024-09-10"))
        activity = proceeding.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, d("2024-05-10"))
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("account_dunning_advanced.mail_activity_type_dunning_claim"),
        )
        proceeding.action_close()
        self.assertFalse(proceeding.activity_ids)
        self.assertFalse(self.debtor.dunning_in_proceedings)

    def test_proof_of_claim(self):
        self.company.invoice_terms = "Clause de réserve de propriété : ..."
        proceeding = self._proceeding()
        proceeding.action_confirm()
        values = proceeding._dunning_claim_values()
        self.assertEqual(
            [row["move"] for row in values["rows"]], [self.overdue, self.not_due]
        )
        self.assertEqual(values["due"], 1000.0)
        self.assertEqual(values["not_due"], 500.0)
        self.assertEqual(values["interest"], 11.52)
        self.assertEqual(values["indemnity"], 40.0)
        self.assertEqual(values["total"], 1551.52)
        self.assertTrue(values["retention"])
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning_advanced.action_report_dunning_claim", proceeding.ids
        )
        text = html.decode()
        self.assertIn("Proof of claim", text)
        self.assertIn("SELARL MJ Exemple", text)
        self.assertIn(self.overdue.name, text)
        self.assertNotIn(self.later.name, text)
        for amount in ("1,000.00", "500.00", "11.52", "40.00", "1,551.52"):
            self.assertIn(amount, text)
        self.assertIn("reserve the title", text)

    def test_bodacc_import_matches_siren(self):
        with file_open(str(DATA / "bodacc_sample.json"), "rb") as sample:
            result = self.env["dunning.proceeding"]._dunning_import_bodacc(
                sample.read(), self.company
            )
        proceeding = result["proceedings"]
        self.assertEqual(proceeding.partner_id, self.debtor)
        self.assertEqual(proceeding.state, "to_confirm")
        self.assertEqual(proceeding.kind, "receivership")
        self.assertEqual(proceeding.judgment_date, d("2024-03-01"))
        self.assertEqual(proceeding.bodacc_date, d("2024-03-10"))
        self.assertEqual(proceeding.court, "TRIBUNAL DE COMMERCE DE LYON")
        self.assertEqual(proceeding.representative_text, "SELARL MJ Exemple")
        self.assertEqual(result["unmatched"], ["987654321"])
        self.assertEqual(result["ignored"], 2)
        # Proposed only: nothing stops until a collector confirms.
        self.assertFalse(self.debtor.dunning_in_proceedings)
        # The same file again proposes nothing new.
        with file_open(str(DATA / "bodacc_sample.json"), "rb") as sample:
            again = self.env["dunning.proceeding"]._dunning_import_bodacc(
                sample.read(), self.company
            )
        self.assertFalse(again["proceedings"])
        self.assertEqual(again["known"], 1)

    def test_bodacc_csv(self):
        with file_open(str(DATA / "bodacc_sample.csv"), "rb") as sample:
            result = self.env["dunning.proceeding"]._dunning_import_bodacc(
                sample.read(), self.company
            )
        self.assertEqual(result["proceedings"].kind, "safeguard")
        self.assertEqual(result["proceedings"].partner_id, self.debtor)

    def test_bodacc_malformed_or_unmatched(self):
        Proceeding = self.env["dunning.proceeding"]
        for content in (b"", b"not;a;bodacc\n1;2;3\n", b"[{broken json"):
            with self.assertRaises(UserError):
                Proceeding._dunning_import_bodacc(content, self.company)
        wizard = self.env["dunning.bodacc.import"].create(
            {"file": b"W10="}  # base64 of "[]"
        )
        with self.assertRaisesRegex(UserError, "No new proceedings"):
            wizard.action_import()

    def test_bodacc_siren_of_siret(self):
        self.assertEqual(bodacc.siren("123 456 789 00012"), "123456789")
        self.assertIsNone(bodacc.siren("12345"))

    def test_flagged_in_cockpit_alerts(self):
        proceeding = self._proceeding()
        alerts = self.env["dunning.dashboard"]._dunning_alerts(
            self.company, today=d("2024-03-12")
        )
        self.assertIn(("proceedings", self.debtor), alerts)
        proceeding.action_confirm()
        later = self.env["dunning.dashboard"]._dunning_alerts(
            self.company, today=d("2024-04-30")
        )
        self.assertNotIn(("proceedings", self.debtor), later)
