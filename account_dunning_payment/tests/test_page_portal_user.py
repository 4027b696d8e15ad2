# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCollectionsPortalUser(DunningCommon, HttpCase):
    """The same page under /my for a logged-in portal user of the debtor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.debtor.lang = "en_US"
        cls.inv_late = cls._invoice(cls.debtor, 1000, today - timedelta(days=30))
        cls.inv_not_due = cls._invoice(cls.debtor, 400, today + timedelta(days=20))
        cls.other = cls._create_debtor("Other Debtor")
        cls.inv_other = cls._invoice(cls.other, 777, today - timedelta(days=30))
        cls.company_2 = cls.setup_other_company(name="Other Co")["company"]
        cls.inv_company_2 = cls._invoice(
            cls.debtor, 555, today - timedelta(days=30), company=cls.company_2
        )
        # An accounts payable clerk of the debtor, with a portal access.
        clerk = cls.env["res.partner"].create(
            {
                "name": "Accounts Payable Clerk",
                "parent_id": cls.debtor.id,
                "email": "clerk@debtor.example",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="debtor_clerk",
            groups="base.group_portal",
            partner_id=clerk.id,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            lang="en_US",
        )
        new_test_user(
            cls.env,
            login="other_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Other Clerk", "parent_id": cls.other.id})
            .id,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def test_visitor_is_sent_to_login(self):
        response = self.url_open("/my/collections", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertIn("redirect=/my/collections", response.headers["Location"])

    def test_portal_user_sees_the_debtor_page(self):
        self.authenticate("debtor_clerk", "debtor_clerk")
        response = self.url_open("/my/collections")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertRegex(text, r"Account of <span>Debtor SA</span>")
        for invoice in self.inv_late | self.inv_not_due:
            self.assertIn(f'id="invoice_{invoice.id}"', text)
        self.assertIn("1,400.00", text)
        # Never another debtor's nor another company's.
        for invoice in self.inv_other | self.inv_company_2:
            self.assertNotIn(f'id="invoice_{invoice.id}"', text)
        # The portal's navigation and the page's links under /my.
        self.assertIn("o_collections_breadcrumb", text)
        self.assertIn(f'href="/my/collections/invoice/{self.inv_late.id}/pdf"', text)
        pdf = self.url_open(f"/my/collections/invoice/{self.inv_late.id}/pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        foreign = self.url_open(f"/my/collections/invoice/{self.inv_other.id}/pdf")
        self.assertEqual(foreign.status_code, 404)

    def test_other_portal_user_sees_their_own(self):
        self.authenticate("other_portal", "other_portal")
        text = self.url_open("/my/collections").text
        self.assertIn(f'id="invoice_{self.inv_other.id}"', text)
        self.assertNotIn(f'id="invoice_{self.inv_late.id}"', text)

    def test_portal_home_counts_overdue_invoices(self):
        self.authenticate("debtor_clerk", "debtor_clerk")
        home = self.url_open("/my/home").text
        self.assertIn('href="/my/collections"', home)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dunning_overdue_count"]}
        )
        self.assertEqual(counters["dunning_overdue_count"], 1)

    def test_portal_user_promises_and_pays(self):
        self.authenticate("debtor_clerk", "debtor_clerk")
        csrf = CSRF_RE.search(self.url_open("/my/collections").text).group(1)
        date = fields.Date.today() + timedelta(days=10)
        response = self.url_open(
            "/my/collections/promise",
            data={"date": str(date), "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith("/my/collections?message=promise")
        )
        promise = self.env["dunning.promise"].search(
            [("partner_id", "=", self.debtor.id)]
        )
        self.assertEqual(promise.date, date)
        self.assertEqual(promise.move_ids, self.inv_late)
        # The payment step, with the transaction route under /my.
        demo = self.env.ref("payment.payment_provider_demo").sudo()
        method = self.env.ref("payment_demo.payment_method_demo").sudo()
        method.active = True
        demo.copy(
            {
                "company_id": self.company.id,
                "state": "test",
                "is_published": True,
                "payment_method_ids": [(6, 0, method.ids)],
            }
        )
        pay = self.url_open(
            "/my/collections/pay",
            data={"invoice_ids": str(self.inv_late.id), "csrf_token": csrf},
        )
        self.assertEqual(pay.status_code, 200)
        self.assertIn(f"/my/collections/transaction/{self.inv_late.id}", pay.text)
        # Another debtor's invoice is refused there too.
        refused = self.url_open(
            "/my/collections/pay",
            data={"invoice_ids": str(self.inv_other.id), "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertIn("message=error", refused.headers["Location"])
