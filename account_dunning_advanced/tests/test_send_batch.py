# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import IrActionsReport as BaseReport

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestSendBatch(DunningCommon):
    """Executing many actions at once: what each debtor gets is what it would
    get alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.tpl_first.with_context(
            lang="fr_FR"
        ).subject = "Relance de paiement ({{ object.partner_id.name }})"
        cls.claire = cls.env["res.users"].create(
            {"name": "Claire Collector", "login": "claire", "email": "claire@x.example"}
        )
        cls.bruno = cls.env["res.users"].create(
            {"name": "Bruno Recouvreur", "login": "bruno", "email": "bruno@x.example"}
        )
        cls.debtor.dunning_collector_id = cls.claire
        cls.debtor_fr = cls._create_debtor(
            "Client Francais", lang="fr_FR", dunning_collector_id=cls.bruno.id
        )

    def _message(self, action):
        return action.message_id.sudo()

    def test_each_debtor_in_its_language_signed_by_its_collector(self):
        invoice = self._invoice(self.debtor, 100, "2026-03-01")
        invoice_fr = self._invoice(self.debtor_fr, 200, "2026-03-01")
        actions = self._draft_action(
            self.debtor, self.lvl_1, invoice
        ) | self._draft_action(self.debtor_fr, self.lvl_1, invoice_fr)

        def links(action):
            return [{"label": "Pay", "url": f"https://pay.example/{action.id}"}]

        Action = self.env.registry["dunning.action"]
        with patch.object(Action, "_dunning_get_links", links):
            actions._execute()
        english, french = actions
        self.assertEqual(actions.mapped("state"), ["done", "done"])
        self.assertEqual(
            self._message(french).subject,
            "Relance de paiement (Client Francais)",
            "the French debtor reads its reminder in French",
        )
        self.assertNotIn("Relance", self._message(english).subject)
        self.assertIn("Claire Collector", self._message(english).body)
        self.assertNotIn("Bruno", self._message(english).body)
        self.assertIn("Bruno Recouvreur", self._message(french).body)
        self.assertNotIn("Claire", self._message(french).body)
        for action in actions:
            self.assertIn(
                f"https://pay.example/{action.id}", self._message(action).body
            )
            self.assertEqual(
                self._message(action).author_id,
                action.partner_id.dunning_collector_id.partner_id,
            )
        mail_en, mail_fr = self._mails(self.debtor), self._mails(self.debtor_fr)
        self.assertEqual(mail_en.email_to, '"AP Debtor SA" <ap@debtorsa.example>')
        self.assertIn("ap@clientfrancais.example", mail_fr.email_to)
        self.assertIn(f"https://pay.example/{french.id}", mail_fr.body_html)
        self.assertEqual(mail_fr.state, "outgoing")
        # Each action's chatter says who was written to.
        self.assertIn("ap@clientfrancais.example", french.message_ids[0].body)

    def test_invoice_pdf_rendered_once_and_kept_as_the_invoice_pdf(self):
        self.scenario.level_ids.attach_invoices = True
        invoice = self._invoice(self.debtor, 100, "2026-03-01")
        other = self._invoice(self.debtor_fr, 50, "2026-03-01")
        printed = self._invoice(self.debtor_fr, 70, "2026-03-01")
        # An invoice Odoo already sent or printed: its PDF is the one attached.
        legal = self.env["ir.attachment"].create(
            {
                "name": "sent.pdf",
                "raw": b"%PDF-1.4 the invoice as sent",
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": printed.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        printed.invalidate_recordset(["invoice_pdf_report_id"])
        self.assertEqual(printed.invoice_pdf_report_id, legal)
        actions = (
            self._draft_action(self.debtor, self.lvl_1, invoice)
            | self._draft_action(self.debtor, self.lvl_2, invoice)
            | self._draft_action(self.debtor_fr, self.lvl_1, other | printed)
        )
        Report = self.env.registry["ir.actions.report"]
        original = Report._pre_render_qweb_pdf
        calls = []

        def pre_render(report, report_ref, res_ids=None, data=None):
            calls.append((report_ref, sorted(res_ids)))
            return original(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", pre_render):
            actions._execute()
        self.assertEqual(set(actions.mapped("state")), {"done"})
        self.assertEqual(
            calls,
            [
                (
                    "account.report_invoice_with_payments",
                    sorted((invoice | other).ids),
                )
            ],
            "the missing PDFs of the batch in one call, the printed one never",
        )
        (invoice | other).invalidate_recordset(["invoice_pdf_report_id"])
        pdf = invoice.invoice_pdf_report_id
        self.assertTrue(pdf, "kept as the invoice's PDF, as Odoo's sending does")
        self.assertEqual(pdf.name, invoice._get_invoice_report_filename())
        self.assertIn(invoice.name, pdf.raw.decode())
        first, second, third = (self._message(action) for action in actions)
        self.assertEqual(first.attachment_ids, pdf)
        self.assertEqual(second.attachment_ids, pdf)
        self.assertEqual(third.attachment_ids, other.invoice_pdf_report_id | legal)
        # What Odoo downloads as the invoice is that PDF.
        self.assertEqual(
            invoice._get_invoice_legal_documents("pdf")["content"], pdf.raw
        )
        # A later reminder reuses it, even once the invoice changed: the
        # legal PDF of an invoice is never rendered again.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET write_date = now() + interval '1 hour'"
                " WHERE id = %s",
                invoice.id,
            )
        )
        invoice.invalidate_recordset(["write_date"])
        calls.clear()
        later = self._draft_action(self.debtor, self.lvl_3, invoice)
        with patch.object(Report, "_pre_render_qweb_pdf", pre_render):
            later._execute()
        self.assertFalse(calls)
        self.assertEqual(self._message(later).attachment_ids, pdf)

    def test_invoice_pdfs_split_by_pages_else_one_by_one(self):
        """An unpatched wkhtmltopdf prints the invoices as one document,
        split by pages when each is one page; else each alone."""
        invoices = self.env["account.move"].union(
            *(self._invoice(self.debtor, 100 + i, "2026-03-01") for i in range(3))
        )
        runs = []

        def printer(extra_pages):
            def run(report, bodies, report_ref=False, **kwargs):
                # One page per invoice in the document, plus ``extra_pages``
                # when there are several.
                runs.append(bodies)
                count = sum(
                    body.count('data-oe-model="account.move"') for body in bodies
                )
                writer = PdfFileWriter()
                for _page in range(count + (extra_pages if count > 1 else 0)):
                    writer.add_blank_page(100, 100)
                stream = io.BytesIO()
                writer.write(stream)
                return stream.getvalue()

            return run

        Email = self.env["dunning.channel.email"].with_context(
            force_report_rendering=True
        )

        def render(extra_pages):
            runs.clear()
            with (
                patch.object(BaseReport, "_run_wkhtmltopdf", printer(extra_pages)),
                patch.object(BaseReport, "get_wkhtmltopdf_state", lambda r: "ok"),
                patch.object(
                    self.env.registry["ir.actions.report"],
                    "_dunning_wkhtmltopdf_patched",
                    lambda r: False,
                ),
            ):
                return Email._render_pdfs(
                    "account.report_invoice_with_payments", invoices
                )

        contents, report_type = render(0)
        self.assertEqual(report_type, "pdf")
        self.assertEqual(len(runs), 1, "one call of wkhtmltopdf for the three")
        self.assertEqual(len(runs[0]), 1, "as one document")
        for invoice in invoices:
            self.assertIn(invoice.name, runs[0][0])
        self.assertEqual(set(contents), set(invoices.ids))
        for content in contents.values():
            self.assertEqual(len(PdfFileReader(io.BytesIO(content)).pages), 1)
        # An invoice on two pages: the pages cannot be told apart, each
        # invoice is printed alone.
        contents, _type = render(1)
        self.assertEqual(len(runs), 4, "the three together, then each alone")
        self.assertEqual(set(contents), set(invoices.ids))

    def test_batch_render_is_odoo_render_each_debtor_its_own(self):
        actions = self._batch_of(3, "Render")
        template = self.lvl_1.mail_template_id
        Email = self.env["dunning.channel.email"]
        fields = ("subject", "body_html", "email_from", "reply_to")
        # The expressions compiled once for the batch...
        batch = Email._render_emails(template, actions)
        # ...render what Odoo renders record by record.
        for action in actions:
            alone = Email._render_context(
                template, action.partner_id
            )._generate_template(action.ids, fields)[action.id]
            self.assertEqual(batch[action.id]["subject"], alone["subject"])
            self.assertIn(action.partner_id.name, batch[action.id]["subject"])
            self.assertEqual(batch[action.id]["email_from"], alone["email_from"])
            # (followed by the action's links)
            self.assertTrue(
                str(batch[action.id]["body_html"]).startswith(str(alone["body_html"]))
            )

    def test_a_failing_action_leaves_the_others_sent(self):
        self.lvl_1.channel_letter = True
        nobody = self._create_debtor("Nobody Corp", with_contacts=False, email=False)
        paid = self._create_debtor("Paid Corp")
        invoices = [
            self._invoice(partner, 100, "2026-03-01")
            for partner in (self.debtor, nobody, self.debtor_fr, paid)
        ]
        actions = self.env["dunning.action"].union(
            *(
                self._draft_action(invoice.partner_id, self.lvl_1, invoice)
                for invoice in invoices
            )
        )
        self._pay(invoices[3])
        actions._execute()
        sent, failed, sent_fr, cancelled = actions
        self.assertEqual(actions.mapped("state"), ["done", "error", "done", "cancel"])
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(len(self._mails(self.debtor_fr)), 1)
        self.assertFalse(self._mails(nobody))
        self.assertFalse(self._mails(paid))
        by_channel = {c.channel: c for c in failed.channel_ids}
        self.assertEqual(by_channel["email"].state, "failed")
        self.assertEqual(by_channel["letter"].state, "done", "the letter still went")
        # Each action has its own letter, rendered with the others.
        letters = actions.channel_ids.filtered(lambda c: c.channel == "letter")
        self.assertEqual(len(letters.attachment_id), 3)
        self.assertEqual(
            letters.attachment_id.mapped("res_id"), (actions - cancelled).ids
        )
        self.assertIn("Client Francais", sent_fr.channel_ids.attachment_id.raw.decode())
        self.assertNotIn("Debtor SA", sent_fr.channel_ids.attachment_id.raw.decode())
        # Executing again sends only what failed: nothing twice.
        nobody.email = "accounts@nobody.example"
        failed.action_recompute_recipients()
        (sent | failed).action_execute()
        self.assertEqual(failed.state, "done")
        self.assertEqual(len(self._mails(nobody)), 1)
        self.assertEqual(len(self._mails(self.debtor)), 1)

    def _count_queries(self, size):
        """Return the queries of executing ``size`` reminders of as many debtors."""
        actions = self.env["dunning.action"]
        for index in range(size):
            partner = self._create_debtor(f"Batch {size} {index}")
            invoice = self._invoice(partner, 100, "2026-03-01")
            actions |= self._draft_action(partner, self.lvl_1, invoice)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        actions._execute()
        self.env.flush_all()
        self.assertEqual(set(actions.mapped("state")), {"done"})
        return self.env.cr.sql_log_count - start

    def test_queries_per_action_are_few(self):
        small, large = self._count_queries(5), self._count_queries(10)
        # What remains per action is its savepoints and status (one channel):
        # the render, the messages and the mails are per batch.
        self.assertLessEqual((large - small) / 5, 10, (small, large))

    def _batch_of(self, count, prefix):
        """``count`` draft reminders of as many new debtors, one invoice each."""
        actions = self.env["dunning.action"]
        for index in range(count):
            partner = self._create_debtor(f"{prefix} {index}")
            invoice = self._invoice(partner, 100, "2026-03-01")
            actions |= self._draft_action(partner, self.lvl_1, invoice)
        return actions

    def _failing_email(self, bad, error=None):
        """Patch the e-mail channel to raise for the actions ``bad``."""
        Email = self.env.registry["dunning.channel.email"]
        original = Email._execute

        def execute(channel, action):
            if action in bad:
                raise error or ValueError("render exploded")
            return original(channel, action)

        return patch.object(Email, "_execute", execute)

    def _assert_sent_once(self, actions):
        for action in actions:
            self.assertEqual(len(self._mails(action.partner_id)), 1, action.partner_id)
            self.assertEqual(
                self._mails(action.partner_id).mail_message_id, action.message_id
            )

    def test_batch_failure_fails_that_action_alone_and_reruns_send_nothing_twice(self):
        actions = self._batch_of(4, "Batch Fail")
        bad = actions[1]
        with self._failing_email(bad):
            actions._execute()
        good = actions - bad
        self.assertEqual(actions.mapped("state"), ["done", "error", "done", "done"])
        self.assertIn("render exploded", bad.error_message)
        email = bad.channel_ids.filtered(lambda c: c.channel == "email")
        self.assertEqual(email.state, "failed")
        self.assertIn("render exploded", email.error_message)
        self.assertFalse(bad.message_id)
        self.assertFalse(self._mails(bad.partner_id))
        self._assert_sent_once(good)
        # Each sent action's chatter has its e-mail note once (the rolled back
        # batch left nothing behind).
        for action in good:
            notes = action.message_ids.filtered(lambda m: "Reminder e-mailed" in m.body)
            self.assertEqual(len(notes), 1)
            # Untracked (the tests' default): a note of its own.
            self.assertFalse(notes.tracking_value_ids)
        # Running the whole batch again (as after a crash) sends only the
        # failed one: every channel done is never sent again.
        actions._execute()
        self.assertEqual(set(actions.mapped("state")), {"done"})
        self._assert_sent_once(actions)

    def test_more_failures_than_batch_attempts_send_the_rest_alone(self):
        actions = self._batch_of(5, "Batch Many")
        bad = actions[0] | actions[2] | actions[4]
        Action = self.env.registry["dunning.action"]
        with (
            patch.object(Action, "_dunning_batch_attempts", 2),
            self._failing_email(bad, UserError("no way")),
        ):
            actions._execute()
        self.assertEqual(
            actions.mapped("state"), ["error", "done", "error", "done", "error"]
        )
        for action in bad:
            self.assertEqual(action.error_message, "E-mail: no way")
            self.assertFalse(self._mails(action.partner_id))
        self._assert_sent_once(actions - bad)

    def test_batch_failing_at_its_flush_sends_each_action_alone(self):
        # Tracked (as the daily run): the flush logs the state changes.
        actions = self._batch_of(3, "Batch Flush").with_context(
            tracking_disable=False, mail_notrack=False
        )
        Action = self.env.registry["dunning.action"]
        original = Action._message_track
        failed = []

        def track(records, fields_iter, initial_values):
            if len(records) > 1:
                failed.append(records)
                raise ValueError("the batch's flush failed")
            return original(records, fields_iter, initial_values)

        with patch.object(Action, "_message_track", track):
            actions._execute()
        self.env.cr.flush()  # the tracking is logged before the commit
        self.assertTrue(failed, "the batch's flush failed once")
        self.assertEqual(set(actions.mapped("state")), {"done"})
        for action in actions:
            self.assertIn(
                "Done", action.message_ids.tracking_value_ids.mapped("new_value_char")
            )
        self._assert_sent_once(actions)

    def test_batch_logs_the_state_change_of_each_action(self):
        # The tests run without tracking; the daily run tracks.
        actions = self._batch_of(3, "Batch Track").with_context(
            tracking_disable=False, mail_notrack=False
        )
        actions._execute()
        self.env.flush_all()
        for action in actions:
            tracked = action.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state"
            )
            self.assertEqual(len(tracked), 1, action)
            self.assertEqual(tracked.old_value_char, "To validate")
            self.assertEqual(tracked.new_value_char, "Done")
            self.assertEqual(tracked.mail_message_id.message_type, "notification")
            # One message says it all: the e-mail's note is the body of the
            # message tracking the new state.
            notes = action.message_ids.filtered(lambda m: "Reminder e-mailed" in m.body)
            self.assertEqual(notes, tracked.mail_message_id)
            self.assertIn(action.partner_to_ids[:1].email, notes.body)

    def test_queries_do_not_grow_with_the_actions(self):
        small, large = self._count_queries(5), self._count_queries(10)
        # One savepoint, one flush and a few multi-row statements per batch:
        # nothing per action.
        self.assertLessEqual((large - small) / 5, 1, (small, large))
