# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import ScoreCommon, d


@tagged("post_install", "-at_install")
class TestActionGrade(ScoreCommon):
    def test_actions_group_by_grade(self):
        before = self._actions()
        # Made before the debtor was scored: no grade.
        self.assertEqual(len(before), 2)
        self.assertFalse(before.grade_id)
        score = self._score()
        grade = score.grade_id
        self.assertTrue(grade)
        action = self.env["dunning.action"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "level_id": self.lvl_3.id,
                "scenario_id": self.scenario.id,
                "date": d("2026-07-01"),
            }
        )
        self.assertEqual(action.grade_id, grade)
        groups = dict(
            self.env["dunning.action"]._read_group(
                [("partner_id", "=", self.debtor.id)], ["grade_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {grade: 1, grade.browse(): 2})
        # The grade of the day the action was made: a later scoring leaves it.
        score.grade_id = False
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(action.grade_id, grade)

    def test_run_reminders_carry_the_grade(self):
        """The reminders a run inserts carry the debtor's grade of the day,
        given to the insert (not computed per reminder at the flush)."""
        grade = self._score().grade_id
        self.assertTrue(grade)
        # I5 (due 2026-07-31) is overdue: a reminder is due for it.
        run = self.env["dunning.run"].create({"date": d("2026-08-10")})
        plan, _lines = self.env["dunning.planner"]._compute_plan(
            self.company, run.date, self.debtor.ids
        )
        self.assertTrue(plan.proposals)
        self.assertEqual(run._create_actions(plan.proposals), len(plan.proposals))
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(run.action_ids.grade_id, grade)
        self.assertEqual(
            self.env["dunning.action"].search_count(
                [("run_id", "=", run.id), ("grade_id", "=", grade.id)]
            ),
            len(plan.proposals),
        )
