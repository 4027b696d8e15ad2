# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Learn the class of a debtor's reply from labelled examples.

Plain Python and scikit-learn, no Odoo. A pipeline of TF-IDF on words (1-2
grams) and on characters inside words (2-5 grams: typos, conjugations and
"règlerons/reglerons" alike), accent-insensitive and lowercase, and a
logistic regression whose classes are weighted by their rarity.

The evaluation is honest: each message is predicted by a model that did not
see it (stratified k-fold), and the rules' predictions are scored on the very
same messages.
"""

import csv
import os
from collections import Counter

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from odoo.addons.account_dunning_advanced.engine import advisor

# What the rules say when none matched.
NO_RULE = "other"
# A message sent to review, in the combined evaluation: never right.
REVIEW = "__review__"
# Inverse regularisation of the logistic regression. Chosen among 10, 30,
# 100 and 1000 on the shipped sample's cross-validation (same accuracy, 72-74
# %; the held-out confidences grow with it): at 100, 188 of the 300
# held-out messages reach 60 % confidence and 87 % of those are right; at 10
# only 43 % reach it, at 1000 the confident ones are right less often (83 %).
C = 100.0
SAMPLE_PATH = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "data", "reply_samples.csv"
)


def read_samples(path=SAMPLE_PATH):
    """Return the labelled replies of a CSV file (text, label, lang) as a
    list of dicts, in the file's order."""
    with open(path, encoding="utf-8", newline="") as file:
        return [
            {"text": row["text"], "label": row["label"], "lang": row["lang"]}
            for row in csv.DictReader(file)
        ]


def _pipeline(seed):
    common = {"strip_accents": "unicode", "lowercase": True, "sublinear_tf": True}
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            TfidfVectorizer(
                                analyzer="word", ngram_range=(1, 2), **common
                            ),
                        ),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(2, 5), **common
                            ),
                        ),
                    ]
                ),
            ),
            (
                "classifier",
                LogisticRegression(
                    class_weight="balanced", max_iter=2000, C=C, random_state=seed
                ),
            ),
        ]
    )


def train(texts, labels, seed=0):
    """Return a fitted Pipeline that predicts labels from texts.

    :param texts: list of str (subject and body of each message)
    :param labels: list of str, one class per text (at least two classes)
    """
    if len(set(labels)) < 2:
        raise ValueError("At least two classes are needed to train.")
    return _pipeline(seed).fit(list(texts), list(labels))


def predict(model, texts):
    """Return [(label, confidence)] for texts: the likeliest class and its
    probability (0 to 1)."""
    texts = list(texts)
    if not texts:
        return []
    probabilities = model.predict_proba(texts)
    classes = model.classes_
    result = []
    for row in probabilities:
        best = int(row.argmax())
        result.append((str(classes[best]), float(row[best])))
    return result


def decide(
    predicted,
    confidence,
    rule_class,
    min_confidence,
    trusted_classes,
):
    """Choose between the model and the rules for one message.

    The model decides when its class is one it learned from enough examples
    (``trusted_classes``) and its confidence reaches ``min_confidence``.
    Otherwise the rules decide; when they found nothing either and the model
    was unsure, the message goes to review (no effect).

    :param predicted: the model's class, or None without a usable model
    :param rule_class: the class of the rule that matched, or None
    :return: (class, "model" or "rules", to_review)
    """
    if predicted is not None:
        if predicted in trusted_classes and confidence >= min_confidence:
            return predicted, "model", False
        if not rule_class and confidence < min_confidence:
            return NO_RULE, "rules", True
    return rule_class or NO_RULE, "rules", False


def wilson_interval(successes, total):
    """Return the 95 % Wilson score interval (low, high) of a proportion:
    the advisor's (``account_dunning_advanced/engine/advisor.py``), (0, 1)
    when there is nothing to measure."""
    return advisor.wilson(successes, total)


def _scores(truth, predicted, classes):
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=classes, zero_division=0
    )
    correct = sum(1 for a, b in zip(truth, predicted, strict=True) if a == b)
    low, high = wilson_interval(correct, len(truth))
    return {
        "per_class": {
            cls: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, cls in enumerate(classes)
        },
        "accuracy": correct / len(truth) if truth else 0.0,
        "accuracy_low": low,
        "accuracy_high": high,
        "macro_f1": float(sum(f1) / len(classes)) if classes else 0.0,
    }


def evaluate(texts, labels, rule_predictions, folds=5, seed=0, min_confidence=None):
    """Cross-validate the model and score the rules on the same messages.

    Each message is predicted by a model trained on the other folds
    (stratified: each fold keeps the share of every class). The folds are
    capped by the smallest class (at least 2).

    :param rule_predictions: the rules' class for each text (None: no rule)
    :return: dict with "count", "folds", "classes", "model" and "rules"
        (each: "per_class" {class: precision, recall, f1, support},
        "accuracy" with its 95 % interval "accuracy_low"/"accuracy_high",
        "macro_f1"), and "model_only" / "rules_only": the messages only
        the model, or only the rules, got right. With ``min_confidence``,
        also "combined": what :func:`decide` gives (every class trusted),
        the messages sent to review counted as wrong, and "to_review" their
        number.
    """
    texts, labels = list(texts), list(labels)
    rules = [prediction or NO_RULE for prediction in rule_predictions]
    if not (len(texts) == len(labels) == len(rules)):
        raise ValueError("texts, labels and rule_predictions differ in length.")
    smallest = min(Counter(labels).values()) if labels else 0
    folds = min(folds, smallest)
    if folds < 2 or len(set(labels)) < 2:
        raise ValueError("Not enough examples per class to cross-validate.")
    predicted = [None] * len(texts)
    confidences = [0.0] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(texts, labels):
        model = train(
            [texts[i] for i in train_index], [labels[i] for i in train_index], seed
        )
        for i, (label, confidence) in zip(
            test_index, predict(model, [texts[i] for i in test_index]), strict=True
        ):
            predicted[i], confidences[i] = label, confidence
    classes = sorted(set(labels))
    result = {
        "count": len(texts),
        "folds": folds,
        "classes": classes,
        "model": _scores(labels, predicted, classes),
        "rules": _scores(labels, rules, classes),
        "model_only": sum(
            1
            for truth, mine, theirs in zip(labels, predicted, rules, strict=True)
            if mine == truth != theirs
        ),
        "rules_only": sum(
            1
            for truth, mine, theirs in zip(labels, predicted, rules, strict=True)
            if theirs == truth != mine
        ),
        "predictions": predicted,
        "confidences": confidences,
    }
    if min_confidence is not None:
        decided = [
            decide(mine, confidence, rule, min_confidence, classes)
            for mine, confidence, rule in zip(
                predicted, confidences, rule_predictions, strict=True
            )
        ]
        result["combined"] = _scores(
            labels,
            [REVIEW if review else cls for cls, _by, review in decided],
            classes,
        )
        result["to_review"] = sum(1 for _cls, _by, review in decided if review)
    return result
