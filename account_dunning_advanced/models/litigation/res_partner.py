# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The debtor handed to a collection agency or to court: the litigation
fields, the hand-off and the collection file; the debtor under insolvency
proceedings (``dunning.proceeding``)."""

import csv
import io
import logging
import zipfile

from odoo import api, fields, models
from odoo.tools import html2plaintext, is_html_empty

from ..chase.res_partner import DUNNING_GROUP

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    # One extension per concern folder (readme/DEVELOP.md, "Where things are").
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    dunning_litigation = fields.Boolean(
        string="In litigation",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
        help="Handed to a collection agency or to court: every automation stops.",
    )
    dunning_agency_id = fields.Many2one(
        "res.partner",
        string="Collection agency",
        tracking=True,
        copy=False,
        groups=DUNNING_GROUP,
    )
    dunning_litigation_date = fields.Date(
        string="Litigation since", tracking=True, copy=False, groups=DUNNING_GROUP
    )
    dunning_agency_fee_rate = fields.Float(
        string="Agency fee (%)", copy=False, groups=DUNNING_GROUP
    )
    dunning_litigation_amount = fields.Monetary(
        string="Amount handed over",
        currency_field="dunning_currency_id",
        copy=False,
        groups=DUNNING_GROUP,
    )
    dunning_expected_recovery = fields.Monetary(
        string="Expected net recovery",
        compute="_compute_dunning_expected_recovery",
        currency_field="dunning_currency_id",
        groups=DUNNING_GROUP,
        help="Amount handed over less the agency's fee.",
    )

    dunning_proceeding_ids = fields.One2many(
        "dunning.proceeding",
        "partner_id",
        string="Insolvency proceedings",
        groups=DUNNING_GROUP,
    )
    dunning_in_proceedings = fields.Boolean(
        string="In insolvency proceedings",
        compute="_compute_dunning_proceeding",
        store=True,
        groups=DUNNING_GROUP,
        help="Safeguard, receivership or liquidation opened: the debts prior "
        "to the judgment are declared to the representative, not chased.",
    )
    dunning_proceeding_date = fields.Date(
        string="Judgment of the proceedings",
        compute="_compute_dunning_proceeding",
        store=True,
        groups=DUNNING_GROUP,
        help="Date of the opening judgment of the open proceedings: the debts "
        "born before it are stayed and stop bearing interest (L622-21, "
        "L622-28).",
    )
    dunning_proceeding_id = fields.Many2one(
        "dunning.proceeding",
        string="Open proceedings",
        compute="_compute_dunning_proceeding_id",
        groups=DUNNING_GROUP,
    )

    @api.depends("dunning_proceeding_ids.state", "dunning_proceeding_ids.judgment_date")
    def _compute_dunning_proceeding(self):
        for partner in self:
            opened = (
                partner.sudo()
                .dunning_proceeding_ids.filtered(lambda p: p.state == "open")
                .sorted("judgment_date")
            )
            partner.dunning_in_proceedings = bool(opened)
            # The first judgment: a receivership converted into a liquidation
            # keeps the stay of the first opening.
            partner.dunning_proceeding_date = opened[:1].judgment_date

    @api.depends("dunning_proceeding_ids.state", "dunning_proceeding_ids.judgment_date")
    def _compute_dunning_proceeding_id(self):
        for partner in self:
            partner.dunning_proceeding_id = (
                partner.sudo()
                .dunning_proceeding_ids.filtered(lambda p: p.state == "open")
                .sorted("judgment_date")[-1:]
            )

    @api.depends("dunning_litigation_amount", "dunning_agency_fee_rate")
    def _compute_dunning_expected_recovery(self):
        for partner in self:
            partner.dunning_expected_recovery = partner.dunning_litigation_amount * (
                1 - partner.dunning_agency_fee_rate / 100.0
            )

    def _dunning_start_litigation(self, action):
        """Hand the debtor to the collection agency of the action's level.

        Stops every automation for the debtor and attaches the collection file
        (statement, invoices, history of the reminders) to the action.
        """
        self.ensure_one()
        level = action.level_id
        self.write(
            {
                "dunning_litigation": True,
                "dunning_agency_id": level.agency_id.id,
                "dunning_litigation_date": action.date,
                "dunning_agency_fee_rate": level.agency_fee_rate,
                "dunning_litigation_amount": action.company_id.currency_id.round(
                    sum(action._get_open_lines().mapped("amount_residual"))
                ),
            }
        )
        try:
            with self.env.cr.savepoint():
                attachment = self._dunning_collection_file(action.company_id, action)
        except Exception as error:  # noqa: BLE001 - the hand-off itself stands
            _logger.warning("Collection file of %s failed: %s", self.id, error)
            action.message_post(
                body=self.env._(
                    "Handed to the collection agency %(agency)s. The collection file "
                    "could not be built (%(error)s): build it again from the "
                    "debtor.",
                    agency=level.agency_id.display_name or "-",
                    error=error,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        action.message_post(
            body=self.env._(
                "Handed to the collection agency %(agency)s: the collection file is "
                "attached.",
                agency=level.agency_id.display_name or "-",
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _dunning_collection_file(
        self, company, action=None, include_disputed=None, include_penalties=None
    ):
        """Build the collection file (zip) for the agency and attach it.

        It holds the account statement, the PDF of every open invoice handed
        over, the history of every reminder (CSV: date, level, channels,
        status, recipients), the company's terms of sale (the default terms
        and conditions of its invoices) and the last formal notice sent to the
        debtor: what the agency needs to claim the debt.

        Invoices under an open dispute and late-payment penalty invoices stay
        with the company unless chosen: on the hand-off level, or with the
        context keys ``dunning_include_disputed`` and
        ``dunning_include_penalty_invoices`` for a file built by hand.

        :return: the ``ir.attachment`` of the zip.
        """
        self.ensure_one()
        level = action.level_id if action else self.env["dunning.level"]
        if include_disputed is None:
            include_disputed = bool(
                level.agency_include_disputed
                or self.env.context.get("dunning_include_disputed")
            )
        if include_penalties is None:
            include_penalties = bool(
                level.agency_include_penalty_invoices
                or self.env.context.get("dunning_include_penalty_invoices")
            )
        lines = self._dunning_collection_lines(
            company, include_disputed, include_penalties
        )
        return self._dunning_zip_attachment(
            self.env._("Collection file %(partner)s.zip", partner=self.name),
            self._dunning_collection_entries(company, lines),
            action or self,
        )

    def _dunning_collection_lines(
        self, company, include_disputed=False, include_penalties=False
    ):
        """Return the debtor's collectible lines a collection file claims:
        without the invoices under an open dispute and the penalty invoices
        unless asked."""
        self.ensure_one()
        Line = self.env["account.move.line"]
        lines = Line.search(
            [
                *Line._dunning_collectible_domain(company),
                ("partner_id", "child_of", self.id),
            ]
        )
        if not include_penalties:
            lines = lines.filtered(lambda line: not line.move_id.dunning_is_penalty)
        if not include_disputed:
            disputed = (
                self.env["dunning.dispute"]
                .sudo()
                .search([("move_ids", "in", lines.move_id.ids), ("state", "=", "open")])
                .move_ids
            )
            lines = lines.filtered(lambda line: line.move_id not in disputed)
        return lines

    def _dunning_collection_entries(self, company, lines):
        """Return the documents of a collection file as ``[(name, bytes)]``:
        the statement, the invoices of ``lines``, the history of the
        reminders, the terms of sale and the last formal notice."""
        self.ensure_one()
        Report = self.env["ir.actions.report"]
        statement, _type = Report._render_qweb_pdf(
            "account_dunning_advanced.action_report_dunning_statement",
            self.ids,
            data={"company_id": company.id},
        )
        entries = [("statement.pdf", statement)]
        for move in lines.move_id:
            content, _type = Report._render_qweb_pdf(
                "account.account_invoices", move.ids
            )
            entries.append(
                (
                    "invoices/%s.pdf" % (move.name or str(move.id)).replace("/", "_"),
                    content,
                )
            )
        entries.append(("reminders.csv", self._dunning_history_csv(company)))
        terms = self._dunning_terms_of_sale(company)
        if terms:
            entries.append(("terms_of_sale.txt", terms.encode()))
        formal_notice = self._dunning_last_formal_notice(company)
        if formal_notice:
            entries.append(
                ("formal_notice.pdf", formal_notice._dunning_letter_attachment().raw)
            )
        return entries

    @api.model
    def _dunning_zip_attachment(self, name, entries, record):
        """Return a new zip attachment of ``record`` holding ``entries``
        (``[(name, bytes)]``)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry_name, content in entries:
                archive.writestr(entry_name, content)
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": buffer.getvalue(),
                    "res_model": record._name,
                    "res_id": record.id,
                    "mimetype": "application/zip",
                }
            )
        )

    def _dunning_terms_of_sale(self, company):
        """Return the company's terms of sale as text, in the debtor's language.

        The default terms and conditions of the invoices (Accounting settings),
        as a note or as the web page text; empty when the company has none.
        """
        company = company.with_context(lang=self.lang or self.env.lang)
        if company.terms_type == "html" and not is_html_empty(
            company.invoice_terms_html
        ):
            return html2plaintext(company.invoice_terms_html)
        if not is_html_empty(company.invoice_terms):
            return html2plaintext(company.invoice_terms)
        return ""

    def _dunning_last_formal_notice(self, company):
        """Return the last formal notice sent to the debtor (an action), if any."""
        self.ensure_one()
        return self.env["dunning.action"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("level_id.level_type", "=", "formal_notice"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _dunning_history_csv(self, company):
        """Return the history of the reminders sent to the debtor, as CSV."""
        self.ensure_one()
        actions = self.env["dunning.action"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", company.id),
                ("state", "=", "done"),
            ],
            order="date, id",
        )
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(
            [
                self.env._("Date"),
                self.env._("Level"),
                self.env._("Type"),
                self.env._("Channels"),
                self.env._("Invoices"),
                self.env._("Amount due"),
                self.env._("Currency"),
                self.env._("Recipients"),
                self.env._("Note"),
            ]
        )
        for action in actions:
            writer.writerow(
                [
                    action.date,
                    action.level_id.name,
                    dict(action._fields["kind"]._description_selection(self.env))[
                        action.kind
                    ],
                    "; ".join(
                        "%s: %s" % (channel.channel, channel.result or channel.state)
                        for channel in action.channel_ids
                    ),
                    " ".join(action.line_ids.move_id.mapped("name")),
                    action.amount_due,
                    action.currency_id.name,
                    " ".join(action.partner_to_ids.mapped("email_formatted")),
                    action.note or "",
                ]
            )
        return output.getvalue().encode()

    def action_dunning_collection_file(self):
        """Download a fresh collection file for this debtor."""
        self.ensure_one()
        self._dunning_check_group()
        attachment = self._dunning_collection_file(self.env.company)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_dunning_payment_order(self):
        """Open the debtor's payment order, prefilled: the request still to
        file, else a new one (``dunning.payment.order._dunning_open_for``)."""
        self.ensure_one()
        self._dunning_check_group()
        order = self.env["dunning.payment.order"]._dunning_open_for(
            self, self.env.company
        )
        return {
            "type": "ir.actions.act_window",
            "name": order.display_name,
            "res_model": "dunning.payment.order",
            "res_id": order.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_dunning_end_litigation(self):
        """Take the debtor out of litigation: the automation starts again."""
        self._dunning_check_group()
        for partner in self:
            partner.write({"dunning_litigation": False})
            partner.message_post(
                body=self.env._(
                    "Out of litigation (agency %(agency)s): reminders start again.",
                    agency=partner.dunning_agency_id.display_name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
