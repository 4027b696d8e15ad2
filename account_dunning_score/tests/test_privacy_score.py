# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import d

from .common import ScoreCommon


@tagged("post_install", "-at_install")
class TestScorePeople(ScoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.env["res.partner"].create({"name": "Jeanne Martin"})
        cls._history(
            cls.person,
            [(100, "2026-02-28", 30), (100, "2026-03-31", 45), (100, "2026-04-30", 0)],
        )
        cls.env["dunning.credit.rule"].create(
            {
                "name": "Everyone on hold",
                "policy": "hold",
                "grade_ids": [Command.set([grade.id for grade in cls.grades.values()])],
            }
        )

    def test_people_not_scored_by_default(self):
        self.assertFalse(self.company.dunning_score_people)
        self.assertNotIn(self.person.id, self.Score._partners_to_score(self.company))
        self.assertFalse(self._score(self.person))
        # The company debtor is scored as before.
        self.assertTrue(self._score(self.debtor))
        self.person.invalidate_recordset()
        self.assertFalse(self.person.dunning_grade_id)
        self.assertFalse(self.person.dunning_credit_policy)
        self.assertFalse(self.person.dunning_credit_message)
        self.assertIn("does not score people", self.person.dunning_score_explanation)
        self.assertEqual(self.debtor.dunning_credit_policy, "hold")

    def test_people_scored_when_allowed_then_removed(self):
        self.company.dunning_score_people = True
        self.assertIn(self.person.id, self.Score._partners_to_score(self.company))
        score = self._score(self.person)
        self.assertTrue(score)
        self.person.invalidate_recordset()
        self.assertTrue(self.person.dunning_grade_id)
        self.assertEqual(self.person.dunning_credit_policy, "hold")
        # Switched off: the next scoring removes the person's score.
        self.company.dunning_score_people = False
        self.assertIn(self.person.id, self.Score._partners_to_score(self.company))
        self.assertFalse(self._score(self.person))
        self.assertNotIn(self.person.id, self.Score._partners_to_score(self.company))


@tagged("post_install", "-at_install")
class TestScoreRetention(ScoreCommon):
    def test_purge_and_export_of_the_scores(self):
        self.company.dunning_score_people = True
        person = self.env["res.partner"].create({"name": "Old Customer"})
        self._history(person, [(100, "2023-01-31", 10)])
        self.Score._compute_scores(self.company, on_date=d("2023-03-31"))
        Score, History = self.Score, self.env["dunning.partner.score.history"]
        domain = [("partner_id", "=", person.id)]
        self.assertTrue(Score.search(domain))
        self.assertTrue(History.search(domain))
        # Right of access: the scores are in the export.
        action = person.action_dunning_export_personal_data()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        data = json.loads(attachment.raw)
        self.assertEqual(len(data["scores"]), 1)
        self.assertTrue(data["score_history"])
        # Settled in 2023, purged in 2026 (2 years): score and history go.
        counts = self.env["res.partner"]._dunning_retention_purge(
            self.company, d("2026-06-30")
        )
        self.assertIn((person.id, "dunning.partner.score.history"), counts)
        self.assertFalse(Score.search(domain))
        self.assertFalse(History.search(domain))
        # The company debtor keeps its score.
        self.assertTrue(Score.search([("partner_id", "=", self.debtor.id)]))
