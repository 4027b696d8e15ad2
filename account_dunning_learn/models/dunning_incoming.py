# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from odoo.addons.account_dunning_advanced.models.replies.dunning_message_rule import (
    MESSAGE_CLASSES,
)

from ..engine import reply_model

CLASSIFYING = "dunning_learn_classifying"


class DunningIncoming(models.Model):
    _inherit = "dunning.incoming"

    classified_by = fields.Selection(
        [("rules", "Rules"), ("model", "Learned model")],
        string="Decided by",
        readonly=True,
        help="Learned model: the classifier trained on the sample and the "
        "collectors' corrections was sure enough. Rules: the fixed patterns.",
    )
    model_confidence = fields.Float(
        string="Model confidence",
        readonly=True,
        help="The probability the learned model gave its class (0 to 1).",
    )
    class_by_model = fields.Selection(
        MESSAGE_CLASSES,
        string="Class by the model",
        readonly=True,
        help="The class the learned model found, whether it decided or not.",
    )
    class_confirmed = fields.Boolean(
        readonly=True,
        copy=False,
        help="A collector confirmed or corrected the class: the message is an "
        "example for the next training.",
    )

    @api.depends("classified_by", "class_by_model")
    def _compute_corrected(self):
        """Corrected: the collector changed the class the machine decided,
        the model's when it decided."""
        by_model = self.filtered(lambda i: i.classified_by == "model")
        for incoming in by_model:
            incoming.corrected = incoming.message_class != incoming.class_by_model
        return super(DunningIncoming, self - by_model)._compute_corrected()

    def _classify(self):
        return super(
            DunningIncoming, self.with_context(**{CLASSIFYING: True})
        )._classify()

    def write(self, vals):
        if (
            "message_class" in vals
            and not self.env.context.get(CLASSIFYING)
            and "class_confirmed" not in vals
        ):
            vals = dict(vals, class_confirmed=True)
        return super().write(vals)

    def action_apply(self):
        self.write({"class_confirmed": True})
        return super().action_apply()

    def action_confirm(self):
        self.filtered(lambda i: i.state == "to_review").write({"class_confirmed": True})
        return super().action_confirm()

    def _dunning_decide_class(self, texts, rules):
        """The learned model decides when it is enabled, trained, sure enough
        and its class had enough examples; else the rules. Unsure with no rule
        matched: to review, no effect."""
        decided = super()._dunning_decide_class(texts, rules)
        Classifier = self.env["dunning.reply.classifier"]
        for company in self.company_id:
            incomings = self.filtered(lambda i, c=company: i.company_id == c)
            record = Classifier._get_for_company(company, create=False)
            predictions = (
                record._predict([texts[i.id] for i in incomings]) if record else None
            )
            if predictions is None:
                for incoming in incomings:
                    decided[incoming.id]["classified_by"] = "rules"
                continue
            trusted = record._trusted_classes()
            labels = dict(
                self._fields["class_by_model"]._description_selection(self.env)
            )
            for incoming, (label, confidence) in zip(
                incomings, predictions, strict=True
            ):
                rule_class = rules[incoming.id].message_class or None
                message_class, by, to_review = reply_model.decide(
                    label, confidence, rule_class, record.min_confidence, trusted
                )
                values = decided[incoming.id]
                values.update(
                    {
                        "message_class": message_class,
                        "classified_by": by,
                        "class_by_model": label,
                        "model_confidence": confidence,
                    }
                )
                if to_review and incoming.state == "new":
                    values["state"] = "to_review"
                    values["suggested_effect"] = self.env._(
                        "The learned model is unsure (%(label)s at %(confidence)s "
                        "%%) and no rule matched: choose the class, then apply it.",
                        label=labels[label],
                        confidence=round(confidence * 100),
                    )
        return decided
