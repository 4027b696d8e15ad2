# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d

from ..engine import model_store, reply_model

RAW = """From: {sender}
To: recouvrement@mycompany.example
Subject: Re: relance
Message-Id: <learn-{n}@debtor.example>
Authentication-Results: mx.mycompany.example; dkim=pass header.d=debtorsa.example
Date: Tue, 10 Mar 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

{body}
"""
# The rules find nothing in these; the model trained on the sample does.
PROMISE = "Bonjour, je vous règle le 25/03/2026 sans faute."
UNRELATED = "Le chat dort sur le canapé."
LOGGER = "odoo.addons.account_dunning_learn.models.dunning_reply_classifier"


@tagged("post_install", "-at_install")
class TestReplyClassifier(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.debtor, 800, "2026-03-01")
        cls.env["mail.alias.domain"].create(
            {"name": "mycompany.example", "company_ids": [Command.link(cls.company.id)]}
        )
        cls.company.dunning_trust_authenticated = True
        # Trained once, on the shipped sample only (no message labelled yet).
        cls.classifier = cls.env["dunning.reply.classifier"]._get_for_company(
            cls.company
        )
        cls.classifier.action_train()

    def _receive(self, body, n=1):
        self.env["mail.thread"].with_context(mail_create_nolog=True).message_process(
            "dunning.incoming", RAW.format(sender=self.ap.email, n=n, body=body)
        )
        return self.env["dunning.incoming"].search([], order="id desc", limit=1)

    def test_model_beats_the_rules_on_held_out_messages(self):
        classifier = self.classifier
        samples = reply_model.read_samples()
        self.assertEqual((classifier.sample_count, classifier.own_count), (300, 0))
        self.assertEqual(classifier.cv_folds, 5)
        self.assertGreater(classifier.model_size, 1000)
        self.assertEqual(classifier.model_size, len(self._blob()))
        lines = classifier.quality_ids
        self.assertEqual(len(lines), 6, "one line per class")
        self.assertEqual(sum(lines.mapped("support")), len(samples))
        self.assertEqual(lines.mapped("support"), lines.mapped("example_count"))
        # What the settings show is what was measured: the recall of each
        # class weighted by its held-out messages is the accuracy.
        for who in ("model", "rules"):
            weighted = sum(
                line[f"{who}_recall"] * line.support for line in lines
            ) / sum(lines.mapped("support"))
            self.assertAlmostEqual(weighted, classifier[f"{who}_accuracy"], places=6)
        # The model is right more often than the rules, beyond the
        # uncertainty of 300 messages, and on every class' F1 on average.
        self.assertGreater(
            classifier.model_accuracy_low, classifier.rules_accuracy_high
        )
        self.assertGreater(classifier.model_macro_f1, classifier.rules_macro_f1 + 0.2)
        self.assertGreater(classifier.model_only_count, classifier.rules_only_count)
        self.assertIn("cross-validation", classifier.summary)

    def _blob(self):
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "dunning.reply.classifier"),
                ("res_field", "=", "model_file"),
                ("res_id", "=", self.classifier.id),
            ]
        )
        return attachment.raw

    def test_model_decides_end_to_end(self):
        incoming = self._receive(PROMISE)
        self.assertEqual(incoming.class_by_rules, "other", "no rule matches")
        self.assertEqual(incoming.classified_by, "model")
        self.assertEqual(incoming.message_class, "promise")
        self.assertGreaterEqual(incoming.model_confidence, 0.6)
        self.assertFalse(incoming.corrected)
        # The same effect as a promise found by the rules.
        self.assertEqual(incoming.promise_date, d("2026-03-25"))
        promise = self.debtor.dunning_promise_ids
        self.assertEqual((promise.date, promise.source), (d("2026-03-25"), "email"))
        self.assertEqual(incoming.state, "done")
        self.assertIn("Promise to pay", incoming.effect)
        # A collector's correction is counted against the model's class.
        incoming.message_class = "payment"
        self.assertTrue(incoming.corrected)
        self.assertTrue(incoming.class_confirmed)

    def test_below_the_minimum_the_rules_decide(self):
        self.classifier.min_examples = 1000
        incoming = self._receive(PROMISE)
        self.assertEqual(incoming.class_by_model, "promise", "the model was sure")
        self.assertEqual(incoming.classified_by, "rules")
        self.assertEqual(incoming.message_class, "other")
        self.assertFalse(self.debtor.dunning_promise_ids)
        # Disabled: the model is not even asked.
        self.classifier.write({"min_examples": 20, "enabled": False})
        incoming = self._receive(PROMISE, n=2)
        self.assertEqual(
            (incoming.classified_by, incoming.message_class), ("rules", "other")
        )
        self.assertFalse(incoming.class_by_model)

    def test_unsure_and_no_rule_goes_to_review(self):
        incoming = self._receive(UNRELATED)
        self.assertLess(incoming.model_confidence, 0.6, "the model is unsure")
        self.assertEqual(incoming.class_by_rules, "other")
        self.assertEqual(incoming.state, "to_review")
        self.assertEqual(incoming.message_class, "other")
        self.assertIn("unsure", incoming.suggested_effect)
        self.assertFalse(incoming.effect, "no effect triggered")
        self.assertFalse(self.debtor.dunning_promise_ids)
        self.assertIn(
            incoming,
            self.env["dunning.incoming"].search([("state", "=", "to_review")]),
            "in the review list",
        )
        # The collector's answer is an example for the next training.
        incoming.message_class = "out_of_office"
        incoming.action_confirm()
        self.assertTrue(incoming.class_confirmed)
        texts, labels, sample_count, own_count = self.classifier._training_set()
        self.assertEqual((sample_count, own_count), (300, 1))
        self.assertEqual(labels[-1], "out_of_office")
        self.assertIn(UNRELATED, texts[-1])

    def test_own_correction_wins_over_the_sample(self):
        sample = reply_model.read_samples()[0]
        incoming = self.env["dunning.incoming"].create(
            {
                "subject": "",
                "body": f"<p>{sample['text']}</p>",
                "partner_id": self.debtor.id,
            }
        )
        self.assertFalse(incoming.class_confirmed)
        self.assertEqual(self.classifier._training_set()[2:], (300, 0))
        incoming.message_class = "other"
        texts, labels, sample_count, own_count = self.classifier._training_set()
        self.assertEqual((sample_count, own_count), (299, 1))
        self.assertEqual(labels[texts.index(incoming._text())], "other")
        self.assertNotIn(sample["text"], texts)

    def test_tampered_model_is_refused(self):
        blob = self._blob()
        tampered = blob[:-1] + bytes([blob[-1] ^ 1])
        with self.assertRaises(model_store.ModelSignatureError):
            model_store.loads(tampered, self.classifier._secret())
        self.classifier.model_file = base64.b64encode(tampered)
        with self.assertLogs(LOGGER, "WARNING") as logs:
            incoming = self._receive(PROMISE)
        self.assertIn("refused", logs.output[0])
        self.assertEqual(incoming.classified_by, "rules")
        self.assertEqual(incoming.message_class, "other")
        self.assertFalse(incoming.class_by_model)

    def test_only_managers_train(self):
        user = self._new_user(
            "collector_learn", "account_dunning_advanced.group_dunning_user"
        )
        classifier = self.classifier.with_user(user)
        self.assertIn(
            "%s %% right" % round(self.classifier.model_accuracy * 100, 1),
            classifier.summary,
            "a collector reads the quality",
        )
        with self.assertRaises(AccessError):
            classifier.action_train()

    def test_settings_show_the_quality(self):
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertIn("cross-validation", settings.dunning_reply_summary)
        action = settings.action_dunning_open_reply_classifier()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("dunning.reply.classifier", self.classifier.id),
        )
        arch = self.env["dunning.reply.classifier"].get_views([(False, "form")])
        self.assertIn("quality_ids", arch["views"]["form"]["arch"])
