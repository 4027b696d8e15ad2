# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The unreconciled-payment guard: a reminder is never sent for an invoice
that an unreconciled payment or credit note of the same customer may have
settled, unless the collector confirmed it."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, format_amount

from ..chase.bulk_insert import ids_array


class DunningAction(models.Model):
    # The guard in a file of its own, beside the action's state machine.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.action"

    payment_hold = fields.Boolean(
        string="Held: payment to check",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Not sent: an unreconciled payment or credit note of the "
        "customer may cover an invoice of this reminder. Reconcile it, or "
        "confirm and send anyway.",
    )
    payment_hold_message = fields.Text(
        string="Why it is held", readonly=True, copy=False
    )
    payment_hold_confirmed = fields.Boolean(
        string="Sent despite a payment",
        readonly=True,
        copy=False,
        tracking=True,
        help="A collector confirmed that the unreconciled payments do not "
        "settle the invoices of this reminder.",
    )

    def action_payment_hold_confirm(self):
        """The collector checked the payments: send the reminders anyway."""
        held = self.filtered(lambda a: a.payment_hold and a.state in ("draft", "error"))
        held.write({"payment_hold": False, "payment_hold_confirmed": True})
        if held:
            held._execute()
        return True

    @api.model
    def _dunning_create_reminders(self, vals_list):
        """Mark the reminders of a run that a payment may settle as soon as
        they are created: the collector sees them held among those to
        validate (the sending checks again)."""
        actions = super()._dunning_create_reminders(vals_list)
        actions._dunning_payment_hold(created=True)
        return actions

    def _execute(self):
        """Hold the reminders that an unreconciled payment may settle
        (:meth:`_dunning_payment_hold`), send the others."""
        held = self._dunning_payment_hold()
        to_send = self - held
        if to_send:
            return super(DunningAction, to_send)._execute()
        return True

    def action_execute(self):
        """Send the reminders; say so when some are held by a payment."""
        result = super().action_execute()
        held = self.filtered("payment_hold")
        if not held:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Reminders held"),
                "message": self.env._(
                    "%(count)s reminder(s) not sent: an unreconciled payment of "
                    "the customer may cover their invoices. Reconcile it, or "
                    "open the reminder and confirm.",
                    count=len(held),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _dunning_payment_hold(self, created=False):
        """Hold the actions an unreconciled payment may settle.

        An invoice line of an action (still open) is covered when a payment
        or a credit note of the same customer (an open credit,
        ``account.move.line._dunning_open_credit_sql``, in the action's
        company) is open for at least its open amount. One query for all
        the actions; the held ones are marked ``payment_hold`` with the
        reason, their collector gets an activity.

        :param created: the actions are reminders just created by a run
            (neither held nor confirmed yet): nothing of them is read but
            the payments that may cover them.
        :return: the actions held (not confirmed by a collector).
        """
        to_check = (
            self
            if created
            else self.filtered(
                lambda a: a.kind == "reminder" and not a.payment_hold_confirmed
            )
        )
        if not to_check:
            return self.browse()
        covered = self._dunning_covering_payments(to_check)
        held = to_check.browse([a_id for a_id in to_check.ids if a_id in covered])
        if not created:
            released = (to_check - held).filtered("payment_hold")
            if released:
                released.write({"payment_hold": False, "payment_hold_message": False})
        if not held:
            return held
        newly = held.filtered(lambda a: not a.payment_hold)
        for action in held:
            # Stored: in the company's language (the daily run's user reads
            # none), as its reminders are.
            env = self.with_context(
                lang=action.company_id.partner_id.lang or self.env.lang
            ).env
            currency = action.company_id.currency_id
            action.payment_hold_message = "\n".join(
                env._(
                    "%(invoice)s (%(due)s open) may be paid by %(payment)s "
                    "(%(amount)s, not reconciled).",
                    invoice=invoice,
                    due=format_amount(env, due, currency),
                    payment=payment,
                    amount=format_amount(env, amount, currency),
                )
                for invoice, due, payment, amount in covered[action.id]
            )
        held.write({"payment_hold": True})
        newly._dunning_payment_hold_warn()
        return held

    @api.model
    def _dunning_covering_payments(self, actions):
        """Return ``{action id: [(invoice, open amount, payment, payment
        amount)]}``: the invoices of ``actions`` an unreconciled payment or
        credit note of the same customer may cover (one query)."""
        Line = self.env["account.move.line"]
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.action_id, inv_move.name, inv.amount_residual,
                       pay_move.name, -pay.amount_residual
                  FROM dunning_action_move_line_rel rel
                  JOIN dunning_action action ON action.id = rel.action_id
                  JOIN account_move_line inv ON inv.id = rel.move_line_id
                  JOIN account_move inv_move ON inv_move.id = inv.move_id
                  JOIN res_partner customer
                    ON customer.commercial_partner_id = action.partner_id
                  JOIN account_move_line pay
                    ON pay.partner_id = customer.id
                   AND pay.company_id = action.company_id
                  JOIN account_move pay_move ON pay_move.id = pay.move_id
                 WHERE rel.action_id = ANY(%(ids)s)
                   AND %(invoices)s
                   AND inv.amount_residual > 0
                   AND %(credits)s
                   AND -pay.amount_residual >= inv.amount_residual - 0.005
                 ORDER BY rel.action_id, inv_move.name, pay_move.name
                """,
                ids=ids_array(actions.ids),
                invoices=Line._dunning_collectible_sql("inv"),
                credits=Line._dunning_open_credit_sql("pay", "pay_move"),
            )
        )
        covered = defaultdict(list)
        for action_id, invoice, due, payment, amount in rows:
            covered[action_id].append((invoice, due, payment, amount))
        return covered

    def _dunning_payment_hold_warn(self):
        """Tell the collectors of the held actions (one activity each)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for action in self:
            collector = self.env["dunning.channel.email"]._get_collector(
                action.partner_id
            )
            vals_list.append(
                {
                    "res_model_id": model,
                    "res_id": action.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (collector or self.env.user).id,
                    "summary": self.env._("Payment to check before the reminder"),
                    "note": action.payment_hold_message,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
