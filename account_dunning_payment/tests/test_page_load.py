# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor's page under load: a GET writes nothing shared, and what is the
same at every visit (the transfer QR code) is rendered once."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

from ..models.dunning_payment_token import LAST_USED_THROTTLE


@tagged("post_install", "-at_install")
class TestPageUnderLoad(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(
            cls.debtor, 1000, fields.Date.today() - timedelta(days=30)
        )
        Token = cls.env["dunning.payment.token"]
        cls.code = Token._dunning_create_token(cls.debtor, cls.company)
        cls.link = Token._dunning_find(cls.code)

    def _link_row(self):
        """``last_used`` and ``write_date`` of the link, as stored (the HTTP
        requests share the test's transaction)."""
        self.env.cr.execute(
            "SELECT last_used, write_date FROM dunning_payment_token WHERE id = %s",
            [self.link.id],
        )
        return self.env.cr.fetchone()

    def _get_page(self, code=None):
        response = self.url_open(f"/collections/{code or self.code}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_get_does_not_write_the_link_within_the_window(self):
        last_used, write_date = self._link_row()
        self.assertFalse(last_used)
        self._get_page()
        first_used, first_write = self._link_row()
        self.assertTrue(first_used, "the first visit is recorded")
        self.assertEqual(first_write, write_date, "only the visit marker")
        self._get_page()
        self._get_page()
        self.assertEqual(
            self._link_row(),
            (first_used, first_write),
            "visits within the window write nothing",
        )
        # Once the window is over, the next visit is recorded again.
        stale = first_used - LAST_USED_THROTTLE - timedelta(minutes=1)
        self.env.cr.execute(
            "UPDATE dunning_payment_token SET last_used = %s WHERE id = %s",
            [stale, self.link.id],
        )
        self._get_page()
        again, _write = self._link_row()
        self.assertGreater(again, stale)

    def test_mark_used_is_throttled(self):
        link = self.link.with_env(self.env)
        self.assertTrue(link._dunning_mark_used())
        link.invalidate_recordset()
        self.assertTrue(link.last_used)
        self.assertFalse(link._dunning_mark_used(), "within the window")

    # ------------------------------------------------------------------
    # The transfer QR code, rendered once per content
    # ------------------------------------------------------------------
    def _sepa_account(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company = self.setup_other_company(name="EU Co", currency_id=eur.id)["company"]
        account = self.env["res.partner.bank"].create(
            {
                "acc_number": "BE71 0961 2345 6769",
                "partner_id": company.partner_id.id,
                "bank_id": self.env["res.bank"]
                .create({"name": "Belfius", "bic": "GKCCBEBB"})
                .id,
            }
        )
        return company, account, eur

    def _count_barcodes(self):
        Report = type(self.env["ir.actions.report"])
        return patch.object(
            Report, "barcode", autospec=True, side_effect=Report.barcode
        )

    def test_qr_code_cached_per_content(self):
        _company, account, eur = self._sepa_account()
        self.env.registry.clear_cache()
        with self._count_barcodes() as barcode:
            first = account._dunning_qr_code_base64(
                500.0, "INV/1", "INV/1", eur, self.debtor
            )
            same = account._dunning_qr_code_base64(
                500.0, "INV/1", "INV/1", eur, self.debtor
            )
            other = account._dunning_qr_code_base64(
                500.5, "INV/1", "INV/1", eur, self.debtor
            )
        self.assertTrue(first.startswith("data:image/png;base64,"))
        self.assertEqual(same, first, "the same content, the same image")
        self.assertNotEqual(other, first, "another amount, another image")
        self.assertEqual(barcode.call_count, 2, "rendered once per content")

    def test_page_renders_the_qr_code_once(self):
        company, _account, _eur = self._sepa_account()
        self._invoice(
            self.debtor, 500, fields.Date.today() - timedelta(days=15), company=company
        )
        code = self.env["dunning.payment.token"]._dunning_create_token(
            self.debtor, company
        )
        self.env.registry.clear_cache()
        with self._count_barcodes() as barcode:
            first = self._get_page(code).text
            second = self._get_page(code).text
        self.assertIn('class="o_collections_qr"', first)
        self.assertIn('class="o_collections_qr"', second)
        self.assertEqual(barcode.call_count, 1)
