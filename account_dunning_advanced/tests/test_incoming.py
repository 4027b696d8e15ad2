# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..engine import classifier
from .common import DunningCommon, d

RAW = """{headers}From: {sender}
To: {to}
Subject: {subject}
Message-Id: <{msgid}@debtor.example>
{extra}Date: Tue, 10 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""


class TestClassifier(BaseCase):
    def test_dates(self):
        today = date(2026, 3, 10)
        self.assertEqual(
            classifier.find_date("Virement le 20/03/2026.", today), date(2026, 3, 20)
        )
        self.assertEqual(
            classifier.find_date("payé le 15/03", today), date(2026, 3, 15)
        )
        self.assertEqual(
            classifier.find_date("réglé le 2 mars", today),
            date(2027, 3, 2),
            "a past day without a year is next year's",
        )
        self.assertEqual(
            classifier.find_date("paid on 12 April 2026", today), date(2026, 4, 12)
        )
        self.assertIsNone(classifier.find_date("nothing here", today))

    def test_references_and_rules(self):
        refs = ["FAC/2026/00012", "FAC/2026/00013"]
        self.assertEqual(
            classifier.find_references("facture fac-2026-00012 contestée", refs),
            ["FAC/2026/00012"],
        )
        rules = [(1, "absent du bureau"), (2, "litige|contest")]
        self.assertEqual(classifier.classify("Nous contestons", rules), 2)
        self.assertIsNone(classifier.classify("Bonjour", rules))
        self.assertEqual(classifier.classify("x", [(3, "(")]), None, "bad regex")


@tagged("post_install", "-at_install")
class TestIncoming(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.debtor, 800, "2026-03-01")
        # The alias domain of the company: e-mails to recouvrement@ are its.
        cls.env["mail.alias.domain"].create(
            {
                "name": "mycompany.example",
                "company_ids": [Command.link(cls.company.id)],
            }
        )

    def _receive(
        self,
        body,
        subject="Re: relance",
        sender=None,
        reply_to=None,
        n=1,
        headers=(),
    ):
        extra = f"In-Reply-To: {reply_to}\n" if reply_to else ""
        raw = RAW.format(
            headers="".join(f"{header}\n" for header in headers),
            sender=sender or self.ap.email,
            # A reply goes to the reply-to of the reminder (the catchall).
            to="catchall@mycompany.example"
            if reply_to
            else "recouvrement@mycompany.example",
            subject=subject,
            msgid=f"incoming-{n}",
            extra=extra,
            body=body,
        )
        self.env["mail.thread"].with_context(mail_create_nolog=True).message_process(
            "dunning.incoming", raw
        )
        return self.env["dunning.incoming"].search([], order="id desc", limit=1)

    def test_promise_to_the_alias(self):
        # An e-mail to the alias acts at once only from an authenticated
        # sender, when the company trusts its mail server's checks.
        self.company.dunning_trust_authenticated = True
        incoming = self._receive(
            "Bonjour, nous réglerons la facture le 25/03/2026. Cordialement",
            headers=[
                "Authentication-Results: mx.mycompany.example; dkim=pass "
                "header.d=debtorsa.example"
            ],
        )
        self.assertEqual(incoming.sender_check, "authenticated")
        self.assertEqual(incoming.partner_id, self.debtor, "found by the sender")
        self.assertEqual(incoming.message_class, "promise")
        self.assertEqual(incoming.promise_date, d("2026-03-25"))
        promise = self.debtor.dunning_promise_ids
        self.assertEqual((promise.date, promise.source), (d("2026-03-25"), "email"))
        self.assertEqual(incoming.state, "done")
        self.assertIn(incoming, self.debtor.dunning_incoming_ids, "on the debtor")
        found = self.env["dunning.incoming"].search([("body", "ilike", "25/03/2026")])
        self.assertEqual(found, incoming, "searchable")
        self._run("2026-03-10")
        self.assertFalse(self._actions(), "paused by the promise")

    def test_reply_to_a_reminder_opens_a_dispute(self):
        self._run("2026-03-06")
        reminder = self._actions().message_id
        incoming = self._receive(
            f"Nous contestons la facture {self.invoice.name}: quantité erronée.",
            reply_to=reminder.message_id,
        )
        self.assertEqual(incoming.partner_id, self.debtor)
        self.assertEqual(incoming.message_class, "dispute")
        self.assertEqual(incoming.move_ids, self.invoice)
        dispute = self.debtor.dunning_dispute_ids
        self.assertEqual(dispute.move_ids, self.invoice)
        self.assertEqual(dispute.state, "open")
        replies = self.debtor.message_ids.filtered(
            lambda m: m.parent_id == reminder and "contestons" in (m.body or "")
        )
        self.assertEqual(len(replies), 1, "the reply is in the debtor's chatter")

    def test_out_of_office_writes_to_the_decision_maker(self):
        self._run("2026-03-06")
        before = len(self._mails())
        # An automatic reply to the reminder (our Message-ID): trusted.
        incoming = self._receive(
            "Je suis absent du bureau jusqu'au 20 mars.",
            subject="Réponse automatique",
            reply_to=self._actions().message_id.message_id,
        )
        self.assertEqual(incoming.message_class, "out_of_office")
        mails = self._mails()
        self.assertEqual(len(mails), before + 1)
        self.assertIn("boss@debtorsa.example", mails[-1].email_to)

    def test_tricky_promises_in_french_and_english(self):
        incoming = self._receive(
            "Bonjour, nous vous réglerons vendredi 12 sans faute.", n=4
        )
        self.assertEqual(incoming.message_class, "promise")
        self.assertEqual(incoming.promise_date.day, 12)
        english = self._receive("Hello, we will pay on 12 April 2026.", n=5)
        self.assertEqual(english.message_class, "promise")
        self.assertEqual(english.promise_date, d("2026-04-12"))

    def test_malformed_message_is_queued_not_lost(self):
        self.env["mail.thread"].message_process(
            "dunning.incoming", "this is not an e-mail at all\n\nbut it has text"
        )
        incoming = self.env["dunning.incoming"].search([], order="id desc", limit=1)
        self.assertEqual(incoming.state, "to_assign")
        self.assertIn("it has text", incoming.message_ids[0].body)

    def test_unknown_sender_waits_for_a_collector(self):
        incoming = self._receive("Hello", sender="stranger@nowhere.example")
        self.assertEqual(incoming.state, "to_assign")
        self.assertFalse(incoming.partner_id)

    def test_correction_is_kept_and_copy_request(self):
        incoming = self._receive(
            "Pouvez-vous nous envoyer une copie de la facture ?", n=2
        )
        self.assertEqual(incoming.message_class, "copy_request")
        self.assertEqual(incoming.state, "new", "waits for validation")
        incoming.action_send_copies()
        self.assertEqual(incoming.state, "done")
        sent = incoming.message_ids.filtered("attachment_ids")
        self.assertEqual(len(sent.attachment_ids), 2, "invoice and statement")
        other = self._receive("Nous contestons le montant.", n=3)
        rule = self.env.ref("account_dunning_advanced.dunning_message_rule_dispute")
        self.assertEqual(other.rule_id, rule)
        other.message_class = "payment"
        self.assertTrue(other.corrected)
        self.assertEqual(other.class_by_rules, "dispute", "what the rules said")
        self.env.flush_all()
        rule.invalidate_recordset()
        self.assertEqual((rule.match_count, rule.correction_count), (1, 1))
