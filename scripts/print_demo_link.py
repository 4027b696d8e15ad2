# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo server only: print the payment page of the debtor who owes the most.

The debtor of the main company with an overdue invoice who owes the most net
of its credits (the open receivable lines); prints
``DEBTOR_PAGE <debtor name>: /c/<code>``, the link of a reminder, for
setup/run.sh to show. Nothing without account_dunning_payment. As::

    python3 scripts/print_demo_link.py -c odoo.conf -d DB
"""

from odoo_script import run


def main(env):
    if "dunning.payment.token" not in env:
        return
    from odoo import fields

    from odoo.addons.account_dunning_payment.models.dunning_payment_token import (
        group_code,
    )

    company = env.ref("base.main_company")
    # What each debtor owes net of its credit notes and unallocated payments
    # (the page's "Total due": the open receivable lines), among those with
    # an overdue invoice: a debtor whose credits cover its invoices is no
    # example of a payment page.
    Line = env["account.move.line"]
    domain = Line._dunning_collectible_domain(company)
    overdue = {
        partner.commercial_partner_id
        for (partner,) in Line._read_group(
            [
                *domain,
                ("amount_residual", ">", 0),
                ("date_maturity", "<", fields.Date.today()),
            ],
            ["partner_id"],
        )
    }
    owed = {}
    for partner, amount in Line._read_group(
        [*domain, ("partner_id", "in", [p.id for p in overdue])],
        ["partner_id"],
        ["amount_residual:sum"],
    ):
        debtor = partner.commercial_partner_id
        owed[debtor] = owed.get(debtor, 0.0) + amount
    if owed:
        partner = max(owed, key=owed.get)
        if owed[partner] > 0:
            token = env["dunning.payment.token"]._dunning_create_token(partner, company)
            print(f"DEBTOR_PAGE {partner.name}: /c/{group_code(token)}")


if __name__ == "__main__":
    run(main, __doc__, commit=True)
