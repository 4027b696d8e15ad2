# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from .res_company import SETUP_STEPS


class DunningDashboard(models.TransientModel):
    _inherit = "dunning.dashboard"

    setup_visible = fields.Boolean(compute="_compute_setup_steps")
    setup_progress = fields.Char(compute="_compute_setup_steps")
    setup_scenario_done = fields.Boolean(compute="_compute_setup_steps")
    setup_sender_done = fields.Boolean(compute="_compute_setup_steps")
    setup_mail_done = fields.Boolean(compute="_compute_setup_steps")
    setup_payment_done = fields.Boolean(compute="_compute_setup_steps")
    setup_payment_applies = fields.Boolean(compute="_compute_setup_steps")
    setup_penalty_done = fields.Boolean(compute="_compute_setup_steps")
    setup_collectors_done = fields.Boolean(compute="_compute_setup_steps")

    @api.depends("company_id")
    def _compute_setup_steps(self):
        is_manager = self.env.user.has_group(
            "account_dunning_advanced.group_dunning_manager"
        )
        for dashboard in self:
            steps = dashboard.company_id._dunning_setup_steps()
            applicable = {
                code: done for code, done in steps.items() if done is not None
            }
            done = sum(1 for value in applicable.values() if value)
            for code in SETUP_STEPS:
                dashboard[f"setup_{code}_done"] = bool(steps.get(code))
            dashboard.setup_payment_applies = steps.get("payment") is not None
            dashboard.setup_progress = self.env._(
                "%(done)s of %(total)s steps done", done=done, total=len(applicable)
            )
            dashboard.setup_visible = (
                is_manager
                and not dashboard.company_id.dunning_setup_closed
                and done < len(applicable)
            )

    # ------------------------------------------------------------------
    # The steps' buttons (not read-only: the scenario review and the close
    # write on the company)
    # ------------------------------------------------------------------
    def _setup_check(self):
        self.env["res.partner"]._dunning_check_group(
            "account_dunning_advanced.group_dunning_manager"
        )

    def action_setup_close(self):
        self._setup_check()
        self.company_id.sudo().dunning_setup_closed = True
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_setup_scenario_reviewed(self):
        self._setup_check()
        self.company_id.sudo().dunning_setup_scenario_reviewed = True
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_setup_scenario(self):
        """Open the default scenario of the company (its list without one)."""
        scenario = self.env["dunning.scenario"].search(
            [("is_default", "=", True), ("company_id", "=", self.company_id.id)],
            limit=1,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_scenario_action"
        )
        if scenario:
            action.update(res_id=scenario.id, views=[(False, "form")])
        return action

    def action_setup_sender(self):
        """Open the company: its e-mail signs the reminders' sender."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": self.company_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_setup_signature(self):
        """Open the user's preferences, where the e-mail signature is."""
        return self.env["res.users"].action_get()

    def action_setup_mail(self):
        issues = {i["code"] for i in self.company_id._dunning_setup_issues()}
        xmlid = (
            "base.action_ir_mail_server_list"
            if "mail_server" in issues
            else "mail.mail_alias_domain_action"
        )
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_setup_payment(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "payment.action_payment_provider"
        )

    def action_setup_penalty(self):
        """Open the penalty settings in a dialog while their mode is not
        chosen, the table of the interest rates afterwards (the step's other
        check: rates up to date)."""
        if self.company_id.dunning_penalty_mode == "none":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Penalties and rates"),
                "res_model": "res.config.settings",
                "views": [
                    (
                        self.env.ref(
                            "account_dunning_advanced."
                            "res_config_settings_view_form_dunning_penalty"
                        ).id,
                        "form",
                    )
                ],
                "target": "new",
            }
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.dunning_interest_rate_action"
        )
        missing = self.env["dunning.interest.rate"]._get_missing_half_years()
        if missing:
            # A new line starts on the first half-year without its rate.
            action["context"] = {"default_date_from": fields.Date.to_string(missing[0])}
        return action

    def action_setup_collectors(self):
        """Open the debtors with overdue invoices of the company without a
        collector."""
        debtors = self.company_id._dunning_debtors_without_collector()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_advanced.res_partner_action_debtor"
        )
        action["domain"] = [("id", "in", debtors.ids)]
        # Not only the user's own debtors (the menu's default filter).
        action["context"] = {"dunning_setup_help": True}
        action["display_name"] = self.env._("Debtors without a collector")
        return action

    def action_run_now(self):
        """Open today's run of the company (a new one when there is none to
        resume): its form starts it and shows its progress."""
        self.ensure_one()
        Run = self.env["dunning.run"]
        today = fields.Date.context_today(self.with_company(self.company_id))
        run = Run.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date", "=", today),
                ("state", "in", ("draft", "running", "failed")),
            ],
            limit=1,
        ) or Run.create({"company_id": self.company_id.id, "date": today})
        return {
            "type": "ir.actions.act_window",
            "res_model": "dunning.run",
            "res_id": run.id,
            "views": [(False, "form")],
            "target": "current",
        }
