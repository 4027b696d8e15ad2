# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on the collections alias, played as raw e-mails through the gateway."""

from itertools import count

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tests.common import BaseCase

from ..engine import authentication
from .common import DunningCommon, d
from .test_incoming import RAW

DKIM_PASS = (
    "Authentication-Results: mx.mycompany.example; dkim=pass header.d=debtorsa.example"
)


class TestAuthenticationResults(BaseCase):
    def check(self, headers, sender="ap@debtor.example", authserv_id=None):
        return authentication.sender_authenticated(headers, sender, authserv_id)

    def test_header_forms(self):
        self.assertTrue(self.check(["mx.example; dkim=pass header.d=debtor.example"]))
        gmail = (
            "mx.google.com;\r\n       dkim=pass header.i=@debtor.example "
            "header.s=s1 header.b=Abc;\r\n       spf=pass (google.com: domain of "
            "ap@debtor.example designates 192.0.2.1 as permitted sender) "
            "smtp.mailfrom=ap@debtor.example;\r\n       dmarc=pass (p=NONE) "
            "header.from=debtor.example"
        )
        self.assertTrue(self.check([gmail]))
        parsed = authentication.parse(gmail)
        self.assertEqual(parsed.authserv_id, "mx.google.com")
        self.assertEqual(
            [(r.method, r.result) for r in parsed.results],
            [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")],
        )
        microsoft = (
            "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=debtor.example; "
            "dkim=none (message not signed) header.d=none;dmarc=none "
            "action=none header.from=debtor.example;"
        )
        self.assertEqual(authentication.parse(microsoft).authserv_id, "")
        self.assertTrue(self.check([microsoft]), "no authserv-id, spf passes")
        self.assertTrue(
            self.check(['mx.example 1; dkim/1 = pass header.d="DEBTOR.example"']),
            "version, spaces, quotes and case",
        )
        self.assertTrue(
            self.check(["mx.example; dkim=pass (good; a=b) header.d=debtor.example"]),
            "a comment holding ; and =",
        )
        self.assertFalse(self.check(["mx.example; none"]))
        self.assertFalse(self.check([]))
        self.assertFalse(self.check(["garbage ;;; = ="]))

    def test_what_does_not_authenticate(self):
        refused = {
            "spf fails": "mx.example; spf=fail smtp.mailfrom=ap@debtor.example",
            "softfail": "mx.example; spf=softfail smtp.mailfrom=debtor.example",
            "dkim of another domain": "mx.example; dkim=pass header.d=evil.example",
            "dkim of a look-alike": "mx.example; dkim=pass header.d=evildebtor.example",
            "dkim of a subdomain": "mx.example; dkim=pass header.d=mail.debtor.example",
            "spf of another domain": "mx.example; spf=pass smtp.mailfrom=x@ev.example",
            "the domain only in a comment": "mx.example; dkim=fail "
            "(header.d=debtor.example) header.d=evil.example",
            "dmarc alone": "mx.example; dmarc=pass header.from=debtor.example",
        }
        for label, header in refused.items():
            with self.subTest(label):
                self.assertFalse(self.check([header]))
        self.assertFalse(
            self.check(["mx.example; dkim=pass header.d=debtor.example"], sender="x"),
            "a sender without a domain",
        )

    def test_only_our_server_is_believed(self):
        ours = "mx.mycompany.example; spf=fail smtp.mailfrom=ap@debtor.example"
        forged = "mx.mycompany.example; dkim=pass header.d=debtor.example"
        self.assertFalse(self.check([ours, forged]), "the topmost header only")
        self.assertFalse(
            self.check([ours, forged], authserv_id="mx.mycompany.example"),
            "the topmost header of our server only",
        )
        relay = "relay.internal; dkim=pass header.d=debtor.example"
        self.assertFalse(
            self.check([relay], authserv_id="mx.mycompany.example"),
            "another server's word is not ours",
        )
        passed = "MX.mycompany.example; dkim=pass header.d=debtor.example"
        self.assertTrue(
            self.check(
                ["relay.internal; none", passed], authserv_id="mx.mycompany.example"
            ),
            "the topmost header with our authserv-id",
        )


@tagged("post_install", "-at_install")
class TestIncomingSecurity(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.debtor, 800, "2026-03-01")
        cls.env["mail.alias.domain"].create(
            {
                "name": "mycompany.example",
                "company_ids": [Command.link(cls.company.id)],
            }
        )
        cls.msgids = count(1)

    def _receive(
        self,
        body,
        subject="Facture",
        sender="ap@debtorsa.example",
        reply_to=None,
        headers=(),
        user=None,
    ):
        """Feed a raw e-mail to the gateway; return the incoming it made."""
        raw = RAW.format(
            headers="".join(f"{header}\n" for header in headers),
            sender=sender,
            to="catchall@mycompany.example"
            if reply_to
            else "recouvrement@mycompany.example",
            subject=subject,
            msgid=f"security-{next(self.msgids)}",
            extra=f"In-Reply-To: {reply_to}\n" if reply_to else "",
            body=body,
        )
        Thread = self.env["mail.thread"]
        if user:
            # The gateway runs as this user, as the mail cron does: sudo.
            Thread = Thread.with_user(user).sudo()
            self.assertEqual(Thread.env.company, user.company_id)
        Thread.with_context(mail_create_nolog=True).message_process(
            "dunning.incoming", raw
        )
        return self.env["dunning.incoming"].sudo().search([], order="id desc", limit=1)

    def _promises(self):
        return self.env["dunning.promise"].search([("partner_id", "=", self.debtor.id)])

    def _reminder_message_id(self):
        """Send the first reminder; return its Message-ID."""
        self._run("2026-03-06")
        return self._actions().message_id.message_id

    # ------------------------------------------------------------------
    # Promises
    # ------------------------------------------------------------------
    @freeze_time("2026-03-10")
    def test_forged_promise_to_the_alias_is_only_proposed(self):
        incoming = self._receive("Bonjour, nous réglerons le 31/12/2099.")
        self.assertEqual(incoming.partner_id, self.debtor)
        self.assertEqual(incoming.sender_check, "unverified")
        self.assertEqual(incoming.message_class, "promise")
        self.assertEqual(incoming.promise_date, d("2099-12-31"))
        self.assertEqual(incoming.state, "to_review")
        self.assertIn("2099-12-31", incoming.suggested_effect)
        self.assertIn("60 days", incoming.suggested_effect)
        self.assertFalse(self._promises(), "nothing recorded")
        # The collector sees it in "My collections today".
        todo = self.env["res.partner"]._dunning_todo_reasons([self.debtor.id])
        self.assertIn("e-mails to review", todo[self.debtor.id])
        self._run("2026-03-10")
        self.assertTrue(self._actions(), "the debtor is still chased")
        # A collector confirms: still beyond the longest promise.
        with self.assertRaisesRegex(UserError, "more than 60 days away"):
            incoming.action_confirm()
        self.assertEqual(incoming.state, "to_review")
        self.assertFalse(self._promises())
        # The collector agrees on a date with the debtor and confirms.
        incoming.promise_date = d("2026-04-15")
        incoming.action_confirm()
        self.assertEqual(incoming.state, "done")
        promise = self._promises()
        self.assertEqual(
            (promise.date, promise.state, promise.source),
            (d("2026-04-15"), "open", "email"),
        )

    @freeze_time("2026-03-10")
    def test_reject_applies_nothing(self):
        incoming = self._receive("Nous réglerons le 20/03/2026.")
        self.assertEqual(incoming.state, "to_review")
        incoming.action_reject()
        self.assertEqual(incoming.state, "done")
        self.assertIn("nothing applied", incoming.effect)
        self.assertFalse(self._promises())

    @freeze_time("2026-03-10")
    def test_reply_to_our_reminder_promising_in_20_days_is_applied(self):
        reminder = self._reminder_message_id()
        incoming = self._receive("Nous réglerons le 30/03/2026.", reply_to=reminder)
        self.assertEqual(incoming.sender_check, "reply")
        self.assertEqual(incoming.state, "done")
        promise = self._promises()
        self.assertEqual((promise.date, promise.state), (d("2026-03-30"), "open"))
        before = len(self._actions())
        self._run("2026-03-25")
        self.assertEqual(len(self._actions()), before, "the chase is paused")

    @freeze_time("2026-03-10")
    def test_reply_promising_in_200_days_goes_to_review(self):
        reminder = self._reminder_message_id()
        incoming = self._receive("Nous réglerons le 26/09/2026.", reply_to=reminder)
        self.assertEqual(incoming.sender_check, "reply")
        self.assertEqual(incoming.state, "to_review")
        self.assertIn("60 days", incoming.suggested_effect)
        self.assertFalse(self._promises())
        before = len(self._actions())
        self._run("2026-03-25")
        self.assertGreater(len(self._actions()), before, "still chased")

    @freeze_time("2026-03-10")
    def test_authenticated_sender_only_when_the_company_trusts_it(self):
        body = "Nous réglerons le 30/03/2026."
        incoming = self._receive(body, headers=[DKIM_PASS])
        self.assertEqual(incoming.sender_check, "unverified", "setting off")
        self.assertEqual(incoming.state, "to_review")
        self.assertFalse(self._promises())
        self.assertEqual(incoming.authentication_results, DKIM_PASS.split(": ", 1)[1])

        self.company.dunning_trust_authenticated = True
        refused = [
            "mx.mycompany.example; spf=fail smtp.mailfrom=ap@debtorsa.example",
            "mx.mycompany.example; dkim=pass header.d=evil.example",
        ]
        for header in refused:
            with self.subTest(header):
                incoming = self._receive(
                    body, headers=[f"Authentication-Results: {header}"]
                )
                self.assertEqual(incoming.state, "to_review")
        forged_below = self._receive(
            body,
            headers=[
                "Authentication-Results: mx.mycompany.example; dkim=none",
                DKIM_PASS,
            ],
        )
        self.assertEqual(forged_below.state, "to_review", "the topmost header only")
        self.company.dunning_authserv_id = "mx.mycompany.example"
        other_server = self._receive(
            body,
            headers=[
                "Authentication-Results: mx.evil.example; dkim=pass "
                "header.d=debtorsa.example"
            ],
        )
        self.assertEqual(other_server.state, "to_review", "not our authserv-id")
        self.assertFalse(self._promises())

        incoming = self._receive(body, headers=[DKIM_PASS])
        self.assertEqual(incoming.sender_check, "authenticated")
        self.assertEqual(incoming.state, "done")
        self.assertEqual(self._promises().date, d("2026-03-30"))

    def test_page_promise_beyond_the_cap_pauses_nothing(self):
        """The payment page creates its promise with source 'portal'."""
        today = d("2026-03-10")
        with freeze_time("2026-03-10"):
            Promise = self.env["dunning.promise"].sudo()
            far = Promise.create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.debtor.id,
                    "date": d("2026-09-26"),
                    "source": "portal",
                }
            )
            near = Promise.create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.debtor.id,
                    "date": d("2026-03-30"),
                    "source": "call",
                    "date_made": today,
                }
            )
        self.assertEqual(far.state, "to_review")
        self.assertEqual(near.state, "open", "a collector's own promise")
        near.action_cancel()
        self._run("2026-03-10")
        self.assertTrue(self._actions(), "a promise to review pauses nothing")
        far.action_refuse()
        self.assertEqual(far.state, "cancel")
        with freeze_time("2026-03-10"):
            again = Promise.create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.debtor.id,
                    "date": d("2026-09-26"),
                    "source": "portal",
                }
            )
        again.action_accept()
        self.assertEqual(again.state, "open")
        before = len(self._actions())
        self._run("2026-03-25")
        self.assertEqual(len(self._actions()), before, "accepted: paused")

    # ------------------------------------------------------------------
    # Disputes, out of office
    # ------------------------------------------------------------------
    def test_dispute_from_a_stranger_opens_nothing(self):
        incoming = self._receive(
            f"Nous contestons la facture {self.invoice.name}.",
            subject="Litige",
        )
        self.assertEqual(incoming.message_class, "dispute")
        self.assertEqual(incoming.move_ids, self.invoice)
        self.assertEqual(incoming.state, "to_review")
        self.assertIn(self.invoice.name, incoming.suggested_effect)
        self.assertFalse(self.debtor.dunning_dispute_ids)
        incoming.action_confirm()
        self.assertEqual(self.debtor.dunning_dispute_ids.move_ids, self.invoice)

    def test_out_of_office_sends_the_reminder_again_once(self):
        reminder = self._reminder_message_id()
        before = len(self._mails())
        forged = self._receive("Je suis absent du bureau.", subject="Absence")
        self.assertEqual(forged.state, "to_review")
        self.assertEqual(len(self._mails()), before, "a stranger sends nothing")
        for _i in range(5):
            incoming = self._receive(
                "Je suis absent du bureau jusqu'au 20 mars.",
                subject="Réponse automatique",
                reply_to=reminder,
            )
            self.assertEqual(incoming.message_class, "out_of_office")
            self.assertEqual(incoming.state, "done")
        mails = self._mails()
        self.assertEqual(len(mails), before + 1, "five replies, one e-mail")
        self.assertIn("boss@debtorsa.example", mails[-1].email_to)
        forged.action_confirm()
        self.assertEqual(len(self._mails()), before + 1, "not even confirmed")

    # ------------------------------------------------------------------
    # Sender and company
    # ------------------------------------------------------------------
    def test_company_is_the_debtors_not_the_gateway_users(self):
        other = self.env["res.company"].create({"name": "Other company"})
        other.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "other.example"}
        )
        user = new_test_user(
            self.env,
            login="gateway_other",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
            groups="base.group_user",
        )
        incoming = self._receive("Bonjour", user=user)
        self.assertEqual(incoming.partner_id, self.debtor)
        self.assertEqual(incoming.company_id, self.company)
        stranger = self._receive("Bonjour", sender="nobody@nowhere.example", user=user)
        self.assertEqual(stranger.state, "to_assign")
        self.assertEqual(stranger.company_id, self.company, "the alias' company")

    def test_an_internal_users_address_is_no_debtor(self):
        user = new_test_user(
            self.env,
            login="employee",
            email="employee@mycompany.example",
            groups="base.group_user",
        )
        self._invoice(user.partner_id, 100, "2026-03-01")
        incoming = self._receive(
            "Nous réglerons le 20/03/2026.", sender="employee@mycompany.example"
        )
        self.assertFalse(incoming.partner_id)
        self.assertEqual(incoming.state, "to_assign")

    def test_several_debtors_with_the_address_wait_for_a_collector(self):
        other = self._create_debtor("Twin SA", with_contacts=False)
        other.email = self.debtor.email
        self._invoice(other, 100, "2026-03-01")
        incoming = self._receive("Bonjour", sender=self.debtor.email)
        self.assertFalse(incoming.partner_id)
        self.assertEqual(incoming.state, "to_assign")
        other.email = "twin@twinsa.example"
        incoming = self._receive("Bonjour", sender=self.debtor.email)
        self.assertEqual(incoming.partner_id, self.debtor, "one debtor again")
