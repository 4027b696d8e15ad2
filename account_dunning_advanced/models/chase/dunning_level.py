# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...engine import planner

#: Level types that never go out without a collector's validation unless the
#: company lets them (dunning_allow_auto_formal_notice) and a manager ticks it.
VALIDATED_TYPES = ("formal_notice", "agency")
#: Shortest deadline a formal notice gives to pay (the product's rule).
FORMAL_NOTICE_MIN_DAYS = 8


class DunningLevel(models.Model):
    """One step of a scenario: when, to whom and how the debtor is reminded."""

    _name = "dunning.level"
    _description = "Collections level"
    _order = "scenario_id, sequence, delay_days, id"
    _check_company_auto = True

    scenario_id = fields.Many2one(
        "dunning.scenario", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="scenario_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    delay_days = fields.Integer(
        string="Delay (days)",
        required=True,
        help="Days after the due date. Negative: a reminder before the due date "
        "(-2 = two days before).",
    )
    min_interval_days = fields.Integer(
        string="Minimum interval (days)",
        default=0,
        help="Minimum number of days since the debtor's previous reminder.",
    )
    min_amount = fields.Monetary(
        string="Minimum amount",
        currency_field="currency_id",
        help="The reminder is only sent when the invoices it lists amount to at "
        "least this much (company currency).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_type = fields.Selection(
        [
            ("reminder", "Reminder"),
            ("formal_notice", "Formal notice"),
            ("agency", "Collection agency hand-off"),
        ],
        string="Type",
        required=True,
        default="reminder",
        help="Formal notice: the letter carries the legal mentions and a deadline "
        "to pay. Collection agency hand-off: executing the action puts the debtor "
        "in litigation and stops every automation for it.",
    )
    payment_deadline_days = fields.Integer(
        string="Deadline to pay (days)",
        default=8,
        help="Formal notice: days given to pay, counted from the receipt of the "
        "letter (8 at least).",
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection agency",
        help="Collection agency hand-off: the agency the debtor is handed to.",
    )
    agency_fee_rate = fields.Float(
        string="Agency fee (%)",
        default=25.0,
        help="Share of the recovered amount the agency keeps.",
    )
    agency_include_disputed = fields.Boolean(
        string="Hand over disputed invoices",
        help="Collection agency hand-off: the collection file also lists the "
        "invoices under an open dispute. Off: they stay with you.",
    )
    agency_include_penalty_invoices = fields.Boolean(
        string="Hand over penalty invoices",
        help="Collection agency hand-off: the collection file also lists the "
        "invoices of late-payment penalties.",
    )
    channel_email = fields.Boolean(string="E-mail", default=True)
    channel_sms = fields.Boolean(string="SMS")
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS template",
        domain=[("model", "=", "dunning.action")],
    )
    channel_letter = fields.Boolean(
        string="Letter",
        help="A PDF letter is produced and attached to the action, to print and "
        "post (or to send through Odoo's postal service when installed).",
    )
    letter_body = fields.Html(
        translate=True,
        sanitize_style=True,
        help="The text of the letter, above the table of the invoices.",
    )
    channel_registered_letter = fields.Boolean(
        string="Registered letter",
        help="The letter is posted by registered letter with acknowledgement of "
        "receipt: the collector records the posting and the receipt, and the "
        "deadline to pay runs from the receipt.",
    )
    channel_phone = fields.Boolean(
        string="Phone call",
        help="Schedules a call for the debtor's collector, with the script below.",
    )
    phone_script = fields.Html(string="Call script", translate=True)
    attach_statement = fields.Boolean(
        string="Attach the account statement",
        help="Attach the debtor's account statement (PDF) to the e-mail.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        domain=[("model", "=", "dunning.action")],
    )
    attach_invoices = fields.Boolean(
        string="Attach invoice PDFs",
        help="Attach the PDF of every invoice listed in the reminder.",
    )
    to_role_ids = fields.Many2many(
        "dunning.contact.role",
        "dunning_level_to_role_rel",
        "level_id",
        "role_id",
        string="To (roles)",
        help="The debtor's contacts holding one of these roles receive the "
        "reminder. Without any, the invoice address, then the company itself.",
    )
    cc_role_ids = fields.Many2many(
        "dunning.contact.role",
        "dunning_level_cc_role_rel",
        "level_id",
        "role_id",
        string="Cc (roles)",
        help="The debtor's contacts holding one of these roles are copied, e.g. "
        "the decision maker at a late level.",
    )
    after_broken_promise = fields.Boolean(
        string="Skip here after a broken promise",
        help="When a debtor breaks a promise to pay, its invoices below this "
        "level skip to it at once.",
    )
    auto_execute = fields.Boolean(
        string="Send automatically",
        help="Send without validation. Otherwise the reminder waits in "
        "'Actions to validate' for a collector. Formal notices and agency "
        "hand-offs only when the company allows it, ticked by a collections "
        "manager.",
    )

    @api.model
    def _dunning_auto_allowed(self, company):
        """Return whether formal notices and hand-offs may go out unvalidated.

        The company setting must be on, and the change made by a collections
        manager (or the system, e.g. the daily job or a data file).
        """
        return bool(company.dunning_allow_auto_formal_notice) and (
            self.env.su
            or self.env.user.has_group("account_dunning_advanced.group_dunning_manager")
        )

    @api.model_create_multi
    def create(self, vals_list):
        """A formal notice or hand-off created automatic waits for validation.

        Whatever the scenario or the import says, unless the company allows
        it: a copied scenario never sends formal notices on its own.
        """
        levels = super().create(vals_list)
        levels._dunning_force_validation()
        return levels

    def write(self, vals):
        if vals.get("auto_execute"):
            for level in self:
                level_type = vals.get("level_type", level.level_type)
                company = level.scenario_id.company_id
                if "scenario_id" in vals:
                    company = (
                        self.env["dunning.scenario"]
                        .browse(vals["scenario_id"])
                        .company_id
                    )
                if level_type in VALIDATED_TYPES and not self._dunning_auto_allowed(
                    company
                ):
                    raise ValidationError(
                        self.env._(
                            "The level %(level)s is a formal notice or a collection "
                            "agency hand-off: it waits for a collector's validation. "
                            "Only a collections manager can send it automatically, "
                            "once the company allows it (Settings > Collections).",
                            level=level.display_name,
                        )
                    )
        result = super().write(vals)
        if "level_type" in vals or "scenario_id" in vals:
            self._dunning_force_validation()
        return result

    def _dunning_force_validation(self):
        """Switch off the automatic sending of the formal notices and hand-offs
        the company does not allow to go out alone."""
        to_wait = self.filtered(
            lambda lvl: lvl.auto_execute
            and lvl.level_type in VALIDATED_TYPES
            and not self._dunning_auto_allowed(lvl.scenario_id.company_id)
        )
        if to_wait:
            return super(DunningLevel, to_wait).write({"auto_execute": False})
        return True

    def _dunning_sends_alone(self):
        """Return whether the run may execute this level's actions by itself."""
        self.ensure_one()
        return self.auto_execute and (
            self.level_type not in VALIDATED_TYPES
            or self.scenario_id.company_id.dunning_allow_auto_formal_notice
        )

    @api.constrains("level_type", "payment_deadline_days")
    def _check_payment_deadline(self):
        for level in self:
            if (
                level.level_type == "formal_notice"
                and level.payment_deadline_days < FORMAL_NOTICE_MIN_DAYS
            ):
                raise ValidationError(
                    self.env._(
                        "The formal notice %(level)s must give at least %(days)s "
                        "days to pay, counted from the receipt of the letter.",
                        level=level.display_name,
                        days=FORMAL_NOTICE_MIN_DAYS,
                    )
                )

    @api.constrains("delay_days", "sequence", "scenario_id")
    def _check_delays(self):
        for scenario in self.scenario_id:
            levels = scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
            delays = levels.mapped("delay_days")
            if len(set(delays)) != len(delays):
                raise ValidationError(
                    self.env._(
                        "Two levels of the scenario %(scenario)s have the same "
                        "delay: each level needs its own number of days.",
                        scenario=scenario.display_name,
                    )
                )
            if delays != sorted(delays):
                raise ValidationError(
                    self.env._(
                        "The levels of the scenario %(scenario)s must have "
                        "increasing delays in their order (%(delays)s).",
                        scenario=scenario.display_name,
                        delays=", ".join(str(d) for d in delays),
                    )
                )

    @api.constrains("min_interval_days", "min_amount")
    def _check_positive(self):
        for level in self:
            if level.min_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum interval of the level %(level)s cannot be "
                        "negative.",
                        level=level.display_name,
                    )
                )
            if level.min_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum amount of the level %(level)s cannot be "
                        "negative.",
                        level=level.display_name,
                    )
                )

    @api.constrains(
        "channel_email",
        "mail_template_id",
        "channel_sms",
        "sms_template_id",
        "channel_letter",
        "channel_registered_letter",
        "channel_phone",
    )
    def _check_channels(self):
        for level in self:
            if not level._get_channels():
                raise ValidationError(
                    self.env._(
                        "The level %(level)s must use at least one channel.",
                        level=level.display_name,
                    )
                )
            if level.channel_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The level %(level)s sends e-mails: choose its e-mail "
                        "template.",
                        level=level.display_name,
                    )
                )
            if level.channel_sms and not level.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "The level %(level)s sends text messages: choose its SMS "
                        "template.",
                        level=level.display_name,
                    )
                )

    @api.depends("name", "scenario_id.name")
    def _compute_display_name(self):
        for level in self:
            level.display_name = (
                f"{level.scenario_id.name} / {level.name}"
                if level.scenario_id and not self.env.context.get("dunning_short")
                else level.name
            )

    @api.model
    def _get_channel_names(self):
        """Return every channel a level can use, in sending order.

        The tracked channels of the registry (``dunning.channel.*`` models,
        see ``models/channels/``): a submodule adds a channel by adding one
        model there, it rewrites nothing here.
        """
        return [
            part._dunning_channel_key
            for part in self.env["dunning.channel"]._get_channel_parts(tracked=True)
        ]

    @api.model
    def _get_channel_selection(self):
        """Return the channels as a selection: (name, label)."""
        return self.env["dunning.channel"]._get_channel_selection()

    def _get_channels(self):
        """Return the names of the channels this level uses, in sending order."""
        self.ensure_one()
        return [
            part._dunning_channel_key
            for part in self.env["dunning.channel"]._get_channel_parts(tracked=True)
            if part._applies_to_level(self)
        ]

    def _get_engine_level(self):
        """Return this level as the engine sees it."""
        self.ensure_one()
        return planner.Level(
            id=self.id,
            delay_days=self.delay_days,
            min_interval_days=self.min_interval_days,
            min_amount=self.min_amount,
        )
