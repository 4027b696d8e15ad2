# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The learned payment date: features, training, prediction (no Odoo import).

Gradient-boosted trees (scikit-learn's HistGradientBoostingRegressor, fixed
``random_state``) predict the days between an invoice's due date and its
payment from what was known on a reference date (the invoice's due date when
training, the day of the forecast when predicting):

- the debtor's history: its invoices paid before the reference date (mean
  and median days late, share paid late, number of invoices);
- the invoice: amount, terms (days from the invoice date to the due date);
- the chase: reminders done to the debtor in the 90 days before the
  reference date (the level it reached), a promise alive on the reference
  date, the invoice in dispute.

Censoring (invoices still open when the model is trained): an invoice open
for more than ``CAP`` days past due counts with the target ``CAP`` (paid
later than that, if ever: all the forecast needs); one open for fewer days
is left out (its payment date is not known yet) and counted
(``censored``). Predictions are clipped to ``CAP``.
"""

from bisect import bisect_left
from statistics import mean, median

CAP = 120
MIN_SAMPLES = 30
FEATURES = (
    "mean_late",
    "median_late",
    "share_late",
    "invoices",
    "amount",
    "terms",
    "reminders",
    "promise",
    "dispute",
)


class DebtorHistory:
    """The paid invoices of one debtor, to read its history at any date."""

    def __init__(self, paid, reminders=(), promises=()):
        """:param paid: iterable of (due, paid_on) of its paid invoices.
        :param reminders: dates of the reminders done to it.
        :param promises: (made, promised date) of its promises."""
        self.paid = sorted((paid_on, (paid_on - due).days) for due, paid_on in paid)
        self.paid_dates = [item[0] for item in self.paid]
        self.reminders = sorted(reminders)
        self.promises = list(promises)

    def features(self, on_date, amount, terms, dispute=False):
        """Return the feature vector (``FEATURES``) known on ``on_date``."""
        known = [late for _paid_on, late in self.paid[: self._count(on_date)]]
        reminders = bisect_left(self.reminders, on_date) - bisect_left(
            self.reminders, on_date.fromordinal(on_date.toordinal() - 90)
        )
        promise = any(made < on_date <= date for made, date in self.promises)
        if known:
            lateness = [
                mean(known),
                median(known),
                sum(1 for late in known if late > 0) / len(known),
            ]
        else:
            # No history: NaN, which the trees route apart.
            lateness = [float("nan")] * 3
        return [
            *lateness,
            len(known),
            float(amount),
            float(terms),
            reminders,
            float(promise),
            float(dispute),
        ]

    def _count(self, on_date):
        return bisect_left(self.paid_dates, on_date)


def target(due, paid_on, on_date):
    """Return the training target of an invoice as known on ``on_date``.

    :param paid_on: its payment date, None when still open on ``on_date``.
    :return: days late (at most ``CAP``), or None when censored (open,
        fewer than ``CAP`` days past due: left out).
    """
    if paid_on and paid_on < on_date:
        return min((paid_on - due).days, CAP)
    if (on_date - due).days > CAP:
        return CAP
    return None


def train(features, targets, random_state=0):
    """Return the regressor trained on the feature vectors and targets."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    model = HistGradientBoostingRegressor(
        max_iter=200,
        learning_rate=0.05,
        min_samples_leaf=min(20, max(2, len(targets) // 10)),
        loss="absolute_error",
        random_state=random_state,
    )
    model.fit(features, targets)
    return model


def predict(model, features):
    """Return the predicted days late of feature vectors (clipped to CAP)."""
    if not features:
        return []
    return [
        max(-CAP, min(CAP, round(float(value)))) for value in model.predict(features)
    ]
