# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from num2words import num2words

from odoo import api, models
from odoo.tools import format_amount, format_date, get_lang

#: Late-payment penalties of an invoice (account.move, non-stored, in the
#: invoice currency), computed at the date given as ``dunning_date`` in the
#: context.
PENALTY_FIELDS = (
    "dunning_penalty_interest",
    "dunning_penalty_indemnity",
    "dunning_penalty_total",
)
NO_PENALTY = (0.0, 0.0, 0.0)


def penalties_enabled(company):
    """Return whether the documents of ``company`` show late-payment penalties.

    The company must charge penalties (``dunning_penalty_mode`` other than
    ``none``) and the invoices must compute them: without either field (an
    older version of the module), the documents show no penalty.
    """
    move_fields = company.env["account.move"]._fields
    return bool(
        "dunning_penalty_mode" in company._fields
        and all(name in move_fields for name in PENALTY_FIELDS)
        and (company.dunning_penalty_mode or "none") != "none"
    )


def read_penalties(moves, on_date):
    """Return ``{move id: (interest, indemnity, total)}`` at ``on_date``.

    Read for the whole recordset at once, in each invoice's currency.
    """
    moves = moves.with_context(dunning_date=on_date)
    return {
        move.id: tuple(move[name] or 0.0 for name in PENALTY_FIELDS) for move in moves
    }


def french_euros_in_words(amount):
    """Return a euro amount in French words, as a formal notice writes it.

    Odoo's French name of the cent is "Cents"; the legal usage is "centimes"
    (« mille deux cent trente-quatre euros et cinquante-six centimes »).
    """
    total_cents = int(round(abs(amount) * 100))
    units, cents = divmod(total_cents, 100)
    words = num2words(units, lang="fr")
    if units == 1:
        words += " euro"
    elif words.endswith(("million", "millions", "milliard", "milliards")):
        words += " d'euros"
    else:
        words += " euros"
    if cents:
        words += " et %s centime%s" % (
            num2words(cents, lang="fr"),
            "s" if cents > 1 else "",
        )
    return words


def amount_in_words(currency, amount, lang):
    """Return ``amount`` in words, in lower case, in the debtor's language."""
    if (lang or "").startswith("fr") and currency.name == "EUR":
        return french_euros_in_words(amount)
    return lower_words(currency.with_context(lang=lang).amount_to_text(amount))


def lower_words(text):
    """Return an amount in words in lower case, to read inside a sentence.

    ``res.currency.amount_to_text`` capitalises every word ("One Thousand, Two
    Hundred And Thirty-Four Dollars"); a legal sentence reads better without.
    """
    return (text or "").lower()


class ReportDunningLetter(models.AbstractModel):
    """The reminder letter and the formal notice of a collections action."""

    _name = "report.account_dunning_advanced.report_dunning_letter"
    _description = "Collections letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        actions = self.env["dunning.action"].browse(docids)
        return {
            "doc_ids": actions.ids,
            "doc_model": "dunning.action",
            "docs": actions,
            "letters": self._get_letters(actions),
        }

    @api.model
    def _get_letters(self, actions):
        """Return ``{action id: values of its letter}`` for many actions.

        The penalties are read per date of action, for all its invoices at
        once; the rest comes from the actions' prefetched records.
        """
        shown = {company: penalties_enabled(company) for company in actions.company_id}
        open_lines = actions.line_ids._dunning_collectible()
        moves_by_date = defaultdict(lambda: self.env["account.move"])
        for action in actions:
            if shown[action.company_id]:
                moves_by_date[action.date] |= (action.line_ids & open_lines).move_id
        penalties = {}
        rate_table = self.env["dunning.interest.rate"]._get_rate_table()
        for on_date, moves in moves_by_date.items():
            for move_id, values in read_penalties(moves, on_date).items():
                penalties[move_id, on_date] = values
        return {
            action.id: self._get_letter(
                action,
                shown[action.company_id],
                penalties,
                rate_table,
                open_lines=action.line_ids & open_lines,
            )
            for action in actions
        }

    @api.model
    def _get_body_kind(self, level):
        """Return which default text a level's letter uses when it has none.

        ``pre_due`` before the due date, ``formal_notice`` and ``agency`` by
        the level's type, else ``first`` for the scenario's first level on or
        after the due date and ``second`` for the later ones.
        """
        if level.level_type == "formal_notice":
            return "formal_notice"
        if level.level_type == "agency":
            return "agency"
        if level.delay_days < 0:
            return "pre_due"
        overdue_levels = level.scenario_id.level_ids.filtered(
            lambda lvl: lvl.delay_days >= 0
        ).sorted(lambda lvl: (lvl.delay_days, lvl.id))
        if not overdue_levels or overdue_levels[0] == level:
            return "first"
        return "second"

    @api.model
    def _get_signatory(self, partner):
        """Return the user signing the letters to ``partner``.

        The debtor's collector, else its salesperson, else the user printing
        the letter (none when the system prints it: the company signs).
        """
        partner = partner.sudo()
        signatory = self.env["res.users"]
        if "dunning_collector_id" in partner._fields:
            signatory = partner.dunning_collector_id
        signatory = signatory or partner.user_id
        if not signatory and not self.env.user._is_superuser():
            signatory = self.env.user
        return signatory.sudo(False)

    @api.model
    def _get_address(self, action):
        """Return the partner the letter is addressed to.

        The invoice address of the listed invoices when they all use the same
        one, else the debtor (commercial partner) itself.
        """
        addresses = action.line_ids.move_id.partner_id
        if len(addresses) == 1 and addresses.type == "invoice":
            return addresses
        return action.partner_id.commercial_partner_id

    @api.model
    def _get_letter(
        self, action, show_penalties, penalties, rate_table=None, open_lines=None
    ):
        """Return the values of the letter of one action.

        Amounts are in the action's currency (the invoices'); the sentences
        holding figures are built here, in the debtor's language, so that a
        translator gets each of them whole.
        """
        lang = get_lang(self.env, action.partner_id.lang).code
        env = self.with_context(lang=lang).env
        currency = action.currency_id
        company = action.company_id
        if open_lines is None:
            open_lines = action.line_ids._dunning_collectible()
        lines = open_lines.sorted(
            lambda line: (
                line.date_maturity or line.date,
                line.move_name or "",
                line.id,
            )
        )
        rows = []
        penalized = set()
        for line in lines:
            move = line.move_id
            due_date = line.date_maturity or line.date
            interest = indemnity = penalty = 0.0
            if show_penalties and move.id not in penalized:
                # Penalties are per invoice: on its first instalment only.
                penalized.add(move.id)
                interest, indemnity, penalty = penalties.get(
                    (move.id, action.date), NO_PENALTY
                )
            rows.append(
                {
                    "line": line,
                    "move": move,
                    "is_penalty": move.dunning_is_penalty,
                    "invoice_date": move.invoice_date or line.date,
                    "due_date": due_date,
                    "days_late": max((action.date - due_date).days, 0),
                    "amount": line.amount_residual_currency,
                    "interest": interest,
                    "indemnity": indemnity,
                    "penalty": penalty,
                }
            )
        total = currency.round(sum(row["amount"] for row in rows))
        total_interest = currency.round(sum(row["interest"] for row in rows))
        total_indemnity = currency.round(sum(row["indemnity"] for row in rows))
        total_penalty = currency.round(sum(row["penalty"] for row in rows))
        moves = lines.move_id
        banks = moves.partner_bank_id.filtered("active") or company.partner_id.bank_ids
        level = action.level_id
        deadline = action.date + timedelta(days=level.payment_deadline_days or 0)
        long_date = format_date(env, action.date, date_format="long")
        city = company.partner_id.city
        values = {
            "lang": lang,
            "address": self._get_address(action),
            "rows": rows,
            "any_late": any(row["days_late"] for row in rows),
            "show_penalties": show_penalties,
            "total": total,
            "total_interest": total_interest,
            "total_indemnity": total_indemnity,
            "total_penalty": total_penalty,
            "total_with_penalties": currency.round(total + total_penalty),
            "banks": banks,
            "references": [
                (move, move.payment_reference or move.name) for move in moves
            ],
            "signatory": self._get_signatory(action.partner_id),
            "body_kind": self._get_body_kind(level),
            "place_date": env._("%(city)s, %(date)s", city=city, date=long_date)
            if city
            else long_date,
            "deadline": deadline,
            "amount_in_words": amount_in_words(currency, total, lang),
            # Computed from the debtor's regime and the company's settings.
            "mentions": action.partner_id._dunning_legal_mentions(
                company, action.date, rate_table
            )
            if show_penalties
            else [],
            "costs_mention": action.partner_id._dunning_costs_mention(),
        }
        if level.level_type == "formal_notice":
            # The deadline runs from the receipt of the letter, not from a
            # fixed date the post may have eaten (the product's rule; the
            # late-payment penalties run anyway, without any reminder: Code de
            # commerce, art. L441-10).
            values["demand"] = env._(
                "We hereby give you formal notice to pay us, within %(days)s days "
                "of receiving this letter, the sum of %(amount)s "
                "(%(amount_in_words)s), the principal still owed under the "
                "invoices listed below.",
                days=level.payment_deadline_days,
                amount=format_amount(env, total, currency),
                amount_in_words=values["amount_in_words"],
            )
            if show_penalties and total_penalty:
                values["demand_penalties"] = env._(
                    "To this principal are added the late-payment interest "
                    "accrued to the date of this letter, %(interest)s, and the "
                    "fixed recovery indemnities, %(indemnity)s: a total of "
                    "%(total)s.",
                    interest=format_amount(env, total_interest, currency),
                    indemnity=format_amount(env, total_indemnity, currency),
                    total=format_amount(env, total + total_penalty, currency),
                )
        return values
