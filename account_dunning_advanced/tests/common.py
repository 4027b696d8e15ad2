# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.sms.tools.sms_api import SmsApi


def d(text):
    """Shorthand for a date from an ISO string."""
    return date.fromisoformat(text)


@tagged("post_install", "-at_install")
class DunningCommon(AccountTestInvoicingCommon):
    """A company with a four-level scenario and a debtor with two contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.dunning_tolerance = 1.0
        cls.company.email = "credit@mycompany.example"
        ref = cls.env.ref
        cls.role_accounting = ref(
            "account_dunning_advanced.dunning_contact_role_accounting"
        )
        cls.role_management = ref(
            "account_dunning_advanced.dunning_contact_role_management"
        )
        cls.role_legal = ref("account_dunning_advanced.dunning_contact_role_legal")
        cls.tpl_pre = ref("account_dunning_advanced.mail_template_dunning_pre_due")
        cls.tpl_first = ref("account_dunning_advanced.mail_template_dunning_first")
        cls.tpl_second = ref("account_dunning_advanced.mail_template_dunning_second")
        cls.tpl_final = ref("account_dunning_advanced.mail_template_dunning_final")
        cls.scenario = cls._create_scenario(
            "Standard",
            [
                ("Pre-due", -2, cls.tpl_pre, {}),
                ("First", 5, cls.tpl_first, {}),
                ("Second", 20, cls.tpl_second, {}),
                (
                    "Final",
                    40,
                    cls.tpl_final,
                    {"cc_role_ids": [Command.set(cls.role_management.ids)]},
                ),
            ],
            is_default=True,
        )
        cls.lvl_pre, cls.lvl_1, cls.lvl_2, cls.lvl_3 = cls.scenario.level_ids.sorted(
            "delay_days"
        )
        cls.debtor = cls._create_debtor("Debtor SA")
        # The debtor's accounts payable contact (the role of the reminders).
        cls.ap = cls.debtor.child_ids.filtered(
            lambda c: cls.role_accounting in c.dunning_role_ids
        )

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref(
            "account_dunning_advanced.group_dunning_manager"
        )

    @classmethod
    def _new_user(cls, login, groups, **vals):
        """A user of the test company only, with ``groups`` (comma-separated
        XML ids)."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
            **vals,
        )

    @classmethod
    def _create_scenario(cls, name, levels, company=None, **vals):
        """Create a scenario; levels: (name, delay, template, extra vals)."""
        return cls.env["dunning.scenario"].create(
            {
                "name": name,
                "company_id": (company or cls.company).id,
                "level_ids": [
                    Command.create(
                        {
                            "name": level_name,
                            "sequence": index,
                            "delay_days": delay,
                            "mail_template_id": template.id,
                            "to_role_ids": [Command.set(cls.role_accounting.ids)],
                            "auto_execute": True,
                            **extra,
                        }
                    )
                    for index, (level_name, delay, template, extra) in enumerate(levels)
                ],
                **vals,
            }
        )

    @classmethod
    def _create_debtor(cls, name, with_contacts=True, **vals):
        """Create a company partner with an accounts payable and a manager."""
        slug = name.lower().replace(" ", "")
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"contact@{slug}.example",
                **vals,
            }
        )
        if with_contacts:
            cls.env["res.partner"].create(
                [
                    {
                        "name": f"AP {name}",
                        "parent_id": partner.id,
                        "type": "contact",
                        "email": f"ap@{slug}.example",
                        "dunning_role_ids": [Command.set(cls.role_accounting.ids)],
                    },
                    {
                        "name": f"Boss {name}",
                        "parent_id": partner.id,
                        "type": "contact",
                        "email": f"boss@{slug}.example",
                        "dunning_role_ids": [Command.set(cls.role_management.ids)],
                    },
                ]
            )
        return partner

    @classmethod
    def _invoice(
        cls, partner, amount, due, invoice_date=None, currency=None, company=None
    ):
        """Create and post a customer invoice of amount due on due."""
        company = company or cls.company
        due = d(due) if isinstance(due, str) else due
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or due.replace(day=1),
                    "invoice_date_due": due,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, amount=None, on=None):
        """Register a payment for move (full by default)."""
        values = {"payment_date": on or move.invoice_date_due}
        if amount is not None:
            values["amount"] = amount
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(values)._create_payments()

    def _run(self, on, company=None, execute=True):
        """Create and start a run on the date on."""
        run = self.env["dunning.run"].create(
            {"date": d(on), "company_id": (company or self.company).id}
        )
        ctx = {} if execute else {"dunning_skip_execute": True}
        run.with_context(**ctx).action_run()
        return run

    def _draft_action(self, partner, level, moves, date="2026-03-06"):
        """A draft reminder of ``partner`` at ``level`` listing ``moves``,
        its recipients chosen as a run chooses them."""
        Action = self.env["dunning.action"]
        vals = {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "currency_id": self.company.currency_id.id,
            "level_id": level.id,
            "date": date,
            "line_ids": [
                Command.set(
                    moves.line_ids.filtered(
                        lambda line: line.display_type == "payment_term"
                    ).ids
                )
            ],
        }
        return Action.create(Action._prepare_recipients_vals([vals]))

    def _actions(self, partner=None, **domain):
        search = [("partner_id", "=", (partner or self.debtor).id)]
        search += [(key, "=", value) for key, value in domain.items()]
        return self.env["dunning.action"].search(search, order="id")

    def _mails(self, partner=None):
        """Return the e-mails queued for the reminders of partner."""
        partner = partner or self.debtor
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)],
            order="id",
        )

    def _send_sms_queue(self):
        """Send the queued SMS through a fake IAP; return what would be sent.

        IAP is the outside boundary: everything up to the request (the SMS
        queue, the numbers, the content) is Odoo's own.
        """
        sent = []

        def fake_send(api, messages, delivery_reports_url=False):
            sent.extend(messages)
            return [
                {"uuid": number["uuid"], "state": "success"}
                for message in messages
                for number in message["numbers"]
            ]

        with patch.object(SmsApi, "_send_sms_batch", fake_send):
            self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send()
        return sent
