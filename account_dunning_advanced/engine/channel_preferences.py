# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which channels a reminder goes through, given what the debtor prefers.

Plain Python, free of Odoo. A level allows channels (its e-mail, SMS,
letter... switches, in sending order); the debtor and the contacts the
reminder reaches may prefer some channels, avoid others, refuse text
messages or accept letters only. ``resolve`` returns the channels to use and
the reasons, as codes with their channels, that the collections action
shows ("Channels chosen because...") once translated by the caller.

The rules, in order:

1. a channel avoided by the debtor, or by every contact the reminder reaches,
   is removed; "no SMS" removes the text messages;
2. "letter only" keeps the letters (plain or registered) only;
3. when some channels left are preferred, only those are used, preferred
   first; the channels the level requires whatever the preferences (the
   registered letter of a formal notice: a legal act, not a courtesy) stay;
4. never nothing when the level allows something: when the rules leave no
   channel, the level's channels are used, and the reasons say so.

Contact hours narrow the company's sending window (``contact_window``), which
``sending_window`` then applies to the text messages and the calls.
"""

from dataclasses import dataclass, field

#: Channels that are letters: the ones a "letter only" debtor accepts.
LETTER_CHANNELS = ("letter", "registered_letter")
#: Channels that are text messages: the ones a "no SMS" debtor refuses.
SMS_CHANNELS = ("sms",)
#: Channels a level keeps whatever the preferences.
REQUIRED_CHANNELS = ("registered_letter",)

# Reason codes (the caller turns them into sentences in the user's language).
AVOIDED = "avoided"
NO_SMS = "no_sms"
LETTER_ONLY = "letter_only"
PREFERRED = "preferred"
REQUIRED = "required"
FALLBACK = "fallback"
LEVEL = "level"


@dataclass(frozen=True)
class Preferences:
    """What a debtor (or a contact) prefers.

    :param preferred: the preferred channels' keys.
    :param avoid: the keys of the channels to avoid.
    :param no_sms: no text message.
    :param letter_only: letters only (plain or registered).
    """

    preferred: frozenset = frozenset()
    avoid: frozenset = frozenset()
    no_sms: bool = False
    letter_only: bool = False

    def __bool__(self):
        return bool(self.preferred or self.avoid or self.no_sms or self.letter_only)


@dataclass(frozen=True)
class Resolution:
    """The channels to use, in sending order, and why.

    ``reasons`` is a list of ``(code, channels)``: the reason's code and the
    channels it is about (a tuple of keys, in the level's order).
    """

    channels: tuple
    reasons: list = field(default_factory=list)

    @property
    def changed(self):
        """Whether the preferences changed the level's channels."""
        return any(code != LEVEL for code, _channels in self.reasons)


def merge(debtor, contacts=()):
    """Return the preferences of a reminder to ``debtor`` reaching ``contacts``.

    The debtor's own preferences apply whatever the contacts; a contact's
    preferred channel counts; a channel is avoided when the debtor avoids it
    or when every contact reached avoids it (another contact may still be
    reached through it); "no SMS" and "letter only" of the debtor or of any
    contact reached apply (SMS and letters reach the whole debtor).

    :param debtor: ``Preferences`` of the commercial partner.
    :param contacts: ``Preferences`` of the contacts the reminder reaches.
    """
    contacts = [contact for contact in contacts if contact is not None]
    avoid = set(debtor.avoid)
    if contacts:
        common = set(contacts[0].avoid)
        for contact in contacts[1:]:
            common &= contact.avoid
        avoid |= common
    preferred = set(debtor.preferred)
    for contact in contacts:
        preferred |= contact.preferred
    return Preferences(
        preferred=frozenset(preferred - avoid),
        avoid=frozenset(avoid),
        no_sms=debtor.no_sms or any(contact.no_sms for contact in contacts),
        letter_only=debtor.letter_only
        or any(contact.letter_only for contact in contacts),
    )


def _keep(channels, keys):
    return tuple(channel for channel in channels if channel in keys)


def resolve(
    allowed,
    preferences,
    letters=LETTER_CHANNELS,
    sms=SMS_CHANNELS,
    required=REQUIRED_CHANNELS,
):
    """Return the ``Resolution`` of a level's ``allowed`` channels.

    :param allowed: the keys of the channels the level uses, in sending order.
    :param preferences: the ``Preferences`` of the reminder (``merge``).
    :param letters: the keys that are letters ("letter only").
    :param sms: the keys that are text messages ("no SMS").
    :param required: the keys the level keeps whatever the preferences are
        (among its own channels; an avoided one is still removed).
    """
    allowed = tuple(dict.fromkeys(allowed))
    if not allowed:
        return Resolution(channels=(), reasons=[])
    if not preferences:
        return Resolution(channels=allowed, reasons=[(LEVEL, allowed)])
    reasons = []
    channels = allowed
    avoided = _keep(channels, preferences.avoid)
    if avoided:
        channels = tuple(c for c in channels if c not in avoided)
        reasons.append((AVOIDED, avoided))
    if preferences.no_sms:
        refused = _keep(channels, sms)
        if refused:
            channels = tuple(c for c in channels if c not in refused)
            reasons.append((NO_SMS, refused))
    if preferences.letter_only:
        kept = _keep(channels, letters)
        if kept != channels:
            channels = kept
            reasons.append((LETTER_ONLY, kept))
    preferred = _keep(channels, preferences.preferred)
    if preferred:
        kept = _keep(channels, required)
        kept = tuple(c for c in kept if c not in preferred)
        channels = preferred + kept
        reasons.append((PREFERRED, preferred))
        if kept:
            reasons.append((REQUIRED, kept))
    if not channels:
        return Resolution(channels=allowed, reasons=reasons + [(FALLBACK, allowed)])
    if not reasons:
        reasons.append((LEVEL, channels))
    return Resolution(channels=channels, reasons=reasons)


def contact_window(start_hour, end_hour, contact_from=0.0, contact_to=0.0):
    """Return the ``(start, end)`` hours of the sending window for a debtor.

    The company's window (``start_hour``, ``end_hour``) narrowed to the
    debtor's contact hours when they are set (``contact_to`` after
    ``contact_from``) and overlap it; else the company's window unchanged:
    a debtor's hours never open the window outside the company's.
    """
    if not contact_to or contact_to <= contact_from:
        return start_hour, end_hour
    start, end = max(start_hour, contact_from), min(end_hour, contact_to)
    if end <= start:
        return start_hour, end_hour
    return start, end
