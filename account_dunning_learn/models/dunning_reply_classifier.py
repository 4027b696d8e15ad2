# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
import re

from odoo import api, fields, models
from odoo.tools import format_datetime

from odoo.addons.account_dunning_advanced.engine import classifier
from odoo.addons.account_dunning_advanced.models.replies.dunning_message_rule import (
    MESSAGE_CLASSES,
)

from ..engine import model_store, reply_model

_logger = logging.getLogger(__name__)

# The trained models already checked and unpickled, by (database, attachment
# checksum): the same bytes are never unpickled twice by a worker; other
# bytes (a new training, a replaced attachment) have another checksum.
_MODEL_CACHE = {}
_MODEL_CACHE_SIZE = 8
MODEL_GROUPS = "base.group_system,account.group_account_manager"


def _squash(text):
    """The text as compared between the sample and the company's messages."""
    return re.sub(r"\s+", " ", (text or "").strip().lower())


class DunningReplyClassifier(models.Model):
    """The company's reply classifier: a text model trained on the shipped
    sample and the messages its collectors confirmed or corrected.

    The rules stay the fallback: the model decides a message only when it is
    enabled, trained, sure enough, and its class had enough examples.
    """

    _name = "dunning.reply.classifier"
    _description = "Collections reply classifier"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    enabled = fields.Boolean(
        default=True,
        help="Off: the rules alone classify the incoming e-mails.",
    )
    min_examples = fields.Integer(
        string="Minimum examples per class",
        default=20,
        help="Below this number of labelled examples of a class, the rules "
        "decide the messages the model puts in it.",
    )
    min_confidence = fields.Float(
        string="Minimum confidence",
        default=0.6,
        help="Below this probability (0 to 1) the rules decide; when they "
        "found nothing either, the message goes to review.",
    )
    model_file = fields.Binary(
        string="Trained model",
        attachment=True,
        copy=False,
        groups=MODEL_GROUPS,
        help="The model's bytes, signed with the database's secret: any "
        "other bytes are refused.",
    )
    training_date = fields.Datetime(readonly=True, copy=False)
    model_size = fields.Integer(string="Model size (bytes)", readonly=True, copy=False)
    sample_count = fields.Integer(
        string="Examples from the sample",
        readonly=True,
        help="Replies of the labelled sample shipped with the module.",
    )
    own_count = fields.Integer(
        string="Own examples",
        readonly=True,
        help="The company's messages whose class a collector confirmed or "
        "corrected (they replace a sample reply with the same text).",
    )
    cv_folds = fields.Integer(string="Folds", readonly=True)
    model_accuracy = fields.Float(
        readonly=True, help="Share of the held-out messages the model classified right."
    )
    model_accuracy_low = fields.Float(readonly=True)
    model_accuracy_high = fields.Float(readonly=True)
    rules_accuracy = fields.Float(readonly=True)
    rules_accuracy_low = fields.Float(readonly=True)
    rules_accuracy_high = fields.Float(readonly=True)
    model_macro_f1 = fields.Float(string="Model macro F1", readonly=True)
    rules_macro_f1 = fields.Float(string="Rules macro F1", readonly=True)
    combined_accuracy = fields.Float(
        readonly=True,
        help="Model when sure, rules otherwise, as the e-mails are classified; "
        "a message sent to review counts as wrong.",
    )
    review_count = fields.Integer(
        string="Held-out messages to review",
        readonly=True,
        help="Held-out messages the model was unsure of and no rule matched.",
    )
    model_only_count = fields.Integer(
        string="Only the model right",
        readonly=True,
        help="Held-out messages the model classified right and the rules wrong.",
    )
    rules_only_count = fields.Integer(
        string="Only the rules right",
        readonly=True,
        help="Held-out messages the rules classified right and the model wrong.",
    )
    quality_ids = fields.One2many(
        "dunning.reply.classifier.quality", "classifier_id", readonly=True
    )
    summary = fields.Char(compute="_compute_summary")

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company has one reply classifier.",
        ),
        (
            "min_confidence_range",
            "CHECK(min_confidence >= 0 AND min_confidence <= 1)",
            "The minimum confidence is between 0 and 1.",
        ),
    ]

    @api.depends("training_date", "model_accuracy", "rules_accuracy", "cv_folds")
    def _compute_summary(self):
        for record in self:
            if not record.training_date:
                record.summary = self.env._("Not trained yet: the rules decide.")
                continue
            record.summary = self.env._(
                "Trained on %(date)s with %(count)s examples. On messages it did "
                "not train on (%(folds)s-fold cross-validation): %(model)s %% "
                "right (95 %% interval %(low)s-%(high)s %%), the rules "
                "%(rules)s %%.",
                date=format_datetime(self.env, record.training_date),
                count=record.sample_count + record.own_count,
                folds=record.cv_folds,
                model=round(record.model_accuracy * 100, 1),
                low=round(record.model_accuracy_low * 100, 1),
                high=round(record.model_accuracy_high * 100, 1),
                rules=round(record.rules_accuracy * 100, 1),
            )

    @api.model
    def _get_for_company(self, company, create=True):
        """Return the company's classifier, created on first use unless
        ``create`` is False (then maybe an empty record)."""
        classifier_record = self.sudo().search(
            [("company_id", "=", company.id)], limit=1
        )
        if classifier_record or not create:
            return classifier_record
        return self.sudo().create({"company_id": company.id})

    # ------------------------------------------------------------------
    # Training
    # ------------------------------------------------------------------
    def _training_set(self):
        """Return (texts, labels, sample count, own count): the shipped sample
        and the company's labelled messages; a message of the company wins over
        a sample reply with the same text."""
        self.ensure_one()
        own = {}
        for incoming in self._labelled_messages():
            own[_squash(incoming._text())] = (incoming._text(), incoming.message_class)
        texts, labels, sample_count = [], [], 0
        for sample in reply_model.read_samples():
            if _squash(sample["text"]) in own:
                continue
            texts.append(sample["text"])
            labels.append(sample["label"])
            sample_count += 1
        for text, label in own.values():
            texts.append(text)
            labels.append(label)
        return texts, labels, sample_count, len(own)

    def _labelled_messages(self):
        """The company's messages whose class a collector confirmed or
        corrected."""
        self.ensure_one()
        return (
            self.env["dunning.incoming"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    "|",
                    ("class_confirmed", "=", True),
                    ("corrected", "=", True),
                ],
                order="id",
            )
        )

    def _rule_predictions(self, texts):
        rules = self.env["dunning.message.rule"].sudo().search([("active", "=", True)])
        specs = [(rule.id, rule.pattern) for rule in rules]
        classes = {rule.id: rule.message_class for rule in rules}
        return [classes.get(classifier.classify(text, specs)) for text in texts]

    def _evaluate(self, texts, labels, folds=5, seed=0):
        """Cross-validate the model on texts and score the company's active
        rules on the same messages (see ``reply_model.evaluate``)."""
        self.ensure_one()
        return reply_model.evaluate(
            texts,
            labels,
            self._rule_predictions(texts),
            folds=folds,
            seed=seed,
            min_confidence=self.min_confidence,
        )

    def action_train(self):
        """Train each classifier on its training set, measure it by
        cross-validation against the rules on the same messages, store it.

        Collections managers only (the write right on the classifier)."""
        self.check_access("write")
        for record in self.sudo():
            texts, labels, sample_count, own_count = record._training_set()
            evaluation = record._evaluate(texts, labels)
            model = reply_model.train(texts, labels, seed=0)
            blob = model_store.dumps(model, record._secret())
            counts = {}
            for label in labels:
                counts[label] = counts.get(label, 0) + 1
            model_scores, rules_scores = evaluation["model"], evaluation["rules"]
            record.write(
                {
                    "model_file": base64.b64encode(blob),
                    "training_date": fields.Datetime.now(),
                    "model_size": len(blob),
                    "sample_count": sample_count,
                    "own_count": own_count,
                    "cv_folds": evaluation["folds"],
                    "model_accuracy": model_scores["accuracy"],
                    "model_accuracy_low": model_scores["accuracy_low"],
                    "model_accuracy_high": model_scores["accuracy_high"],
                    "rules_accuracy": rules_scores["accuracy"],
                    "rules_accuracy_low": rules_scores["accuracy_low"],
                    "rules_accuracy_high": rules_scores["accuracy_high"],
                    "model_macro_f1": model_scores["macro_f1"],
                    "rules_macro_f1": rules_scores["macro_f1"],
                    "combined_accuracy": evaluation["combined"]["accuracy"],
                    "review_count": evaluation["to_review"],
                    "model_only_count": evaluation["model_only"],
                    "rules_only_count": evaluation["rules_only"],
                    "quality_ids": [(5, 0, 0)]
                    + [
                        (
                            0,
                            0,
                            {
                                "message_class": cls,
                                "example_count": counts.get(cls, 0),
                                "support": model_scores["per_class"][cls]["support"],
                                "model_precision": model_scores["per_class"][cls][
                                    "precision"
                                ],
                                "model_recall": model_scores["per_class"][cls][
                                    "recall"
                                ],
                                "rules_precision": rules_scores["per_class"][cls][
                                    "precision"
                                ],
                                "rules_recall": rules_scores["per_class"][cls][
                                    "recall"
                                ],
                            },
                        )
                        for cls in evaluation["classes"]
                    ],
                }
            )
        return True

    @api.model
    def _cron_train(self):
        """Train the enabled classifiers of every company whose labelled
        messages changed since the last training (or never trained)."""
        for company in self.env["res.company"].sudo().search([]):
            record = self._get_for_company(company)
            if not record.enabled:
                continue
            if record.training_date and not self.env[
                "dunning.incoming"
            ].sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("write_date", ">", record.training_date),
                    "|",
                    ("class_confirmed", "=", True),
                    ("corrected", "=", True),
                ],
                limit=1,
            ):
                continue
            record.action_train()
            if self.env.context.get("dunning_auto_commit"):
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _train_company(self, company_id):
        """Train the classifier of one company (the demo data's call)."""
        company = self.env["res.company"].browse(company_id)
        self._get_for_company(company).action_train()

    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    # ------------------------------------------------------------------
    # Using the model
    # ------------------------------------------------------------------
    def _load_model(self):
        """Return the trained model, or None (not trained, disabled, or bytes
        not signed by this database: refused with a warning)."""
        self.ensure_one()
        record = self.sudo()
        if not record.enabled or not record.training_date:
            return None
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "model_file"),
                    ("res_id", "=", record.id),
                ],
                limit=1,
            )
        )
        if not attachment:
            return None
        key = (self.env.cr.dbname, attachment.checksum)
        if key in _MODEL_CACHE:
            return _MODEL_CACHE[key]
        try:
            model = model_store.loads(attachment.raw, record._secret())
        except model_store.ModelSignatureError as error:
            _logger.warning(
                "Reply classifier of company %s: stored model refused (%s); "
                "the rules classify.",
                record.company_id.id,
                error,
            )
            return None
        if len(_MODEL_CACHE) >= _MODEL_CACHE_SIZE:
            _MODEL_CACHE.pop(next(iter(_MODEL_CACHE)))
        _MODEL_CACHE[key] = model
        return model

    def _trusted_classes(self):
        self.ensure_one()
        return {
            line.message_class
            for line in self.sudo().quality_ids
            if line.example_count >= self.min_examples
        }

    def _predict(self, texts):
        """Return [(class, confidence)] for texts, or None without a usable
        model."""
        self.ensure_one()
        model = self._load_model()
        if model is None:
            return None
        return reply_model.predict(model, texts)


class DunningReplyClassifierQuality(models.Model):
    """The classifier's quality on one class, measured at its training on
    messages it did not train on, against the rules on the same messages."""

    _name = "dunning.reply.classifier.quality"
    _description = "Collections reply classifier quality per class"
    _order = "classifier_id, message_class"

    classifier_id = fields.Many2one(
        "dunning.reply.classifier", required=True, ondelete="cascade", index=True
    )
    message_class = fields.Selection(MESSAGE_CLASSES, string="Class", required=True)
    example_count = fields.Integer(
        string="Examples", help="Labelled messages of this class trained on."
    )
    support = fields.Integer(
        string="Held out",
        help="Messages of this class predicted by a model that did not see them "
        "(each example is held out once in cross-validation).",
    )
    model_precision = fields.Float(
        help="Of the messages the model put in this class, the share that were."
    )
    model_recall = fields.Float(
        help="Of the messages of this class, the share the model found."
    )
    rules_precision = fields.Float(
        help="Of the messages the rules put in this class, the share that were."
    )
    rules_recall = fields.Float(
        help="Of the messages of this class, the share the rules found."
    )
