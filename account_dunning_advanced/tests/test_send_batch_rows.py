# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo.tests import tagged

from .common import DunningCommon


def _spaces(html):
    """``html`` with its non-breaking spaces as plain spaces."""
    html = str(html)
    for space in ("&nbsp;", "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}"):
        html = html.replace(space, " ")
    return html


@tagged("post_install", "-at_install")
class TestSendBatchRows(DunningCommon):
    """The rows a batch of reminders writes in a few statements are the ones
    the ORM writes: chatter messages, queued e-mails, tracking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.tpl_first.with_context(
            lang="fr_FR"
        ).subject = "Relance de paiement ({{ object.partner_id.name }})"
        cls.debtor_fr = cls._create_debtor("Client Francais", lang="fr_FR")
        cls.debtor_en = cls._create_debtor("Other Debtor", lang="en_US")
        cls.debtor.lang = "en_US"

    def _action(self, partner):
        invoice = self._invoice(partner, 1234.56, "2026-03-01")
        return self._draft_action(partner, self.lvl_1, invoice)

    def test_three_debtors_two_languages_messages_mails_and_tracking(self):
        debtors = self.debtor | self.debtor_fr | self.debtor_en
        actions = self.env["dunning.action"].union(
            *(self._action(debtor) for debtor in debtors)
        )
        # Tracked, as the daily run.
        actions.with_context(tracking_disable=False, mail_notrack=False)._execute()
        self.env.flush_all()
        self.assertEqual(set(actions.mapped("state")), {"done"})
        Email = self.env["dunning.channel.email"]
        note = self.env.ref("mail.mt_note")
        message_ids = set()
        for action in actions:
            debtor = action.partner_id
            message = action.message_id.sudo()
            french = debtor == self.debtor_fr
            # The chatter message on the debtor, as the ORM writes it.
            self.assertEqual((message.model, message.res_id), (debtor._name, debtor.id))
            self.assertIn(message, debtor.sudo().message_ids, "the debtor's chatter")
            self.assertEqual(message.message_type, "email_outgoing")
            self.assertEqual(message.subtype_id, note)
            self.assertEqual(
                message.author_id,
                Email._get_signatory(debtor).partner_id or self.company.partner_id,
            )
            self.assertEqual(message.record_name, debtor.display_name)
            self.assertIn(f"-{debtor.id}-res.partner", message.message_id)
            self.assertNotIn(message.message_id, message_ids, "one Message-Id each")
            message_ids.add(message.message_id)
            self.assertFalse(message.partner_ids, "the recipients are the e-mail's")
            self.assertFalse(message.notification_ids)
            # Each body in the debtor's language.
            amount = "1 234,56" if french else "1,234.56"
            other = "1,234.56" if french else "234,56"
            self.assertIn(amount, _spaces(message.body))
            self.assertNotIn(other, _spaces(message.body))
            if french:
                self.assertEqual(
                    message.subject, "Relance de paiement (Client Francais)"
                )
            else:
                self.assertNotIn("Relance", message.subject)
            # Its e-mail in the queue, to the debtor's accounts payable.
            mail = self._mails(debtor)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.mail_message_id, message)
            self.assertEqual(mail.state, "outgoing")
            self.assertTrue(mail.is_notification)
            self.assertFalse(mail.auto_delete)
            ap = debtor.child_ids.filtered(
                lambda c: self.role_accounting in c.dunning_role_ids
            )
            self.assertEqual(mail.email_to, ap.email_formatted)
            self.assertFalse(mail.email_cc)
            self.assertEqual(mail.email_from, message.email_from)
            self.assertEqual(mail.reply_to, message.reply_to)
            self.assertIn(amount, _spaces(mail.body_html))
            self.assertEqual(mail.subject, message.subject)
            # The action's chatter: the new state tracked, with the note.
            tracked = action.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state"
            )
            self.assertEqual(tracked.new_value_char, "Done")
            self.assertEqual(tracked.mail_message_id.subtype_id, note)
            self.assertIn("Reminder e-mailed", tracked.mail_message_id.body)
            self.assertIn(ap.email, tracked.mail_message_id.body)

    def test_message_body_sanitized_the_mail_as_rendered(self):
        action = self._action(self.debtor)
        to = self.ap
        values = {
            "subject": "Hello",
            "body_html": Markup("<p>Pay <b>now</b></p><script>alert(1)</script>"),
        }
        items = [
            {
                "record": action,
                "thread": self.debtor,
                "to": to,
                "cc": self.env["res.partner"],
                "attachments": self.env["ir.attachment"],
                "values": values,
            }
            for _index in range(2)
        ]
        messages = self.env["dunning.channel.email"]._create_emails(items)
        self.assertEqual(len(messages), 2)
        for message in messages:
            self.assertIn("<p>Pay <b>now</b></p>", message.body)
            self.assertNotIn("script", message.body, "the chatter is sanitized")
        self.assertEqual(len(self._mails(self.debtor)), 2)
        self.assertEqual(
            set(self._mails(self.debtor).mapped("mail_message_id")), set(messages)
        )
