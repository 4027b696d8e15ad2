# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo server only: Odoo's demo payment provider on the debtor's payment page.

Publishes the provider of payment_demo for the main company, in test mode (no
real payment). Run by setup/run.sh at each start, as::

    python3 scripts/demo_payment.py -c odoo.conf -d DB

Not demo data of an addon: no addon depends on payment_demo (a test-mode
provider has no place in production), so only the demo server, which installs
payment_demo itself, knows that it is there. The company's bank account (the
transfer block and its EPC QR code) is demo data of account_dunning_advanced.
Does nothing without account_dunning_payment or payment_demo, or when the
provider is no longer disabled (configured before, or by hand).
"""

from odoo_script import run


def main(env):
    provider = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
    method = env.ref("payment_demo.payment_method_demo", raise_if_not_found=False)
    if (
        "dunning.payment.token" not in env
        or not provider
        or not method
        or provider.state != "disabled"
    ):
        return
    method.active = True
    provider.write(
        {
            "company_id": env.ref("base.main_company").id,
            "state": "test",
            "is_published": True,
            "payment_method_ids": [(6, 0, method.ids)],
        }
    )


if __name__ == "__main__":
    run(main, __doc__, commit=True)
