# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo server only: make the main company French, the administrator too.

Run by setup/run.sh before the accounting is installed (the chart of accounts
is chosen from the company's country then), as::

    python3 scripts/demo_company.py -c odoo.conf -d DB
"""

from odoo_script import run


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


if __name__ == "__main__":
    run(main, __doc__, commit=True)
