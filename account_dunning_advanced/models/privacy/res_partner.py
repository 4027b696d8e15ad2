# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Personal data of the debtors who are people (GDPR).

* Who is a person: :meth:`ResPartner._dunning_is_natural_person`, the one
  definition (the legal regime's "consumer" and the score's consent setting
  build on it), stored as ``dunning_natural_person``.
* How long their data are kept: the retention policy of the company
  (``res.company``); a monthly cron purges, for the people settled in the
  company whose last movement is older than the period, what the chase
  gathered about them (:meth:`ResPartner._dunning_retention_targets`, which
  the other addons extend); the preview lists exactly what the purge would
  touch, both being built from :meth:`ResPartner._dunning_retention_plan`.
* What they can ask to see (GDPR art. 15): a JSON export of everything the
  product holds about them (:meth:`ResPartner._dunning_personal_data`,
  extended by the other addons).

What the purge removes and what it keeps is written in readme/CONFIGURE.md.
"""

import json
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from ..legal.res_partner import REGIME_CONSUMER

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "account_dunning_advanced.group_dunning_manager"
#: The partner's own fields a right-of-access export lists.
IDENTITY_FIELDS = (
    "name",
    "title",
    "function",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "lang",
    "vat",
    "company_registry",
    "ref",
    "website",
    "comment",
    "dunning_natural_person",
    "dunning_regime",
    "dunning_role_ids",
    "dunning_paused_until",
    "dunning_pause_reason",
)
#: Free-text fields of the debtor's records the purge empties (the records,
#: with their dates and amounts, stay: they explain the accounting).
FREE_TEXT_FIELDS = {
    "dunning.action": ("note", "recipient_note", "error_message"),
    "dunning.action.channel": ("result",),
    "dunning.incoming": (
        "subject",
        "email_from",
        "body",
        "effect",
        "suggested_effect",
        "authentication_results",
    ),
    "dunning.promise": ("note",),
    "dunning.dispute": ("description",),
    "dunning.payment.plan": (
        "note",
        "dunning_accepted_by",
        "dunning_accepted_ip",
        "dunning_acknowledgement",
    ),
}


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_natural_person = fields.Boolean(
        string="Natural person",
        compute="_compute_dunning_natural_person",
        store=True,
        help="The debtor (its commercial partner) is a person: not a company, "
        "no VAT number, no company registry number, not a public buyer. Its "
        "personal data follow the retention policy and, unless the company "
        "allows it, it is not scored (GDPR).",
    )

    @api.model
    def _dunning_is_natural_person(self, partner):
        """Whether the commercial ``partner`` is a person (one definition,
        overridable): no company, no VAT number, no company registry number
        (a sole trader with a SIRET acts as a professional), not a public
        buyer."""
        return not (
            partner.is_company
            or partner.vat
            or partner.company_registry
            or partner.dunning_public_buyer
        )

    @api.depends(
        "is_company",
        "vat",
        "company_registry",
        "dunning_public_buyer",
        "commercial_partner_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.vat",
        "commercial_partner_id.company_registry",
        "commercial_partner_id.dunning_public_buyer",
    )
    def _compute_dunning_natural_person(self):
        for partner in self:
            partner.dunning_natural_person = self._dunning_is_natural_person(
                partner.commercial_partner_id or partner
            )

    # ------------------------------------------------------------------
    # Retention policy
    # ------------------------------------------------------------------
    @api.model
    def _dunning_retention_cutoffs(self, company, on_date):
        """The dates before which the last movement of a settled person must
        be for its data to go: ``{regime: date}`` (consumer, other)."""
        return {
            REGIME_CONSUMER: on_date
            - relativedelta(years=company.dunning_retention_consumer_years),
            False: on_date
            - relativedelta(years=company.dunning_retention_commercial_years),
        }

    @api.model
    def _dunning_retention_candidates(self, company, on_date):
        """The people settled in ``company`` whose last movement is older
        than their period: ``{partner id: cutoff date}``, in one query.

        Settled: no collectible receivable line (the one definition of what
        is owed). Last movement: the latest receivable line (invoice, credit
        note, payment). The period is the consumer one for the regime
        *consumer*, the commercial one otherwise (a person forced
        professional).
        """
        cutoffs = self._dunning_retention_cutoffs(company, on_date)
        Line = self.env["account.move.line"]
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.partner_id, partner.dunning_regime = %(consumer)s
                  FROM account_move_line aml
                  JOIN res_partner partner ON partner.id = aml.partner_id
                 WHERE %(receivable)s
                   AND partner.dunning_natural_person
                 GROUP BY aml.partner_id, partner.dunning_regime
                HAVING NOT bool_or(%(collectible)s)
                   AND MAX(aml.date) < CASE
                        WHEN partner.dunning_regime = %(consumer)s
                        THEN %(consumer_cutoff)s::date
                        ELSE %(commercial_cutoff)s::date
                   END
                 ORDER BY aml.partner_id
                """,
                consumer=REGIME_CONSUMER,
                receivable=Line._dunning_receivable_sql("aml", company),
                collectible=Line._dunning_collectible_sql("aml", company),
                consumer_cutoff=cutoffs[REGIME_CONSUMER],
                commercial_cutoff=cutoffs[False],
            )
        )
        return {
            partner_id: cutoffs[REGIME_CONSUMER] if consumer else cutoffs[False]
            for partner_id, consumer in rows
        }

    def _dunning_retention_targets(self, company, cutoffs):
        """What the purge does for the people ``self`` in ``company``.

        A list of dicts: ``key``, ``label`` (translated, plural), ``records``
        (sudo, only those not purged yet: a second purge finds nothing),
        ``values`` (what to write; ``None`` to delete them) and
        ``partner_of`` (record id -> partner id). Extended by the other
        addons (scores, payment page) with their own records.

        :param cutoffs: ``{partner id: cutoff date}``, as
            :meth:`_dunning_retention_candidates` returns it.
        """
        env = self.sudo().with_context(active_test=False).env
        partners = self.ids
        targets = []
        # The debtor's records, and their partner.
        owners = {}
        for model in (
            "dunning.action",
            "dunning.incoming",
            "dunning.promise",
            "dunning.dispute",
            "dunning.payment.plan",
        ):
            records = env[model].search(
                [("partner_id", "in", partners), ("company_id", "=", company.id)]
            )
            owners[model] = {record.id: record.partner_id.id for record in records}
        channels = env["dunning.action"].browse(owners["dunning.action"]).channel_ids
        owners["dunning.action.channel"] = {
            channel.id: channel.action_id.partner_id.id for channel in channels
        }
        # Free texts (notes, replies' bodies and senders...).
        for model, names in FREE_TEXT_FIELDS.items():
            names = [name for name in names if name in env[model]._fields]
            if not owners[model] or not names:
                continue
            domain = ["|"] * (len(names) - 1) + [(name, "!=", False) for name in names]
            records = env[model].search([("id", "in", list(owners[model]))] + domain)
            targets.append(
                {
                    "key": f"text:{model}",
                    "label": self._dunning_retention_label(model),
                    "records": records,
                    "values": dict.fromkeys(names, False),
                    "partner_of": owners[model],
                }
            )
        # Their chatter: the reminders' texts, the call notes (the call's
        # feedback is logged on the reminder), the replies as received.
        by_model = [(model, ids) for model, ids in owners.items() if ids]
        thread_domain = self._dunning_or_of_pairs(by_model)
        if thread_domain:
            messages = env["mail.message"].search(
                thread_domain + ["|", ("body", "!=", False), ("subject", "!=", False)]
            )
            targets.append(
                {
                    "key": "messages",
                    "label": env._("Reminders' texts, call notes and replies"),
                    "records": messages,
                    "values": {"body": False, "subject": False},
                    "partner_of": {
                        message.id: owners[message.model][message.res_id]
                        for message in messages
                    },
                }
            )
            attachments = env["ir.attachment"].search(
                self._dunning_or_of_pairs(by_model, "res_model", "res_id")
            )
            targets.append(
                {
                    "key": "attachments",
                    "label": env._("Letters and files (reminders, replies, disputes)"),
                    "records": attachments,
                    "values": None,
                    "partner_of": {
                        attachment.id: owners[attachment.res_model][attachment.res_id]
                        for attachment in attachments
                    },
                }
            )
            activities = env["mail.activity"].search(
                self._dunning_or_of_pairs(by_model, "res_model", "res_id")
            )
            targets.append(
                {
                    "key": "activities",
                    "label": env._("Calls and activities left open"),
                    "records": activities,
                    "values": None,
                    "partner_of": {
                        activity.id: owners[activity.res_model][activity.res_id]
                        for activity in activities
                    },
                }
            )
        # The notes written on the debtor itself before the cutoff (the
        # purge's own log is a notification, never purged). The debtor is
        # shared by the companies: only when it is settled and quiet in all.
        note = env.ref("mail.mt_note")
        by_cutoff = defaultdict(list)
        for partner_id in self._dunning_retention_settled_everywhere(cutoffs):
            by_cutoff[cutoffs[partner_id]].append(partner_id)
        notes = env["mail.message"]
        for cutoff, ids in by_cutoff.items():
            notes |= env["mail.message"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", ids),
                    ("message_type", "=", "comment"),
                    ("subtype_id", "=", note.id),
                    ("date", "<", cutoff),
                    "|",
                    ("body", "!=", False),
                    ("subject", "!=", False),
                ]
            )
        targets.append(
            {
                "key": "partner_notes",
                "label": env._("Internal notes on the debtor"),
                "records": notes,
                "values": {"body": False, "subject": False},
                "partner_of": {message.id: message.res_id for message in notes},
            }
        )
        return [target for target in targets if target["records"]]

    def _dunning_retention_settled_everywhere(self, cutoffs):
        """The ids of ``self`` with no open receivable line and no receivable
        movement after their cutoff in any company (two grouped reads)."""
        Line = self.env["account.move.line"].sudo()
        domain = [("partner_id", "in", self.ids)]
        owing = {
            partner.id
            for (partner,) in Line._read_group(
                Line._dunning_collectible_domain() + domain, ["partner_id"]
            )
        }
        last = {
            partner.id: day
            for partner, day in Line._read_group(
                Line._dunning_receivable_domain() + domain,
                ["partner_id"],
                ["date:max"],
            )
        }
        return [
            partner_id
            for partner_id in self.ids
            if partner_id not in owing and last[partner_id] < cutoffs[partner_id]
        ]

    @api.model
    def _dunning_or_of_pairs(self, by_model, model_field="model", id_field="res_id"):
        """The domain "(model = m AND id IN ids) OR ..." over ``by_model``,
        a list of ``(model, ids)``."""
        domain = ["|"] * (len(by_model) - 1)
        for model, ids in by_model:
            domain += ["&", (model_field, "=", model), (id_field, "in", list(ids))]
        return domain

    @api.model
    def _dunning_retention_label(self, model):
        """The label of the free texts of ``model`` in a preview or log."""
        return self.env._(
            "Free texts of %(records)s",
            records=self.env["ir.model"]._get(model).name,
        )

    @api.model
    def _dunning_retention_plan(self, company, on_date=None):
        """What the next purge of ``company`` on ``on_date`` touches: the
        candidates' cutoffs and the targets (see
        :meth:`_dunning_retention_targets`). The preview and the purge both
        read it, so the preview is what the purge does."""
        on_date = on_date or fields.Date.context_today(self)
        cutoffs = self._dunning_retention_candidates(company, on_date)
        if not cutoffs:
            return cutoffs, []
        partners = self.sudo().browse(list(cutoffs))
        return cutoffs, partners._dunning_retention_targets(company, cutoffs)

    @api.model
    def _dunning_retention_counts(self, targets):
        """``{(partner id, key): (label, count)}`` of a plan's targets."""
        counts = {}
        for target in targets:
            for record in target["records"]:
                key = (target["partner_of"][record.id], target["key"])
                label, count = counts.get(key, (target["label"], 0))
                counts[key] = (label, count + 1)
        return counts

    @api.model
    def _dunning_retention_purge(self, company, on_date=None):
        """Purge the personal data of the settled people of ``company``.

        Writes or deletes each target's records in one statement, then logs
        on each debtor touched what went. Idempotent: the targets only hold
        what was not purged yet, and a debtor with nothing left is not
        logged again.

        :return: the counts purged, as :meth:`_dunning_retention_counts`.
        """
        cutoffs, targets = self._dunning_retention_plan(company, on_date)
        counts = self._dunning_retention_counts(targets)
        for target in targets:
            if target["values"] is None:
                target["records"].unlink()
            else:
                target["records"].write(target["values"])
        by_partner = defaultdict(list)
        for (partner_id, _key), (label, count) in counts.items():
            by_partner[partner_id].append(f"{label}: {count}")
        if by_partner:
            bodies = {
                partner_id: Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Personal data purged under the retention policy of "
                        "%(company)s (settled, no movement since %(cutoff)s):",
                        company=company.name,
                        cutoff=cutoffs[partner_id],
                    ),
                    Markup("<br/>").join(sorted(lines)),
                )
                for partner_id, lines in by_partner.items()
            }
            self.sudo().browse(list(bodies))._message_log_batch(bodies)
        _logger.info(
            "Retention policy of %s: personal data of %s debtors purged (%s records)",
            company.name,
            len(by_partner),
            sum(count for _label, count in counts.values()),
        )
        return counts

    @api.model
    def _cron_dunning_retention_purge(self):
        """Monthly: the purge of every company whose policy is on."""
        companies = self.env["res.company"].search(
            [("dunning_retention_enabled", "=", True)]
        )
        for company in companies:
            # The notes it logs are in the company's language (the job's
            # user reads none).
            self.with_company(company).with_context(
                lang=company.partner_id.lang or self.env.lang
            )._dunning_retention_purge(company)

    # ------------------------------------------------------------------
    # Right of access (GDPR art. 15)
    # ------------------------------------------------------------------
    @api.model
    def _dunning_export_values(self, records, names):
        """``records`` as a list of plain dicts of ``names`` (JSON-ready:
        names of linked records, ISO dates, HTML as text)."""
        result = []
        names = [name for name in names if name in records._fields]
        for record in records:
            row = {"id": record.id}
            for name in names:
                field = records._fields[name]
                value = record[name]
                if field.type in ("many2one", "many2many", "one2many"):
                    value = value.mapped("display_name")
                    if field.type == "many2one":
                        value = value[0] if value else None
                elif field.type == "html":
                    value = html2plaintext(value) if value else ""
                elif field.type == "selection":
                    value = dict(field._description_selection(self.env)).get(value)
                elif field.type in ("date", "datetime"):
                    value = value.isoformat() if value else None
                row[name] = value
            result.append(row)
        return result

    @api.model
    def _dunning_export_messages(self, records):
        """The chatter of ``records``: ``{record id: [messages]}``, one query."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", records._name),
                ("res_id", "in", records.ids),
                ("message_type", "!=", "user_notification"),
            ],
            order="date, id",
        )
        result = defaultdict(list)
        for message in messages:
            result[message.res_id].append(
                {
                    "date": message.date.isoformat(),
                    "author": message.author_id.display_name or message.email_from,
                    "subject": message.subject or "",
                    "body": html2plaintext(message.body) if message.body else "",
                    "attachments": message.attachment_ids.mapped("name"),
                }
            )
        return result

    def _dunning_export_section(self, model, names, with_messages=True, sudo=False):
        """The records of ``model`` whose debtor is ``self`` (one commercial
        partner), readable by the current user, as export rows.

        :param sudo: for technical models only the administrators read (the
            payment page's traces): read as superuser, restricted to the
            current user's companies.
        """
        domain = [("partner_id", "=", self.id)]
        Model = self.env[model]
        if sudo:
            Model = Model.sudo()
            domain.append(("company_id", "in", self.env.companies.ids))
        records = Model.search(domain)
        rows = self._dunning_export_values(records, names)
        if with_messages:
            messages = self._dunning_export_messages(records)
            for row in rows:
                row["messages"] = messages.get(row["id"], [])
        return rows

    def _dunning_personal_data(self):
        """Everything the collections product holds about the person ``self``
        (a commercial partner): ``{section: rows}``. Extended by the other
        addons; read with the current user's rights (own companies)."""
        self.ensure_one()
        identity = self._dunning_export_values(self, IDENTITY_FIELDS)[0]
        identity["contacts"] = self._dunning_export_values(
            self.child_ids, IDENTITY_FIELDS
        )
        identity["notes"] = self._dunning_export_messages(self).get(self.id, [])
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.id),
                ("move_type", "in", ("out_invoice", "out_refund", "out_receipt")),
                ("state", "=", "posted"),
            ],
            order="invoice_date, id",
        )
        return {
            "person": identity,
            "invoices": self._dunning_export_values(
                invoices,
                (
                    "name",
                    "move_type",
                    "invoice_date",
                    "invoice_date_due",
                    "amount_total",
                    "amount_residual",
                    "currency_id",
                    "payment_state",
                    "company_id",
                ),
            ),
            "reminders": self._dunning_export_section(
                "dunning.action",
                (
                    "date",
                    "company_id",
                    "kind",
                    "state",
                    "level_id",
                    "channels",
                    "amount_due",
                    "amount_overdue",
                    "partner_to_ids",
                    "partner_cc_ids",
                    "executed_at",
                    "note",
                ),
            ),
            "replies": self._dunning_export_section(
                "dunning.incoming",
                (
                    "date",
                    "company_id",
                    "subject",
                    "email_from",
                    "body",
                    "message_class",
                    "state",
                    "promise_date",
                    "effect",
                ),
            ),
            "promises": self._dunning_export_section(
                "dunning.promise",
                (
                    "date_made",
                    "date",
                    "amount",
                    "company_id",
                    "source",
                    "state",
                    "received_amount",
                    "note",
                ),
            ),
            "disputes": self._dunning_export_section(
                "dunning.dispute",
                (
                    "name",
                    "company_id",
                    "reason_id",
                    "state",
                    "amount",
                    "move_ids",
                    "description",
                    "date_closed",
                ),
            ),
            "payment_plans": self._dunning_export_section(
                "dunning.payment.plan",
                (
                    "name",
                    "company_id",
                    "state",
                    "amount_start",
                    "move_ids",
                    "note",
                    "dunning_accepted_date",
                    "dunning_accepted_channel",
                    "dunning_accepted_by",
                    "dunning_accepted_ip",
                ),
            ),
        }

    def action_dunning_export_personal_data(self):
        """Export what the product holds about this person (right of access,
        GDPR art. 15) as a JSON file only the manager who asked can read."""
        self.ensure_one()
        self._dunning_check_group(
            MANAGER_GROUP,
            self.env._("Only a collections manager can export personal data."),
        )
        person = self.commercial_partner_id
        data = {
            "generated_on": fields.Datetime.now().isoformat(),
            "generated_by": self.env.user.name,
            **person._dunning_personal_data(),
        }
        # No res_model/res_id: only its creator (and the administrators) can
        # read it, not every user who can read the contact.
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "personal_data_%(partner)s_%(date)s.json",
                    partner=person.id,
                    date=fields.Date.context_today(self).isoformat(),
                ),
                "mimetype": "application/json",
                "raw": json.dumps(data, indent=2, ensure_ascii=False).encode(),
            }
        )
        person._message_log(
            body=self.env._(
                "Personal data exported by %(user)s (right of access).",
                user=self.env.user.name,
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
