# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import d

from .common import ScoreCommon


@tagged("post_install", "-at_install")
class TestDataCheckGrade(ScoreCommon):
    """The data check of the debtors whose grade changed sharply."""

    def _check(self):
        self.env["dunning.data.issue"]._dunning_run_data_checks(self.company, self.ON)
        return self.env["dunning.data.issue"].search(
            [("company_id", "=", self.company.id), ("kind", "=", "grade_change")]
        )

    def _snapshot(self, partner, month, grade):
        return self.env["dunning.partner.score.history"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "month": month,
                "has_history": True,
                "score": 90,
                "grade_id": self.grades[grade].id,
            }
        )

    def test_grade_change(self):
        """Graded A in April, D now: found; B in April, C now: not found;
        the April snapshot brought to C: the issue is fixed."""
        self.assertEqual(self._score().grade_id.code, "D")
        snapshot = self._snapshot(self.debtor, d("2026-04-01"), "A")
        # A snapshot older than the trend's window is not compared.
        self._snapshot(self.debtor, d("2026-01-01"), "E")
        steady = self._create_debtor("Steady SA")
        self.Score.create(
            {
                "partner_id": steady.id,
                "company_id": self.company.id,
                "has_history": True,
                "score": 60,
                "grade_id": self.grades["C"].id,
            }
        )
        self._snapshot(steady, d("2026-04-01"), "B")
        issue = self._check()
        self.assertEqual(issue.partner_id, self.debtor)
        self.assertIn(self.grades["A"].name, issue.message)
        self.assertIn(self.grades["D"].name, issue.message)
        self.assertIn("fell", issue.message)
        self.assertEqual(issue.action_fix()["res_id"], self.debtor.id)
        # Run again: the same issue.
        self.assertEqual(self._check(), issue)
        self.assertEqual(issue.state, "open")
        snapshot.grade_id = self.grades["C"]
        self._check()
        self.assertEqual(issue.state, "fixed")
