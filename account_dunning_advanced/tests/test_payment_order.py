# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import zipfile

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestPaymentOrder(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dunning_penalty_mode": "legal",
                "dunning_indemnity_enabled": True,
                "dunning_indemnity_amount": 40.0,
            }
        )
        cls.company.dunning_allow_auto_formal_notice = True
        cls.company.invoice_terms = "Payment at 30 days."
        cls.lvl_2.write(
            {
                "level_type": "formal_notice",
                "channel_registered_letter": True,
                "payment_deadline_days": 8,
                "auto_execute": True,
            }
        )
        cls.debtor.write(
            {"company_registry": "81234567800012", "zip": "69002", "city": "Lyon"}
        )
        cls.invoice = cls._invoice(
            cls.debtor, 1000, "2026-03-01", invoice_date=d("2026-02-01")
        )

    def _order_after_unanswered_notice(self):
        self._run("2026-03-06")
        self._run("2026-03-21")
        notice = self._actions(level_id=self.lvl_2.id)
        letter = notice.registered_letter_ids
        letter._dunning_record_posting("1A 123", d("2026-03-21"))
        letter._dunning_record_receipt(
            "received", d("2026-03-24"), proof=b"scan", proof_name="AR.jpg"
        )
        return self.env["dunning.payment.order"].create({"partner_id": self.debtor.id})

    @freeze_time("2026-04-30")
    def test_prefilled_amounts_and_court(self):
        order = self._order_after_unanswered_notice()
        self.assertEqual(order.move_ids, self.invoice)
        self.assertEqual(order.amount_principal, 1000.0)
        result = self.invoice._dunning_penalty_compute(d("2026-04-30"))[self.invoice.id]
        self.assertGreater(order.amount_interest, 0)
        self.assertAlmostEqual(order.amount_interest, float(result.interest.amount))
        self.assertEqual(order.amount_indemnity, 40.0, "D441-5: 40 EUR per invoice")
        self.assertAlmostEqual(
            order.amount_total, 1040.0 + float(result.interest.amount)
        )
        self.assertIn("L441-10", order.interest_basis)
        self.assertIn(self.invoice.name, order.interest_basis)
        self.assertIn("D441-5", order.indemnity_basis)
        self.assertEqual(order.formal_notice_id.level_id, self.lvl_2)
        self.assertIn("Commercial court", order.court)
        self.assertIn("69002 Lyon", order.court)
        consumer = self._create_debtor("Jean Dupont", is_company=False, city="Caen")
        consumer_order = self.env["dunning.payment.order"].create(
            {"partner_id": consumer.id}
        )
        self.assertIn("Judicial court", consumer_order.court_suggestion)
        self.assertIn("Caen", consumer_order.court_suggestion)

    @freeze_time("2026-04-30")
    def test_filing_builds_the_file_and_suspends_reminders(self):
        order = self._order_after_unanswered_notice()
        order.action_file()
        self.assertEqual(order.state, "filed")
        self.assertEqual(order.date_filed, d("2026-04-30"))
        with zipfile.ZipFile(io.BytesIO(order.file_id.raw)) as archive:
            names = sorted(archive.namelist())
        self.assertEqual(
            names,
            sorted(
                [
                    "request.pdf",
                    "statement.pdf",
                    "invoices/%s.pdf" % self.invoice.name.replace("/", "_"),
                    "reminders.csv",
                    "terms_of_sale.txt",
                    "formal_notice.pdf",
                    "acknowledgement_of_receipt.jpg",
                ]
            ),
        )
        with zipfile.ZipFile(io.BytesIO(order.file_id.raw)) as archive:
            request = archive.read("request.pdf").decode()
            self.assertEqual(archive.read("acknowledgement_of_receipt.jpg"), b"scan")
        self.assertIn("812345678", request, "the debtor's SIREN")
        self.assertIn("Cerfa 12948", request)
        # Filed: the next level is due, yet no reminder goes out.
        before = len(self._actions())
        run = self._run("2026-04-30")
        self.assertEqual(len(self._actions()), before)
        self.assertTrue(self.debtor.dunning_litigation)
        self.assertFalse(run.action_ids)

    @freeze_time("2026-04-30")
    def test_outcome_recorded(self):
        order = self._order_after_unanswered_notice()
        order.action_file()
        order._dunning_record_outcome("granted", d("2026-05-20"), "Order granted.")
        self.assertEqual(order.state, "granted")
        self.assertEqual(order.date_decision, d("2026-05-20"))
        self.assertTrue(self.debtor.dunning_litigation, "granted: still held")
        order._dunning_record_outcome("rejected", d("2026-05-25"))
        self.assertEqual(order.state, "rejected")
        self.assertFalse(self.debtor.dunning_litigation, "rejected: the chase resumes")
        self.assertEqual(order.outcome_note, "Order granted.")

    @freeze_time("2026-04-30")
    def test_button_on_the_debtor_opens_a_prefilled_order(self):
        self._order_after_unanswered_notice().unlink()
        action = self.debtor.action_dunning_payment_order()
        self.assertEqual(action["res_model"], "dunning.payment.order")
        order = self.env["dunning.payment.order"].browse(action["res_id"])
        self.assertEqual((order.partner_id, order.state), (self.debtor, "draft"))
        self.assertEqual(order.move_ids, self.invoice)
        self.assertEqual(order.amount_principal, 1000.0)
        self.assertEqual(order.amount_indemnity, 40.0)
        self.assertEqual(order.amounts_date, d("2026-04-30"))
        self.assertEqual(order.formal_notice_id.level_id, self.lvl_2)
        self.assertEqual(order.registered_letter_id.tracking_number, "1A 123")
        # From a contact of the debtor, again: the same request to file.
        again = self.ap.action_dunning_payment_order()
        self.assertEqual(again["res_id"], order.id)
        self.assertEqual(
            self.env["dunning.payment.order"].search_count(
                [("partner_id", "=", self.debtor.id)]
            ),
            1,
        )

    @freeze_time("2026-04-30")
    def test_refused_for_a_debtor_in_insolvency_proceedings(self):
        draft = self._order_after_unanswered_notice()
        proceeding = self.env["dunning.proceeding"].create(
            {
                "partner_id": self.debtor.id,
                "company_id": self.company.id,
                "kind": "receivership",
                "judgment_date": d("2026-04-15"),
                "state": "open",
            }
        )
        self.assertTrue(self.debtor.dunning_in_proceedings)
        with self.assertRaisesRegex(ValidationError, "L622-21"):
            self.debtor.action_dunning_payment_order()
        with self.assertRaisesRegex(ValidationError, "insolvency proceedings"):
            self.env["dunning.payment.order"].create({"partner_id": self.debtor.id})
        # The draft prepared before the judgment cannot be filed either.
        with self.assertRaisesRegex(ValidationError, "L622-21"):
            draft.action_file()
        self.assertEqual(draft.state, "draft")
        self.assertFalse(self.debtor.dunning_litigation)
        # Proceedings closed: the order can be requested again.
        proceeding.state = "closed"
        action = self.debtor.action_dunning_payment_order()
        self.assertEqual(action["res_id"], draft.id)
