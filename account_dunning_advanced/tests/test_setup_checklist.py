# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestSetupChecklist(DunningCommon):
    def _steps(self):
        return self.company._dunning_setup_steps()

    def _dashboard(self):
        return self.env["dunning.dashboard"].create({"company_id": self.company.id})

    def test_scenario_reviewed_by_button(self):
        self.assertFalse(self._steps()["scenario"])
        dashboard = self._dashboard()
        action = dashboard.action_setup_scenario()
        self.assertEqual(action["res_id"], self.scenario.id)
        dashboard.action_setup_scenario_reviewed()
        self.assertTrue(self._steps()["scenario"])
        # The button saved the cockpit: the breadcrumb names the screen.
        self.assertEqual(dashboard.display_name, f"Cockpit of {self.company.name}")
        # Reviewed, but no default scenario any more: not done.
        self.scenario.is_default = False
        self.assertFalse(self._steps()["scenario"])

    def test_sender(self):
        self.env.user.signature = False
        self.assertFalse(self._steps()["sender"])
        self.env.user.signature = "<p>Marie, service recouvrement</p>"
        self.assertTrue(self._steps()["sender"])
        self.company.email = False
        self.assertFalse(self._steps()["sender"])

    def test_mail(self):
        self.env["ir.mail_server"].sudo().search([]).unlink()
        self.company.alias_domain_id = False
        self.assertFalse(self._steps()["mail"])
        self.env["ir.mail_server"].sudo().create(
            {"name": "SMTP", "smtp_host": "smtp.example.com"}
        )
        self.assertFalse(self._steps()["mail"])
        self.company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "collections.example.com"}
        )
        self.assertTrue(self._steps()["mail"])

    def test_penalty(self):
        self.env["dunning.interest.rate"].sudo().search([]).unlink()
        self.company.dunning_penalty_mode = "legal"
        self.assertFalse(self._steps()["penalty"])
        missing = self.env["dunning.interest.rate"]._get_missing_half_years()
        self.assertTrue(missing)
        self.env["dunning.interest.rate"].create(
            [
                {
                    "date_from": date_from,
                    "ecb_rate": 2.15,
                    "legal_rate_professional": 3.16,
                    "legal_rate_consumer": 6.65,
                }
                for date_from in missing
            ]
        )
        self.assertTrue(self._steps()["penalty"])
        self.company.dunning_penalty_mode = "none"
        self.assertFalse(self._steps()["penalty"])

    def test_payment_provider(self):
        done = self._steps()["payment"]
        if "payment.provider" not in self.env:
            self.assertIsNone(done)
            return
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search([("company_id", "=", self.company.id)])
        )
        providers.write({"state": "disabled"})
        self.assertFalse(self._steps()["payment"])
        self.env["payment.provider"].sudo().create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.company.id,
            }
        )
        self.assertTrue(self._steps()["payment"])

    def test_collectors_current_company_only(self):
        self.assertTrue(self._steps()["collectors"])
        other = self.setup_other_company(name="Checklist B")["company"]
        stranger = self._create_debtor("Stranger SA", with_contacts=False)
        self._invoice(stranger, 300, "2026-01-10", company=other)
        # Overdue in another company only: not this company's concern.
        self.assertTrue(self._steps()["collectors"])
        self._invoice(self.debtor, 300, "2026-01-10")
        self.assertFalse(self._steps()["collectors"])
        self.assertEqual(self.company._dunning_debtors_without_collector(), self.debtor)
        # A collector who cannot work in this company does not count.
        outsider = new_test_user(
            self.env,
            login="checklist_outsider",
            groups="account_dunning_advanced.group_dunning_user",
            company_id=other.id,
            company_ids=[other.id],
        )
        self.debtor.dunning_collector_id = outsider
        self.assertFalse(self._steps()["collectors"])
        self.debtor.dunning_collector_id = self._new_user(
            "checklist_collector", "account_dunning_advanced.group_dunning_user"
        )
        self.assertTrue(self._steps()["collectors"])
        action = self._dashboard().action_setup_collectors()
        self.assertEqual(action["domain"], [("id", "in", [])])

    def test_panel_visibility(self):
        dashboard = self._dashboard()
        self.assertTrue(dashboard.setup_visible)
        self.assertIn("of", dashboard.setup_progress)
        dashboard.action_setup_close()
        self.assertFalse(self._dashboard().setup_visible)
        collector = self._new_user(
            "checklist_user", "account_dunning_advanced.group_dunning_user"
        )
        self.company.dunning_setup_closed = False
        self.assertFalse(
            self.env["dunning.dashboard"].with_user(collector).create({}).setup_visible
        )

    def test_run_now_opens_the_run(self):
        action = self._dashboard().action_run_now()
        run = self.env["dunning.run"].browse(action["res_id"])
        self.assertEqual((run.company_id, run.state), (self.company, "draft"))
        # Again: the same run of the day, not a second one.
        self.assertEqual(self._dashboard().action_run_now()["res_id"], run.id)

    def test_penalty_step_opens_the_missing_half_year(self):
        """Once the mode is chosen, the step opens the rates' table with a
        new line on the first half-year without its rate."""
        self.env["dunning.interest.rate"].sudo().search([]).unlink()
        self.company.dunning_penalty_mode = "legal"
        missing = self.env["dunning.interest.rate"]._get_missing_half_years()
        action = self._dashboard().action_setup_penalty()
        self.assertEqual(action["res_model"], "dunning.interest.rate")
        self.assertEqual(action["context"]["default_date_from"], str(missing[0]))
        self.company.dunning_penalty_mode = "none"
        action = self._dashboard().action_setup_penalty()
        self.assertEqual(action["res_model"], "res.config.settings")
        self.assertEqual(action["target"], "new")


@tagged("post_install", "-at_install")
class TestSetupChecklistTour(DunningCommon, HttpCase):
    def test_tour_checklist(self):
        manager = self._new_user(
            "checklist_tour",
            "base.group_user,account_dunning_advanced.group_dunning_manager",
            password="checklist_tour",
        )
        self.company.dunning_setup_scenario_reviewed = False
        self.start_tour(
            "/odoo/action-account_dunning_advanced.dunning_dashboard_action",
            "account_dunning_advanced_setup_checklist",
            login=manager.login,
        )
        self.assertTrue(self.company.dunning_setup_scenario_reviewed)
        self.assertTrue(
            self.env["dunning.run"].search([("company_id", "=", self.company.id)])
        )

    def test_tour_penalty_step_dialog(self):
        """The penalty step opens the penalty settings alone in a dialog;
        saving it sets the company's mode (the settings page itself cannot
        open on its collections block)."""
        admin = self._new_user(
            "checklist_penalty",
            "base.group_user,base.group_system,account.group_account_manager,"
            "account_dunning_advanced.group_dunning_manager",
            password="checklist_penalty",
        )
        self.company.dunning_penalty_mode = "none"
        self.start_tour(
            "/odoo/action-account_dunning_advanced.dunning_dashboard_action",
            "account_dunning_advanced_setup_penalty",
            login=admin.login,
        )
        self.assertEqual(self.company.dunning_penalty_mode, "legal")
