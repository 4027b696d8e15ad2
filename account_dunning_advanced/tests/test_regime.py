# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestRegime(DunningCommon):
    """The debtor's legal regime: chosen automatically, forced by a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.person = Partner.create({"name": "Jeanne Martin"})
        cls.sole_trader = Partner.create(
            {"name": "Paul Artisan", "company_registry": "81234567800012"}
        )
        cls.person_vat = Partner.create({"name": "Luc Pro", "vat": "FR23334175221"})
        cls.mairie = Partner.create(
            {"name": "Mairie de Lyon", "is_company": True, "dunning_public_buyer": True}
        )
        cls.collector = cls._new_user(
            "regime_collector",
            "account.group_account_invoice,"
            "account_dunning_advanced.group_dunning_user",
        )
        cls.manager = cls._new_user(
            "regime_manager",
            "account.group_account_invoice,"
            "account_dunning_advanced.group_dunning_manager",
        )

    def test_chosen_automatically(self):
        contact = self.debtor.child_ids[:1]
        self.assertEqual(self.debtor.dunning_regime, "professional")
        self.assertEqual(contact.dunning_regime, "professional", "its company's")
        self.assertEqual(self.person.dunning_regime, "consumer")
        self.assertEqual(self.sole_trader.dunning_regime, "professional")
        self.assertEqual(self.person_vat.dunning_regime, "professional")
        self.assertEqual(self.mairie.dunning_regime, "public")
        # The person creates a company: a professional from then on.
        self.person.vat = "FR40303265045"
        self.assertEqual(self.person.dunning_regime, "professional")

    def test_forced_by_a_manager_and_tracked(self):
        person = self.person.with_env(
            self.env(
                user=self.manager,
                context=dict(
                    self.env.context, tracking_disable=False, mail_notrack=False
                ),
            )
        )
        # What the setup left to track is written first, as at its commit.
        self.env.flush_all()
        self.env.cr.precommit.run()
        person.dunning_regime_override = "professional"
        self.assertEqual(person.dunning_regime, "professional")
        self.env.flush_all()
        self.env.cr.precommit.run()  # Odoo writes the tracking before commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", person.id),
                ("field_id.name", "=", "dunning_regime_override"),
            ]
        )
        self.assertEqual(len(tracked), 1)
        # Lifted: chosen automatically again.
        person.dunning_regime_override = False
        self.assertEqual(person.dunning_regime, "consumer")

    def test_a_collector_cannot_force_it(self):
        with self.assertRaises(AccessError):
            self.person.with_user(self.collector).write(
                {"dunning_regime_override": "professional"}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.collector).create(
                {"name": "X", "dunning_regime_override": "public"}
            )
        # Other fields stay writable, and writing the same value is no change.
        self.person.with_user(self.collector).write(
            {"dunning_public_buyer": False, "dunning_regime_override": False}
        )
        self.assertEqual(self.person.dunning_regime, "consumer")
