# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Measure the reply classifier against the rules on held-out messages.

Usage::

    python3 scripts/evaluate_replies.py -c odoo.conf -d DB [--sample-only]

For each company (account_dunning_learn installed): its training set (the
shipped sample and the messages its collectors confirmed or corrected, or the
sample alone with ``--sample-only``) is cross-validated (stratified k-fold,
fixed seed): each message is classified by a model that did not train on it
and by the company's active rules. Prints precision, recall and support per
class for both, the accuracy with its 95 % interval and the macro F1: the
computation the "Train now" button stores. Read-only, nothing is trained.
"""

import sys

from odoo_script import environment, parser


def format_result(title, evaluation, min_confidence):
    """Return the lines printed for one evaluation."""
    model, rules = evaluation["model"], evaluation["rules"]
    lines = [
        f"{title}: {evaluation['count']} messages, "
        f"{evaluation['folds']}-fold cross-validation",
        f"  {'class':<15}{'support':>8}{'P model':>9}{'P rules':>9}"
        f"{'R model':>9}{'R rules':>9}",
    ]
    for cls in evaluation["classes"]:
        mine, theirs = model["per_class"][cls], rules["per_class"][cls]
        lines.append(
            f"  {cls:<15}{mine['support']:>8}{mine['precision']:>9.2f}"
            f"{theirs['precision']:>9.2f}{mine['recall']:>9.2f}"
            f"{theirs['recall']:>9.2f}"
        )
    for name, scores in (("model", model), ("rules", rules)):
        lines.append(
            f"  {name}: accuracy {scores['accuracy']:.3f} (95 % interval "
            f"{scores['accuracy_low']:.3f}-{scores['accuracy_high']:.3f}), "
            f"macro F1 {scores['macro_f1']:.3f}"
        )
    lines.append(
        f"  model when confidence >= {min_confidence:.2f}, else the rules: "
        f"accuracy {evaluation['combined']['accuracy']:.3f}, "
        f"{evaluation['to_review']} to review"
    )
    lines.append(
        f"  right only by the model: {evaluation['model_only']}, "
        f"only by the rules: {evaluation['rules_only']}"
    )
    return lines


def main(argv=None):
    args_parser = parser(__doc__)
    args_parser.add_argument(
        "--sample-only",
        action="store_true",
        help="the shipped sample alone, not the company's labelled messages",
    )
    args_parser.add_argument("--folds", type=int, default=5)
    args_parser.add_argument("--seed", type=int, default=0)
    args = args_parser.parse_args(argv)
    lines = []
    with environment(args) as env:
        from odoo.addons.account_dunning_learn.engine import reply_model

        Classifier = env["dunning.reply.classifier"]
        for company in env["res.company"].search([]):
            record = Classifier._get_for_company(company)
            if args.sample_only:
                samples = reply_model.read_samples()
                texts = [sample["text"] for sample in samples]
                labels = [sample["label"] for sample in samples]
            else:
                texts, labels, _sample, _own = record._training_set()
            evaluation = record._evaluate(
                texts, labels, folds=args.folds, seed=args.seed
            )
            lines += format_result(company.name, evaluation, record.min_confidence)
            if args.sample_only:
                break  # the same for every company with the same rules
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
