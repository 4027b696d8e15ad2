# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class DunningDoubtfulDebt(models.Model):
    """A debtor's invoice carried as a doubtful debt in the books.

    Every step is a real journal entry of the company's doubtful debts
    journal, on the accounts of the settings (French chart: 416, 6817, 491,
    7817, 654, 7714; PCG art. 214-25 for the impairment of receivables):

    - transfer (:meth:`_dunning_transfer`): the open receivable lines of the
      invoice (411) are credited and reconciled, the debt is carried by a
      debit on the doubtful debts account (416) with the debtor as partner;
    - provision (:meth:`_dunning_set_provision`): a percentage of the amount
      excluding VAT (VAT is not lost until the write-off recovers it), booked
      6817 / 491, adjusted at closing (6817 / 491 up, 491 / 7817 down);
    - write-off (:meth:`_dunning_write_off`): the provision released, a
      credit note of the invoice on the loss account (654) recovers the VAT
      paid on invoicing (CGI art. 272-1: VAT on a definitively irrecoverable
      debt is refunded on a corrected invoice), its receivable line and the
      416 balance settled together;
    - recovery (:meth:`_dunning_recover`): the debtor pays after all; before
      a write-off the debt goes back to 411 (416 settled, provision
      released), after it an invoice on the recovery account (7714) with the
      VAT of the credit note, due again (CGI art. 272-1), takes the payment.
    """

    _name = "dunning.doubtful.debt"
    _description = "Doubtful debt"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True
    )
    invoice_id = fields.Many2one(
        "account.move",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Transfer date", required=True, default=fields.Date.context_today
    )
    state = fields.Selection(
        [
            ("doubtful", "Doubtful"),
            ("provisioned", "Provisioned"),
            ("written_off", "Written off"),
            ("recovered", "Recovered"),
        ],
        default="doubtful",
        required=True,
        index=True,
    )
    amount = fields.Monetary(
        string="Doubtful amount (incl. VAT)",
        help="Open amount of the invoice moved to the doubtful debts account.",
    )
    amount_untaxed = fields.Monetary(
        string="Amount excl. VAT",
        help="The part of the doubtful amount excluding VAT: the base of the "
        "provision and of the loss.",
    )
    provision_rate = fields.Float(
        string="Provision (%)",
        help="Share of the amount excluding VAT the manager expects to lose.",
    )
    provision_amount = fields.Monetary(
        string="Provision", compute="_compute_provision_amount"
    )
    transfer_move_id = fields.Many2one(
        "account.move", string="Transfer entry", readonly=True, copy=False
    )
    provision_move_ids = fields.Many2many(
        "account.move",
        "dunning_doubtful_debt_provision_rel",
        "debt_id",
        "move_id",
        string="Provision entries",
        readonly=True,
        copy=False,
    )
    credit_note_id = fields.Many2one(
        "account.move", string="VAT credit note", readonly=True, copy=False
    )
    write_off_move_id = fields.Many2one(
        "account.move", string="Write-off entry", readonly=True, copy=False
    )
    recovery_move_id = fields.Many2one(
        "account.move", string="Recovery entry", readonly=True, copy=False
    )

    @api.depends("provision_move_ids.line_ids.balance")
    def _compute_provision_amount(self):
        for debt in self:
            account = debt.company_id._get_dunning_books_accounts(
                raise_if_missing=False
            )["provision"]
            debt.provision_amount = -sum(
                line.balance
                for line in debt.provision_move_ids.line_ids
                if line.account_id == account and line.parent_state == "posted"
            )

    # ------------------------------------------------------------------
    # Entries
    # ------------------------------------------------------------------
    def _dunning_post_entry(self, date, ref, lines):
        """Create and post a journal entry of the doubtful debts journal.

        :param lines: ``[(account, balance, label)]`` in company currency,
            the debtor as partner of every line.
        """
        self.ensure_one()
        journal = self.company_id._get_dunning_books_accounts()["journal"]
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": ref,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": account.id,
                                "partner_id": self.partner_id.id,
                                "name": label,
                                "balance": balance,
                            }
                        )
                        for account, balance, label in lines
                        if not self.currency_id.is_zero(balance)
                    ],
                }
            )
        )
        move.action_post()
        return move

    @api.model
    def _dunning_transfer(self, invoices, date, rate=0.0):
        """Move the open receivables of invoices to the doubtful debts account.

        One entry per invoice: 416 debited, the invoice's open receivable
        lines credited and reconciled with it (the invoice shows as paid by
        the transfer, the 416 line carries the debt). ``rate``: the provision
        to book at once (percentage of the amount excluding VAT).

        :return: the doubtful debts created.
        """
        debts = self.browse()
        Line = self.env["account.move.line"]
        open_lines = Line.search(
            [
                *Line._dunning_collectible_domain(),
                ("move_id", "in", invoices.ids),
                ("amount_residual", ">", 0),
            ]
        )
        already = self.search(
            [("invoice_id", "in", invoices.ids), ("state", "!=", "recovered")]
        ).invoice_id
        for invoice in invoices - already:
            lines = open_lines.filtered(lambda line, inv=invoice: line.move_id == inv)
            if not lines:
                continue
            company = invoice.company_id
            accounts = company._get_dunning_books_accounts()
            amount = sum(lines.mapped("amount_residual"))
            ratio = (
                invoice.amount_untaxed_signed / invoice.amount_total_signed
                if invoice.amount_total_signed
                else 1.0
            )
            debt = self.create(
                {
                    "company_id": company.id,
                    "partner_id": invoice.commercial_partner_id.id,
                    "invoice_id": invoice.id,
                    "date": date,
                    "amount": amount,
                    "amount_untaxed": company.currency_id.round(amount * ratio),
                }
            )
            label = self.env._("Doubtful debt: %(invoice)s", invoice=invoice.name)
            move = debt._dunning_post_entry(
                date,
                label,
                [(accounts["doubtful"], amount, label)]
                + [(line.account_id, -line.amount_residual, label) for line in lines],
            )
            debt.transfer_move_id = move
            for line in lines:
                counterpart = move.line_ids.filtered(
                    lambda ml, ln=line: ml.account_id == ln.account_id
                    and ml.credit
                    and not ml.reconciled
                )[:1]
                (line | counterpart).reconcile()
            if rate:
                debt._dunning_set_provision(rate, date)
            debts |= debt
        return debts

    def _dunning_set_provision(self, rate, date):
        """Set the provision of each debt to ``rate`` % of its amount excl. VAT.

        Books the difference with the provision booked: 6817 / 491 when it
        grows, 491 / 7817 when it shrinks (adjustment or release at
        closing); nothing when it is right already.
        """
        for debt in self:
            if debt.state not in ("doubtful", "provisioned"):
                raise UserError(
                    self.env._(
                        "%(invoice)s: only a doubtful debt can be provisioned.",
                        invoice=debt.invoice_id.name,
                    )
                )
            accounts = debt.company_id._get_dunning_books_accounts()
            target = debt.currency_id.round(debt.amount_untaxed * rate / 100.0)
            diff = debt.currency_id.round(target - debt.provision_amount)
            label = self.env._(
                "Provision for doubtful debt %(invoice)s (%(rate)s%%)",
                invoice=debt.invoice_id.name,
                rate=rate,
            )
            if diff > 0:
                lines = [
                    (accounts["provision_expense"], diff, label),
                    (accounts["provision"], -diff, label),
                ]
            elif diff < 0:
                lines = [
                    (accounts["provision"], -diff, label),
                    (accounts["provision_reversal"], diff, label),
                ]
            else:
                lines = []
            if lines:
                debt.provision_move_ids |= debt._dunning_post_entry(date, label, lines)
            debt.write(
                {
                    "provision_rate": rate,
                    "state": "provisioned" if target else "doubtful",
                }
            )

    def _dunning_doubtful_lines(self):
        """Return the lines of the doubtful debts account of these debts."""
        moves = self.transfer_move_id | self.write_off_move_id | self.recovery_move_id
        accounts = {
            debt.company_id._get_dunning_books_accounts()["doubtful"] for debt in self
        }
        return moves.line_ids.filtered(lambda line: line.account_id in accounts)

    def _dunning_write_off(self, date):
        """Write the debts off as irrecoverable.

        The provision is released, a credit note of the invoice for the
        doubtful share, on the loss account (654), recovers the VAT (CGI art.
        272-1); an entry credits 416 and debits 411 to settle the credit
        note's receivable line (the rest, if the credit note does not cover
        the whole 416 balance, goes to 654).
        """
        for debt in self:
            if debt.state not in ("doubtful", "provisioned"):
                raise UserError(
                    self.env._(
                        "%(invoice)s: only a doubtful debt can be written off.",
                        invoice=debt.invoice_id.name,
                    )
                )
            accounts = debt.company_id._get_dunning_books_accounts()
            if debt.provision_amount:
                debt._dunning_set_provision(0.0, date)
            invoice = debt.invoice_id
            ratio = (
                debt.amount / invoice.amount_total_signed
                if invoice.amount_total_signed
                else 1.0
            )
            label = self.env._("Irrecoverable debt: %(invoice)s", invoice=invoice.name)
            credit_note = debt._dunning_mirror_invoice(
                invoice, date, ratio, accounts["loss"], label
            )
            receivable = credit_note.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            covered = -sum(receivable.mapped("balance"))
            move = debt._dunning_post_entry(
                date,
                label,
                [
                    (accounts["doubtful"], -debt.amount, label),
                    (accounts["loss"], debt.amount - covered, label),
                ]
                + [(line.account_id, -line.balance, label) for line in receivable],
            )
            for line in receivable:
                (
                    line
                    | move.line_ids.filtered(
                        lambda ml, ln=line: ml.account_id == ln.account_id
                    )
                ).reconcile()
            debt.write(
                {
                    "credit_note_id": credit_note.id,
                    "write_off_move_id": move.id,
                    "state": "written_off",
                }
            )
            debt._dunning_doubtful_lines().filtered(
                lambda line: not line.reconciled
            ).reconcile()

    def _dunning_mirror_invoice(self, source, date, ratio, account, label):
        """Post the reversal of ``source`` for ``ratio`` of it on ``account``.

        The credit note of an invoice, or the invoice of a credit note: same
        lines and taxes, quantities scaled by ``ratio``, every product line on
        ``account``.
        """
        self.ensure_one()
        mirror = source._reverse_moves(
            [{"date": date, "invoice_date": date, "ref": label}]
        )
        for line in mirror.invoice_line_ids.filtered(
            lambda ln: ln.display_type == "product"
        ):
            line.write({"account_id": account.id, "quantity": line.quantity * ratio})
        mirror.action_post()
        return mirror

    def _dunning_recover(self, date, payment_lines=None):
        """The debtor pays after all: undo the doubtful debt.

        Before a write-off: the provision is released (491 / 7817), an entry
        credits 416 and debits the receivable again, reconciled with the
        payment lines given. After a write-off: an invoice of the VAT credit
        note on the recovery account (7714) with the same VAT, due again
        (CGI art. 272-1), reconciled with the payment lines given.

        :param payment_lines: the receivable lines of the payment (credits).
        """
        for debt in self:
            accounts = debt.company_id._get_dunning_books_accounts()
            label = self.env._(
                "Debt recovered: %(invoice)s", invoice=debt.invoice_id.name
            )
            if debt.state in ("doubtful", "provisioned"):
                if debt.provision_amount:
                    debt._dunning_set_provision(0.0, date)
                receivable = debt.transfer_move_id.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                move = debt._dunning_post_entry(
                    date,
                    label,
                    [(accounts["doubtful"], -debt.amount, label)]
                    + [(line.account_id, -line.balance, label) for line in receivable],
                )
                debt._dunning_recovery_reconcile(move, payment_lines)
                debt.recovery_move_id = move
                (
                    debt._dunning_doubtful_lines().filtered(
                        lambda line: not line.reconciled
                    )
                ).reconcile()
            elif debt.state == "written_off":
                if not accounts["recovery"]:
                    raise UserError(
                        self.env._(
                            "Set the recovered written-off debts account in the "
                            "Collections settings (French chart: 7714)."
                        )
                    )
                credit_note = debt.credit_note_id
                paid = (
                    -sum(payment_lines.mapped("amount_residual"))
                    if payment_lines
                    else -credit_note.amount_total_signed
                )
                ratio = min(paid / -credit_note.amount_total_signed, 1.0)
                move = debt._dunning_mirror_invoice(
                    credit_note, date, ratio, accounts["recovery"], label
                )
                debt._dunning_recovery_reconcile(move, payment_lines)
                debt.recovery_move_id = move
            else:
                continue
            debt.state = "recovered"

    def _dunning_recovery_reconcile(self, move, payment_lines):
        """Reconcile the receivable debits of move with the payment lines."""
        if not payment_lines:
            return
        for account in payment_lines.account_id:
            (
                payment_lines.filtered(lambda line, acc=account: line.account_id == acc)
                | move.line_ids.filtered(
                    lambda line, acc=account: line.account_id == acc and line.debit
                )
            ).reconcile()

    # ------------------------------------------------------------------
    # Closing assistant
    # ------------------------------------------------------------------
    @api.model
    def _dunning_closing_candidates(self, company, closing_date):
        """Return the debts to review at closing, with a proposed entry.

        The invoices still open over twelve months after their due date, or
        of a debtor in insolvency proceedings, in litigation or handed to an
        agency (to transfer to
        doubtful debts), and the doubtful debts already in the books (to
        adjust their provision). A fixed number of queries.

        :return: list of dicts ``{partner, invoice, debt, amount, days_late,
            reason, action, rate}``; ``action`` is ``transfer`` or
            ``provision``; ``rate`` the proposed provision (%).
        """
        Line = self.env["account.move.line"]
        Partner = self.env["res.partner"].sudo()
        flagged = Partner.search(
            [
                "|",
                "|",
                ("dunning_in_proceedings", "=", True),
                ("dunning_litigation", "=", True),
                ("dunning_agency_id", "!=", False),
            ]
        )
        year_ago = closing_date - timedelta(days=365)
        invoices = [("move_id.move_type", "=", "out_invoice")]
        lines = Line.search(
            [
                *Line._dunning_overdue_domain(
                    closing_date + timedelta(days=1), company
                ),
                *invoices,
                ("partner_id.commercial_partner_id", "in", flagged.ids),
            ]
        ) | Line.search([*Line._dunning_overdue_domain(year_ago, company), *invoices])
        debts = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "in", ("doubtful", "provisioned")),
            ]
        )
        lines = lines.filtered(lambda line: line.move_id not in debts.invoice_id)
        candidates = []
        for invoice in lines.move_id:
            inv_lines = lines.filtered(lambda line, inv=invoice: line.move_id == inv)
            partner = invoice.commercial_partner_id.sudo()
            due = min(line._dunning_due_date() for line in inv_lines)
            days = (closing_date - due).days
            if partner.dunning_in_proceedings:
                reason, rate = "proceedings", 100.0
            elif partner.dunning_litigation:
                reason, rate = "litigation", 100.0
            elif partner.dunning_agency_id:
                reason, rate = "agency", 50.0
            else:
                reason, rate = "late", 50.0
            candidates.append(
                {
                    "partner": partner.sudo(False),
                    "invoice": invoice,
                    "debt": self.browse(),
                    "amount": sum(inv_lines.mapped("amount_residual")),
                    "days_late": days,
                    "reason": reason,
                    "action": "transfer",
                    "rate": rate,
                }
            )
        for debt in debts:
            candidates.append(
                {
                    "partner": debt.partner_id,
                    "invoice": debt.invoice_id,
                    "debt": debt,
                    "amount": debt.amount,
                    "days_late": (closing_date - debt.invoice_id.invoice_date_due).days
                    if debt.invoice_id.invoice_date_due
                    else 0,
                    "reason": "doubtful",
                    "action": "provision",
                    "rate": debt.provision_rate,
                }
            )
        return candidates

    @api.model
    def _dunning_closing_apply(self, closing_date, proposals):
        """Book the entries of the closing assistant.

        :param proposals: ``[(action, invoice, debt, rate)]`` with ``action``
            ``transfer`` (to doubtful debts, provisioned at ``rate``),
            ``provision`` (set the provision to ``rate``), ``write_off`` or
            ``skip``.
        :return: the doubtful debts concerned.
        """
        done = self.browse()
        for action, invoice, debt, rate in proposals:
            if action == "transfer":
                done |= self._dunning_transfer(invoice, closing_date, rate)
            elif action == "provision" and debt:
                debt._dunning_set_provision(rate, closing_date)
                done |= debt
            elif action == "write_off":
                if not debt:
                    debt = self._dunning_transfer(invoice, closing_date)
                debt._dunning_write_off(closing_date)
                done |= debt
        return done
