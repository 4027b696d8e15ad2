# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scenario advisor split by the debtors' payment grade."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestAdvisorGrade(DunningCommon):
    """One e-mail-only scenario, two grades with opposite habits.

    Every invoice is due 2026-03-01 and reminded at level L1 on 2026-03-06
    (20 invoices per grade, over two debtors each): the A debtors pay 14
    days after the reminder, the E debtors never pay. Analysed 2026-06-30.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.graded = cls._create_scenario(
            "Graded",
            [("L1", 5, cls.tpl_first, {}), ("L2", 20, cls.tpl_second, {})],
        )
        cls.l1, cls.l2 = cls.graded.level_ids.sorted("delay_days")
        grades = cls.env["dunning.score.grade"]._by_code()
        cls.grade_a, cls.grade_e = grades["A"], grades["E"]
        cls.good = cls._debtors("Good", cls.grade_a)
        cls.bad = cls._debtors("Bad", cls.grade_e)
        cls.ungraded = cls._create_debtor("Ungraded", dunning_scenario_id=cls.graded.id)
        for debtor in cls.good:
            for move in cls._remind(debtor, 10):
                cls._pay(move, on=d("2026-03-20"))
        for debtor in cls.bad:
            cls._remind(debtor, 10)
        cls._remind(cls.ungraded, 1)

    @classmethod
    def _debtors(cls, name, grade):
        debtors = cls.env["res.partner"]
        for index in range(2):
            debtor = cls._create_debtor(
                f"{name} {index}", dunning_scenario_id=cls.graded.id
            )
            cls.env["dunning.partner.score"].create(
                {"partner_id": debtor.id, "company_id": cls.company.id,
                 "grade_id": grade.id, "has_history": True}
            )  # fmt: skip
            debtors |= debtor
        return debtors

    @classmethod
    def _remind(cls, debtor, count):
        """count invoices due 2026-03-01, reminded at L1 on 2026-03-06."""
        moves = cls.env["account.move"]
        for _index in range(count):
            moves |= cls._invoice(debtor, 100, "2026-03-01")
        cls.env["dunning.action"].create(
            {
                "partner_id": debtor.id,
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "level_id": cls.l1.id,
                "scenario_id": cls.graded.id,
                "date": d("2026-03-06"),
                "kind": "reminder",
                "state": "done",
                "line_ids": [
                    Command.set(
                        moves.line_ids.filtered(
                            lambda aml: aml.account_id.account_type
                            == "asset_receivable"
                        ).ids
                    )
                ],
            }
        )
        return moves

    def _analyse(self):
        self.env["dunning.scenario.analysis"]._dunning_analyse(
            self.company, d("2026-06-30")
        )
        return self.graded.advisor_analysis_id

    def test_segments_are_the_grades_in_one_query(self):
        partners = self.good | self.bad | self.ungraded
        self.env.flush_all()
        Scenario = self.env["dunning.scenario"]
        with self.assertQueryCount(1):
            segments = Scenario._dunning_advisor_segments(partners.ids, self.company)
        # Stored keys name no language: the nightly job's user is not the
        # reader.
        key_a, key_e = f"grade:{self.grade_a.id}", f"grade:{self.grade_e.id}"
        self.assertEqual(
            segments,
            {
                **dict.fromkeys(self.good.ids, key_a),
                **dict.fromkeys(self.bad.ids, key_e),
                self.ungraded.id: "grade:none",
            },
        )
        self.assertEqual(
            Scenario._dunning_advisor_segment_labels({key_a, "grade:none"}),
            {key_a: self.grade_a.name, "grade:none": "Not graded"},
        )
        other = self.env["res.company"].create({"name": "Ungraded Elsewhere SA"})
        self.assertEqual(
            set(Scenario._dunning_advisor_segments(self.good.ids, other).values()),
            {"grade:none"},
            "the grade of the company analysed",
        )

    def test_segment_labels_in_the_readers_language(self):
        """An analysis written by an English job reads in French for a
        French collector: the grade's name and "Not graded" alike."""
        analysis = self._analyse()
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", ("account_dunning_advanced", "account_dunning_score"))]
        )._update_translations(["fr_FR"], overwrite=True)
        self.grade_e.with_context(lang="fr_FR").name = "E (risque fort)"
        french = analysis.with_context(lang="fr_FR")
        labels = set(french.level_stat_ids.mapped("segment_label"))
        self.assertIn("E (risque fort)", labels)
        self.assertIn("Sans note", labels)
        self.assertIn("Tous les débiteurs", labels)
        self.assertIn(
            self.grade_e.name, set(analysis.level_stat_ids.mapped("segment_label"))
        )

    def test_opposite_grades_opposite_suggestions(self):
        analysis = self._analyse()
        self.assertEqual(analysis.invoice_count, 41)
        stats = {
            (stat.segment_label, stat.level_id): stat
            for stat in analysis.level_stat_ids
        }
        a_label, e_label = self.grade_a.name, self.grade_e.name
        self.assertEqual(
            set(stats),
            {
                ("All debtors", self.l1),
                (a_label, self.l1),
                (e_label, self.l1),
                ("Not graded", self.l1),
            },
        )
        self.assertEqual(stats[a_label, self.l1].reminder_count, 20)
        self.assertAlmostEqual(stats[a_label, self.l1].paid_15, 100.0)
        self.assertAlmostEqual(stats[e_label, self.l1].paid_15, 0.0)
        self.assertAlmostEqual(stats["All debtors", self.l1].paid_15, 100 * 20 / 41)
        self.assertEqual(stats["Not graded", self.l1].reminder_count, 1)
        # The whole scenario's first row, then the segments.
        self.assertEqual(analysis.level_stat_ids[0].segment_label, "All debtors")
        # E-mail gets no response from the E debtors only: a channel for
        # them; the A debtors pay after it, and so does half of the whole.
        self.assertEqual(
            [
                (s.segment_label, s.kind, s.level_id, s.channel)
                for s in analysis.suggestion_ids
            ],
            [(e_label, "channel", self.l1, "phone")],
        )
        suggestion = analysis.suggestion_ids
        self.assertEqual(suggestion.reminder_count, 20)
        # The curve of the whole scenario and one per segment.
        self.assertEqual(
            set(analysis.point_ids.mapped("segment_label")),
            {"All debtors", a_label},
            "E and the ungraded debtor never paid: no step",
        )
        svg = analysis.curve_svg
        self.assertEqual(svg.count("<polyline"), 2, "the whole's and A's")
        self.assertIn(a_label, svg)
        # The draft says which debtors it is for.
        action = suggestion.action_create_scenario()
        draft = self.env["dunning.scenario"].browse(action["res_id"])
        self.assertEqual(draft.name, f"Graded (suggested for {e_label})")
        self.assertTrue(draft.level_ids.filtered(lambda lvl: lvl.name == "L1")
                        .channel_phone)  # fmt: skip

    def test_one_grade_is_the_whole(self):
        self.env["dunning.partner.score"].search(
            [("partner_id", "in", self.bad.ids)]
        ).grade_id = self.grade_a
        self.env["dunning.partner.score"].create(
            {"partner_id": self.ungraded.id, "company_id": self.company.id,
             "grade_id": self.grade_a.id}
        )  # fmt: skip
        analysis = self._analyse()
        self.assertEqual(set(analysis.level_stat_ids.mapped("segment")), {False})
        self.assertEqual(set(analysis.point_ids.mapped("segment")), {False})
