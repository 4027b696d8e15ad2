# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A formal notice printed as a real PDF by a served instance.

The collector downloads the letter through Odoo's report route; the PDF is
made by wkhtmltopdf and read back with poppler's ``pdftotext``: what the
debtor would read on paper, not the HTML it was made from.
"""

import re
import subprocess
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

LETTER = "account_dunning_advanced.report_dunning_letter"


def pdf_text(content):
    """Return the text of a PDF (poppler's pdftotext), spaces normalized."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@tagged("post_install", "-at_install")
class TestServedFormalNoticePdf(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtor.write({"lang": "en_US", "street": "12 rue des Lilas"})
        cls.lvl_3.write({"level_type": "formal_notice", "payment_deadline_days": 8})
        cls.collector = new_test_user(
            cls.env,
            login="pdf.collector",
            groups="account.group_account_invoice,"
            "account_dunning_advanced.group_dunning_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # The legal late-payment interest and indemnity: their L441-10 mention.
        Rate = cls.env["dunning.interest.rate"]
        values = {"ecb_rate": 4.6, "legal_rate_professional": 3.0}
        rate = Rate.search([("date_from", "=", d("2026-01-01"))])
        if rate:
            rate.write(values)
        else:
            Rate.create({"date_from": d("2026-01-01"), **values})
        cls.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": True,
                "dunning_indemnity_amount": 40.0,
                "dunning_indemnity_currency_id": cls.company.currency_id.id,
            }
        )

    def test_formal_notice_pdf_over_http(self):
        invoice = self._invoice(self.debtor, 1234.56, "2026-03-01")
        lines = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        action = self.env["dunning.action"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "level_id": self.lvl_3.id,
                "scenario_id": self.scenario.id,
                "currency_id": self.company.currency_id.id,
                "date": d("2026-04-10"),
                "line_ids": [Command.set(lines.ids)],
            }
        )
        # wkhtmltopdf loads the style sheets from report.url: from this test
        # server it would wait for the cursor the request holds.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        self.authenticate("pdf.collector", "pdf.collector")
        # In tests Odoo returns HTML instead of running wkhtmltopdf.
        with patch.dict(config.options, {"test_enable": False, "test_file": False}):
            response = self.url_open(f"/report/pdf/{LETTER}/{action.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
        text = pdf_text(response.content)
        self.assertIn("FORMAL NOTICE TO PAY", text)
        self.assertIn(self.debtor.name, text)
        self.assertIn(invoice.name, text)
        self.assertIn("1,234.56", text)
        self.assertIn("within 8 days", text)
        self.assertIn("article L441-10 of the French Commercial Code", text)
        self.assertIn("$ 40.00", text)
        # Without a session: no letter.
        self.authenticate(None, None)
        anonymous = self.url_open(f"/report/pdf/{LETTER}/{action.id}")
        self.assertNotEqual(anonymous.headers.get("Content-Type"), "application/pdf")
