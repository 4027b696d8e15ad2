# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Champion/challenger: the arms, the planner and the comparison."""

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from ..engine import challenger as engine
from .common import DunningCommon, d

START = "2026-01-01"


@tagged("post_install", "-at_install")
class TestChallenger(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.champion = cls.scenario
        cls.challenger = cls._create_scenario(
            "Quick", [("Quick", 2, cls.tpl_first, {}), ("Call", 12, cls.tpl_second, {})]
        )
        cls.quick = cls.challenger.level_ids.sorted("delay_days")[0]
        # Debtors of each arm at 50 %: their arm is known from their id.
        candidates = cls.env["res.partner"].create(
            [{"name": f"Debtor {i}", "is_company": True} for i in range(16)]
        )
        cls.by_arm = {"champion": [], "challenger": []}
        for partner in candidates:
            cls.by_arm[engine.arm_of(partner.id, cls.champion.id, 50)].append(partner)
        assert len(cls.by_arm["champion"]) >= 2 and len(cls.by_arm["challenger"]) >= 2

    def _start(self, share=50, start=START):
        self.champion.write(
            {
                "challenger_id": self.challenger.id,
                "challenger_share": share,
                "challenger_start": d(start),
            }
        )

    def _status(self, partner):
        return self.env["dunning.debtor.status"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def test_planner_chases_each_arm_with_its_scenario(self):
        """Six days after the due date: the champion's debtor gets nothing
        new beyond the champion's levels, the challenger's gets "Quick"."""
        champ, chal = self.by_arm["champion"][0], self.by_arm["challenger"][0]
        for partner in (champ, chal):
            self._invoice(partner, 1000, "2026-03-01")
        self._start()
        plan, _lines = self.env["dunning.planner"]._compute_plan(
            self.company, d("2026-03-07"), [champ.id, chal.id]
        )
        levels = {}
        for proposal in plan.proposals:
            levels.setdefault(proposal.partner_id, set()).add(proposal.level_id)
        self.assertEqual(levels[chal.id], {self.quick.id})
        self.assertEqual(levels[champ.id], {self.lvl_1.id})
        # Stored on the debtor's status: the arm, the champion, since when.
        status = self._status(chal)
        self.assertEqual(status.scenario_id, self.challenger)
        self.assertEqual(status.champion_id, self.champion)
        self.assertEqual(status.arm, "challenger")
        # Entered its arm when the test was set up (today's refresh), not on
        # the planner's dates after it.
        self.assertEqual(status.arm_since, fields.Date.context_today(status))
        self.assertEqual(self._status(champ).arm, "champion")
        self.assertEqual(self._status(champ).scenario_id, self.champion)
        chal.invalidate_recordset()
        self.assertEqual(chal.dunning_arm, "challenger")
        self.assertEqual(chal.dunning_champion_id, self.champion)
        # Before the start date, nobody is in the test.
        plan, _lines = self.env["dunning.planner"]._compute_plan(
            self.company, d("2025-12-31"), [chal.id]
        )
        self.assertFalse(self._status(chal).arm)
        self.assertEqual(self._status(chal).scenario_id, self.champion)

    def test_share_change_moves_only_the_debtors_needed(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Many {i}", "is_company": True} for i in range(60)]
        )
        Status = self.env["dunning.debtor.status"]
        Status._dunning_refresh(self.company, partners)
        self._start(share=20)
        before = {
            s.partner_id.id: s.arm
            for s in Status.search([("partner_id", "in", partners.ids)])
        }
        self.assertEqual(set(before.values()), {"champion", "challenger"})
        self.env.cr.execute(
            "UPDATE dunning_debtor_status SET arm_since = '2026-01-01' "
            "WHERE partner_id = ANY(%s)",
            [partners.ids],
        )
        Status.invalidate_model()
        self.champion.challenger_share = 40
        after = Status.search([("partner_id", "in", partners.ids)])
        moved = {s.partner_id.id for s in after if s.arm != before[s.partner_id.id]}
        expected = {
            p.id for p in partners if 20 <= engine.bucket(p.id, self.champion.id) < 40
        }
        self.assertTrue(expected)
        self.assertEqual(moved, expected)
        # Only the moved debtors start again; the others keep their date.
        for status in after:
            if status.partner_id.id in moved:
                self.assertEqual(status.arm, "challenger")
                self.assertNotEqual(status.arm_since, d("2026-01-01"))
            else:
                self.assertEqual(status.arm_since, d("2026-01-01"))

    def _reminder(self, partner, on, level=None):
        level = level or self.lvl_1
        return self.env["dunning.action"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "scenario_id": level.scenario_id.id,
                "currency_id": self.company.currency_id.id,
                "date": d(on),
                "state": "done",
            }
        )

    def _history(self):
        """Two debtors per arm, figures by hand (comparison on 2026-04-30).

        Champion A1: 1,000 due 01-10 paid 02-19 (40 days, 0 within 30);
        500 due 02-01 paid 02-11 (10 days, 500 within 30); 2 reminders
        since the start (and one before, not counted). A2: 1,000 due 01-15
        open (censored at 105 days), 3 reminders.
        Challenger B1: 1,000 due 01-10 paid 01-20 (10 days); 500 due 02-01
        paid 02-21 (20 days), 1 reminder. B2: 1,000 due 01-15, 600 paid on
        01-25, the rest open (censored at 105 days), 1 reminder.
        """
        a1, a2 = self.by_arm["champion"][:2]
        b1, b2 = self.by_arm["challenger"][:2]
        old = self._invoice(a1, 700, "2025-12-15")  # due before the start
        self._pay(old, on=d("2026-01-20"))
        self._pay(self._invoice(a1, 1000, "2026-01-10"), on=d("2026-02-19"))
        self._pay(self._invoice(a1, 500, "2026-02-01"), on=d("2026-02-11"))
        self._invoice(a2, 1000, "2026-01-15")
        self._pay(self._invoice(b1, 1000, "2026-01-10"), on=d("2026-01-20"))
        self._pay(self._invoice(b1, 500, "2026-02-01"), on=d("2026-02-21"))
        self._pay(self._invoice(b2, 1000, "2026-01-15"), 600, on=d("2026-01-25"))
        self._reminder(a1, "2025-12-20")
        for on in ("2026-01-15", "2026-02-05"):
            self._reminder(a1, on)
        for on in ("2026-01-20", "2026-02-10", "2026-03-10"):
            self._reminder(a2, on)
        self._reminder(b1, "2026-01-12", self.quick)
        self._reminder(b2, "2026-01-17", self.quick)
        self._start()
        self.env["dunning.debtor.status"]._dunning_refresh(
            self.company, a1 | a2 | b1 | b2
        )
        # Assigned at the start of the test (the daily run of 2026-01-01).
        self.env.cr.execute(
            "UPDATE dunning_debtor_status SET arm_since = %s WHERE champion_id = %s",
            [START, self.champion.id],
        )

    def test_comparison_by_hand(self):
        self._history()
        result = self.champion._dunning_challenger_compare(d("2026-04-30"))
        champion = result.arms["champion"]
        challenger = result.arms["challenger"]
        self.assertEqual(
            (
                champion["debtors"],
                champion["invoices"],
                champion["paid"],
                champion["open"],
            ),
            (2, 3, 2, 1),
        )
        self.assertEqual(
            (
                challenger["debtors"],
                challenger["invoices"],
                challenger["paid"],
                challenger["open"],
            ),
            (2, 3, 2, 1),
        )
        # Days to payment: mean on the paid, Kaplan-Meier with the open.
        self.assertEqual(result.days_mean.champion, 25)  # (40 + 10) / 2
        self.assertEqual(result.days_mean.challenger, 15)  # (10 + 20) / 2
        self.assertEqual(result.days_mean.diff, -10)
        # se = sqrt(450/2 + 50/2) = sqrt(250); df = 250^2 / (225^2 + 25^2)
        # = 1.22: t = 12.706 (1 degree of freedom), not significant.
        self.assertAlmostEqual(result.days_mean.se, 250**0.5)
        self.assertAlmostEqual(result.days_mean.low, -10 - 12.7062 * 250**0.5, places=2)
        self.assertFalse(result.days_mean.significant)
        self.assertEqual(result.days_km, (40, 20))
        # Within 30 days: 500 of 2,500 against 1,000 + 500 + 600 of 2,500.
        self.assertAlmostEqual(result.share_30.champion, 0.2)
        self.assertAlmostEqual(result.share_30.challenger, 0.84)
        # Reminders per 1,000 collected: 5 for 1,500 against 2 for 2,100.
        self.assertAlmostEqual(result.reminders_per_1000.champion, 5000 / 1500)
        self.assertAlmostEqual(result.reminders_per_1000.challenger, 2000 / 2100)
        self.assertEqual(result.verdict_days[0], "not_significant")
        html = str(
            self.champion.with_context(tz="UTC")._dunning_render_comparison(
                d("2026-04-30")
            )
        )
        self.assertIn("84.0 %", html)
        self.assertIn("No significant difference yet", html)

    def test_comparison_stored_daily_and_cleared_by_a_change(self):
        """The form shows the comparison stored by the daily job (or Compare
        now), in the reader's language; changing the test clears it."""
        self._history()
        self.assertFalse(self.champion.challenger_comparison, "not compared yet")
        self.champion._dunning_challenger_store(d("2026-04-30"))
        self.assertEqual(self.champion.challenger_result_date, d("2026-04-30"))
        stored = self.champion.challenger_result
        self.assertEqual(stored["arms"]["challenger"]["invoices"], 3)
        self.assertEqual(stored["verdict_days"][0], "not_significant")
        self.champion.invalidate_recordset()
        html = str(self.champion.with_context(tz="UTC").challenger_comparison)
        self.assertIn("84.0 %", html, "the stored figures, not measured again")
        self.assertIn("No significant difference yet", html)
        # The daily job measures every running test, as of today.
        with freeze_time("2026-05-04"):
            self.env["dunning.scenario"]._cron_dunning_challenger_compare()
        self.assertEqual(self.champion.challenger_result_date, d("2026-05-04"))
        # A change of the test: the figures measured the old one.
        self.champion.challenger_share = 60
        self.assertFalse(self.champion.challenger_result)
        self.assertFalse(self.champion.challenger_result_date)
        self.assertFalse(self.champion.challenger_comparison)
        # Compare now, as a collector reading the form.
        collector = new_test_user(
            self.env,
            login="challenger_reader",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with freeze_time("2026-05-05"):
            self.champion.with_user(collector).action_challenger_compare()
        self.assertEqual(self.champion.challenger_result_date, d("2026-05-05"))

    def test_stop_records_the_result_and_promote_takes_the_place(self):
        self._history()
        debtors = self.by_arm["challenger"][0] | self.by_arm["champion"][0]
        self.champion.action_challenger_stop()
        self.assertFalse(self.champion.challenger_id)
        message = self.champion.message_ids[:1]
        self.assertIn("stopped", message.body)
        self.assertIn("Reminders sent per 1,000 collected", message.body)
        self.assertIn("stopped", self.challenger.message_ids[:1].body)
        for partner in debtors:
            status = self._status(partner)
            self.assertFalse(status.arm)
            self.assertEqual(status.scenario_id, self.champion)
        # Promote: the challenger becomes the default, the champion is archived.
        self._start()
        self.champion.action_challenger_promote()
        self.assertFalse(self.champion.active)
        self.assertTrue(self.challenger.is_default)
        for partner in debtors:
            self.assertEqual(self._status(partner).scenario_id, self.challenger)

    def test_challenger_constraints(self):
        with self.assertRaises(ValidationError):
            self.champion.write(
                {"challenger_id": self.champion.id, "challenger_start": d(START)}
            )
        with self.assertRaises(ValidationError):
            self._start(share=100)
        other = self._create_scenario("Other", [("One", 5, self.tpl_first, {})])
        self._start()
        # A scenario in a test cannot be the challenger of another one.
        with self.assertRaises(ValidationError):
            other.write(
                {"challenger_id": self.challenger.id, "challenger_start": d(START)}
            )

    def test_only_a_manager_ends_a_test(self):
        self._start()
        user = self._new_user(
            "challenger_user", "account_dunning_advanced.group_dunning_user"
        )
        with self.assertRaises(AccessError):
            self.champion.with_user(user).action_challenger_stop()
        self.assertEqual(self.champion.challenger_id, self.challenger)
