# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestChannelPreferences(DunningCommon):
    """The debtor's preferred channels, through a real run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ap.mobile = "+33 6 12 34 56 78"
        cls.sms_first = cls.env.ref(
            "account_dunning_advanced.sms_template_dunning_first"
        )
        cls.lvl_1.write(
            {
                "channel_sms": True,
                "sms_template_id": cls.sms_first.id,
                "channel_letter": True,
            }
        )
        cls.other = cls._create_debtor("Other SARL")
        cls.other.child_ids.filtered("dunning_role_ids").mobile = "+33 6 00 00 00 02"

    def _prefer(self, partner, **channels):
        partner.write(
            {
                "dunning_channel_pref_ids": [
                    Command.create({"channel": key, "preference": preference})
                    for key, preference in channels.items()
                ]
            }
        )

    def _channels(self, action):
        return action.channel_ids.sorted("sequence").mapped("channel")

    # A Friday, 11:00 in Paris: the SMS may go out.
    @freeze_time("2026-03-06 10:00:00")
    def test_run_uses_preferences_per_debtor(self):
        """Two debtors in one batch: the one who avoids e-mail and refuses SMS
        gets a letter only, and the action says why; the other one gets the
        level's channels."""
        self._prefer(self.debtor, email="avoid")
        self.debtor.dunning_no_sms = True
        self._invoice(self.debtor, 500, "2026-03-01")
        self._invoice(self.other, 700, "2026-03-01")
        self._run("2026-03-06", execute=False)
        action = self._actions()
        self.assertEqual(self._channels(action), ["letter"])
        self.assertIn("Avoided by the debtor: E-mail", action.channel_note)
        self.assertIn("No SMS", action.channel_note)
        self.assertEqual(action.channels, "Letter")
        other = self._actions(self.other)
        self.assertEqual(self._channels(other), ["email", "sms", "letter"])
        self.assertIn("The level's channels", other.channel_note)
        # Sending it goes through the letter only: no e-mail, no SMS.
        action.action_execute()
        self.assertEqual(action.state, "done")
        self.assertFalse(self._mails())
        self.assertFalse(
            self.env["sms.sms"].search(
                [("partner_id", "in", self.debtor.child_ids.ids)]
            )
        )
        self.assertTrue(action.channel_ids.attachment_id, "the letter was printed")

    @freeze_time("2026-03-06 10:00:00")
    def test_explanation_in_the_company_language(self):
        """The run's user reads no language: the stored explanation is in
        the company's, as its reminders are."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "account_dunning_advanced")]
        )._update_translations(["fr_FR"], overwrite=True)
        self.company.partner_id.lang = "fr_FR"
        self._prefer(self.debtor, email="avoid")
        self._invoice(self.debtor, 500, "2026-03-01")
        self.env = self.env(context=dict(self.env.context, lang="en_US"))
        self._run("2026-03-06", execute=False)
        note = self._actions().channel_note
        self.assertNotIn("Avoided by the debtor", note)
        self.assertIn("débiteur", note)

    @freeze_time("2026-03-06 10:00:00")
    def test_preferred_contact_channel_and_fallback(self):
        """A contact the reminder reaches prefers SMS: SMS only. A debtor who
        avoids every channel of the level still gets the level's channels."""
        self._prefer(self.ap, sms="preferred")
        self._prefer(self.other, email="avoid", sms="avoid", letter="avoid")
        self._invoice(self.debtor, 500, "2026-03-01")
        self._invoice(self.other, 700, "2026-03-01")
        self._run("2026-03-06", execute=False)
        action = self._actions()
        self.assertEqual(self._channels(action), ["sms"])
        self.assertIn("Preferred by the debtor", action.channel_note)
        other = self._actions(self.other)
        self.assertEqual(self._channels(other), ["email", "sms", "letter"])
        self.assertIn("the level's channels are used", other.channel_note)

    @freeze_time("2026-03-06 10:00:00")
    def test_letter_only_debtor(self):
        self.debtor.dunning_letter_only = True
        self._invoice(self.debtor, 500, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(self._channels(action), ["letter"])
        self.assertIn("Letters only", action.channel_note)
        self.assertFalse(self._mails())

    # Friday 11:00 in Paris: the company's window is open, the debtor's
    # contact hours (14:00-16:00) are not; the SMS waits until 14:00.
    @freeze_time("2026-03-06 10:00:00")
    def test_contact_hours_delay_the_sms(self):
        self.debtor.write(
            {"dunning_contact_hour_from": 14.0, "dunning_contact_hour_to": 16.0}
        )
        self._invoice(self.debtor, 500, "2026-03-01")
        self._run("2026-03-06")
        sms = self._actions().channel_ids.filtered(lambda c: c.channel == "sms")
        self.assertEqual(sms.state, "todo")
        self.assertEqual(sms.scheduled_at, datetime(2026, 3, 6, 13, 0))
        # Without contact hours the SMS goes now.
        self._invoice(self.other, 700, "2026-03-01")
        self._run("2026-03-06")
        sms = self._actions(self.other).channel_ids.filtered(
            lambda c: c.channel == "sms"
        )
        self.assertEqual(sms.state, "done")

    def test_action_created_alone_follows_preferences(self):
        """An action created through the ORM (not by a run) gets its channels
        when it is sent: the same rules."""
        self.debtor.dunning_letter_only = True
        move = self._invoice(self.debtor, 500, "2026-03-01")
        action = self.env["dunning.action"].create(
            {
                "partner_id": self.debtor.id,
                "level_id": self.lvl_1.id,
                "currency_id": self.company.currency_id.id,
                "company_id": self.company.id,
                "line_ids": [Command.set(move.line_ids.filtered("date_maturity").ids)],
            }
        )
        self.assertFalse(action.channel_ids)
        action._ensure_channels()
        self.assertEqual(self._channels(action), ["letter"])
        self.assertIn("Letters only", action.channel_note)

    def test_contact_hours_checked(self):
        with self.assertRaises(ValidationError):
            self.debtor.write(
                {"dunning_contact_hour_from": 16.0, "dunning_contact_hour_to": 9.0}
            )

    def test_collector_edits_on_the_form_and_chatter_logs(self):
        """A collector sets the preferences on the debtor's form; the chatter
        keeps the trace."""
        collector = self._new_user(
            "pref_collector", "account_dunning_advanced.group_dunning_user"
        )
        debtor = self.debtor.with_user(collector).with_context(
            tracking_disable=False, mail_notrack=False
        )
        # The debtor was created in this transaction: start tracking afresh.
        self.env.cr.precommit.run()
        with Form(debtor) as form:
            form.dunning_no_sms = True
            with form.dunning_channel_pref_ids.new() as line:
                line.channel = "letter"
                line.preference = "preferred"
        self.assertTrue(self.debtor.dunning_no_sms)
        self.assertEqual(self.debtor.dunning_channel_pref_ids.channel, "letter")
        bodies = " ".join(self.debtor.message_ids.mapped("body"))
        self.assertIn("Channel preference set", bodies)
        self.env.cr.precommit.run()  # the tracking is written on commit
        self.debtor.invalidate_recordset(["message_ids"])
        tracked = self.debtor.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("dunning_no_sms", tracked)
        # One preference per channel and partner.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.debtor.dunning_channel_pref_ids.copy()
            self.env.flush_all()
