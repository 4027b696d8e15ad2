# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

from ..models.dunning_payment_token import CROCKFORD, normalize_token

SHORT_RE = re.compile(r"/c/((?:[0-9A-Z]{5}-){5}[0-9A-Z])\b")


@tagged("post_install", "-at_install")
class TestCollectionsLinks(DunningCommon):
    """The link in every channel; short and typeable on SMS and letters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ap.mobile = "+33 6 12 34 56 78"
        cls.lvl_1.write(
            {
                "channel_sms": True,
                "channel_letter": True,
                "sms_template_id": cls.env.ref(
                    "account_dunning_advanced.sms_template_dunning_first"
                ).id,
            }
        )

    def test_codes_are_128_bits_and_typeable(self):
        Token = self.env["dunning.payment.token"]
        codes = {Token._dunning_create_token(self.debtor, self.company) for _i in "ab"}
        self.assertEqual(len(codes), 2)
        for code in codes:
            self.assertEqual(len(code), 26)  # 26 x 5 bits >= 128 bits
            self.assertTrue(set(code) <= set(CROCKFORD))
            # As a debtor may type it: lower case, dashes, O for 0, L for 1.
            typed = "-".join(code[i : i + 4] for i in range(0, 26, 4)).lower()
            typed = typed.replace("0", "o").replace("1", "l")
            self.assertEqual(normalize_token(typed), code)
            self.assertEqual(Token._dunning_find(typed).partner_id, self.debtor)
        self.assertIsNone(normalize_token("U" * 26))  # U is not in the alphabet
        self.assertFalse(Token._dunning_find("0" * 26))

    # SMS only leave inside the sending window (a Friday morning here).
    @freeze_time("2026-03-06 10:00:00")
    def test_every_channel_carries_the_link(self):
        self._invoice(self.debtor, 1234.5, "2026-03-01")
        self._run("2026-03-06")
        action = self._actions()
        self.assertEqual(set(action.channel_ids.mapped("state")), {"done"})
        link = action._dunning_get_links()[-1]
        code = SHORT_RE.search(link["short_url"])[1]
        self.assertEqual(link["url"].rsplit("/", 1)[1], code.replace("-", ""))
        # The e-mail: the full link, clickable.
        mail = self._mails()
        self.assertIn(f'href="{link["url"]}"', mail.body_html)
        # The SMS: the short link.
        sms = self._send_sms_queue()
        self.assertEqual(len(sms), 1)
        self.assertIn(link["short_url"], sms[0]["content"])
        self.assertNotIn("/collections/", sms[0]["content"])
        # The letter: the short link, printed and as a QR code.
        letter = action.channel_ids.filtered(lambda c: c.channel == "letter")
        content = letter.attachment_id.raw.decode()
        self.assertIn(link["short_url"], content)
        self.assertIn(f"barcode_type=QR&amp;value={link['short_url']}", content)
        # One token for all the channels of the action.
        found = self.env["dunning.payment.token"]._dunning_find(code)
        self.assertEqual(found.action_id, action)
        self.assertEqual(
            self.env["dunning.payment.token"].search_count(
                [("action_id", "=", action.id)]
            ),
            1,
        )

    def test_a_batch_links_each_reminder_to_its_own_live_token(self):
        """The links of a batch are created at once, before its savepoint: the
        e-mail of an action sent again after the batch was rolled back (one
        action failing) still opens its debtor's page."""
        self.lvl_1.write({"channel_sms": False, "channel_letter": False})
        others = [self._create_debtor(f"Linked {index}") for index in range(3)]
        for partner in (self.debtor, *others):
            self._invoice(partner, 100, "2026-03-01")
        run = self._run("2026-03-06", execute=False)
        actions = run.action_ids.sorted("id")
        self.assertEqual(len(actions), 4)
        bad = actions[1]
        Email = self.env.registry["dunning.channel.email"]
        original = Email._execute

        def execute(channel, action):
            if action == bad:
                raise ValueError("boom")
            return original(channel, action)

        with patch.object(Email, "_execute", execute):
            actions._execute()
        self.assertEqual(actions.mapped("state"), ["done", "error", "done", "done"])
        Token = self.env["dunning.payment.token"]
        for action in actions - bad:
            mail = self._mails(action.partner_id)
            self.assertEqual(len(mail), 1)
            url = re.search(r'href="([^"]*/collections/([0-9A-Z]+))"', mail.body_html)
            found = Token._dunning_find(url[2])
            self.assertEqual(found.partner_id, action.partner_id)
            self.assertEqual(found.action_id, action)
