# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestPagePersonalData(DunningCommon):
    def test_requests_exported_then_purged(self):
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        self._pay(self._invoice(person, 100, "2020-01-31"), on=d("2020-02-15"))
        Token = self.env["dunning.payment.token"]
        token = Token._dunning_find(Token._dunning_create_token(person, self.company))
        Request = self.env["dunning.payment.page.request"].sudo()
        Request.create(
            [
                {
                    "kind": kind,
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "token_id": token.id if partner == person else False,
                    "date": "2020-02-10 10:00:00",
                }
                for kind, partner in (
                    ("copy", person),
                    ("promise", person),
                    ("copy", self.debtor),
                )
            ]
        )
        # A collections manager, who cannot read the requests themselves,
        # gets them in the export.
        manager = self._new_user(
            "page_privacy_manager", "account_dunning_advanced.group_dunning_manager"
        )
        action = person.with_user(manager).action_dunning_export_personal_data()
        attachment = (
            self.env["ir.attachment"]
            .with_user(manager)
            .browse(int(action["url"].split("/")[3].split("?")[0]))
        )
        data = json.loads(attachment.raw)
        self.assertEqual(
            sorted(row["kind"] for row in data["payment_page_requests"]),
            ["Copy", "Promise"],
        )
        self.assertEqual(len(data["payment_page_links"]), 1)
        # Settled in 2020 (consumer, 2 years): the requests go in 2024, the
        # company debtor's stay.
        counts = self.env["res.partner"]._dunning_retention_purge(
            self.company, d("2024-06-01")
        )
        self.assertEqual(counts[person.id, "dunning.payment.page.request"][1], 2)
        self.assertFalse(Request.search([("partner_id", "=", person.id)]))
        self.assertEqual(Request.search_count([("partner_id", "=", self.debtor.id)]), 1)
