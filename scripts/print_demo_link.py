# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo server only: print the payment page of the debtor who owes the most.

The overdue customer invoices of the main company, grouped by debtor; prints
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
    groups = env["account.move"]._read_group(
        [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.today()),
        ],
        ["commercial_partner_id"],
        ["amount_residual_signed:sum"],
        order="amount_residual_signed:sum desc",
        limit=1,
    )
    if groups:
        partner = groups[0][0]
        token = env["dunning.payment.token"]._dunning_create_token(partner, company)
        print(f"DEBTOR_PAGE {partner.name}: /c/{group_code(token)}")


if __name__ == "__main__":
    run(main, __doc__, commit=True)
