# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPagePromiseCap(DunningCommon, HttpCase):
    """The payment page's promise obeys the company's longest promise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls._invoice(cls.debtor, 1000, cls.today - timedelta(days=30))
        cls.token = cls.env["dunning.payment.token"]._dunning_create_token(
            cls.debtor, cls.company
        )

    def _promise(self, days):
        url = f"/collections/{self.token}"
        csrf = CSRF_RE.search(self.url_open(url).text).group(1)
        response = self.url_open(
            f"{url}/promise",
            data={
                "date": str(self.today + timedelta(days=days)),
                "csrf_token": csrf,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.last_location = response.headers["Location"]
        return self.env["dunning.promise"].search(
            [("partner_id", "=", self.debtor.id)], order="id desc", limit=1
        )

    def test_promise_beyond_the_cap_waits_for_a_collector(self):
        promise = self._promise(200)
        self.assertEqual((promise.source, promise.state), ("portal", "to_review"))
        # The debtor is not told that the promise was recorded.
        self.assertTrue(self.last_location.endswith("message=promise_review"))
        self._run(str(self.today))
        self.assertTrue(self._actions(), "the debtor is still chased")
        promise.action_accept()
        self.assertEqual(promise.state, "open")

    def test_promise_within_the_cap_pauses_at_once(self):
        promise = self._promise(30)
        self.assertEqual(promise.state, "open")
        self.assertTrue(self.last_location.endswith("message=promise"))
        self._run(str(self.today))
        self.assertFalse(self._actions(), "paused by the promise")
