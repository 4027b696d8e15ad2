# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo server only: make the main company French, the administrator too.

Run by setup/run.sh before the accounting is installed (the chart of accounts
is chosen from the company's country then), through Odoo's shell:

    python3 -m odoo shell -c odoo.conf -d DB < setup/demo_company.py
"""


def main(env):
    eur = env.ref("base.EUR")
    eur.active = True
    env.ref("base.main_company").write(
        {
            "name": "Atelier Durand SAS",
            "street": "12 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "country_id": env.ref("base.fr").id,
            "currency_id": eur.id,
            "email": "contact@atelier-durand.example",
            "phone": "+33 4 78 00 00 00",
        }
    )
    env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
    env.cr.commit()  # odoo shell rolls back at the end otherwise


main(env)  # noqa: F821 - `env` is given by odoo shell
