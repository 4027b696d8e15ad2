# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which channels a reminder goes through, without the database."""

from odoo.tests.common import BaseCase

from ..engine import channel_preferences as engine
from ..engine.channel_preferences import Preferences

ALL = ("email", "sms", "letter", "registered_letter", "phone")


def prefs(preferred=(), avoid=(), no_sms=False, letter_only=False):
    return Preferences(
        preferred=frozenset(preferred),
        avoid=frozenset(avoid),
        no_sms=no_sms,
        letter_only=letter_only,
    )


class TestChannelPreferencesEngine(BaseCase):
    def assertResolves(self, allowed, preferences, channels, codes):
        resolution = engine.resolve(allowed, preferences)
        self.assertEqual(resolution.channels, tuple(channels))
        self.assertEqual([code for code, _keys in resolution.reasons], codes)
        return resolution

    def test_no_preference_level_channels(self):
        """Without preferences the level's channels go, in its order, and the
        explanation says they are the level's."""
        res = self.assertResolves(
            ("email", "sms"), prefs(), ("email", "sms"), [engine.LEVEL]
        )
        self.assertFalse(res.changed)
        self.assertEqual(res.reasons, [(engine.LEVEL, ("email", "sms"))])

    def test_level_without_channel(self):
        self.assertResolves((), prefs(avoid=["email"]), (), [])

    def test_avoid_removes(self):
        res = self.assertResolves(
            ("email", "sms", "letter"),
            prefs(avoid=["sms"]),
            ("email", "letter"),
            [engine.AVOIDED],
        )
        self.assertEqual(res.reasons[0][1], ("sms",))
        self.assertTrue(res.changed)

    def test_avoid_not_allowed_is_silent(self):
        """Avoiding a channel the level does not use changes nothing."""
        self.assertResolves(
            ("email",), prefs(avoid=["sms"]), ("email",), [engine.LEVEL]
        )

    def test_no_sms(self):
        self.assertResolves(
            ("email", "sms"), prefs(no_sms=True), ("email",), [engine.NO_SMS]
        )

    def test_letter_only_keeps_letters(self):
        res = self.assertResolves(
            ALL,
            prefs(letter_only=True),
            ("letter", "registered_letter"),
            [engine.LETTER_ONLY],
        )
        self.assertEqual(res.reasons[0][1], ("letter", "registered_letter"))

    def test_letter_only_level_is_letter(self):
        """A letter-only debtor on a letter level: nothing to change."""
        self.assertResolves(
            ("letter",), prefs(letter_only=True), ("letter",), [engine.LEVEL]
        )

    def test_letter_only_without_letter_falls_back(self):
        """The level allows no letter: the level's channels, and say so."""
        res = self.assertResolves(
            ("email", "sms"),
            prefs(letter_only=True),
            ("email", "sms"),
            [engine.LETTER_ONLY, engine.FALLBACK],
        )
        self.assertEqual(res.reasons[-1], (engine.FALLBACK, ("email", "sms")))

    def test_preferred_only_among_allowed(self):
        self.assertResolves(
            ("email", "sms", "letter"),
            prefs(preferred=["letter"]),
            ("letter",),
            [engine.PREFERRED],
        )

    def test_preferred_not_allowed_ignored(self):
        """A preferred channel the level does not use is never added."""
        self.assertResolves(
            ("email", "letter"),
            prefs(preferred=["sms"]),
            ("email", "letter"),
            [engine.LEVEL],
        )

    def test_several_preferred_keep_level_order(self):
        self.assertResolves(
            ALL,
            prefs(preferred=["phone", "email"]),
            ("email", "phone", "registered_letter"),
            [engine.PREFERRED, engine.REQUIRED],
        )

    def test_required_registered_letter_stays_after_preferred(self):
        """A formal notice by registered letter is kept, after the preferred
        channels."""
        res = self.assertResolves(
            ("email", "registered_letter"),
            prefs(preferred=["email"]),
            ("email", "registered_letter"),
            [engine.PREFERRED, engine.REQUIRED],
        )
        self.assertEqual(res.reasons[1][1], ("registered_letter",))

    def test_required_can_still_be_avoided(self):
        self.assertResolves(
            ("letter", "registered_letter"),
            prefs(avoid=["registered_letter"]),
            ("letter",),
            [engine.AVOIDED],
        )

    def test_avoid_everything_falls_back(self):
        res = self.assertResolves(
            ("email", "sms"),
            prefs(avoid=["email", "sms"]),
            ("email", "sms"),
            [engine.AVOIDED, engine.FALLBACK],
        )
        self.assertTrue(res.changed)

    def test_no_sms_and_avoid_email_fall_back(self):
        self.assertResolves(
            ("email", "sms"),
            prefs(avoid=["email"], no_sms=True),
            ("email", "sms"),
            [engine.AVOIDED, engine.NO_SMS, engine.FALLBACK],
        )

    def test_preferred_and_avoid_combined(self):
        self.assertResolves(
            ALL,
            prefs(preferred=["sms", "letter"], avoid=["email"], no_sms=True),
            ("letter", "registered_letter"),
            [engine.AVOIDED, engine.NO_SMS, engine.PREFERRED, engine.REQUIRED],
        )

    def test_letter_only_with_preferred_email(self):
        """Letter only wins over a preferred e-mail."""
        self.assertResolves(
            ("email", "letter"),
            prefs(preferred=["email"], letter_only=True),
            ("letter",),
            [engine.LETTER_ONLY],
        )

    def test_duplicates_in_allowed(self):
        self.assertResolves(
            ("email", "email", "sms"), prefs(), ("email", "sms"), [engine.LEVEL]
        )

    def test_empty_preferences_are_false(self):
        self.assertFalse(prefs())
        self.assertTrue(prefs(no_sms=True))
        self.assertTrue(prefs(avoid=["sms"]))

    def test_merge_contacts(self):
        """The debtor's avoid always applies; a contact's only when every
        contact reached avoids the channel; preferred channels add up; a
        contact's "no SMS" or "letter only" applies to the reminder."""
        debtor = prefs(avoid=["phone"], preferred=["email"])
        ap = prefs(avoid=["sms"], preferred=["letter"])
        boss = prefs(avoid=["sms", "email"])
        merged = engine.merge(debtor, [ap, boss])
        self.assertEqual(merged.avoid, {"phone", "sms"})
        self.assertEqual(merged.preferred, {"email", "letter"})
        self.assertFalse(merged.no_sms)
        merged = engine.merge(debtor, [ap])
        self.assertEqual(merged.avoid, {"phone", "sms"})
        merged = engine.merge(prefs(), [prefs(no_sms=True), prefs()])
        self.assertTrue(merged.no_sms)
        merged = engine.merge(prefs(), [prefs(letter_only=True)])
        self.assertTrue(merged.letter_only)
        self.assertEqual(engine.merge(prefs(), []), prefs())

    def test_merge_preferred_avoided_by_debtor(self):
        """A contact cannot prefer what the debtor avoids."""
        merged = engine.merge(prefs(avoid=["sms"]), [prefs(preferred=["sms"])])
        self.assertEqual(merged.preferred, frozenset())
        res = engine.resolve(("email", "sms"), merged)
        self.assertEqual(res.channels, ("email",))

    def test_many_random_cases_invariants(self):
        """On every combination: never empty when the level allows something,
        never a channel the level does not allow, never an avoided channel
        unless falling back, letters only unless falling back."""
        import itertools

        keys = ("email", "sms", "letter", "registered_letter")
        subsets = [
            c for n in range(len(keys) + 1) for c in itertools.combinations(keys, n)
        ]
        count = 0
        for allowed in subsets:
            for avoid in subsets:
                for preferred in subsets[:8]:
                    for no_sms, letter_only in itertools.product((0, 1), repeat=2):
                        p = prefs(preferred, avoid, bool(no_sms), bool(letter_only))
                        res = engine.resolve(allowed, p)
                        count += 1
                        self.assertEqual(bool(res.channels), bool(allowed))
                        self.assertLessEqual(set(res.channels), set(allowed))
                        codes = [code for code, _k in res.reasons]
                        if engine.FALLBACK in codes:
                            self.assertEqual(res.channels, allowed)
                            continue
                        self.assertFalse(set(res.channels) & set(avoid))
                        if no_sms:
                            self.assertNotIn("sms", res.channels)
                        if letter_only:
                            self.assertLessEqual(
                                set(res.channels), {"letter", "registered_letter"}
                            )
        self.assertEqual(count, 16 * 16 * 8 * 4)

    def test_contact_window(self):
        """Contact hours narrow the company's window, never widen it."""
        self.assertEqual(engine.contact_window(9.0, 18.0), (9.0, 18.0))
        self.assertEqual(engine.contact_window(9.0, 18.0, 14.0, 16.5), (14.0, 16.5))
        self.assertEqual(engine.contact_window(9.0, 18.0, 7.0, 10.0), (9.0, 10.0))
        self.assertEqual(engine.contact_window(9.0, 18.0, 17.0, 22.0), (17.0, 18.0))
        # No overlap, or nonsense: the company's window.
        self.assertEqual(engine.contact_window(9.0, 18.0, 19.0, 22.0), (9.0, 18.0))
        self.assertEqual(engine.contact_window(9.0, 18.0, 16.0, 10.0), (9.0, 18.0))
        self.assertEqual(engine.contact_window(9.0, 18.0, 10.0, 0.0), (9.0, 18.0))
