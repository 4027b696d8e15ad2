# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import model_store, payment_date

_logger = logging.getLogger(__name__)


class DunningPaymentModel(models.Model):
    """A payment-date model learned from a company's ledger.

    The trees (``engine/payment_date.py``) are stored signed with the
    database's secret (``engine/model_store.py``); the latest model of a
    company dates its open invoices (``account.move.dunning_learned_date``),
    which the cash-in forecast uses.
    """

    _name = "dunning.payment.model"
    _description = "Collections learned payment dates"
    _order = "date_trained desc, id desc"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_trained = fields.Datetime(string="Trained on", readonly=True)
    model_file = fields.Binary(attachment=True, readonly=True, copy=False)
    size = fields.Integer(string="Size (bytes)", readonly=True)
    sample_count = fields.Integer(
        string="Invoices learned from",
        readonly=True,
        help="Paid invoices, and invoices still open more than 120 days past "
        "due (counted as paid 120 days late or later).",
    )
    censored_count = fields.Integer(
        string="Open invoices left out",
        readonly=True,
        help="Invoices still open, fewer than 120 days past due: their payment "
        "date is not known yet, they are not learned from.",
    )
    test_count = fields.Integer(
        string="Invoices tested on",
        readonly=True,
        help="The latest fifth of the invoices (by due date), predicted by a "
        "model trained on the others only.",
    )
    mae_days = fields.Float(
        string="Mean error (days)",
        readonly=True,
        digits=(16, 1),
        help="Mean absolute error of the predicted days late on the invoices "
        "tested on.",
    )
    mae_baseline_days = fields.Float(
        string="Mean error of the due date (days)", readonly=True, digits=(16, 1)
    )

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------
    @api.model
    def _dunning_learn_data(self, company):
        """Return the company's invoices and the debtors' histories.

        Three queries: the invoices of ``dunning.partner.score.
        _invoices_query`` (the score's one definition of the history), the
        reminders done, the promises not cancelled.

        :return: (invoices, histories): list of dicts ``id``, ``partner_id``,
            ``due``, ``terms``, ``amount``, ``paid_on`` (None while open),
            ``dispute``, ``open``; dict partner id ->
            ``payment_date.DebtorHistory``.
        """
        self.env.flush_all()
        Score = self.env["dunning.partner.score"]
        rows = self.env.execute_query(
            SQL(
                """
                WITH inv AS (%s)
                SELECT id, partner_id, due, COALESCE(invoice_date, due), amount,
                       CASE WHEN reconciled THEN paid_on END, excluded,
                       open_residual
                  FROM inv
                 ORDER BY due, id
                """,
                Score._invoices_query(company),
            )
        )
        reminders = defaultdict(list)
        for partner_id, date in self.env.execute_query(
            SQL(
                """
                SELECT partner_id, date FROM dunning_action
                 WHERE company_id = %s AND kind = 'reminder' AND state = 'done'
                """,
                company.id,
            )
        ):
            reminders[partner_id].append(date)
        promises = defaultdict(list)
        for partner_id, made, date in self.env.execute_query(
            SQL(
                """
                SELECT partner_id, date_made, date FROM dunning_promise
                 WHERE company_id = %s AND state IN ('open', 'kept', 'broken')
                """,
                company.id,
            )
        ):
            promises[partner_id].append((made, date))
        invoices, paid = [], defaultdict(list)
        for (
            move_id,
            partner_id,
            due,
            invoice_date,
            amount,
            paid_on,
            excluded,
            res,
        ) in rows:
            invoices.append(
                {
                    "id": move_id,
                    "partner_id": partner_id,
                    "due": due,
                    "terms": (due - invoice_date).days,
                    "amount": amount,
                    "paid_on": paid_on,
                    "dispute": bool(excluded),
                    "open": res,
                }
            )
            if paid_on:
                paid[partner_id].append((due, paid_on))
        histories = {
            partner_id: payment_date.DebtorHistory(
                paid.get(partner_id, ()),
                reminders.get(partner_id, ()),
                promises.get(partner_id, ()),
            )
            for partner_id in {invoice["partner_id"] for invoice in invoices}
        }
        return invoices, histories

    @api.model
    def _dunning_samples(self, invoices, histories, on_date):
        """Return the training set known on ``on_date``.

        :return: (features, targets, censored count): each invoice due
            before ``on_date`` with its features on its due date (the
            debtor's history then) and its days late as known on
            ``on_date`` (``payment_date.target``).
        """
        features, targets, censored = [], [], 0
        for invoice in invoices:
            if invoice["due"] >= on_date:
                continue
            value = payment_date.target(invoice["due"], invoice["paid_on"], on_date)
            if value is None:
                censored += 1
                continue
            features.append(
                histories[invoice["partner_id"]].features(
                    invoice["due"],
                    invoice["amount"],
                    invoice["terms"],
                    invoice["dispute"],
                )
            )
            targets.append(value)
        return features, targets, censored

    @api.model
    def _dunning_fit(self, invoices, histories, on_date, random_state=0):
        """Return the model trained on what was known on ``on_date``, or None
        below ``payment_date.MIN_SAMPLES`` invoices."""
        features, targets, _censored = self._dunning_samples(
            invoices, histories, on_date
        )
        if len(targets) < payment_date.MIN_SAMPLES:
            return None
        return payment_date.train(features, targets, random_state=random_state)

    @api.model
    def _dunning_predict_dates(self, model, invoices, histories, on_date):
        """Return move id -> learned payment date of ``invoices`` as
        predicted on ``on_date`` (the debtors' histories known then)."""
        features = [
            histories[invoice["partner_id"]].features(
                on_date, invoice["amount"], invoice["terms"], invoice["dispute"]
            )
            for invoice in invoices
        ]
        days = payment_date.predict(model, features)
        return {
            invoice["id"]: invoice["due"] + timedelta(days=value)
            for invoice, value in zip(invoices, days, strict=True)
        }

    # ------------------------------------------------------------------
    # Training and storage
    # ------------------------------------------------------------------
    @api.model
    def _dunning_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    def _dunning_load(self):
        """Return the trained regressor (signature checked), or None."""
        self.ensure_one()
        if not self.model_file:
            return None
        blob = self.with_context(bin_size=False).model_file
        return model_store.loads(base64.b64decode(blob), self._dunning_secret())

    @api.model
    def _dunning_latest(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _dunning_train(self, company, on_date=None, random_state=0):
        """Train the company's model on its ledger, store it, date the open
        invoices. Returns the new record, or an empty recordset below
        ``payment_date.MIN_SAMPLES`` invoices (the forecast keeps its dates).

        Measured first on the latest fifth of the invoices (by due date)
        with a model trained on the others, then trained on all.
        """
        on_date = on_date or fields.Date.context_today(self)
        invoices, histories = self._dunning_learn_data(company)
        features, targets, censored = self._dunning_samples(
            invoices, histories, on_date
        )
        if len(targets) < payment_date.MIN_SAMPLES:
            _logger.info(
                "Payment dates of %s not learned: %s invoices, %s needed.",
                company.name,
                len(targets),
                payment_date.MIN_SAMPLES,
            )
            return self.browse()
        cut = len(targets) - len(targets) // 5
        held = payment_date.train(features[:cut], targets[:cut], random_state)
        predicted = payment_date.predict(held, features[cut:])
        tested = targets[cut:]
        model = payment_date.train(features, targets, random_state)
        blob = model_store.dumps(model, self._dunning_secret())
        record = self.create(
            {
                "company_id": company.id,
                "date_trained": fields.Datetime.now(),
                "model_file": base64.b64encode(blob),
                "size": len(blob),
                "sample_count": len(targets),
                "censored_count": censored,
                "test_count": len(tested),
                "mae_days": sum(
                    abs(p - t) for p, t in zip(predicted, tested, strict=True)
                )
                / len(tested),
                "mae_baseline_days": sum(abs(t) for t in tested) / len(tested),
            }
        )
        self.search([("company_id", "=", company.id), ("id", "!=", record.id)]).unlink()
        record._dunning_update_dates(model, invoices, histories, on_date)
        return record

    def _dunning_update_dates(self, model, invoices, histories, on_date):
        """Write the learned date of the company's open invoices (one UPDATE)
        and clear it on the others."""
        self.ensure_one()
        dates = self._dunning_predict_dates(
            model,
            [invoice for invoice in invoices if invoice["open"]],
            histories,
            on_date,
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move am
                   SET dunning_learned_date = NULL
                 WHERE am.company_id = %s AND am.dunning_learned_date IS NOT NULL
                """,
                self.company_id.id,
            )
        )
        if dates:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE account_move am
                       SET dunning_learned_date = new.day
                      FROM (VALUES %s) AS new(id, day)
                     WHERE am.id = new.id
                    """,
                    SQL(", ").join(
                        SQL("(%s, %s::date)", move_id, day)
                        for move_id, day in dates.items()
                    ),
                )
            )
        self.env["account.move"].invalidate_model(["dunning_learned_date"])

    @api.model
    def _cron_train(self):
        """Nightly: train each company's model."""
        for company in self.env["res.company"].search([]):
            self.with_company(company)._dunning_train(company)

    @api.model
    def action_train_now(self):
        """Train the current company's model now."""
        record = self._dunning_train(self.env.company)
        if not record:
            raise UserError(
                self.env._(
                    "Not enough history to learn from: at least %(count)s "
                    "invoices paid (or open more than 120 days past due) are "
                    "needed.",
                    count=payment_date.MIN_SAMPLES,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": record.id,
            "view_mode": "form",
        }
