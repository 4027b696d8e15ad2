# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ...engine import channel_preferences as prefs
from ..chase.bulk_insert import _m2m_ids


class DunningAction(models.Model):
    _inherit = "dunning.action"

    channel_note = fields.Text(
        string="Channels chosen because...",
        readonly=True,
        copy=False,
        help="Why the reminder goes through these channels: the level's, "
        "narrowed by what the debtor and its contacts prefer.",
    )

    @api.model
    def _dunning_resolve_channels(self, items):
        """Return the channels of many reminders at once, and why.

        :param items: a list of ``(debtor id, level id, recipient ids)``; the
            recipients are the contacts the reminder reaches (its "To").
        :return: a list of ``(channel keys, explanation)``, in the order of
            ``items``: the level's channels narrowed by the preferences of
            the debtor and of its recipients (``engine/channel_preferences``).
            The preferences of every partner are read in one go.
        """
        levels = {}
        for _partner_id, level_id, _to in items:
            if level_id not in levels:
                levels[level_id] = self.env["dunning.level"].browse(level_id)
        allowed = {level_id: level._get_channels() for level_id, level in levels.items()}
        partner_ids = {pid for pid, _level, _to in items}
        partner_ids |= {rid for _pid, _level, to in items for rid in to or ()}
        stated = self.env["res.partner"]._dunning_channel_preferences(partner_ids)
        empty = prefs.Preferences()
        result = []
        for partner_id, level_id, to in items:
            contacts = [
                stated.get(rid, empty) for rid in to or () if rid != partner_id
            ]
            merged = prefs.merge(stated.get(partner_id, empty), contacts)
            resolution = prefs.resolve(allowed[level_id], merged)
            result.append((list(resolution.channels), self._dunning_explain(resolution)))
        return result

    @api.model
    def _dunning_resolve_vals(self, vals_list):
        """Return the channels of the reminders ``vals_list`` (values of
        ``create``) and add their explanation (``channel_note``) to them."""
        items = [
            (
                vals["partner_id"],
                vals["level_id"],
                _m2m_ids(vals.get("partner_to_ids")) or [],
            )
            for vals in vals_list
        ]
        resolved = self._dunning_resolve_channels(items)
        for vals, (_channels, note) in zip(vals_list, resolved, strict=True):
            vals["channel_note"] = note
        return [channels for channels, _note in resolved]

    @api.model
    def _dunning_explain(self, resolution):
        """Return the reasons of ``resolution`` as sentences (translated)."""
        labels = dict(self.env["dunning.channel"]._get_channel_selection())

        def names(keys):
            return ", ".join(labels.get(key, key) for key in keys)

        _ = self.env._
        sentences = {
            prefs.LEVEL: lambda c: _(
                "The level's channels (%(channels)s): the debtor states no "
                "preference about them.",
                channels=c,
            ),
            prefs.AVOIDED: lambda c: _("Avoided by the debtor: %(channels)s.", channels=c),
            prefs.NO_SMS: lambda c: _(
                "No SMS for this debtor: %(channels)s removed.", channels=c
            ),
            prefs.LETTER_ONLY: lambda c: _(
                "Letters only for this debtor: %(channels)s kept.", channels=c
            ),
            prefs.PREFERRED: lambda c: _(
                "Preferred by the debtor among the level's channels: %(channels)s.",
                channels=c,
            ),
            prefs.REQUIRED: lambda c: _(
                "Kept whatever the preferences (required by the level): "
                "%(channels)s.",
                channels=c,
            ),
            prefs.FALLBACK: lambda c: _(
                "The preferences leave no channel the level allows: the "
                "level's channels are used (%(channels)s).",
                channels=c,
            ),
        }
        return (
            "\n".join(sentences[code](names(keys)) for code, keys in resolution.reasons)
            or False
        )
