# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reply model's engine, without a database."""

from collections import Counter

from odoo.tests.common import BaseCase

from ..engine import reply_model

TEXTS = [
    "nous vous réglerons le 15",
    "je vous règle vendredi",
    "paiement prévu fin du mois",
    "we will pay next week",
    "la marchandise est arrivée abîmée",
    "le prix facturé est faux",
    "goods damaged on arrival",
    "wrong price on the invoice",
]
LABELS = ["promise"] * 4 + ["dispute"] * 4


class TestReplyModel(BaseCase):
    def test_train_and_predict(self):
        model = reply_model.train(TEXTS, LABELS)
        [(label, confidence)] = reply_model.predict(model, ["je vous reglerai lundi"])
        self.assertEqual(label, "promise", "accents and conjugation ignored")
        self.assertGreater(confidence, 0.5)
        self.assertLessEqual(confidence, 1.0)
        [(label, _c)] = reply_model.predict(model, ["the parts arrived DAMAGED"])
        self.assertEqual(label, "dispute")
        self.assertEqual(reply_model.predict(model, []), [])
        with self.assertRaises(ValueError):
            reply_model.train(TEXTS[:2], LABELS[:2])

    def test_same_seed_same_model(self):
        first = reply_model.predict(reply_model.train(TEXTS, LABELS), TEXTS)
        second = reply_model.predict(reply_model.train(TEXTS, LABELS), TEXTS)
        self.assertEqual(first, second)

    def test_decide(self):
        trusted = {"promise", "dispute"}
        decide = reply_model.decide
        self.assertEqual(
            decide("promise", 0.8, "dispute", 0.6, trusted), ("promise", "model", False)
        )
        self.assertEqual(
            decide("promise", 0.5, "dispute", 0.6, trusted),
            ("dispute", "rules", False),
            "unsure: the rules decide",
        )
        self.assertEqual(
            decide("payment", 0.9, None, 0.6, trusted),
            ("other", "rules", False),
            "a class with too few examples: the rules, even if they found nothing",
        )
        self.assertEqual(
            decide("promise", 0.4, None, 0.6, trusted),
            ("other", "rules", True),
            "unsure and no rule: to review",
        )
        self.assertEqual(
            decide(None, 0.0, None, 0.6, trusted), ("other", "rules", False)
        )

    def test_evaluate_scores_the_rules_on_the_same_messages(self):
        rules = ["promise", None, None, "promise", "dispute", None, None, None]
        result = reply_model.evaluate(TEXTS, LABELS, rules, folds=4, seed=0)
        self.assertEqual((result["count"], result["folds"]), (8, 4))
        by_rules = result["rules"]["per_class"]
        # The rules: 2 of 4 promises found, 1 of 4 disputes, all they say right.
        self.assertEqual(by_rules["promise"]["recall"], 0.5)
        self.assertEqual(by_rules["promise"]["precision"], 1.0)
        self.assertEqual(by_rules["dispute"]["recall"], 0.25)
        self.assertEqual(by_rules["promise"]["support"], 4)
        self.assertAlmostEqual(result["rules"]["accuracy"], 3 / 8)
        self.assertEqual(set(result["classes"]), {"promise", "dispute"})
        # Every message was predicted by a model that had not seen it.
        self.assertEqual(len(result["predictions"]), 8)
        model_right = sum(
            p == t for p, t in zip(result["predictions"], LABELS, strict=True)
        )
        self.assertAlmostEqual(result["model"]["accuracy"], model_right / 8)
        low, high = result["model"]["accuracy_low"], result["model"]["accuracy_high"]
        self.assertLessEqual(low, result["model"]["accuracy"])
        self.assertGreaterEqual(high, result["model"]["accuracy"])

    def test_wilson_interval(self):
        low, high = reply_model.wilson_interval(80, 100)
        self.assertAlmostEqual(low, 0.711, places=3)
        self.assertAlmostEqual(high, 0.867, places=3)
        self.assertEqual(reply_model.wilson_interval(0, 0), (0.0, 1.0))

    def test_shipped_sample(self):
        samples = reply_model.read_samples()
        self.assertGreaterEqual(len(samples), 280)
        counts = Counter(sample["label"] for sample in samples)
        self.assertEqual(
            set(counts),
            {"promise", "dispute", "payment", "copy_request", "out_of_office", "other"},
        )
        self.assertGreaterEqual(min(counts.values()), 20, "the default minimum")
        self.assertEqual({sample["lang"] for sample in samples}, {"fr", "en"})
        texts = [sample["text"] for sample in samples]
        self.assertEqual(len(set(texts)), len(texts), "no duplicates")
