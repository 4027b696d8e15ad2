# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date

from lxml import html

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import format_date

from odoo.addons.account_dunning_advanced import post_init_hook

EXPECTED_LEVELS = [
    # delay, channels, auto_execute, level type, template xmlid, to, cc
    (-2, ["email"], True, "reminder", "pre_due", ["accounting"], []),
    (5, ["email"], True, "reminder", "first", ["accounting"], []),
    (15, ["email"], True, "reminder", "second", ["accounting"], []),
    (30, ["email"], False, "reminder", "final", ["accounting"], ["management"]),
    (45, ["letter"], False, "formal_notice", "formal_notice", ["management"],
     ["accounting"]),
    (60, ["phone"], True, "reminder", None, ["accounting"], []),
]  # fmt: skip

ECB_CSV = (
    "DATE,TIME PERIOD,Main refinancing operations - fixed rate tenders "
    "(fixed rate) (date of changes) - Level (FM.B.U2.EUR.4F.KR.MRR_FR.LEV)\n"
    "2024-12-18,2024-12-18,3.15\n"
    "2025-06-11,2025-06-11,2.15\n"
    "2026-03-20,2026-03-20,2.40\n"
)


@tagged("post_install", "-at_install")
class TestDayOne(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scenario = cls.env["dunning.scenario"].with_context(active_test=False)
        cls.Rate = cls.env["dunning.interest.rate"]
        cls.main_company = cls.env.ref("base.main_company")

    def _defaults(self, company):
        return self.Scenario.search(
            [("company_id", "=", company.id), ("is_default", "=", True)]
        )

    def _assert_structure(self, scenario):
        levels = scenario.level_ids.sorted("sequence")
        self.assertEqual(scenario.mode, "invoice")
        self.assertEqual(
            scenario.thankyou_template_id,
            self.env.ref("account_dunning_advanced.mail_template_dunning_thanks"),
        )
        self.assertEqual(len(levels), len(EXPECTED_LEVELS))
        for level, expected in zip(levels, EXPECTED_LEVELS, strict=True):
            delay, channels, auto, level_type, template, to, cc = expected
            self.assertEqual(level.delay_days, delay)
            self.assertEqual(level._get_channels(), channels, level.name)
            self.assertEqual(level.auto_execute, auto, level.name)
            self.assertEqual(level.level_type, level_type)
            if template:
                self.assertEqual(
                    level.mail_template_id,
                    self.env.ref(
                        f"account_dunning_advanced.mail_template_dunning_{template}"
                    ),
                )
            self.assertEqual(level.to_role_ids.mapped("code"), to)
            self.assertEqual(level.cc_role_ids.mapped("code"), cc)
        notice = levels.filtered(lambda lvl: lvl.level_type == "formal_notice")
        self.assertGreaterEqual(notice.payment_deadline_days, 8)
        self.assertTrue(levels[-1].phone_script)

    # Default scenario --------------------------------------------------

    def test_every_company_has_one_default_scenario(self):
        """Demo or not, each company starts with exactly one default."""
        for company in self.env["res.company"].search([]):
            self.assertEqual(len(self._defaults(company)), 1, company.name)
        demo = self.env.ref(
            "account_dunning_advanced.dunning_scenario_demo_standard",
            raise_if_not_found=False,
        )
        default = self._defaults(self.main_company)
        if demo:
            # The demo scenario counts: no second one was created.
            self.assertEqual(default, demo)
        else:
            self.assertTrue(default.is_starter)
            self.assertEqual(default.with_context(lang="en_US").name, "Standard")
            self._assert_structure(default)

    def test_new_company_gets_scenario_in_its_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        partner = self.env["res.partner"].create(
            {"name": "Société Nouvelle", "is_company": True, "lang": "fr_FR"}
        )
        company = self.env["res.company"].create(
            {"name": "Société Nouvelle", "partner_id": partner.id}
        )
        scenario = self._defaults(company)
        self.assertEqual(len(scenario), 1)
        self.assertTrue(scenario.is_starter)
        self._assert_structure(scenario)
        first = scenario.level_ids.sorted("sequence")[0]
        self.assertEqual(first.with_context(lang="en_US").name, "Courtesy reminder")
        # The French name comes from the addon's fr.po.
        self.assertEqual(first.with_context(lang="fr_FR").name, "Rappel de courtoisie")
        notice = scenario.level_ids.filtered(
            lambda lvl: lvl.level_type == "formal_notice"
        )
        self.assertEqual(notice.with_context(lang="fr_FR").name, "Mise en demeure")
        self.assertEqual(notice.with_context(lang="en_US").name, "Formal notice")

    def test_every_shipped_template_speaks_french(self):
        """A French debtor reads every shipped e-mail in French.

        Mail template bodies are translated whole: a body changed in the XML
        without its fr.po entry would reach French debtors in English.
        """
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["account_dunning_advanced"], ["fr_FR"], overwrite=True
        )
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account_dunning_advanced"),
                ("model", "=", "mail.template"),
            ]
        )
        templates = self.env["mail.template"].browse(data.mapped("res_id"))
        self.assertGreaterEqual(len(templates), 10)
        for template in templates:
            english = template.with_context(lang="en_US")
            french = template.with_context(lang="fr_FR")
            with self.subTest(template=english.name):
                self.assertNotEqual(french.subject, english.subject)
                self.assertNotEqual(french.body_html, english.body_html)
                self.assertIn("<p>", french.body_html)

    def test_nothing_queued_to_the_demo_addresses(self):
        """The demo history queues no e-mail or text message to its fake
        debtors, whatever the hour of the install (SMS are only sent inside
        the sending window, so a daytime install queues some)."""
        self.assertFalse(
            self.env["sms.sms"].sudo().search_count([("state", "=", "outgoing")])
        )

    def test_default_scenario_is_idempotent(self):
        company = self.env["res.company"].create({"name": "Idempotent SA"})
        scenario = self._defaults(company)
        self.assertFalse(company._dunning_create_default_scenario())
        post_init_hook(self.env)
        self.assertEqual(self._defaults(company), scenario)
        # An archived default still counts: nothing is recreated.
        scenario.active = False
        self.assertFalse(company._dunning_create_default_scenario())
        self.assertEqual(
            self.Scenario.search_count([("company_id", "=", company.id)]), 1
        )

    def test_starter_gives_way_to_a_new_default(self):
        company = self.env["res.company"].create({"name": "Own Scenario SA"})
        starter = self._defaults(company)
        mine = self.Scenario.create(
            {
                "name": "Mine",
                "company_id": company.id,
                "is_default": True,
                "level_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Only",
                            "delay_days": 10,
                            "mail_template_id": self.env.ref(
                                "account_dunning_advanced.mail_template_dunning_first"
                            ).id,
                        },
                    )
                ],
            }
        )
        self.assertEqual(self._defaults(company), mine)
        self.assertTrue(starter.active)
        self.assertFalse(starter.is_default)
        # Marking the starter default again while another one exists is refused.
        with self.assertRaisesRegex(Exception, "one default"):
            starter.is_default = True

    # Setup checklist ---------------------------------------------------

    def _codes(self, company=None, today=date(2026, 3, 1)):
        company = company or self.main_company
        return [i["code"] for i in company._dunning_setup_issues(today=today)]

    def test_setup_issues(self):
        company = self.main_company
        self.env["ir.mail_server"].search([]).unlink()
        company.alias_domain_id = False
        self.Rate.search([("date_from", ">=", "2026-07-01")]).unlink()
        if "payment.provider" in self.env:
            self.env["payment.provider"].search(
                [("company_id", "=", company.id)]
            ).is_published = False
        codes = self._codes(today=date(2026, 8, 1))
        for code in ("mail_server", "alias_domain", "interest_rate"):
            self.assertIn(code, codes)
        self.assertEqual("payment_provider" in codes, "payment.provider" in self.env)
        self.assertNotIn("scenario", codes)
        # The settings and the empty list of the debtors say it, with a
        # link to fix each.
        settings = self.env["res.config.settings"].create({})
        self.assertIn("base.action_ir_mail_server_list", settings.dunning_setup_issues)
        action = self.env.ref("account_dunning_advanced.res_partner_action_debtor")
        help_html = action.sudo()._get_action_dict()["help"]
        self.assertIn("/odoo/action-base.action_ir_mail_server_list", help_html)
        self.assertIn("/odoo/action-mail.mail_alias_domain_action", help_html)
        self.assertIn("Before the first reminders, complete the setup:", help_html)
        # Fix everything.
        self.env["ir.mail_server"].create(
            {"name": "SMTP", "smtp_host": "smtp.example.com"}
        )
        company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "collect.example.com"}
        )
        self.Rate.create(
            {"date_from": "2026-07-01", "ecb_rate": 2.15, "legal_rate_professional": 3}
        )
        if "payment.provider" in self.env:
            provider = self.env["payment.provider"].search(
                [("company_id", "=", company.id), ("code", "=", "demo")], limit=1
            ) or self.env["payment.provider"].create(
                {"name": "Demo", "company_id": company.id}
            )
            provider.write({"state": "test", "is_published": True})
        self.assertEqual(self._codes(today=date(2026, 8, 1)), [])
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.dunning_setup_issues)
        help_html = action.sudo()._get_action_dict()["help"]
        self.assertNotIn("o_dunning_setup_issue", help_html)
        # A company without default scenario is told so.
        self._defaults(company).is_default = False
        self.assertIn("scenario", self._codes(today=date(2026, 8, 1)))

    def test_setup_issues_checklist_html(self):
        # One item per issue, in order, with its message and a "Fix" link to
        # the screen that fixes it.
        company = self.main_company
        self.env["ir.mail_server"].search([]).unlink()
        company.alias_domain_id = False
        company.name = "<i>Main</i> & Co"
        issues = company._dunning_setup_issues(today=date(2026, 8, 1))
        checklist = company._dunning_setup_issues_html(today=date(2026, 8, 1))
        root = html.fragment_fromstring(checklist, create_parent="div")
        self.assertFalse(root.xpath("//i"))  # the company name is text
        items = root.xpath("ul[@class='mb0']/li[@class='o_dunning_setup_issue']")
        self.assertEqual(
            [item.get("data-code") for item in items],
            [issue["code"] for issue in issues],
        )
        for item, issue in zip(items, issues, strict=True):
            link = item.xpath("a")[0]
            self.assertEqual(link.text_content(), "Fix")
            self.assertEqual(link.get("href"), f"/odoo/action-{issue['action']}")
            self.assertEqual(
                " ".join(item.text_content().split()),
                " ".join(f"{issue['message']} Fix".split()),
            )
        self.assertIn("<i>Main</i> & Co", items[1].text_content())

    def test_rate_missing_ten_days_ahead(self):
        self.Rate.search([("date_from", ">=", "2026-07-01")]).unlink()
        self.assertEqual(self.Rate._get_missing_half_years(date(2026, 6, 20)), [])
        self.assertEqual(
            self.Rate._get_missing_half_years(date(2026, 6, 21)), [date(2026, 7, 1)]
        )
        self.assertIn("interest_rate", self._codes(today=date(2026, 6, 25)))
        self.assertNotIn("interest_rate", self._codes(today=date(2026, 6, 1)))

    def test_cockpit_warns_before_a_half_year_without_rate(self):
        self.Rate.search([("date_from", ">=", "2026-07-01")]).unlink()
        message = "No rate for the half-year starting on %s" % format_date(
            self.env, date(2026, 7, 1)
        )
        with freeze_time("2026-06-19"):
            dashboard = self.env["dunning.dashboard"].create(
                {"company_id": self.main_company.id}
            )
            self.assertNotIn(message, dashboard.alerts)
        with freeze_time("2026-06-22"):
            dashboard = self.env["dunning.dashboard"].create(
                {"company_id": self.main_company.id}
            )
            self.assertIn(message, dashboard.alerts)
            self.assertIn("dunning_interest_rate_action", dashboard.alerts)
            self.Rate.create(
                {
                    "date_from": "2026-07-01",
                    "ecb_rate": 2.15,
                    "legal_rate_professional": 3.0,
                }
            )
            dashboard = self.env["dunning.dashboard"].create(
                {"company_id": self.main_company.id}
            )
            self.assertNotIn(message, dashboard.alerts)

    # Rates -------------------------------------------------------------

    def test_2026_rates_shipped(self):
        row = self.env.ref("account_dunning_advanced.dunning_interest_rate_2026_1")
        self.assertEqual(row.date_from, date(2026, 1, 1))
        self.assertAlmostEqual(row.ecb_rate, 2.15)
        self.assertAlmostEqual(row.legal_rate_professional, 2.62)
        self.assertAlmostEqual(row.legal_rate_consumer, 6.67)

    def test_import_ecb_csv(self):
        self.Rate.search([("date_from", ">=", "2026-07-01")]).unlink()
        wizard = self.env["dunning.interest.rate.import"].create(
            {
                "file": base64.b64encode(ECB_CSV.encode()),
                "filename": "ecb.csv",
                "date_from": "2025-07-01",
            }
        )
        with freeze_time("2026-12-03"):
            action = wizard.action_import()
        rows = self.Rate.search(action["domain"])
        by_date = {row.date_from: row for row in rows}
        self.assertEqual(
            sorted(by_date), [date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)]
        )
        self.assertAlmostEqual(by_date[date(2025, 7, 1)].ecb_rate, 2.15)
        self.assertAlmostEqual(by_date[date(2026, 1, 1)].ecb_rate, 2.15)
        # The change of March applies from 1 July; the legal rates are left
        # to enter, so the half-year is still reported.
        new = by_date[date(2026, 7, 1)]
        self.assertAlmostEqual(new.ecb_rate, 2.40)
        self.assertFalse(new.legal_rate_professional)
        self.assertIn(
            date(2026, 7, 1), self.Rate._get_missing_half_years(date(2026, 12, 3))
        )

    def test_import_ecb_csv_semicolon_variant(self):
        content = (
            b"KEY;FREQ;TIME_PERIOD;OBS_VALUE\n"
            b"FM.B.U2.EUR.4F.KR.MRR_FR.LEV;B;2025-06-11;2,15\n"
            b"FM.B.U2.EUR.4F.KR.MRR_FR.LEV;B;2026-06-30;1,90\n"
            b"FM.B.U2.EUR.4F.KR.MRR_FR.LEV;B;2026-09-01;\n"
        )
        self.Rate.search([("date_from", ">=", "2026-07-01")]).unlink()
        rows = self.Rate._import_ecb_rates(
            content, date_from=date(2026, 1, 1), on_date=date(2026, 7, 2)
        )
        self.assertEqual(
            {r.date_from: r.ecb_rate for r in rows},
            {date(2026, 1, 1): 2.15, date(2026, 7, 1): 1.90},
        )

    def test_import_ecb_csv_malformed(self):
        before = self.Rate.search_read([], ["date_from", "ecb_rate"])
        bad_files = {
            b"": "empty",
            b"\xff\xfe\x00garbage": "ECB",
            b"foo,bar\n1,2\n": "DATE or TIME_PERIOD",
            b"DATE,OBS_VALUE\nnot a date,2.15\n": "Line 2",
            b"DATE,OBS_VALUE\n2026-01-01,=cmd()\n": "Line 2",
            b"DATE,OBS_VALUE\n2026-01-01\n": "too few columns",
            b"DATE,OBS_VALUE\n": "no rate",
            b"DATE,OBS_VALUE\n2030-01-01,2.0\n": "no rate in force",
        }
        for content, message in bad_files.items():
            with self.subTest(content=content):
                with self.assertRaisesRegex(UserError, message):
                    self.Rate._import_ecb_rates(content, on_date=date(2026, 12, 3))
        wizard = self.env["dunning.interest.rate.import"].create(
            {"file": b"not base64!!", "filename": "x.csv"}
        )
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self.Rate.search_read([], ["date_from", "ecb_rate"]), before)
