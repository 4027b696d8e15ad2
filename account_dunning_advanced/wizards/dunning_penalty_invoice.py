# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..engine import penalties


class DunningPenaltyInvoice(models.TransientModel):
    """Invoice the late-payment penalties not invoiced yet.

    One draft customer invoice per debtor and currency, one line of interest
    per late invoice (from the day after the last invoiced date) and one line
    per indemnity (once per invoice). What was invoiced is kept in
    ``dunning.penalty`` so that nothing is invoiced twice.
    """

    _name = "dunning.penalty.invoice"
    _description = "Invoice late-payment penalties"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Compute up to",
        required=True,
        default=fields.Date.context_today,
        help="Interest is computed up to this date (included); it is also the "
        "date of the penalty invoices.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Debtors",
        domain=[("parent_id", "=", False)],
        help="Leave empty, with no invoice either, for every debtor.",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('dunning_is_penalty', '=', False), ('company_id', '=', company_id)]",
        help="Leave empty for every late invoice of the debtors.",
    )
    include_paid = fields.Boolean(
        string="Include invoices paid late",
        help="Also claim the penalties of invoices already paid, late. Disputed "
        "invoices (excluded from reminders) are left out unless selected.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        active_ids = context.get("active_ids") or []
        if context.get("active_model") == "account.move" and "move_ids" in fields_list:
            moves = self.env["account.move"].browse(active_ids)
            values["move_ids"] = [Command.set(moves.ids)]
            if len(moves.company_id) == 1:
                values["company_id"] = moves.company_id.id
        elif (
            context.get("active_model") == "res.partner"
            and "partner_ids" in fields_list
        ):
            partners = self.env["res.partner"].browse(active_ids)
            values["partner_ids"] = [Command.set(partners.commercial_partner_id.ids)]
        return values

    @api.depends("company_id", "date", "partner_ids", "move_ids", "include_paid")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = (
                wizard._render_preview(wizard._compute_penalty_lines())
                if wizard.company_id and wizard.date
                else False
            )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    def _get_moves(self):
        """Return the invoices whose penalties are to be invoiced."""
        self.ensure_one()
        if self.move_ids:
            moves = self.move_ids._origin._dunning_penalty_moves()
            if moves.company_id - self.company_id:
                raise UserError(
                    self.env._(
                        "Invoice the penalties of one company at a time: "
                        "%(invoices)s belong to another company.",
                        invoices=", ".join(
                            moves.filtered(
                                lambda move: move.company_id != self.company_id
                            ).mapped("name")
                        ),
                    )
                )
            return moves
        payment_states = ["not_paid", "partial"]
        if self.include_paid:
            payment_states += ["in_payment", "paid"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("dunning_is_penalty", "=", False),
            ("dunning_excluded", "=", False),
            ("payment_state", "in", payment_states),
            ("line_ids.date_maturity", "<", self.date),
        ]
        if self.partner_ids:
            domain.append(
                (
                    "commercial_partner_id",
                    "in",
                    self.partner_ids._origin.commercial_partner_id.ids,
                )
            )
        return self.env["account.move"].search(domain, order="invoice_date, id")

    def _compute_penalty_lines(self):
        """Return what is left to invoice, one dict per late invoice.

        Keys: ``move``, ``interest`` (engine Interest from the first day not
        invoiced), ``indemnity`` (Decimal), ``date_from``.
        """
        self.ensure_one()
        moves = self._get_moves()
        start_dates, indemnity_done = self.env["dunning.penalty"]._get_invoiced(moves)
        results = moves._dunning_penalty_compute(self.date, start_dates, indemnity_done)
        lines = []
        for move in moves:
            result = results[move.id]
            if result.interest.amount <= 0 and result.indemnity <= 0:
                continue
            due_dates = move.line_ids.filtered(
                lambda aml: aml.display_type == "payment_term"
            ).mapped("date_maturity")
            first_late = fields.Date.add(
                min(due_dates or [move.invoice_date_due]), days=1
            )
            lines.append(
                {
                    "move": move,
                    "interest": result.interest,
                    "indemnity": result.indemnity,
                    "date_from": result.interest.date_from
                    or min(start_dates.get(move.id) or first_late, self.date),
                }
            )
        return lines

    def _render_preview(self, lines):
        """Return an HTML table of what the wizard would invoice."""
        if not lines:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "Nothing to invoice: no late-payment penalty accrued up to this "
                "date that was not invoiced already."
            )
        rows = Markup("").join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
            )
            % (
                line["move"].commercial_partner_id.display_name,
                line["move"].name,
                format_date(self.env, line["interest"].date_from),
                format_date(self.env, line["interest"].date_to),
                formatLang(
                    self.env,
                    float(line["interest"].amount),
                    currency_obj=line["move"].currency_id,
                ),
                formatLang(
                    self.env,
                    float(line["indemnity"]),
                    currency_obj=line["move"].currency_id,
                ),
            )
            for line in lines
        )
        head = Markup("").join(
            Markup("<th>%s</th>") % title
            for title in (
                self.env._("Debtor"),
                self.env._("Invoice"),
                self.env._("From"),
                self.env._("To"),
                self.env._("Interest"),
                self.env._("Indemnity"),
            )
        )
        return Markup(
            "<table class='table table-sm'><thead><tr>%s</tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (head, rows)

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Create the penalty invoices (drafts) and record what they claim."""
        self.ensure_one()
        lines = self._compute_penalty_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "Nothing to invoice: no late-payment penalty accrued up to "
                    "%(date)s that was not invoiced already.",
                    date=format_date(self.env, self.date),
                )
            )
        product = self.company_id._get_dunning_penalty_product()
        if not product:
            raise UserError(
                self.env._(
                    "Choose the product of the penalty invoices in the settings "
                    "(Collections)."
                )
            )
        accounts = self.company_id._get_dunning_penalty_accounts()
        if not all(accounts):
            raise UserError(
                self.env._(
                    "Choose the income accounts of the late-payment interest and "
                    "of the recovery indemnity in the settings (Collections, "
                    "Penalty invoices): penalties are never posted to sales "
                    "(French chart: 7631 and 7581)."
                )
            )
        groups = defaultdict(list)
        for line in lines:
            move = line["move"]
            groups[(move.commercial_partner_id, move.currency_id)].append(line)
        invoices = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                [
                    self._prepare_penalty_invoice_vals(
                        partner, currency, group, product, accounts
                    )
                    for (partner, currency), group in groups.items()
                ]
            )
        )
        self.env["dunning.penalty"].create(
            [
                self._prepare_penalty_vals(line, invoice)
                for invoice, group in zip(invoices, groups.values(), strict=True)
                for line in group
            ]
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalty invoices"),
            "res_model": "account.move",
            "context": {"default_move_type": "out_invoice"},
        }
        if len(invoices) == 1:
            action.update(view_mode="form", res_id=invoices.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", invoices.ids)])
        return action

    def _prepare_penalty_vals(self, line, invoice):
        interest = line["interest"]
        return {
            "move_id": line["move"].id,
            "penalty_move_id": invoice.id,
            "date_from": line["date_from"],
            "date_to": self.date,
            "days": sum(segment.days for segment in interest.segments),
            "rates": ", ".join(
                dict.fromkeys(f"{segment.rate:.2f}" for segment in interest.segments)
            ),
            "interest": float(interest.amount),
            "indemnity": float(line["indemnity"]),
        }

    def _prepare_penalty_invoice_vals(
        self, partner, currency, lines, product, accounts=None
    ):
        """Return the values of the penalty invoice of partner in currency.

        Labels are in the debtor's language; the interest and the indemnity
        go to their own income accounts (``accounts``: interest, indemnity),
        without tax.
        """
        env = self.with_context(lang=partner.lang or self.env.lang).env
        interest_account, indemnity_account = (
            accounts or self.company_id._get_dunning_penalty_accounts()
        )
        regime = partner.sudo().dunning_regime or penalties.REGIME_PROFESSIONAL
        invoice_lines = []
        for line in lines:
            move, interest = line["move"], line["interest"]
            if interest.amount > 0:
                invoice_lines.append(
                    self._prepare_penalty_line_vals(
                        product,
                        env._(
                            "Late-payment interest on %(invoice)s from "
                            "%(date_from)s to %(date_to)s",
                            invoice=move.name,
                            date_from=format_date(env, interest.date_from),
                            date_to=format_date(env, interest.date_to),
                        ),
                        interest.amount,
                        interest_account,
                    )
                )
            if line["indemnity"] > 0:
                if regime == penalties.REGIME_PUBLIC:
                    label = env._(
                        "Fixed recovery indemnity (French Public Procurement "
                        "Code, art. L2192-13) for %(invoice)s",
                        invoice=move.name,
                    )
                else:
                    label = env._(
                        "Fixed recovery indemnity (French Commercial Code, "
                        "art. D441-5) for %(invoice)s",
                        invoice=move.name,
                    )
                invoice_lines.append(
                    self._prepare_penalty_line_vals(
                        product, label, line["indemnity"], indemnity_account
                    )
                )
        return {
            "move_type": "out_invoice",
            "partner_id": partner.address_get(["invoice"])["invoice"],
            "currency_id": currency.id,
            "invoice_date": self.date,
            "dunning_is_penalty": True,
            "invoice_origin": ", ".join(line["move"].name for line in lines)[:500],
            "narration": self._penalty_narration(env, currency, lines, regime),
            "invoice_line_ids": [Command.create(vals) for vals in invoice_lines],
        }

    def _prepare_penalty_line_vals(self, product, name, amount, account):
        return {
            "product_id": product.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": float(amount),
            # Never a sales account: the interest and the indemnity have their
            # own income accounts.
            "account_id": account.id,
            # Penalties are damages, outside the scope of VAT.
            "tax_ids": [Command.clear()],
        }

    def _penalty_narration(self, env, currency, lines, regime=None):
        """Return the computation details printed on the penalty invoice."""

        def money(value):
            return formatLang(env, float(value), currency_obj=currency)

        details = Markup("").join(
            Markup("<li>%s</li>")
            % env._(
                "%(invoice)s: %(date_from)s - %(date_to)s, %(days)s days x "
                "%(base)s x %(rate)s %% / 365 = %(amount)s",
                invoice=line["move"].name,
                date_from=format_date(env, segment.date_from),
                date_to=format_date(env, segment.date_to),
                days=segment.days,
                base=money(segment.base),
                rate=formatLang(env, float(segment.rate), digits=2),
                amount=money(segment.amount),
            )
            for line in lines
            for segment in line["interest"].segments
        )
        if regime == penalties.REGIME_CONSUMER:
            intro = env._(
                "Late-payment interest at the legal interest rate (French Civil "
                "Code, art. 1231-6 and 1344-1): from the day after the formal "
                "notice on the amount left open each day, actual days / 365. "
                "Outside the scope of VAT."
            )
        elif regime == penalties.REGIME_PUBLIC:
            intro = env._(
                "Late-payment penalties (French Public Procurement Code, art. "
                "L2192-13 and R2192-31): interest from the day after the due "
                "date on the amount left open each day, actual days / 365. "
                "Outside the scope of VAT."
            )
        else:
            intro = env._(
                "Late-payment penalties (French Commercial Code, art. L441-10 "
                "and D441-5): interest from the day after the due date on the "
                "amount left open each day, actual days / 365. Outside the "
                "scope of VAT."
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (intro, details)
