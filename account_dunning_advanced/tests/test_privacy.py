# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DunningCommon, d

PURGE_DAY = d("2024-06-01")


@tagged("post_install", "-at_install")
class TestNaturalPerson(DunningCommon):
    def test_who_is_a_person(self):
        Partner = self.env["res.partner"]
        person = Partner.create({"name": "Jeanne Martin"})
        contact = Partner.create({"name": "Jeanne's son", "parent_id": person.id})
        self.assertTrue(person.dunning_natural_person)
        self.assertTrue(contact.dunning_natural_person)
        self.assertEqual(person.dunning_regime, "consumer")
        self.assertFalse(self.debtor.dunning_natural_person)
        self.assertFalse(self.ap.dunning_natural_person)
        trader = Partner.create({"name": "Sole trader", "company_registry": "1"})
        self.assertFalse(trader.dunning_natural_person)
        # A VAT number later: a professional, and so are its contacts.
        person.vat = "FR23334175221"
        self.assertFalse(person.dunning_natural_person)
        self.assertFalse(contact.dunning_natural_person)
        public = Partner.create({"name": "Mairie", "dunning_public_buyer": True})
        self.assertFalse(public.dunning_natural_person)
        # Stored: searchable.
        found = Partner.search(
            [("dunning_natural_person", "=", True), ("id", "in", contact.ids)]
        )
        self.assertFalse(found)


@tagged("post_install", "-at_install")
class TestRetention(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.reason = cls.env["dunning.dispute.reason"].search([], limit=1)
        # Settled in 2020: its data go after 2 years (consumer).
        cls.person = Partner.create({"name": "Jeanne Martin", "email": "j@x.example"})
        # Still owes: kept.
        cls.owing = Partner.create({"name": "Paul Owing", "email": "p@x.example"})
        # Settled in January 2024: within the period, kept.
        cls.recent = Partner.create({"name": "Rita Recent"})
        # A person a manager forced professional: 5 years, kept in 2024.
        cls.trader = Partner.create(
            {"name": "Tom Trader", "dunning_regime_override": "professional"}
        )
        for partner in (cls.person, cls.debtor, cls.trader):
            cls._pay(cls._invoice(partner, 100, "2020-01-31"), on=d("2020-02-15"))
        cls._invoice(cls.owing, 100, "2020-01-31")
        cls._pay(cls._invoice(cls.recent, 100, "2023-12-31"), on=d("2024-01-10"))
        cls.records = {
            partner: cls._chase_records(partner)
            for partner in (cls.person, cls.debtor, cls.owing, cls.recent)
        }

    @classmethod
    def _chase_records(cls, partner):
        """A reminder with its text, letter and note, a reply, a promise, a
        dispute and a note on the debtor: what the chase gathers."""
        action = cls.env["dunning.action"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "level_id": cls.lvl_1.id,
                "date": d("2020-02-05"),
                "kind": "reminder",
                "state": "done",
                "note": f"Called {partner.name}, said they lost their job",
            }
        )
        message = action.message_post(body=f"Dear {partner.name}, please pay.")
        letter = cls.env["ir.attachment"].create(
            {
                "name": "letter.pdf",
                "raw": b"%PDF letter",
                "res_model": "dunning.action",
                "res_id": action.id,
            }
        )
        reply = cls.env["dunning.incoming"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "subject": "My situation",
                "email_from": f"{partner.name} <someone@x.example>",
                "body": "<p>I am ill, I will pay next month.</p>",
            }
        )
        promise = cls.env["dunning.promise"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "date": d("2020-02-14"),
                "date_made": d("2020-02-06"),
                "amount": 100,
                "note": "Will pay after the benefits arrive",
            }
        )
        dispute = cls.env["dunning.dispute"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "reason_id": cls.reason.id,
                "description": "<p>Says the parcel was damaged</p>",
            }
        )
        note = partner.message_post(
            body="Neighbour says he moved abroad",
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        note.sudo().date = "2020-03-01 10:00:00"
        return {
            "action": action,
            "message": message,
            "letter": letter,
            "reply": reply,
            "promise": promise,
            "dispute": dispute,
            "note": note,
        }

    def _purge(self):
        return self.env["res.partner"]._dunning_retention_purge(self.company, PURGE_DAY)

    def test_candidates(self):
        cutoffs = self.env["res.partner"]._dunning_retention_candidates(
            self.company, PURGE_DAY
        )
        self.assertEqual(cutoffs, {self.person.id: d("2022-06-01")})
        # In 2025 the person forced professional is past 5 years as well.
        cutoffs = self.env["res.partner"]._dunning_retention_candidates(
            self.company, d("2025-03-01")
        )
        self.assertEqual(set(cutoffs), {self.person.id, self.trader.id})

    def test_purge_what_goes_what_stays(self):
        records = self.records[self.person]
        invoices = self.env["account.move"].search(
            [("partner_id", "=", self.person.id), ("move_type", "=", "out_invoice")]
        )
        preview = self.env["dunning.retention.preview"]._dunning_open(
            self.company, PURGE_DAY
        )
        wizard = self.env["dunning.retention.preview"].browse(preview["res_id"])
        self.assertEqual(wizard.line_ids.partner_id, self.person)
        previewed = {line.what: line.count for line in wizard.line_ids}
        counts = self._purge()
        # The preview showed exactly what the purge did.
        self.assertEqual(previewed, {label: count for label, count in counts.values()})
        self.assertEqual({partner for partner, _key in counts}, {self.person.id})
        # Gone: the texts, the reply, the notes, the letter.
        self.assertFalse(records["message"].body)
        self.assertFalse(records["letter"].exists())
        self.assertFalse(records["action"].note)
        self.assertFalse(records["reply"].body)
        self.assertFalse(records["reply"].email_from)
        self.assertFalse(records["reply"].subject)
        self.assertFalse(records["promise"].note)
        self.assertFalse(records["dispute"].description)
        self.assertFalse(records["note"].body)
        # Kept: the accounting and the facts of the chase (dates, amounts).
        self.assertEqual(invoices.exists(), invoices)
        self.assertEqual(invoices.payment_state, "paid")
        self.assertTrue(records["action"].exists())
        self.assertEqual(records["action"].level_id, self.lvl_1)
        self.assertEqual(records["promise"].amount, 100)
        self.assertTrue(records["dispute"].exists())
        # Logged on the debtor.
        logs = self.person.message_ids.filtered(
            lambda m: "retention policy" in (m.body or "")
        )
        self.assertEqual(len(logs), 1)
        self.assertIn("2022", logs.body)
        # The others are untouched: a company, a person still owing, a
        # person settled within the period.
        for partner in (self.debtor, self.owing, self.recent):
            kept = self.records[partner]
            self.assertIn("please pay", kept["message"].body)
            self.assertTrue(kept["letter"].exists())
            self.assertTrue(kept["action"].note)
            self.assertIn("next month", kept["reply"].body)
            self.assertTrue(kept["promise"].note)
            self.assertTrue(kept["dispute"].description)
            self.assertIn("abroad", kept["note"].body)
        # Idempotent: nothing more to purge, nothing more logged.
        self.assertEqual(self._purge(), {})
        logs_after = self.person.message_ids.filtered(
            lambda m: "retention policy" in (m.body or "")
        )
        self.assertEqual(logs_after, logs)

    def test_person_owing_another_company(self):
        """Settled in this company, owing in another: this company's records
        go, the notes on the person (shared by the companies) stay."""
        other = self.setup_other_company()["company"]
        self._invoice(self.person, 50, "2020-01-31", company=other)
        self._purge()
        records = self.records[self.person]
        self.assertFalse(records["action"].note)
        self.assertFalse(records["message"].body)
        self.assertIn("abroad", records["note"].body)

    def test_preview_refused_to_a_collector(self):
        collector = self._new_user(
            "privacy_collector", "account_dunning_advanced.group_dunning_user"
        )
        with self.assertRaises(AccessError):
            self.env["dunning.retention.preview"].with_user(collector)._dunning_open(
                self.company, PURGE_DAY
            )

    def test_cron_respects_the_switch(self):
        self.company.dunning_retention_enabled = False
        self.env["res.partner"]._cron_dunning_retention_purge()
        self.assertTrue(self.records[self.person]["action"].note)

    def test_export(self):
        manager = self._new_user(
            "privacy_manager", "account_dunning_advanced.group_dunning_manager"
        )
        action = self.person.with_user(manager).action_dunning_export_personal_data()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(manager).browse(attachment_id)
        data = json.loads(attachment.raw)
        self.assertEqual(data["person"]["name"], "Jeanne Martin")
        self.assertEqual(data["person"]["email"], "j@x.example")
        self.assertEqual(len(data["invoices"]), 1)
        reminder = data["reminders"][0]
        self.assertIn("lost their job", reminder["note"])
        self.assertTrue(
            any("please pay" in m["body"] for m in reminder["messages"]), reminder
        )
        self.assertIn("next month", data["replies"][0]["body"])
        self.assertIn("benefits", data["promises"][0]["note"])
        self.assertIn("damaged", data["disputes"][0]["description"])
        self.assertIn("abroad", data["person"]["notes"][0]["body"])
        # Another person's data are not in it.
        self.assertNotIn("Paul Owing", attachment.raw.decode())
        # The file is not readable by another user of the contact.
        collector = self._new_user(
            "privacy_collector2", "account_dunning_advanced.group_dunning_user"
        )
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(collector).browse(attachment_id).raw  # noqa: B018
        # Refused to a collector who is not a manager.
        with self.assertRaises(AccessError):
            self.person.with_user(collector).action_dunning_export_personal_data()
