# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DunningCommon, d

VIEWER = "account_dunning_advanced.group_dunning_viewer"


@tagged("post_install", "-at_install")
class TestRoles(DunningCommon):
    """A role for every department: the viewer reads, the legal team handles
    disputes and proceedings, a collector asks a colleague."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._new_user(
            "collector", "account_dunning_advanced.group_dunning_user"
        )
        # A salesperson-like employee who may edit contacts, with the viewer
        # right (given by a settings option in real life).
        cls.viewer = cls._new_user(
            "viewer", f"base.group_user,base.group_partner_manager,{VIEWER}"
        )
        cls.legal = cls._new_user(
            "lawyer",
            "base.group_user,account_dunning_advanced.group_dunning_legal",
        )
        cls.billing = cls._new_user("billing", "account.group_account_invoice")
        cls.invoice = cls._invoice(cls.debtor, 1000, "2026-03-01")
        cls.reason = cls.env.ref(
            "account_dunning_advanced.dunning_dispute_reason_price"
        )

    def _menu_ids(self, user):
        return set(self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())

    def test_viewer_reads_the_collections_tab(self):
        self._run("2026-03-10")
        self.assertEqual(self._actions().state, "done")
        self.env["dunning.promise"].create(
            {"partner_id": self.debtor.id, "date": d("2026-03-20"), "amount": 400}
        )
        self.env["dunning.dispute"].create(
            {"partner_id": self.debtor.id, "reason_id": self.reason.id}
        )
        debtor = self.debtor.with_user(self.viewer)
        form = debtor.get_views([(False, "form")])["views"]["form"]["arch"]
        arch = etree.fromstring(form)
        self.assertTrue(arch.xpath("//page[@name='dunning']"))
        # The viewer sees no button of the collector and no editable setting.
        self.assertFalse(arch.xpath("//button[@name='action_dunning_force_level']"))
        self.assertFalse(arch.xpath("//button[@name='action_dunning_ask_colleague']"))
        collector_node = arch.xpath("//field[@name='dunning_collector_id']")[0]
        self.assertEqual(collector_node.get("readonly"), "not dunning_can_edit")
        values = debtor.web_read(
            {
                "dunning_can_edit": {},
                "dunning_level_id": {"fields": {"display_name": {}}},
                "dunning_overdue_amount": {},
                "dunning_last_reminder_date": {},
                "dunning_open_promise_count": {},
                "dunning_open_dispute_count": {},
                "dunning_promise_ids": {"fields": {"amount": {}, "state": {}}},
                "dunning_action_ids": {"fields": {"state": {}}},
            }
        )[0]
        self.assertFalse(values["dunning_can_edit"])
        self.assertEqual(values["dunning_level_id"]["id"], self.lvl_1.id)
        self.assertEqual(values["dunning_overdue_amount"], 1000)
        self.assertEqual(values["dunning_last_reminder_date"], d("2026-03-10"))
        self.assertEqual(values["dunning_open_promise_count"], 1)
        self.assertEqual(values["dunning_open_dispute_count"], 1)
        self.assertEqual(values["dunning_promise_ids"][0]["amount"], 400)
        # The collector edits the same tab.
        self.assertTrue(self.debtor.with_user(self.collector).dunning_can_edit)
        arch_collector = etree.fromstring(
            self.debtor.with_user(self.collector).get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
        )
        self.assertTrue(
            arch_collector.xpath("//button[@name='action_dunning_force_level']")
        )

    def test_viewer_changes_nothing(self):
        debtor = self.debtor.with_user(self.viewer)
        with self.assertRaisesRegex(AccessError, "collections users"):
            debtor.write({"dunning_paused_until": "2026-04-30"})
        with self.assertRaises(AccessError):
            debtor.write({"dunning_collector_id": self.viewer.id})
        with self.assertRaises(AccessError):
            debtor.write({"dunning_opt_out": True, "dunning_opt_out_reason": "x"})
        with self.assertRaises(AccessError):
            self.env["dunning.promise"].with_user(self.viewer).create(
                {"partner_id": self.debtor.id, "date": d("2026-03-20"), "amount": 1}
            )
        with self.assertRaises(AccessError):
            debtor.action_dunning_force_level()
        with self.assertRaises(AccessError):
            debtor.action_dunning_ask_colleague()
        self.assertFalse(self.debtor.dunning_paused_until)
        self.assertFalse(self.debtor.dunning_opt_out)
        # Nor on a new customer; the form's empty collections fields are fine.
        Partner = self.env["res.partner"].with_user(self.viewer)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Opted out", "dunning_opt_out": True})
        new = Partner.create(
            {
                "name": "New customer",
                "dunning_opt_out": False,
                "dunning_promise_ids": [],
            }
        )
        self.assertFalse(new.dunning_opt_out)
        # The rest of the customer stays theirs to edit, roles of contacts too.
        debtor.write({"phone": "+33 1 23 45 67 89"})
        self.ap.with_user(self.viewer).write(
            {"dunning_role_ids": [Command.link(self.role_legal.id)]}
        )
        self.assertIn(self.role_legal, self.ap.dunning_role_ids)
        # A collector still writes.
        self.debtor.with_user(self.collector).write(
            {"dunning_paused_until": "2026-04-30", "dunning_pause_reason": "Call"}
        )
        self.assertEqual(self.debtor.dunning_paused_until, d("2026-04-30"))

    def test_menus(self):
        ref = self.env.ref
        root = ref("account_dunning_advanced.dunning_menu_root").id
        reports = ref("account_dunning_advanced.dunning_receivable_report_menu").id
        debtors = ref("account_dunning_advanced.res_partner_menu_debtor").id
        to_validate = ref("account_dunning_advanced.dunning_action_menu_to_validate").id
        legal = ref("account_dunning_advanced.dunning_legal_menu_root").id
        legal_disputes = ref("account_dunning_advanced.dunning_legal_dispute_menu").id
        viewer_menus = self._menu_ids(self.viewer)
        self.assertTrue({root, reports} <= viewer_menus)
        self.assertFalse({debtors, to_validate, legal} & viewer_menus)
        legal_menus = self._menu_ids(self.legal)
        self.assertTrue({root, legal, legal_disputes} <= legal_menus)
        self.assertFalse({debtors, to_validate} & legal_menus)
        collector_menus = self._menu_ids(self.collector)
        self.assertTrue({root, debtors, to_validate, legal} <= collector_menus)
        self.assertNotIn(root, self._menu_ids(self.billing))
        # The viewer reads the receivables analysis behind the dashboard.
        Report = self.env["dunning.receivable.report"].with_user(self.viewer)
        Report.search_read([], ["partner_id"], limit=1)

    def test_legal_handles_disputes_and_proceedings(self):
        dispute = self.env["dunning.dispute"].create(
            {"partner_id": self.debtor.id, "reason_id": self.reason.id}
        )
        dispute.with_user(self.legal).write({"description": "<p>Court file</p>"})
        self.assertIn("Court file", dispute.description)
        # The legal team settles a dispute on an invoice it cannot open.
        on_invoice = self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "reason_id": self.reason.id,
                "move_ids": [Command.set(self.invoice.ids)],
            }
        )
        on_invoice.with_user(self.legal).action_reject()
        self.assertEqual(on_invoice.state, "rejected")
        closed_note = self.invoice.message_ids.filtered(
            lambda m: on_invoice.name in (m.body or "") and "closed" in m.body
        )
        self.assertEqual(closed_note.author_id, self.legal.partner_id)
        proceeding = (
            self.env["dunning.proceeding"]
            .with_user(self.legal)
            .create(
                {
                    "partner_id": self.debtor.id,
                    "kind": "receivership",
                    "judgment_date": d("2026-03-15"),
                    "company_id": self.company.id,
                }
            )
        )
        proceeding.write({"court": "Tribunal de commerce de Lyon"})
        self.assertEqual(proceeding.court, "Tribunal de commerce de Lyon")
        with self.assertRaises(AccessError):
            dispute.with_user(self.viewer).write({"description": "<p>No</p>"})
        with self.assertRaises(AccessError):
            self.debtor.with_user(self.legal).write({"dunning_opt_out": True})

    def test_settings_option_accounting_users_see_collections(self):
        viewer_group = self.env.ref(VIEWER)
        self.assertNotIn(viewer_group, self.billing.groups_id)
        self.env["res.config.settings"].create(
            {"group_dunning_viewer_invoice": True}
        ).execute()
        self.assertIn(viewer_group, self.billing.groups_id)
        self.assertTrue(self.billing.has_group(VIEWER))
        self.assertTrue(
            self.env["res.config.settings"].create({}).group_dunning_viewer_invoice
        )
        self.debtor.with_user(self.billing).read(["dunning_level_id"])
        self.env["res.config.settings"].create(
            {"group_dunning_viewer_invoice": False}
        ).execute()
        self.assertNotIn(viewer_group, self.billing.groups_id)
        with self.assertRaises(AccessError):
            self.debtor.with_user(self.billing).read(["dunning_level_id"])
        # Who had it another way keeps it.
        self.assertIn(viewer_group, self.collector.groups_id)
        self.assertIn(viewer_group, self.viewer.groups_id)

    def test_ask_a_colleague_on_a_debtor(self):
        Wizard = self.env["dunning.ask.colleague"].with_user(self.collector)
        action = self.debtor.with_user(self.collector).action_dunning_ask_colleague()
        wizard = Wizard.with_context(**action["context"]).create(
            {
                "user_id": self.viewer.id,
                "question": "Did they accept the new price?",
                "date_deadline": d("2026-03-12"),
            }
        )
        wizard.action_ask()
        activity = self.debtor.activity_ids.filtered("dunning_question")
        self.assertEqual(activity.user_id, self.viewer)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        question = self.debtor.message_ids.filtered(
            lambda m: "Did they accept" in (m.body or "")
        )
        self.assertEqual(question.partner_ids, self.viewer.partner_id)
        # The colleague answers by marking the To-Do done: Odoo posts the
        # feedback in the debtor's chatter.
        activity.with_user(self.viewer).action_feedback(
            feedback="Yes, signed on 3 March."
        )
        self.assertFalse(self.debtor.activity_ids)
        self.assertTrue(
            self.debtor.message_ids.filtered(
                lambda m: "signed on 3 March" in (m.body or "")
                and m.author_id == self.viewer.partner_id
            )
        )

    def test_ask_a_colleague_on_a_dispute(self):
        dispute = self.env["dunning.dispute"].create(
            {"partner_id": self.debtor.id, "reason_id": self.reason.id}
        )
        action = dispute.with_user(self.collector).action_dunning_ask_colleague()
        self.env["dunning.ask.colleague"].with_user(self.collector).with_context(
            **action["context"]
        ).create({"user_id": self.legal.id, "question": "Can we sue?"}).action_ask()
        activity = dispute.activity_ids
        self.assertEqual(activity.user_id, self.legal)
        # A reply in the dispute's chatter reaches the debtor's chatter too.
        dispute.with_user(self.legal).message_post(
            body="Checking the contract first.", message_type="comment"
        )
        self.assertTrue(
            self.debtor.message_ids.filtered(
                lambda m: "Checking the contract first" in (m.body or "")
                and m.author_id == self.legal.partner_id
            )
        )
        # Not the collector's own notes.
        dispute.with_user(self.collector).message_post(
            body="Reminder sent again.", message_type="comment"
        )
        self.assertFalse(
            self.debtor.message_ids.filtered(
                lambda m: "Reminder sent again" in (m.body or "")
            )
        )
        activity.with_user(self.legal).action_feedback(feedback="Not before May.")
        self.assertTrue(
            dispute.message_ids.filtered(lambda m: "Not before May" in (m.body or ""))
        )
        answer = self.debtor.message_ids.filtered(
            lambda m: "Not before May" in (m.body or "")
        )
        self.assertEqual(answer.author_id, self.legal.partner_id)
        self.assertIn(dispute.name, answer.body)

    def test_ask_only_active_internal_users_of_the_company(self):
        portal = self._new_user("portal_debtor", "base.group_portal")
        other_company = self.setup_other_company(name="Elsewhere")["company"]
        outsider = self._new_user("outsider", "base.group_user")
        outsider.write(
            {
                "company_ids": [Command.set(other_company.ids)],
                "company_id": other_company.id,
            }
        )
        inactive = self._new_user("gone", "base.group_user")
        inactive.active = False
        action = self.debtor.with_user(self.collector).action_dunning_ask_colleague()
        Wizard = (
            self.env["dunning.ask.colleague"]
            .with_user(self.collector)
            .with_context(**action["context"])
        )
        for user in (portal, outsider, inactive):
            with self.assertRaises(UserError):
                Wizard.create({"user_id": user.id, "question": "?"}).action_ask()
        self.assertFalse(self.debtor.activity_ids)
        # Nor on a record of another company, whatever the wizard is told.
        dispute = self.env["dunning.dispute"].create(
            {
                "partner_id": self.debtor.id,
                "reason_id": self.reason.id,
                "company_id": other_company.id,
            }
        )
        with self.assertRaises(AccessError):
            self.env["dunning.ask.colleague"].with_user(self.collector).create(
                {
                    "res_model": "dunning.dispute",
                    "res_id": dispute.id,
                    "company_id": self.company.id,
                    "user_id": self.viewer.id,
                    "question": "?",
                }
            ).action_ask()
        self.assertFalse(dispute.activity_ids)
