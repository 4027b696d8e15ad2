# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import io
import json
import re
import subprocess
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config
from odoo.tools import hmac as hmac_tool

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

from ..formatting import PageFormatter

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def decode_qr(png):
    """Return the text of the QR code of a PNG image (zxing-cpp).

    zxing-cpp is a test requirement (requirements.txt): without it the test
    fails, it is not skipped.
    """
    try:
        import zxingcpp
    except ImportError as error:  # pragma: no cover - CI installs it
        raise AssertionError(
            "zxing-cpp is needed to decode the QR code: pip install -r "
            "requirements.txt"
        ) from error
    from PIL import Image

    results = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode
    )
    if len(results) != 1:
        raise AssertionError(f"one QR code expected in the image, {len(results)} read")
    return results[0].text


def pdf_text(content):
    """Return the text of a PDF (poppler's pdftotext), spaces normalized."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def real_pdf_rendering(env):
    """Let Odoo render PDFs through wkhtmltopdf (in tests it returns HTML).

    wkhtmltopdf loads the report's style sheets from ``report.url``: from the
    test server, it would wait for the test cursor the request holds. It is
    sent to a closed port instead: the PDF has no style, all of its text.
    """
    env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
    return patch.dict(config.options, {"test_enable": False, "test_file": False})


@tagged("post_install", "-at_install")
class TestCollectionsPage(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.inv_late_1 = cls._invoice(cls.debtor, 1000, today - timedelta(days=30))
        cls.inv_late_2 = cls._invoice(cls.debtor, 250, today - timedelta(days=10))
        cls.inv_not_due = cls._invoice(cls.debtor, 400, today + timedelta(days=20))
        cls.inv_paid = cls._invoice(cls.debtor, 300, today - timedelta(days=40))
        cls._pay(cls.inv_paid)
        cls.other = cls._create_debtor("Other Debtor")
        cls.inv_other = cls._invoice(cls.other, 777, today - timedelta(days=30))
        cls.company_2 = cls.setup_other_company(name="Other Co")["company"]
        cls.inv_company_2 = cls._invoice(
            cls.debtor, 555, today - timedelta(days=30), company=cls.company_2
        )
        Token = cls.env["dunning.payment.token"]
        cls.token = Token._dunning_create_token(cls.debtor, cls.company)

    def _url(self, suffix="", token=None):
        return f"/collections/{token or self.token}{suffix}"

    def _csrf(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _post(self, suffix, data, csrf=True):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(self._url(suffix), data=data, allow_redirects=False)

    # ------------------------------------------------------------------
    # Token and links
    # ------------------------------------------------------------------
    def test_token_is_random_and_hashed(self):
        record = self.env["dunning.payment.token"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(len(record), 1)
        self.assertEqual(len(self.token), 26)  # 128 bits in base 32
        self.assertNotIn(self.token, record.token_hash)
        # Not derived from the debtor: another link of the same debtor gets
        # another code. (Looking for the debtor's id in the code failed by
        # chance whenever its digits came up among the 26 random characters.)
        Token = self.env["dunning.payment.token"]
        again = Token._dunning_create_token(self.debtor, self.company)
        self.assertEqual(len(again), 26)
        self.assertNotEqual(again, self.token)
        self.assertEqual(Token._dunning_find(again).partner_id, self.debtor)
        self.assertEqual(
            self.env["dunning.payment.token"]._dunning_find(self.token), record
        )

    def test_reminder_carries_the_link(self):
        today = fields.Date.today()
        self._run(str(today))
        action = self._actions()[:1]
        self.assertTrue(action)
        links = action._dunning_get_links()
        self.assertEqual(links[0]["label"], "Pay online / see your account")
        self.assertIn("/collections/", links[0]["url"])
        # One link per action, whatever the number of channels.
        self.assertEqual(action._dunning_get_links(), links)
        token = links[0]["url"].rsplit("/", 1)[1]
        found = self.env["dunning.payment.token"]._dunning_find(token)
        self.assertEqual(found.partner_id, self.debtor)
        self.assertEqual(found.company_id, self.company)

    def test_short_link(self):
        typed = "-".join(self.token[i : i + 5] for i in range(0, 26, 5)).lower()
        response = self.url_open(f"/c/{typed}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self._url()))
        self.assertEqual(self.url_open(f"/c/{typed}").status_code, 200)
        self.assertEqual(self.url_open("/c/not-a-code").status_code, 404)
        self.assertEqual(self.url_open("/c/" + "0" * 26).status_code, 404)
        self.assertEqual(self.env["dunning.payment.token.attempt"].search_count([]), 2)

    def test_revoke_invalidates_links(self):
        self.assertEqual(self.url_open(self._url()).status_code, 200)
        self.debtor.action_dunning_revoke_payment_links()
        self.assertEqual(self.url_open(self._url()).status_code, 404)

    def test_expired_link(self):
        record = self.env["dunning.payment.token"]._dunning_find(self.token)
        record.date_expiry = fields.Datetime.now() - timedelta(days=1)
        self.assertEqual(self.url_open(self._url()).status_code, 404)

    # ------------------------------------------------------------------
    # Page
    # ------------------------------------------------------------------
    def test_page_lists_open_invoices(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        text = response.text
        for move in self.inv_late_1 | self.inv_late_2 | self.inv_not_due:
            self.assertIn(move.name, text)
        self.assertNotIn(self.inv_paid.name, text)
        self.assertNotIn(self.inv_other.name, text)
        # Not by name: the other company's sequence may give the same one.
        self.assertIn(f'id="invoice_{self.inv_late_1.id}"', text)
        self.assertIn(f"/invoice/{self.inv_late_1.id}/pdf", text)
        self.assertNotIn(f'id="invoice_{self.inv_company_2.id}"', text)
        self.assertNotIn(f"/invoice/{self.inv_company_2.id}/pdf", text)
        # Overdue invoices are selected by default, not the others.
        self.assertRegex(text, rf'value="{self.inv_late_1.id}" checked=')
        self.assertNotRegex(text, rf'value="{self.inv_not_due.id}" checked=')
        self.assertIn(self.company.name, text)

    def test_group_companies_stay_apart(self):
        """A subsidiary is its own debtor: its link shows neither the parent's
        nor a sibling's invoices; a mere contact of it shares its page."""
        today = fields.Date.today()
        Partner = self.env["res.partner"]
        holding = Partner.create({"name": "Holding", "is_company": True})
        sub_a = Partner.create(
            {"name": "Sub A", "is_company": True, "parent_id": holding.id}
        )
        sub_b = Partner.create(
            {"name": "Sub B", "is_company": True, "parent_id": holding.id}
        )
        buyer_a = Partner.create({"name": "Buyer at A", "parent_id": sub_a.id})
        self.assertEqual(sub_a.commercial_partner_id, sub_a)
        late = today - timedelta(days=20)
        inv_holding = self._invoice(holding, 101, late)
        inv_a = self._invoice(sub_a, 102, late)
        inv_a_buyer = self._invoice(buyer_a, 103, late)
        inv_b = self._invoice(sub_b, 104, late)
        token = self.env["dunning.payment.token"]._dunning_create_token(
            sub_a, self.company
        )
        text = self.url_open(self._url(token=token)).text
        for move in inv_a | inv_a_buyer:
            self.assertIn(f'id="invoice_{move.id}"', text)
        for move in inv_holding | inv_b:
            self.assertNotIn(f'id="invoice_{move.id}"', text)
        pdf = self.url_open(self._url(f"/invoice/{inv_b.id}/pdf", token=token))
        self.assertEqual(pdf.status_code, 404)

    def test_page_in_debtor_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "account_dunning_payment")]
        )._update_translations(["fr_FR"])
        self.debtor.lang = "en_US"
        english = self.url_open(self._url()).text
        self.assertIn("Download your account statement (PDF)", english)
        self.debtor.lang = "fr_FR"
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        self.assertIn('<html lang="fr-FR"', response.text)
        # The page's own labels are in French, not only its language tag.
        self.assertIn("Télécharger votre relevé de compte (PDF)", response.text)
        self.assertNotIn("Download your account statement (PDF)", response.text)
        # Its amounts too (1 000,00 €, not 1,000.00 €).
        invoice = self.inv_late_1
        amounts = {
            code: PageFormatter(self.env(context={"lang": code})).amount(
                invoice.amount_residual, invoice.currency_id
            )
            for code in ("en_US", "fr_FR")
        }
        self.assertNotEqual(amounts["en_US"], amounts["fr_FR"])
        self.assertIn(amounts["en_US"], english)
        self.assertIn(amounts["fr_FR"], response.text)
        self.assertNotIn(amounts["en_US"], response.text)

    def test_query_count_does_not_grow(self):
        def count():
            self.url_open(self._url())  # warm up caches (assets, views)
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self.assertEqual(self.url_open(self._url()).status_code, 200)
            return self.cr.sql_log_count - start

        first = count()
        for _i in range(10):
            self._invoice(self.debtor, 10, fields.Date.today() - timedelta(days=5))
        self.assertLessEqual(count(), first + 3)

    def test_wrong_token_is_404(self):
        response = self.url_open("/collections/" + "x" * 43)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Traceback", response.text)
        self.assertEqual(self.url_open("/collections/short").status_code, 404)

    def test_lockout_after_bad_tokens(self):
        Attempt = self.env["dunning.payment.token.attempt"]
        for _i in range(12):
            self.assertEqual(self.url_open("/collections/" + "y" * 43).status_code, 404)
        # Ten failures lock the address: the next ones are not recorded.
        self.assertEqual(Attempt.search_count([]), 10)
        self.assertTrue(Attempt._dunning_is_locked("127.0.0.1"))
        # The debtor's own link is served all the same (a shared address
        # must not lock the debtor out).
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def _assert_pdf(self, response):
        """Check that response is a real PDF; return its text."""
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"), response.content[:80])
        return pdf_text(response.content)

    def test_invoice_pdf_checks_owner(self):
        with real_pdf_rendering(self.env):
            ok = self.url_open(self._url(f"/invoice/{self.inv_late_1.id}/pdf"))
        text = self._assert_pdf(ok)
        self.assertIn(self.inv_late_1.name, text)
        self.assertIn(self.debtor.name, text)
        self.assertIn("1,000.00", text)
        for move in self.inv_other | self.inv_company_2:
            response = self.url_open(self._url(f"/invoice/{move.id}/pdf"))
            self.assertEqual(response.status_code, 404)

    def test_statement_pdf(self):
        with real_pdf_rendering(self.env):
            response = self.url_open(self._url("/statement"))
        text = self._assert_pdf(response)
        self.assertIn(f"{self.debtor.name} Account statement", text)
        # Neither another debtor's invoice nor another company's (whose
        # numbers may be the same: their amounts tell them apart).
        self.assertNotIn(self.inv_other.name, text)
        self.assertNotIn("777.00", text)
        self.assertNotIn("555.00", text)
        # The paid invoice is a past movement, not an open item.
        movements, open_items = text.split("Open items", 1)
        self.assertIn(self.inv_paid.name, movements)
        self.assertNotIn(self.inv_paid.name, open_items)
        for move in self.inv_late_1 | self.inv_late_2 | self.inv_not_due:
            self.assertIn(move.name, open_items)
        self.assertIn("Total open $ 1,650.00", open_items)

    def test_epc_qr_code_payload(self):
        """The EPC (SEPA) QR code of the page encodes the IBAN, the amount and
        the reference of the transfer, and the image shown is that one."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        company = self.setup_other_company(name="EU Co", currency_id=eur.id)["company"]
        bank = self.env["res.bank"].create({"name": "Belfius", "bic": "GKCCBEBB"})
        self.env["res.partner.bank"].create(
            {
                "acc_number": "BE71 0961 2345 6769",
                "partner_id": company.partner_id.id,
                "bank_id": bank.id,
            }
        )
        invoice = self._invoice(
            self.debtor, 500, fields.Date.today() - timedelta(days=15), company=company
        )
        token = self.env["dunning.payment.token"]._dunning_create_token(
            self.debtor, company
        )
        Bank = type(self.env["res.partner.bank"])
        original = Bank._get_qr_vals
        payloads = []

        def spy(bank, qr_method, *args, **kwargs):
            vals = original(bank, qr_method, *args, **kwargs)
            if qr_method == "sct_qr":
                payloads.append(vals)
            return vals

        with patch.object(Bank, "_get_qr_vals", spy):
            text = self.url_open(self._url(token=token)).text
        self.assertEqual(len(payloads), 1)
        payload = payloads[0]
        self.assertEqual(payload[:4], ["BCD", "002", "1", "SCT"])
        self.assertEqual(payload[4], "GKCCBEBB")
        self.assertEqual(payload[6], "BE71096123456769", "the IBAN")
        self.assertEqual(payload[7], "EUR500.0", "the amount")
        reference = invoice.payment_reference or invoice.name
        self.assertIn(reference, payload[9:11], "the reference")
        # The page shows the QR code built from that payload (a PNG image):
        # read it back as a banking app would and compare with the invoice.
        shown = re.search(
            r'class="o_collections_qr"[^>]*src="data:image/png;base64,([^"]+)"', text
        )
        self.assertTrue(shown, "the page shows the QR code")
        png = base64.b64decode(shown.group(1))
        self.assertTrue(png.startswith(b"\x89PNG"))
        decoded = decode_qr(png).split("\n")
        self.assertEqual(decoded[:4], ["BCD", "002", "1", "SCT"])
        self.assertEqual(
            decoded[6],
            company.partner_id.bank_ids.sanitized_acc_number,
            "the IBAN of the company",
        )
        self.assertEqual(decoded[7][:3], invoice.currency_id.name)
        self.assertEqual(
            float(decoded[7][3:]), invoice.amount_residual, "the amount due"
        )
        self.assertIn(reference, decoded[9:11], "the reference of the invoice")

    # ------------------------------------------------------------------
    # Pay
    # ------------------------------------------------------------------
    def _pay_post(self, invoices, csrf=True, **extra):
        data = [("invoice_ids", str(move.id)) for move in invoices]
        data += list(extra.items())
        if csrf:
            data.append(("csrf_token", self._csrf()))
        return self.url_open(self._url("/pay"), data=data, allow_redirects=False)

    def test_pay_selection_is_checked(self):
        response = self._pay_post(self.inv_late_1 | self.inv_late_2)
        self.assertEqual(response.status_code, 200)
        self.assertIn("1,250.00", response.text)
        refused = {
            "other debtor": self.inv_late_1 | self.inv_other,
            "other company": self.inv_company_2,
            "paid": self.inv_paid,
        }
        for label, invoices in refused.items():
            with self.subTest(label):
                response = self._pay_post(invoices)
                self.assertEqual(response.status_code, 303)
                self.assertIn("message=error", response.headers["Location"])
        tampered = self._pay_post(self.inv_late_1, amount="1.00")
        self.assertEqual(tampered.status_code, 303)
        self.assertIn("message=error", tampered.headers["Location"])

    def _transaction(self, invoices, amount, access_amount=None):
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Dummy",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        ids_key = "-".join(str(i) for i in sorted(invoices.ids))
        # payment.utils.generate_access_token, with the test environment.
        values = (
            self.debtor.id,
            access_amount if access_amount is not None else amount,
            invoices.currency_id.id,
            ids_key,
        )
        access_token = hmac_tool(
            self.env(su=True),
            "generate_access_token",
            "|".join(str(value) for value in values),
        )
        return self.make_jsonrpc_request(
            self._url(f"/transaction/{ids_key}"),
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "https://evil.example",
                "is_validation": False,
                "access_token": access_token,
            },
        )

    def test_transaction_is_linked_to_the_invoices(self):
        invoices = self.inv_late_1 | self.inv_late_2
        self._transaction(invoices, 1250.0)
        tx = self.env["payment.transaction"].search(
            [("invoice_ids", "in", invoices.ids)]
        )
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, invoices)
        self.assertEqual(tx.amount, 1250.0)
        self.assertEqual(tx.partner_id, self.debtor)
        self.assertEqual(
            tx.landing_route,
            f"/collections/{self.token}?message=paid&reference={tx.reference}",
        )

    def test_transaction_tampered_amount_is_refused(self):
        invoices = self.inv_late_1 | self.inv_late_2
        for amount, access_amount in ((1.0, None), (1.0, 1250.0)):
            with self.subTest(amount=amount), self.assertRaises(JsonRpcException):
                self._transaction(invoices, amount, access_amount)
        with self.assertRaises(JsonRpcException):
            self._transaction(self.inv_late_1 | self.inv_other, 1777.0)
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("invoice_ids", "in", invoices.ids)]
            )
        )

    def test_refused_transaction_says_why_without_a_traceback(self):
        ids_key = f"{self.inv_late_1.id}-{self.inv_other.id}"
        for url in (
            self._url(f"/transaction/{ids_key}"),
            "/collections/" + "q" * 26 + "/transaction/1",
        ):
            with self.subTest(url=url):
                response = self.url_open(
                    url,
                    data=json.dumps(
                        {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {}}
                    ),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json()["error"]
                self.assertTrue(error["data"]["message"])
                self.assertNotIn("debug", error["data"])
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn(".py", response.text)
        self.assertIn(
            "cannot be paid from this page",
            self.url_open(
                self._url(f"/transaction/{ids_key}"),
                data=json.dumps({"jsonrpc": "2.0", "params": {}}),
                headers={"Content-Type": "application/json"},
            ).json()["error"]["data"]["message"],
        )

    def test_pay_without_csrf_is_refused(self):
        response = self._pay_post(self.inv_late_1, csrf=False)
        self.assertEqual(response.status_code, 400)

    def test_every_request_needs_csrf(self):
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        date = str(fields.Date.today() + timedelta(days=5))
        for suffix, data in (
            ("/promise", {"date": date}),
            ("/dispute", {"invoice_id": self.inv_late_1.id, "reason_id": reason.id}),
            ("/plan", {"instalments": "2"}),
            ("/copy", {"invoice_id": self.inv_late_1.id}),
        ):
            with self.subTest(suffix):
                response = self._post(suffix, data, csrf=False)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["dunning.promise"].search([("partner_id", "=", self.debtor.id)])
        )
        self.assertFalse(
            self.env["dunning.dispute"].search([("partner_id", "=", self.debtor.id)])
        )
        self.assertFalse(
            self.env["dunning.incoming"].search([("partner_id", "=", self.debtor.id)])
        )

    # ------------------------------------------------------------------
    # Self-service
    # ------------------------------------------------------------------
    def test_promise(self):
        date = fields.Date.today() + timedelta(days=15)
        response = self._post("/promise", {"date": str(date), "note": "Cash soon"})
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=promise", response.headers["Location"])
        promise = self.env["dunning.promise"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(promise.source, "portal")
        self.assertEqual(promise.date, date)
        self.assertEqual(promise.move_ids, self.inv_late_1 | self.inv_late_2)
        self.assertIn("Promise to pay", self.debtor.message_ids[0].body)
        # A date in the past is refused.
        past = self._post("/promise", {"date": "2000-01-01"})
        self.assertIn("message=error", past.headers["Location"])
        self.assertEqual(len(promise.search([("partner_id", "=", self.debtor.id)])), 1)

    def test_dispute(self):
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        response = self._post(
            "/dispute",
            {
                "invoice_id": self.inv_late_2.id,
                "reason_id": reason.id,
                "message": "Goods never delivered",
            },
        )
        self.assertIn("message=dispute", response.headers["Location"])
        dispute = self.env["dunning.dispute"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(dispute.move_ids, self.inv_late_2)
        self.assertEqual(dispute.reason_id, reason)
        self.assertIn("Goods never delivered", dispute.description)
        self.assertIn(dispute.name, self.debtor.message_ids[0].body)
        # Another debtor's invoice is refused.
        refused = self._post(
            "/dispute", {"invoice_id": self.inv_other.id, "reason_id": reason.id}
        )
        self.assertIn("message=error", refused.headers["Location"])
        self.assertEqual(len(dispute.search([("partner_id", "=", self.debtor.id)])), 1)

    def test_dispute_with_files(self):
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        csrf = self._csrf()
        response = self.url_open(
            self._url("/dispute"),
            data={
                "invoice_id": str(self.inv_late_1.id),
                "reason_id": str(reason.id),
                "message": "See the delivery note",
                "csrf_token": csrf,
            },
            files=[
                ("attachments", ("delivery.pdf", b"%PDF-1.4 delivery note")),
                ("attachments", ("photo.html", b"<script>alert(1)</script>")),
            ],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        # HTML is not an accepted type: left out, and the debtor is told.
        self.assertTrue(response.headers["Location"].endswith("message=dispute_file"))
        dispute = self.env["dunning.dispute"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "dunning.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["delivery.pdf"])
        self.assertEqual(attachments.raw, b"%PDF-1.4 delivery note")
        # The collector finds them in the dispute's chatter.
        self.assertEqual(dispute.message_ids.attachment_ids, attachments)

    def test_dispute_with_too_many_files_keeps_the_dispute(self):
        reason = self.env["dunning.dispute.reason"].search([], limit=1)
        files = [("attachments", (f"doc{i}.txt", b"x")) for i in range(7)]
        response = self.url_open(
            self._url("/dispute"),
            data={
                "invoice_id": str(self.inv_late_2.id),
                "reason_id": str(reason.id),
                "message": "Seven documents",
                "csrf_token": self._csrf(),
            },
            files=files,
            allow_redirects=False,
        )
        self.assertIn("message=dispute_file", response.headers["Location"])
        dispute = self.env["dunning.dispute"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        # The dispute and its text are kept; five files are attached.
        self.assertIn("Seven documents", dispute.description)
        self.assertEqual(len(dispute.message_ids.attachment_ids), 5)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("some files were not attached", page)

    def test_copy_request(self):
        collector = self.env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", self.company.id)], limit=1
        )
        self.debtor.with_company(self.company).dunning_collector_id = collector
        response = self._post("/copy", {"invoice_id": self.inv_late_2.id})
        self.assertIn("message=copy", response.headers["Location"])
        incoming = self.env["dunning.incoming"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.message_class, "copy_request")
        # Asked through the debtor's secret link, not an unverified e-mail.
        self.assertEqual(incoming.sender_check, "page")
        self.assertEqual(incoming.move_ids, self.inv_late_2)
        self.assertEqual(incoming.company_id, self.company)
        self.assertEqual(incoming.activity_ids.user_id, collector)
        self.assertIn(self.inv_late_2.name, incoming.subject)
        # Another debtor's invoice is refused.
        refused = self._post("/copy", {"invoice_id": self.inv_other.id})
        self.assertIn("message=error", refused.headers["Location"])
        self.assertEqual(len(incoming.search([("partner_id", "=", self.debtor.id)])), 1)

    def test_settings_hold_the_page_limits(self):
        settings = self.env["res.config.settings"].create(
            {
                "dunning_payment_link_validity": 30,
                "dunning_plan_max_instalments": 6,
                "dunning_payment_allow_partial": True,
            }
        )
        settings.execute()
        company = self.env.company
        self.assertEqual(company.dunning_payment_link_validity, 30)
        self.assertEqual(company.dunning_plan_max_instalments, 6)
        self.assertTrue(company.dunning_payment_allow_partial)
        with self.assertRaises(ValidationError):
            company.dunning_plan_max_months = -1
