# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import email_normalize

from ...engine import channel_preferences as prefs
from ..chase.bulk_insert import _m2m_ids


class DunningAction(models.Model):
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "dunning.action"

    channel_note = fields.Text(
        string="Channels chosen because...",
        readonly=True,
        copy=False,
        help="Why the reminder goes through these channels: the level's, "
        "narrowed by what the debtor and its contacts prefer.",
    )

    @api.model
    def _dunning_on_bounce(self, message, email):
        """Switch the contact whose reminder e-mail bounced to letters.

        Only for a bounce of one of our reminders (``message`` is the
        ``message_id`` of an action) reaching a contact of its debtor at the
        bounced address; once per address (``dunning_bounced_email``): the
        contact prefers letters and avoids e-mails from the next level on,
        and the collector gets an activity on the debtor.

        :param message: the ``mail.message`` the bounce refers to.
        :param email: the bounced address (normalized by the mail gateway).
        :return: the contacts switched.
        """
        Partner = self.env["res.partner"]
        email = email_normalize(email or "")
        action = self.search([("message_id", "=", message.id)], limit=1)
        if not action or not email:
            return Partner
        debtor = action.partner_id.commercial_partner_id
        contacts = Partner.with_context(active_test=False).search(
            [
                ("commercial_partner_id", "=", debtor.id),
                ("email_normalized", "=", email),
            ]
        )
        contacts = contacts.filtered(lambda c: c.dunning_bounced_email != email)
        for contact in contacts:
            contact.dunning_bounced_email = email
            contact._dunning_set_channel_preference("email", "avoid", "bounce")
            contact._dunning_set_channel_preference("letter", "preferred", "bounce")
        if contacts:
            summary = self.env._(
                "Reminder e-mail to %(email)s bounced: letters from now on",
                email=email,
            )
            debtor.message_post(
                body=self.env._(
                    "The reminder %(action)s could not be delivered to %(email)s: "
                    "%(contacts)s now receive letters instead of e-mails. Check "
                    "the address and the channel preferences.",
                    action=action.display_name,
                    email=email,
                    contacts=", ".join(contacts.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
            collector = debtor.with_company(action.company_id)._dunning_get_collector()
            if collector:
                debtor.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=collector.id,
                    summary=summary,
                )
        return contacts

    @api.model
    def _dunning_resolve_channels(self, items, company_ids=None):
        """Return the channels of many reminders at once, and why.

        :param items: a list of ``(debtor id, level id, recipient ids)``; the
            recipients are the contacts the reminder reaches (its "To").
        :param company_ids: the company of each item, in the same order
            (default: the current one): the explanation is written in its
            language.
        :return: a list of ``(channel keys, explanation)``, in the order of
            ``items``: the level's channels narrowed by the preferences of
            the debtor and of its recipients (``engine/channel_preferences``).
            The preferences of every partner are read in one go.
        """
        levels = {}
        for _partner_id, level_id, _to in items:
            if level_id not in levels:
                levels[level_id] = self.env["dunning.level"].browse(level_id)
        allowed = {
            level_id: level._get_channels() for level_id, level in levels.items()
        }
        partner_ids = {pid for pid, _level, _to in items}
        partner_ids |= {rid for _pid, _level, to in items for rid in to or ()}
        stated = self.env["res.partner"]._dunning_channel_preferences(partner_ids)
        empty = prefs.Preferences()
        # The explanation is stored: in the company's language (the daily
        # run's user reads none), as its reminders are.
        company_ids = company_ids or [self.env.company.id] * len(items)
        companies = self.env["res.company"].browse(set(company_ids))
        local = {
            company.id: self.with_context(lang=company.partner_id.lang or self.env.lang)
            for company in companies
        }
        # A batch's thousands of reminders share a handful of resolutions:
        # each explanation is written once per language and reasons (the
        # channels' labels translated once, not once per reminder).
        labels = {}
        explained = {}
        resolutions = {}
        result = []
        for (partner_id, level_id, to), company_id in zip(
            items, company_ids, strict=True
        ):
            contacts = [stated.get(rid, empty) for rid in to or () if rid != partner_id]
            merged = prefs.merge(stated.get(partner_id, empty), contacts)
            # Most reminders of a level share their preferences (none).
            if (level_id, merged) not in resolutions:
                resolutions[level_id, merged] = prefs.resolve(allowed[level_id], merged)
            resolution = resolutions[level_id, merged]
            model = local[company_id]
            lang = model.env.lang
            key = (
                lang,
                tuple((code, tuple(keys)) for code, keys in resolution.reasons),
            )
            if key not in explained:
                if lang not in labels:
                    labels[lang] = dict(
                        model.env["dunning.channel"]._get_channel_selection()
                    )
                explained[key] = model._dunning_explain(resolution, labels=labels[lang])
            result.append((list(resolution.channels), explained[key]))
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
        resolved = self._dunning_resolve_channels(
            items,
            [vals.get("company_id") or self.env.company.id for vals in vals_list],
        )
        for vals, (_channels, note) in zip(vals_list, resolved, strict=True):
            vals["channel_note"] = note
        return [channels for channels, _note in resolved]

    @api.model
    def _dunning_explain(self, resolution, labels=None):
        """Return the reasons of ``resolution`` as sentences (translated).

        :param labels: ``{channel key: label}`` in the current language
            (default: ``dunning.channel._get_channel_selection``).
        """
        if labels is None:
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
            prefs.AVOIDED: lambda c: _(
                "Avoided by the debtor: %(channels)s.", channels=c
            ),
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
