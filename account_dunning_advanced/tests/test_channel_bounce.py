# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import DunningCommon

DSN = """Return-Path: <>
Received: by mx.mycompany.example (Postfix) id 93A83A5F0D;
    Fri,  6 Mar 2026 11:00:00 +0100 (CET)
Date: Fri, 6 Mar 2026 11:00:00 +0100 (CET)
From: MAILER-DAEMON@mx.mycompany.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {to}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="BOUNDARY"
Message-Id: <{msgid}@mx.mycompany.example>

This is a MIME-encapsulated message.

--BOUNDARY
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{bounced}>: host mx.debtor.example said: 550 No such
    person at this address. (in reply to RCPT TO command)

--BOUNDARY
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.mycompany.example
X-Postfix-Queue-ID: 92726A5F09
Arrival-Date: Fri, 6 Mar 2026 10:59:00 +0100 (CET)

Final-Recipient: rfc822; {bounced}
Original-Recipient: rfc822;{bounced}
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 No such person at this address.

--BOUNDARY
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: credit@mycompany.example
To: {bounced}
Subject: Payment reminder
Message-Id: {original}

--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestChannelBounce(DunningCommon):
    """A bounced reminder e-mail switches its contact to letters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lvl_1.channel_letter = False
        cls.lvl_2.channel_letter = True
        cls.collector = cls._new_user(
            "bounce_collector", "account_dunning_advanced.group_dunning_user"
        )
        cls.debtor.with_company(cls.company).dunning_collector_id = cls.collector
        cls.env["mail.alias.domain"].create(
            {"name": "mycompany.example", "company_ids": [Command.link(cls.company.id)]}
        )

    def _bounce(self, original, bounced, n=1):
        raw = DSN.format(
            to="bounce@mycompany.example",
            msgid=f"dsn-{n}",
            bounced=bounced,
            original=original,
        )
        self.env["mail.thread"].message_process(False, raw)

    def _reminder(self):
        self._invoice(self.debtor, 900, "2026-03-01")
        with freeze_time("2026-03-06 10:00:00"):
            self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.message_id.message_id)
        return action

    def test_bounce_switches_the_contact_to_letters(self):
        action = self._reminder()
        self._bounce(action.message_id.message_id, self.ap.email)
        self.assertEqual(self.ap.dunning_bounced_email, self.ap.email)
        self.assertEqual(
            sorted(
                self.ap.dunning_channel_pref_ids.mapped(
                    lambda p: (p.channel, p.preference, p.source)
                )
            ),
            [("email", "avoid", "bounce"), ("letter", "preferred", "bounce")],
        )
        activity = self.debtor.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn(self.ap.email, activity.summary)
        self.assertIn(
            "could not be delivered", " ".join(self.debtor.message_ids.mapped("body"))
        )
        # The next level goes by letter to this debtor, and says why.
        with freeze_time("2026-03-21 10:00:00"):
            self._run("2026-03-21", execute=False)
        second = self._actions(level_id=self.lvl_2.id)
        self.assertEqual(second.channel_ids.mapped("channel"), ["letter"])
        self.assertIn("Preferred by the debtor", second.channel_note)
        # Once per address: a second bounce of it changes nothing more.
        self._bounce(action.message_id.message_id, self.ap.email, n=2)
        self.assertEqual(len(self.debtor.activity_ids), 1)
        # A new address lifts the letters the bounce imposed.
        self.ap.email = "new-ap@debtorsa.example"
        self.assertFalse(self.ap.dunning_channel_pref_ids)
        self.assertFalse(self.ap.dunning_bounced_email)

    def test_bounce_of_another_message_is_ignored(self):
        """A bounce that does not refer to one of our reminders, or names an
        address that is not the debtor's, changes nothing."""
        action = self._reminder()
        note = self.debtor.message_post(body="Not a reminder")
        self._bounce(note.message_id, self.ap.email)
        self._bounce("<forged-123@elsewhere.example>", self.ap.email, n=2)
        self._bounce(action.message_id.message_id, "stranger@elsewhere.example", n=3)
        self.assertFalse(self.ap.dunning_channel_pref_ids)
        self.assertFalse(self.ap.dunning_bounced_email)
        self.assertFalse(self.debtor.activity_ids)
