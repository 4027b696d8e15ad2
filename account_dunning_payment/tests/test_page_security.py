# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import hmac as hmac_tool

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon
from odoo.addons.base.models.ir_actions_report import IrActionsReport

from ..models.dunning_payment_token_attempt import MAX_FAILURES

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4 proof of delivery"


@tagged("post_install", "-at_install")
class TestCollectionsSecurity(DunningCommon, HttpCase):
    """Hostile visitors of the payment page: every attack played for real."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.debtor.lang = "en_US"
        cls.inv_1 = cls._invoice(cls.debtor, 1000, today - timedelta(days=30))
        cls.inv_2 = cls._invoice(cls.debtor, 250, today - timedelta(days=10))
        cls.invoices = cls.inv_1 | cls.inv_2
        cls.company_2 = cls.setup_other_company(name="Other Co")["company"]
        cls.token = cls.env["dunning.payment.token"]._dunning_create_token(
            cls.debtor, cls.company
        )
        cls.reason = cls.env["dunning.dispute.reason"].search([], limit=1)
        cls.demo = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo").sudo()
        cls.unknown_method = cls.env.ref("payment.payment_method_unknown").sudo()
        cls.offered = cls._provider("Offered Provider")
        cls.other_offered = cls._provider(
            "Other Offered Provider", methods=cls.unknown_method
        )
        (cls.demo_method | cls.unknown_method).active = True
        # Odoo's demo provider as a production install has it: disabled.
        cls.demo.write(
            {
                "state": "disabled",
                "company_id": cls.company.id,
                "is_published": True,
                "payment_method_ids": [Command.set(cls.demo_method.ids)],
            }
        )

    @classmethod
    def _provider(cls, name, methods=None, **vals):
        return cls.demo.copy(
            {
                "name": name,
                "company_id": cls.company.id,
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set((methods or cls.demo_method).ids)],
                **vals,
            }
        )

    def _url(self, suffix="", token=None):
        return f"/collections/{token or self.token}{suffix}"

    def _csrf(self):
        return CSRF_RE.search(self.url_open(self._url()).text)[1]

    def _post(self, suffix, data, files=None, csrf=None):
        data = dict(data, csrf_token=csrf or self._csrf())
        return self.url_open(
            self._url(suffix), data=data, files=files, allow_redirects=False
        )

    def _transaction(self, invoices=None, **params):
        """The JSON request of the payment form, with a valid access token:
        only the payment choice in ``params`` can be refused."""
        invoices = invoices or self.invoices
        amount = sum(invoices.mapped("amount_residual"))
        ids_key = "-".join(str(i) for i in sorted(invoices.ids))
        access_token = hmac_tool(
            self.env(su=True),
            "generate_access_token",
            f"{self.debtor.id}|{amount}|{invoices.currency_id.id}|{ids_key}",
        )
        values = {
            "provider_id": self.offered.id,
            "payment_method_id": self.demo_method.id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/",
            "is_validation": False,
            "access_token": access_token,
            **params,
        }
        response = self.url_open(
            self._url(f"/transaction/{ids_key}"),
            data=json.dumps({"jsonrpc": "2.0", "id": 1, "params": values}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Traceback", response.text)
        return response.json()

    def _transactions(self):
        return self.env["payment.transaction"].search(
            [("invoice_ids", "in", self.invoices.ids)]
        )

    def _assert_nothing_paid(self):
        self.assertFalse(self._transactions())
        self.invoices.invalidate_recordset()
        for invoice in self.invoices:
            self.assertEqual(invoice.payment_state, "not_paid")

    # ------------------------------------------------------------------
    # 1. Only what the company offers
    # ------------------------------------------------------------------
    def test_transaction_refuses_what_the_page_does_not_offer(self):
        unpublished = self._provider("Unpublished", is_published=False)
        foreign = self._provider("Foreign", company_id=self.company_2.id)
        capped = self._provider("Capped", maximum_amount=100.0)
        saved = self.env["payment.token"].create(
            {
                "provider_id": self.offered.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": self.debtor.id,
                "provider_ref": "debtor-card",
                "payment_details": "4242",
            }
        )
        attacks = {
            "disabled demo": {"provider_id": self.demo.id},
            "unpublished": {"provider_id": unpublished.id},
            "other company": {"provider_id": foreign.id},
            "above its maximum": {"provider_id": capped.id},
            "method of another provider": {"payment_method_id": self.unknown_method.id},
            "no such provider": {"provider_id": 999999999},
            "provider as text": {"provider_id": "1e309"},
            "validation": {"is_validation": True},
            "save my card": {"tokenization_requested": True},
            "saved token from a link": {
                "flow": "token",
                "token_id": saved.id,
                "provider_id": self.offered.id,
            },
            "unknown flow": {"flow": "express"},
        }
        for _replay in range(2):
            for label, params in attacks.items():
                with self.subTest(label):
                    error = self._transaction(**params).get("error")
                    self.assertTrue(error, label)
                    self.assertTrue(error["data"]["message"])
                    self.assertNotIn("debug", error["data"])
        self._assert_nothing_paid()
        # What the page offers works: the attacks failed for their own sake.
        self.assertIn("result", self._transaction())
        self.assertEqual(self._transactions().provider_id, self.offered)

    def test_pay_step_shows_only_what_the_company_offers(self):
        hidden = self._provider("Unpublished", is_published=False)
        hidden |= self._provider("Capped", maximum_amount=100.0)
        hidden |= self._provider("Foreign", company_id=self.company_2.id)
        hidden |= self.demo
        # Details that no hexadecimal token or amount of the page can contain
        # by chance (a 4-digit number made this test fail once in CI).
        self.env["payment.token"].create(
            {
                "provider_id": self.offered.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": self.debtor.id,
                "provider_ref": "debtor-card",
                "payment_details": "QZWX",
            }
        )
        csrf = self._csrf()
        data = [("invoice_ids", str(move.id)) for move in self.invoices]
        data.append(("csrf_token", csrf))
        page = self.url_open(self._url("/pay"), data=data, allow_redirects=False)
        self.assertEqual(page.status_code, 200)
        for provider in self.offered | self.other_offered:
            self.assertIn(f'data-provider-id="{provider.id}"', page.text)
        for provider in hidden:
            self.assertNotIn(f'data-provider-id="{provider.id}"', page.text)
        # No saved token for a visitor holding a link.
        self.assertNotIn('data-payment-option-type="token"', page.text)
        self.assertNotIn("QZWX", page.text)
        # No "save my payment details" for a visitor holding a link.
        self.assertNotIn('name="o_payment_tokenize_checkbox"', page.text)

    def test_offer_tokens_only_for_the_logged_in_debtor(self):
        clerk = self.env["res.partner"].create(
            {"name": "Clerk", "parent_id": self.debtor.id}
        )
        token = self.env["payment.token"].create(
            {
                "provider_id": self.offered.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": clerk.id,
                "provider_ref": "clerk-card",
                "payment_details": "1111",
            }
        )
        currency = self.company.currency_id
        anonymous = self.debtor._dunning_payment_offer(self.company, 1250, currency)
        self.assertFalse(anonymous["tokens"])
        self.assertFalse(any(anonymous["show_tokenize_input_mapping"].values()))
        self.assertEqual(anonymous["providers"], self.offered | self.other_offered)
        portal = self.debtor._dunning_payment_offer(
            self.company, 1250, currency, token_partner=clerk
        )
        self.assertEqual(portal["tokens"], token)
        other = self._create_debtor("Other Debtor")
        foreign = other._dunning_payment_offer(
            self.company, 1250, currency, token_partner=clerk
        )
        self.assertFalse(foreign["tokens"])

    # ------------------------------------------------------------------
    # 2. No flooding
    # ------------------------------------------------------------------
    def test_daily_limits_per_link(self):
        csrf = self._csrf()
        today = fields.Date.today()
        Incoming = self.env["dunning.incoming"]
        Promise = self.env["dunning.promise"]
        Dispute = self.env["dunning.dispute"]
        requests = (
            ("/copy", {}, Incoming, 3),
            ("/promise", {"date": str(today + timedelta(days=5))}, Promise, 3),
            (
                "/dispute",
                {"invoice_id": self.inv_1.id, "reason_id": self.reason.id},
                Dispute,
                5,
            ),
        )
        for suffix, data, Model, limit in requests:
            with self.subTest(suffix):
                domain = [("partner_id", "=", self.debtor.id)]
                for _i in range(limit):
                    response = self._post(suffix, data, csrf=csrf)
                    self.assertNotIn("message=limit", response.headers["Location"])
                before = Model.search_count(domain)
                response = self._post(suffix, data, csrf=csrf)
                self.assertIn("message=limit", response.headers["Location"])
                self.assertEqual(Model.search_count(domain), before)
                page = self.url_open(response.headers["Location"])
                self.assertIn("You can send a new one tomorrow", page.text)
        # Another link of the debtor has its own count; yesterday's do not count.
        other_link = self.env["dunning.payment.token"]._dunning_create_token(
            self.debtor, self.company
        )
        response = self.url_open(
            self._url("/copy", token=other_link),
            data={"csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertIn("message=copy", response.headers["Location"])
        self.env["dunning.payment.page.request"].sudo().search([]).date = (
            fields.Datetime.now() - timedelta(days=1, minutes=1)
        )
        response = self._post("/copy", {}, csrf=csrf)
        self.assertIn("message=copy", response.headers["Location"])

    def test_dispute_files_are_checked_on_their_content(self):
        files = [
            ("attachments", ("photo.png", PNG)),
            ("attachments", ("../../etc/re\u2066port\u202e.pdf", PDF)),
            ("attachments", ("invoice.pdf", b"MZ\x90\x00 an executable")),
            ("attachments", ("notes.txt", b"<html><script>alert(1)</script>")),
            ("attachments", ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>')),
            ("attachments", ("tool.exe", PNG)),
        ]
        response = self._post(
            "/dispute",
            {
                "invoice_id": self.inv_1.id,
                "reason_id": self.reason.id,
                "message": "See the proof",
            },
            files=files,
        )
        self.assertIn("message=dispute_file", response.headers["Location"])
        dispute = self.env["dunning.dispute"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(len(dispute), 1)
        self.assertIn("See the proof", dispute.description)
        attachments = dispute.message_ids.attachment_ids
        self.assertEqual(
            sorted(attachments.mapped("name")), ["photo.png", "report.pdf"]
        )
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("some files were not attached", page)

    def test_dispute_files_limits(self):
        Request = self.env["dunning.payment.page.request"]
        clean = Request._dunning_clean_filename
        self.assertEqual(clean("C:\\Users\\me\\scan.pdf"), "scan.pdf")
        self.assertEqual(clean("a\u202egnp.exe"), "agnp.exe")
        self.assertEqual(clean("\x00\x1b[31mbill\u2069.pdf"), "[31mbill.pdf")
        self.assertEqual(len(clean("x" * 500 + ".pdf")), 100)
        self.assertTrue(clean("x" * 500 + ".pdf").endswith(".pdf"))
        self.assertEqual(clean("../.."), "file")
        big = b"%PDF" + b"0" * (9 * 1024 * 1024)
        kept, refused = Request._dunning_check_dispute_files(
            [("a.pdf", big), ("b.pdf", big), ("c.pdf", big)], self.debtor, self.company
        )
        # 20 MB per dispute.
        self.assertEqual([name for name, _c in kept], ["a.pdf", "b.pdf"])
        self.assertEqual(refused, ["c.pdf"])
        # 50 MB per debtor and day.
        Request._dunning_record(
            "dispute", self.debtor, self.company, files_size=45 * 1024 * 1024
        )
        kept, refused = Request._dunning_check_dispute_files(
            [("a.pdf", big)], self.debtor, self.company
        )
        self.assertFalse(kept)

    def test_pdfs_are_rendered_once(self):
        with patch.object(
            IrActionsReport,
            "_pre_render_qweb_pdf",
            autospec=True,
            side_effect=IrActionsReport._pre_render_qweb_pdf,
        ) as spy:
            url = self._url(f"/invoice/{self.inv_1.id}/pdf")
            first, second = self.url_open(url), self.url_open(url)
            self.assertEqual((first.status_code, second.status_code), (200, 200))
            self.assertEqual(first.content, second.content)
            self.assertEqual(spy.call_count, 1)
            self.assertTrue(self.inv_1.invoice_pdf_report_id)
            spy.reset_mock()
            for _i in range(2):
                self.assertEqual(
                    self.url_open(self._url("/statement")).status_code, 200
                )
            self.assertEqual(spy.call_count, 1)
            # A new invoice changes the ledger: a new statement, once.
            self._invoice(self.debtor, 80, fields.Date.today())
            for _i in range(2):
                self.assertEqual(
                    self.url_open(self._url("/statement")).status_code, 200
                )
            self.assertEqual(spy.call_count, 2)
        statements = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.debtor.id),
                ("description", "=like", "dunning_statement:%"),
            ]
        )
        self.assertEqual(len(statements), 1)

    def test_lockout_is_per_address_and_spares_valid_links(self):
        Attempt = self.env["dunning.payment.token.attempt"].sudo()
        for _i in range(MAX_FAILURES + 5):
            Attempt._dunning_log_failure("203.0.113.7", "digest")
        self.assertTrue(Attempt._dunning_is_locked("203.0.113.7"))
        self.assertFalse(Attempt._dunning_is_locked("198.51.100.2"))
        # Bounded: a locked address is not recorded any more.
        self.assertEqual(Attempt.search_count([("ip", "=", "203.0.113.7")]), 10)
        # Through HTTP: this address locked, the debtor's link still served,
        # and the short link alike.
        for _i in range(MAX_FAILURES):
            self.url_open("/c/" + "Z" * 26)
        self.assertTrue(Attempt._dunning_is_locked("127.0.0.1"))
        self.assertEqual(self.url_open(self._url()).status_code, 200)
        short = self.url_open(f"/c/{self.token}", allow_redirects=False)
        self.assertEqual(short.status_code, 303)
        self.assertEqual(self.url_open("/c/" + "Z" * 26).status_code, 404)
        # X-Forwarded-For is not read without proxy_mode.
        Attempt.search([("ip", "=", "127.0.0.1")]).unlink()
        self.url_open(
            "/collections/" + "Q" * 26, headers={"X-Forwarded-For": "192.0.2.9"}
        )
        self.assertEqual(Attempt.search([], order="id desc", limit=1).ip, "127.0.0.1")

    def test_attempts_table_is_bounded(self):
        Attempt = self.env["dunning.payment.token.attempt"].sudo()
        old = fields.Datetime.now() - timedelta(hours=1)
        Attempt.create([{"ip": f"10.0.0.{i}", "date": old} for i in range(30)])
        Attempt.create([{"ip": f"10.0.1.{i}"} for i in range(30)])
        Attempt._dunning_prune(max_rows=20)
        self.assertEqual(Attempt.search_count([]), 19)
        self.assertFalse(
            Attempt.search_count([("date", "<", old + timedelta(minutes=1))])
        )
        Attempt._gc_attempts()
        self.assertEqual(Attempt.search_count([]), 19)

    def test_malformed_input_is_refused_politely(self):
        self.company.dunning_payment_allow_partial = True
        csrf = self._csrf()
        for value in ("inf", "nan", "1e309", "-0", "-inf", "lots", "1" * 400):
            with self.subTest(value=value):
                data = [
                    ("invoice_ids", str(self.inv_1.id)),
                    ("partial_amount", value),
                    ("csrf_token", csrf),
                ]
                response = self.url_open(
                    self._url("/pay"), data=data, allow_redirects=False
                )
                self.assertEqual(response.status_code, 303)
                self.assertIn("message=error", response.headers["Location"])
                if value == "-0":  # A down payment of zero is none.
                    continue
                response = self._post(
                    "/plan",
                    {"instalments": "3", "down_payment": value, "confirm": "1"},
                    csrf=csrf,
                )
                self.assertEqual(response.status_code, 303, value)
                self.assertIn("message=error", response.headers["Location"])
        for value in ("inf", "nan", "1e309", "text"):
            with self.subTest(transaction_amount=value):
                error = self._transaction(amount=value).get("error")
                self.assertTrue(error)
        self.assertFalse(
            self.env["dunning.payment.plan"].search_count(
                [("partner_id", "=", self.debtor.id)]
            )
        )
        # A parameter named like the handler's own.
        self.assertEqual(self.url_open(self._url("?access=1")).status_code, 200)
        # Reasons: archived, unknown, out of range.
        archived = self.reason.copy({"active": False})
        for reason_id in (archived.id, 99999999, "99999999999999999999", "x"):
            with self.subTest(reason_id=reason_id):
                response = self._post(
                    "/dispute",
                    {"invoice_id": self.inv_1.id, "reason_id": reason_id},
                    csrf=csrf,
                )
                self.assertEqual(response.status_code, 303)
                self.assertIn("message=error", response.headers["Location"])
        self.assertFalse(
            self.env["dunning.dispute"].search_count(
                [("partner_id", "=", self.debtor.id)]
            )
        )
        self._assert_nothing_paid()

    def test_security_headers(self):
        expected = {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex, nofollow",
            "Content-Security-Policy": "frame-ancestors 'self'",
        }
        responses = {
            "page": self.url_open(self._url()),
            "pdf": self.url_open(self._url(f"/invoice/{self.inv_1.id}/pdf")),
            "404": self.url_open("/collections/" + "W" * 26),
            "foreign pdf": self.url_open(self._url("/invoice/999999999/pdf")),
            "redirect": self._post("/copy", {}),
            "short link": self.url_open(f"/c/{self.token}", allow_redirects=False),
            "json error": self.url_open(
                self._url("/transaction/1"),
                data=json.dumps({"jsonrpc": "2.0", "params": {}}),
                headers={"Content-Type": "application/json"},
            ),
        }
        self.assertEqual(responses["404"].status_code, 404)
        self.assertEqual(responses["foreign pdf"].status_code, 404)
        for label, response in responses.items():
            for name, value in expected.items():
                with self.subTest(label=label, header=name):
                    self.assertEqual(response.headers.get(name), value)

    # ------------------------------------------------------------------
    # 3. Buttons checked on the server
    # ------------------------------------------------------------------
    def test_revoke_needs_the_manager_group(self):
        user = new_test_user(
            self.env,
            login="plain_accountant",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.debtor.with_user(user).with_company(
                self.company
            ).action_dunning_revoke_payment_links()
        self.assertEqual(self.url_open(self._url()).status_code, 200)
