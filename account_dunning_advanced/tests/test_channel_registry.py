# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningCommon

TRACKED = ["email", "sms", "letter", "registered_letter", "phone"]


class DunningChannelWhatsapp(models.AbstractModel):
    """A channel that exists in this test only: no file of the addon knows it.

    Exactly what an addon adding a channel writes (but for ``_register`` and
    ``_module``, which let the test add it to the registry itself). The levels
    whose name says "WhatsApp" use it: a real channel would add a boolean
    ``channel_whatsapp`` to the level and name it in
    ``_dunning_channel_level_field``.
    """

    _register = False  # added to the registry by the test, not by the addon
    _module = "account_dunning_advanced"
    _name = "dunning.channel.whatsapp"
    _inherit = ["dunning.channel"]
    _description = "WhatsApp"
    _dunning_channel_key = "whatsapp"
    _dunning_channel_sequence = 25  # after the SMS, before the letter

    @api.model
    def _applies_to_level(self, level):
        return "WhatsApp" in (level.name or "")

    @api.model
    def _recipients(self, action):
        return action.partner_id.child_ids.filtered("mobile")

    @api.model
    def _execute(self, action):
        numbers = self._recipients(action).mapped("mobile")
        if not numbers:
            raise UserError(
                self.env._("No WhatsApp number at %s", action.partner_id.name)
            )
        action.message_post(body="WhatsApp reminder sent")
        return {"result": "WhatsApp to " + ", ".join(numbers)}


@tagged("post_install", "-at_install")
class TestChannelRegistry(DunningCommon):
    def test_the_registry_lists_the_channels(self):
        Channel = self.env["dunning.channel"]
        parts = Channel._get_channel_parts()
        self.assertEqual(
            [part._dunning_channel_key for part in parts], [*TRACKED, "agency"]
        )
        self.assertEqual(
            [part._name for part in parts],
            [f"dunning.channel.{key}" for key in [*TRACKED, "agency"]],
        )
        # The stored keys of the actions' channels and the level's channels
        # come from it: the four tracked ones, the hand-off apart.
        selection = self.env["dunning.action.channel"]._fields["channel"]
        self.assertEqual(
            [key for key, _label in selection._description_selection(self.env)],
            TRACKED,
        )
        self.assertEqual(self.env["dunning.level"]._get_channel_names(), TRACKED)
        self.assertEqual(dict(Channel._get_channel_selection())["phone"], "Phone call")
        self.assertEqual(Channel._get_channel_part("sms")._name, "dunning.channel.sms")
        with self.assertRaises(KeyError):
            Channel._get_channel_part("pigeon")
        # A level uses the channels it ticks; the agency hand-off by its type.
        self.lvl_1.write({"channel_letter": True, "channel_phone": True})
        self.assertEqual(self.lvl_1._get_channels(), ["email", "letter", "phone"])
        agency = Channel._get_channel_part("agency")
        self.assertFalse(agency._applies_to_level(self.lvl_1))
        self.lvl_1.level_type = "agency"
        self.assertTrue(agency._applies_to_level(self.lvl_1))
        self.assertNotIn("agency", self.lvl_1._get_channels(), "not a message")


@tagged("post_install", "-at_install")
class TestChannelIsOneFile(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        registry = cls.env.registry
        assert "dunning.channel.whatsapp" not in registry
        DunningChannelWhatsapp._build_model(registry, cls.env.cr)
        registry.setup_models(cls.env.cr)
        cls.addClassCleanup(cls._unregister_whatsapp)
        cls.lvl_1.write({"name": "First reminder + WhatsApp"})
        cls.debtor.child_ids.filtered("dunning_role_ids")[:1].mobile = "+33 6 11"
        cls.silent = cls._create_debtor("Silent SARL")

    @classmethod
    def _unregister_whatsapp(cls):
        del cls.env.registry["dunning.channel.whatsapp"]
        cls.env.registry.setup_models(cls.env.cr)

    def test_a_new_channel_is_sent_and_tracked_by_the_action(self):
        self.assertEqual(
            [
                p._dunning_channel_key
                for p in self.env["dunning.channel"]._get_channel_parts()
            ],
            [
                "email",
                "sms",
                "whatsapp",
                "letter",
                "registered_letter",
                "phone",
                "agency",
            ],
        )
        self.assertEqual(self.lvl_1._get_channels(), ["email", "whatsapp"])
        self._invoice(self.debtor, 100, "2026-03-01")
        self._invoice(self.silent, 100, "2026-03-01")
        self._run("2026-03-06")

        action = self._actions()
        self.assertEqual(action.level_id, self.lvl_1)
        self.assertEqual(action.state, "done")
        self.assertEqual(action.channels, "E-mail, WhatsApp")
        by_channel = {c.channel: c for c in action.channel_ids}
        self.assertEqual(list(by_channel), ["email", "whatsapp"])
        self.assertEqual(by_channel["whatsapp"].state, "done")
        self.assertEqual(by_channel["whatsapp"].result, "WhatsApp to +33 6 11")
        self.assertTrue(by_channel["whatsapp"].done_at)
        self.assertEqual(self.env["dunning.channel.whatsapp"]._status(action), "done")
        self.assertIn(
            "WhatsApp reminder sent", "".join(action.message_ids.mapped("body"))
        )
        self.assertEqual(len(self._mails()), 1, "the e-mail went out too")

        # Its failure is recorded like any channel's and hides nothing.
        failed = self._actions(self.silent)
        self.assertEqual(failed.state, "error")
        by_channel = {c.channel: c for c in failed.channel_ids}
        self.assertEqual(by_channel["email"].state, "done")
        self.assertEqual(by_channel["whatsapp"].state, "failed")
        self.assertEqual(
            by_channel["whatsapp"].error_message, "No WhatsApp number at Silent SARL"
        )
        self.assertIn(
            "WhatsApp: No WhatsApp number at Silent SARL", failed.error_message
        )
        # Sending again retries only what failed.
        self.silent.child_ids[:1].mobile = "+33 6 22"
        failed.action_execute()
        self.assertEqual(failed.state, "done")
        self.assertEqual(
            failed.channel_ids.filtered(lambda c: c.channel == "whatsapp").result,
            "WhatsApp to +33 6 22",
        )
        self.assertEqual(len(self._mails(self.silent)), 1, "the e-mail not resent")
