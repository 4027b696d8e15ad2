# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

from ..models.dunning_payment_page_request_contact import CONTACT_MAX_DAILY

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCollectionsPageContact(DunningCommon, HttpCase):
    """The debtor says on the page how to be contacted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls._invoice(cls.debtor, 1000, today - timedelta(days=30))
        cls.other = cls._create_debtor("Other Debtor")
        cls._invoice(cls.other, 777, today - timedelta(days=30))
        Token = cls.env["dunning.payment.token"]
        cls.token = Token._dunning_create_token(cls.debtor, cls.company)
        cls.other_token = Token._dunning_create_token(cls.other, cls.company)
        cls.collector = cls._new_user(
            "contact_collector", "account_dunning_advanced.group_dunning_user"
        )
        cls.debtor.with_company(cls.company).dunning_collector_id = cls.collector

    def _url(self, suffix="", token=None):
        return f"/collections/{token or self.token}{suffix}"

    def _csrf(self, token=None):
        response = self.url_open(self._url(token=token))
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _post(self, data, token=None, csrf=True):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf(token=token)
        return self.url_open(
            self._url("/contact", token=token), data=data, allow_redirects=False
        )

    def _requests(self, partner):
        return self.env["dunning.payment.page.request"].search(
            [("partner_id", "=", partner.id), ("kind", "=", "contact")]
        )

    def test_page_shows_the_form(self):
        page = self.url_open(self._url())
        self.assertIn("How would you like to be contacted?", page.text)
        self.assertIn('action="/collections/%s/contact"' % self.token, page.text)
        # A legal act is not the debtor's choice.
        self.assertNotIn('value="registered_letter"', page.text)

    def test_contact_preferences_recorded(self):
        response = self._post(
            {
                "channel": "letter",
                "no_sms": "1",
                "hour_from": "14:00",
                "hour_to": "17:30",
            }
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=contact", response.headers["Location"])
        self.debtor.invalidate_recordset()
        self.assertTrue(self.debtor.dunning_no_sms)
        self.assertEqual(self.debtor.dunning_contact_hour_from, 14.0)
        self.assertEqual(self.debtor.dunning_contact_hour_to, 17.5)
        pref = self.debtor.dunning_channel_pref_ids
        self.assertEqual(
            (pref.channel, pref.preference, pref.source),
            ("letter", "preferred", "debtor"),
        )
        # Logged on the debtor, the collector asked to look.
        self.assertIn(
            "Contact preferences set on the payment page",
            " ".join(self.debtor.message_ids.mapped("body")),
        )
        activity = self.debtor.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(len(self._requests(self.debtor)), 1)
        # The page shows the choice; a new one replaces it.
        page = self.url_open(self._url())
        self.assertRegex(page.text, r'value="letter"\s+selected')
        self._post({"channel": "email"})
        self.debtor.invalidate_recordset()
        self.assertEqual(
            self.debtor.dunning_channel_pref_ids.mapped("channel"), ["email"]
        )
        self.assertFalse(self.debtor.dunning_no_sms)
        self.assertFalse(self.debtor.dunning_contact_hour_to)
        # The next reminder follows it.
        action_channels = self.env["dunning.action"]._dunning_resolve_channels(
            [(self.debtor.id, self.lvl_1.id, [])]
        )
        self.assertIn("Preferred by the debtor", action_channels[0][1])

    def test_collector_setting_kept(self):
        """The page replaces only what the debtor chose there."""
        self.debtor._dunning_set_channel_preference("phone", "avoid", "collector")
        self._post({"channel": "sms"})
        prefs = self.debtor.dunning_channel_pref_ids
        self.assertEqual(
            sorted(prefs.mapped(lambda p: (p.channel, p.preference, p.source))),
            [("phone", "avoid", "collector"), ("sms", "preferred", "debtor")],
        )

    def test_hostile_values_refused(self):
        """A channel the page does not offer, nonsense hours, or SMS both
        preferred and refused: nothing is kept."""
        for data in (
            {"channel": "registered_letter"},
            {"channel": "agency"},
            {"channel": "x' OR 1=1"},
            {"channel": "sms", "no_sms": "1"},
            {"hour_from": "25:00", "hour_to": "26:00"},
            {"hour_from": "17:00", "hour_to": "09:00"},
            {"hour_from": "09:00"},
            {"hour_from": "<script>", "hour_to": "10:00"},
        ):
            with self.subTest(data=data):
                response = self._post(data)
                self.assertIn("message=error", response.headers["Location"])
        self.debtor.invalidate_recordset()
        self.assertFalse(self.debtor.dunning_channel_pref_ids)
        self.assertFalse(self.debtor.dunning_no_sms)
        self.assertFalse(self._requests(self.debtor))

    def test_csrf_and_tokens(self):
        """Without CSRF, with a forged link, or with another debtor's link:
        the debtor's preferences are untouched."""
        response = self._post({"channel": "letter"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        forged = self._post({"channel": "letter"}, token="A" * 26, csrf=False)
        self.assertEqual(forged.status_code, 400)
        # A valid CSRF of the page, the route of a forged link.
        data = {"channel": "letter", "csrf_token": self._csrf()}
        forged = self.url_open(
            self._url("/contact", token="B" * 26), data=data, allow_redirects=False
        )
        self.assertEqual(forged.status_code, 404)
        # The other debtor's link changes the other debtor only.
        self._post({"channel": "letter", "no_sms": "1"}, token=self.other_token)
        self.debtor.invalidate_recordset()
        self.other.invalidate_recordset()
        self.assertFalse(self.debtor.dunning_channel_pref_ids)
        self.assertFalse(self.debtor.dunning_no_sms)
        self.assertTrue(self.other.dunning_no_sms)
        self.assertEqual(self.other.dunning_channel_pref_ids.channel, "letter")

    def test_daily_limit(self):
        """A link changes the preferences a few times a day, then the page
        says so: no more notes nor activities."""
        for _index in range(CONTACT_MAX_DAILY):
            response = self._post({"channel": "email"})
            self.assertIn("message=contact", response.headers["Location"])
        response = self._post({"channel": "letter"})
        self.assertIn("message=limit", response.headers["Location"])
        self.assertEqual(len(self._requests(self.debtor)), CONTACT_MAX_DAILY)
        self.debtor.invalidate_recordset()
        self.assertEqual(self.debtor.dunning_channel_pref_ids.channel, "email")
        self.assertEqual(len(self.debtor.activity_ids), CONTACT_MAX_DAILY)
