# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon


@tagged("post_install", "-at_install")
class TestListGrade(DunningCommon):
    """The debtors' list grouped by the grade its column shows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grades = cls.env["dunning.score.grade"]._by_code()
        cls.good = cls.grades["B"]
        cls.poor = cls.grades["E"]
        cls.no_history = cls.grades["none"]

    def _score(self, partner, grade, company=None):
        return self.env["dunning.partner.score"].create(
            {
                "partner_id": partner.id,
                "company_id": (company or self.company).id,
                "grade_id": grade.id,
                "has_history": True,
            }
        )

    def _groups(self, fname, partners, env=None):
        """{group value: debtors} of the debtors' list grouped by fname."""
        Partner = (env or self.env)["res.partner"]
        domain = [("dunning_has_overdue", "=", True), ("id", "in", partners.ids)]
        result = Partner.web_read_group(domain, [fname], [fname], lazy=True)
        groups = {
            group[fname][0] if group[fname] else False: Partner.search(
                group["__domain"]
            )
            for group in result["groups"]
        }
        # The column, computed in a new request, shows the same.
        Partner.env.invalidate_all()
        for value, debtors in groups.items():
            for debtor in debtors:
                self.assertEqual(debtor[fname].id, value, debtor.name)
        return groups

    def test_group_by_grade(self):
        poor = self._create_debtor("Poor Payer", with_contacts=False)
        new = self._create_debtor("New Customer", with_contacts=False)
        person = self.env["res.partner"].create({"name": "Jean Martin"})
        debtors = self.debtor | poor | new | person
        for partner in debtors:
            self._invoice(partner, 1000, "2026-03-01")
        self._score(self.debtor, self.good)
        self._score(poor, self.poor)
        self._score(person, self.poor)
        self.assertTrue(person.dunning_natural_person)
        self.company.dunning_score_people = False
        self.assertEqual(
            self._groups("dunning_grade_id", debtors),
            {
                self.good.id: self.debtor,
                self.poor.id: poor,
                self.no_history.id: new,
                # A person the company does not score: no grade.
                False: person,
            },
        )
        self.company.dunning_score_people = True
        self.assertEqual(
            self._groups("dunning_grade_id", debtors)[self.poor.id], poor | person
        )
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [("id", "in", debtors.ids), ("dunning_grade_id", "=", self.poor.id)]
            ),
            poor | person,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", debtors.ids), ("dunning_grade_id", "ilike", "history")]
            ),
            new,
        )

    def test_grade_of_another_company(self):
        company_b = self.setup_other_company(name="Grades B")["company"]
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._score(self.debtor, self.poor)
        self._score(self.debtor, self.good, company=company_b)
        env_b = self.env(
            context=dict(
                self.env.context, allowed_company_ids=[company_b.id, self.company.id]
            )
        )
        self.assertEqual(
            self._groups("dunning_grade_id", self.debtor, env=env_b),
            {self.good.id: self.debtor},
        )
        self.assertEqual(
            self._groups("dunning_grade_id", self.debtor),
            {self.poor.id: self.debtor},
        )

    def test_group_by_scenario_after_the_grade_changed(self):
        """A grade rule: the nightly score changes the grade, no hook
        resolves the scenario again; the grouping does, like the column."""
        strict = self._create_scenario(
            "Poor payers",
            [("Call", 10, self.tpl_first, {})],
            rule_ids=[(0, 0, {"grade_ids": [(6, 0, self.poor.ids)]})],
        )
        self._invoice(self.debtor, 1000, "2026-03-01")
        score = self._score(self.debtor, self.good)
        self._run("2026-03-10")
        self.assertEqual(
            self._groups("dunning_effective_scenario_id", self.debtor),
            {self.scenario.id: self.debtor},
        )
        score.grade_id = self.poor
        self.env.invalidate_all()
        self.assertEqual(
            self._groups("dunning_effective_scenario_id", self.debtor),
            {strict.id: self.debtor},
        )
