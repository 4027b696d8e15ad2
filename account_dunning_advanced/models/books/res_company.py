# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The accounts and journal of the doubtful and irrecoverable debts."""

from odoo import fields, models
from odoo.exceptions import UserError

#: French chart prefixes of the doubtful debts accounts, looked up when the
#: setting is empty: key -> (prefix, account types allowed).
DUNNING_BOOKS_CODES = {
    "doubtful": ("416", ("asset_current", "asset_receivable")),
    "provision_expense": ("6817", ("expense",)),
    "provision": ("491", ("asset_current", "asset_non_current")),
    "provision_reversal": ("7817", ("income", "income_other")),
    "loss": ("654", ("expense",)),
    "recovery": ("7714", ("income", "income_other")),
}


class ResCompany(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.company"

    dunning_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful debts account",
        check_company=True,
        help="Receivables moved out of the customer account when their "
        "recovery is doubtful (French chart: 416 Clients douteux ou "
        "litigieux). Must allow reconciliation. Empty: the account 416 of the "
        "company.",
    )
    dunning_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Provision expense account",
        check_company=True,
        help="French chart: 6817 Dotations aux dépréciations des actifs "
        "circulants. Empty: the account 6817 of the company.",
    )
    dunning_provision_account_id = fields.Many2one(
        "account.account",
        string="Provision account",
        check_company=True,
        help="French chart: 491 Dépréciations des comptes de clients. Empty: "
        "the account 491 of the company.",
    )
    dunning_provision_reversal_account_id = fields.Many2one(
        "account.account",
        string="Provision reversal account",
        check_company=True,
        help="French chart: 7817 Reprises sur dépréciations des actifs "
        "circulants. Empty: the account 7817 of the company.",
    )
    dunning_bad_debt_account_id = fields.Many2one(
        "account.account",
        string="Irrecoverable debts account",
        check_company=True,
        help="French chart: 654 Pertes sur créances irrécouvrables. Empty: the "
        "account 654 of the company.",
    )
    dunning_bad_debt_recovery_account_id = fields.Many2one(
        "account.account",
        string="Recovered written-off debts account",
        check_company=True,
        help="Income of a debt paid after it was written off (French chart: "
        "7714 Recouvrements sur créances amorties, absent from Odoo's chart: "
        "create it). Empty: the account 7714 of the company.",
    )
    dunning_doubtful_journal_id = fields.Many2one(
        "account.journal",
        string="Doubtful debts journal",
        check_company=True,
        domain=[("type", "=", "general")],
        help="Journal of the transfer, provision and write-off entries. "
        "Empty: the first miscellaneous journal of the company.",
    )

    def _get_dunning_books_accounts(self, raise_if_missing=True):
        """Return the accounts and journal of the doubtful debts entries.

        ``{key: account}`` for the keys of :data:`DUNNING_BOOKS_CODES` and
        ``journal``: the settings, else the French chart's account found by
        code in the company, else the first miscellaneous journal.

        :raise UserError: when one is missing and ``raise_if_missing``.
        """
        self.ensure_one()
        Account = self.env["account.account"].with_company(self).sudo()
        found = {}
        for key, (prefix, types) in DUNNING_BOOKS_CODES.items():
            account = self[_BOOKS_FIELDS[key]]
            found[key] = (
                account
                or Account.search(
                    [
                        *Account._check_company_domain(self),
                        ("code", "=like", f"{prefix}%"),
                        ("account_type", "in", types),
                        ("deprecated", "=", False),
                    ],
                    order="code",
                    limit=1,
                )
            ).sudo(False)
        found["journal"] = self.dunning_doubtful_journal_id or self.env[
            "account.journal"
        ].search(
            [
                *self.env["account.journal"]._check_company_domain(self),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        # The recovery account is asked for only when a written-off debt is paid.
        missing = [
            key for key, value in found.items() if not value and key != "recovery"
        ]
        if raise_if_missing and missing:
            labels = {
                key: self._fields[_BOOKS_FIELDS[key]].get_description(self.env)[
                    "string"
                ]
                for key in _BOOKS_FIELDS
            }
            labels["journal"] = self._fields[
                "dunning_doubtful_journal_id"
            ].get_description(self.env)["string"]
            raise UserError(
                self.env._(
                    "%(company)s: set these in the Collections settings: %(missing)s.",
                    company=self.display_name,
                    missing=", ".join(labels[key] for key in missing),
                )
            )
        if raise_if_missing and not found["doubtful"].reconcile:
            raise UserError(
                self.env._(
                    "%(company)s: the doubtful debts account %(account)s must "
                    "allow reconciliation.",
                    company=self.display_name,
                    account=found["doubtful"].display_name,
                )
            )
        return found


_BOOKS_FIELDS = {
    "doubtful": "dunning_doubtful_account_id",
    "provision_expense": "dunning_provision_expense_account_id",
    "provision": "dunning_provision_account_id",
    "provision_reversal": "dunning_provision_reversal_account_id",
    "loss": "dunning_bad_debt_account_id",
    "recovery": "dunning_bad_debt_recovery_account_id",
}
