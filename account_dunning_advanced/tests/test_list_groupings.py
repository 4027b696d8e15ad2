# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..engine import challenger as challenger_engine
from .common import DunningCommon, d


@tagged("post_install", "-at_install")
class TestListGroupings(DunningCommon):
    """The debtors' list grouped by what its columns show, and the
    collectors' lists opening on the user's own records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._new_user(
            "grouping_collector", "account_dunning_advanced.group_dunning_user"
        )
        cls.colleague = cls._new_user(
            "grouping_colleague", "account_dunning_advanced.group_dunning_user"
        )
        cls.debtor_action = cls.env.ref(
            "account_dunning_advanced.res_partner_action_debtor"
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _debtor_domain(self):
        return safe_eval(self.debtor_action.domain)

    def _groups(self, fname, partners=None, env=None):
        """Group the debtors' list by ``fname`` as the web client does:
        {group value: debtors}."""
        Partner = (env or self.env)["res.partner"]
        domain = self._debtor_domain()
        if partners is not None:
            domain += [("id", "in", partners.ids)]
        result = Partner.web_read_group(domain, [fname], [fname], lazy=True)
        groups = {}
        for group in result["groups"]:
            value = group[fname][0] if group[fname] else False
            groups[value] = Partner.search(group["__domain"])
        return groups

    def _assert_grouped_as_shown(self, fname, partners, env=None):
        """Every debtor is in the group of the value its column shows, and
        the group's records (the domain the web client opens) are those."""
        Partner = (env or self.env)["res.partner"]
        groups = self._groups(fname, partners, env)
        # A new request: the columns computed again (non-stored fields).
        Partner.env.invalidate_all()
        shown = {}
        for partner in Partner.browse(partners.ids):
            shown.setdefault(partner[fname].id, Partner)
            shown[partner[fname].id] |= partner
        self.assertEqual(
            {key: value.ids for key, value in groups.items()},
            {key: sorted(value.ids) for key, value in shown.items()},
        )
        return groups

    # ------------------------------------------------------------------
    # Grouping
    # ------------------------------------------------------------------
    def test_fields_groupable_and_sortable(self):
        fields = self.env["res.partner"].fields_get(
            [
                "dunning_effective_collector_id",
                "dunning_effective_scenario_id",
                "dunning_level_id",
            ],
            ["groupable", "sortable", "searchable"],
        )
        for fname, description in fields.items():
            self.assertTrue(description["groupable"], fname)
            self.assertTrue(description["sortable"], fname)
            self.assertTrue(description["searchable"], fname)

    def test_group_by_collector_forced_just_now(self):
        other = self._create_debtor("Other Debtor", with_contacts=False)
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._invoice(other, 800, "2026-03-01")
        self._run("2026-03-10")
        debtors = self.debtor | other
        self.debtor.user_id = self.colleague
        other.user_id = self.colleague
        groups = self._assert_grouped_as_shown(
            "dunning_effective_collector_id", debtors
        )
        self.assertEqual(groups[self.colleague.id], debtors)
        # The collector forced on the debtor, from the form or a mass
        # reassignment: its group follows at once.
        self.debtor.dunning_collector_id = self.collector
        groups = self._assert_grouped_as_shown(
            "dunning_effective_collector_id", debtors
        )
        self.assertEqual(groups[self.collector.id], self.debtor)
        self.assertEqual(groups[self.colleague.id], other)
        # The scenario's collector comes before the salesperson.
        self.scenario.user_id = self.collector
        groups = self._assert_grouped_as_shown(
            "dunning_effective_collector_id", debtors
        )
        self.assertEqual(groups[self.collector.id], debtors)

    def test_group_by_scenario_after_the_overdue_grows(self):
        """A rule on the overdue amount: the stored resolution is late (no
        hook sees an invoice fall due), the grouping is not."""
        big = self._create_scenario(
            "Big debts",
            [("Call", 10, self.tpl_first, {})],
            rule_ids=[(0, 0, {"min_overdue_amount": 5000})],
        )
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-10")
        self.assertEqual(
            self._groups("dunning_effective_scenario_id", self.debtor),
            {self.scenario.id: self.debtor},
        )
        self._invoice(self.debtor, 9000, "2026-03-05")
        self.env.invalidate_all()
        groups = self._assert_grouped_as_shown(
            "dunning_effective_scenario_id", self.debtor
        )
        self.assertEqual(groups, {big.id: self.debtor})
        # Searched (the group opened, the search panel) the same way.
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [
                    ("id", "=", self.debtor.id),
                    ("dunning_effective_scenario_id", "=", big.id),
                ]
            ),
            self.debtor,
        )
        self.assertEqual(
            Partner.search(
                [
                    ("id", "=", self.debtor.id),
                    ("dunning_effective_scenario_id", "ilike", "Big deb"),
                ]
            ),
            self.debtor,
        )

    def test_group_by_level(self):
        late = self._create_debtor("Late Debtor", with_contacts=False)
        fresh = self._create_debtor("Fresh Debtor", with_contacts=False)
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._invoice(late, 1000, "2026-02-01")
        self._run("2026-03-07")
        self._run("2026-03-25")
        # Overdue since the last run: no level reached yet.
        self._invoice(fresh, 500, "2026-03-24")
        debtors = self.debtor | late | fresh
        self.assertEqual(self.debtor.dunning_level_id, self.lvl_2)
        groups = self._assert_grouped_as_shown("dunning_level_id", debtors)
        self.assertEqual(groups[self.lvl_2.id], self.debtor | late)
        self.assertEqual(groups[False], fresh)
        self.assertEqual(
            self.env["res.partner"].search(
                [("id", "in", debtors.ids), ("dunning_level_id", "=", False)]
            ),
            fresh,
        )
        # The next level sent to one of them: the group follows.
        self.debtor.dunning_paused_until = "2026-05-31"
        self._run("2026-04-20")
        self.assertEqual(late.dunning_level_id, self.lvl_3)
        groups = self._assert_grouped_as_shown("dunning_level_id", debtors)
        self.assertEqual(groups[self.lvl_3.id], late)
        # Searched and sorted by level.
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [("id", "in", debtors.ids), ("dunning_level_id", "=", self.lvl_3.id)]
            ),
            late,
        )
        ordered = Partner.search(
            [("id", "in", (self.debtor | late).ids)], order="dunning_level_id, id"
        )
        self.assertEqual(ordered.ids, [self.debtor.id, late.id], "the levels' order")
        ordered = Partner.search(
            [("id", "in", (self.debtor | late).ids)], order="dunning_level_id desc"
        )
        self.assertEqual(ordered.ids, [late.id, self.debtor.id])

    def _company_b(self, name, login):
        """Another company and a collector working in it only."""
        company = self.setup_other_company(name=name)["company"]
        collector = new_test_user(
            self.env,
            login=login,
            groups="account_dunning_advanced.group_dunning_user",
            company_id=company.id,
            company_ids=[company.id],
        )
        return company, collector

    def test_group_by_scenario_resolves_only_the_debtors_never_resolved(self):
        """Nothing in the company moves a debtor's scenario by itself (no
        rule on the overdue amount or the grade, no challenger): a grouping
        reads the stored rows and resolves only the debtors without one, so
        that 100,000 debtors are not resolved again at each click."""
        Rule = self.env["dunning.scenario.rule"]
        Rule.search(
            [("company_id", "=", self.company.id), ("min_overdue_amount", ">", 0)]
        ).unlink()
        if "grade_ids" in Rule._fields:
            Rule.search(
                [("company_id", "=", self.company.id), ("grade_ids", "!=", False)]
            ).unlink()
        self.env["dunning.scenario"].search(
            [("company_id", "=", self.company.id)]
        ).challenger_id = False
        Status = self.env["dunning.debtor.status"].sudo()
        self.assertFalse(Status._dunning_resolution_moves(self.company))
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        key_accounts = self._create_scenario(
            "Key accounts",
            [("Call", 5, self.tpl_first, {})],
            rule_ids=[(0, 0, {"category_ids": [(6, 0, tag.ids)]})],
        )
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-10")
        # Never resolved: a customer with the tag whose row is missing (its
        # invoice posted before the table existed).
        newcomer = self._create_debtor("Newcomer", with_contacts=False)
        newcomer.category_id = tag
        self._invoice(newcomer, 500, "2026-03-01")
        Status.search([("partner_id", "=", newcomer.id)]).unlink()
        resolved = []
        refresh = type(Status)._dunning_refresh

        def spy(status, company, partners=None):
            resolved.append(partners)
            return refresh(status, company, partners)

        with patch.object(type(Status), "_dunning_refresh", spy):
            groups = self._groups(
                "dunning_effective_scenario_id", self.debtor | newcomer
            )
        self.assertEqual(resolved, [newcomer])
        # The rule's scenario, not a default guessed in SQL.
        self.assertEqual(
            groups, {self.scenario.id: self.debtor, key_accounts.id: newcomer}
        )
        self._assert_grouped_as_shown(
            "dunning_effective_scenario_id", self.debtor | newcomer
        )

    def test_group_by_scenario_once_a_challenger_test_has_started(self):
        """A champion/challenger test starts on its date, with no write that
        refreshes the debtors' stored rows: the grouping resolves the debtors
        again, and the debtor of the challenger's arm is under the challenger,
        as its column shows."""
        challenger = self._create_scenario("Quick", [("Quick", 2, self.tpl_first, {})])
        candidates = self.env["res.partner"].create(
            [{"name": f"Arm {i}", "is_company": True} for i in range(16)]
        )
        debtor = candidates.filtered(
            lambda partner: challenger_engine.arm_of(partner.id, self.scenario.id, 50)
            == challenger_engine.ARM_CHALLENGER
        )[:1]
        self.assertTrue(debtor)
        self._invoice(debtor, 1000, "2026-03-01")
        with freeze_time("2026-03-05"):
            self.scenario.write(
                {
                    "challenger_id": challenger.id,
                    "challenger_share": 50,
                    "challenger_start": d("2026-03-10"),
                }
            )
            self.env.flush_all()
            self.assertEqual(
                self._groups("dunning_effective_scenario_id", debtor),
                {self.scenario.id: debtor},
            )
        Status = self.env["dunning.debtor.status"].sudo()
        stored = Status.search(
            [("partner_id", "=", debtor.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(stored.scenario_id, self.scenario)
        self.assertTrue(Status._dunning_resolution_moves(self.company))
        with freeze_time("2026-03-15"):
            self.env.invalidate_all()
            groups = self._assert_grouped_as_shown(
                "dunning_effective_scenario_id", debtor
            )
        self.assertEqual(groups, {challenger.id: debtor})

    def test_group_by_in_another_company(self):
        """Company B's list never shows company A's collector or scenario."""
        company_b, collector_b = self._company_b("Groupings B", "grouping_collector_b")
        self._create_scenario(
            "Scenario B",
            [("First B", 5, self.tpl_first, {})],
            company=company_b,
            is_default=True,
        )
        # Company B chooses by a rule (never evaluated in SQL): the
        # debtor's tag.
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        scenario_b = self._create_scenario(
            "Key accounts B",
            [("Call B", 5, self.tpl_first, {})],
            company=company_b,
            user_id=collector_b.id,
            rule_ids=[(0, 0, {"category_ids": [(6, 0, tag.ids)]})],
        )
        self.debtor.category_id = tag
        self.scenario.user_id = self.collector
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._run("2026-03-10")
        env_b = self.env(
            context=dict(
                self.env.context, allowed_company_ids=[company_b.id, self.company.id]
            )
        )
        groups = self._assert_grouped_as_shown(
            "dunning_effective_collector_id", self.debtor, env=env_b
        )
        self.assertEqual(groups, {collector_b.id: self.debtor})
        groups = self._assert_grouped_as_shown(
            "dunning_effective_scenario_id", self.debtor, env=env_b
        )
        self.assertEqual(groups, {scenario_b.id: self.debtor})
        self.assertEqual(
            self._groups("dunning_level_id", self.debtor, env=env_b),
            {False: self.debtor},
        )
        # Company A still sees its own.
        self.assertEqual(
            self._groups("dunning_effective_collector_id", self.debtor),
            {self.collector.id: self.debtor},
        )
        self.assertEqual(
            self._groups("dunning_level_id", self.debtor), {self.lvl_1.id: self.debtor}
        )

    def test_group_by_refused_outside_collections(self):
        """A user outside the collections groups cannot group the contacts
        by collector, and nothing is resolved for them."""
        self._invoice(self.debtor, 1000, "2026-03-01")
        self.env["dunning.debtor.status"].sudo().search([]).unlink()
        sales = self._new_user("grouping_sales", "base.group_user")
        for fname in ("dunning_effective_collector_id", "dunning_level_id"):
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(sales).web_read_group(
                    [("id", "=", self.debtor.id)], [fname], [fname]
                )
        self.assertFalse(self.env["dunning.debtor.status"].sudo().search([]))

    def test_sort_by_collector(self):
        other = self._create_debtor("Other Debtor", with_contacts=False)
        self._invoice(self.debtor, 1000, "2026-03-01")
        self._invoice(other, 800, "2026-03-01")
        self._run("2026-03-10")
        self.debtor.dunning_collector_id = self.collector
        other.dunning_collector_id = self.colleague
        Partner = self.env["res.partner"]
        debtors = self.debtor | other
        names = sorted(
            [(self.collector.name, self.debtor), (self.colleague.name, other)],
            key=lambda pair: pair[0],
        )
        for direction, expected in (("asc", names), ("desc", names[::-1])):
            self.assertEqual(
                Partner.search(
                    [("id", "in", debtors.ids)],
                    order=f"dunning_effective_collector_id {direction}",
                ).ids,
                [partner.id for _name, partner in expected],
            )

    def test_actions_grouped_by_responsible_collector(self):
        """Actions, promises and disputes: the debtor's collector in the
        record's company (not only the one forced on the debtor)."""
        company_b, collector_b = self._company_b("Actions B", "grouping_actions_b")
        self._create_scenario(
            "Scenario B",
            [("First B", 5, self.tpl_first, {})],
            company=company_b,
            is_default=True,
            user_id=collector_b.id,
        )
        other = self._create_debtor("Other Debtor")
        self.debtor.user_id = self.collector
        other.dunning_collector_id = self.colleague
        for company in (self.company, company_b):
            for partner in (self.debtor, other):
                self._invoice(partner, 1000, "2026-03-01", company=company)
            self._run("2026-03-10", company=company)
        Action = self.env["dunning.action"].with_context(
            allowed_company_ids=[self.company.id, company_b.id]
        )
        domain = [("partner_id", "in", (self.debtor | other).ids)]
        groups = {
            user.id: actions
            for user, actions in Action._read_group(
                domain, ["responsible_collector_id"], ["id:recordset"]
            )
        }
        mine = Action.search(domain + [("partner_id", "=", self.debtor.id)])
        self.assertEqual(len(mine.company_id), 2)
        self.assertEqual(
            groups,
            {
                self.collector.id: mine.filtered(
                    lambda a: a.company_id == self.company
                ),
                self.colleague.id: Action.search(
                    domain + [("partner_id", "=", other.id)]
                ),
                collector_b.id: mine.filtered(lambda a: a.company_id == company_b),
            },
        )
        self.env.invalidate_all()
        for user_id, actions in groups.items():
            self.assertEqual(actions.responsible_collector_id.ids, [user_id])
        # The promise of a contact: its debtor's collector.
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.ap.id,
                "company_id": self.company.id,
                "date_made": "2026-03-10",
                "date": "2026-03-20",
            }
        )
        self.assertEqual(
            self.env["dunning.promise"].search(
                [
                    ("id", "=", promise.id),
                    ("responsible_collector_id", "=", self.collector.id),
                ]
            ),
            promise,
        )
        self.assertEqual(promise.responsible_collector_id, self.collector)

    # ------------------------------------------------------------------
    # The work lists open on the user's own records
    # ------------------------------------------------------------------
    def _my_filter(self, action_xmlid):
        """Return (model, domain of the action's default "My" filter)."""
        action = self.env.ref(action_xmlid)
        context = safe_eval(action.context or "{}")
        defaults = [
            key.removeprefix("search_default_")
            for key, value in context.items()
            if key.startswith("search_default_my_") and value
        ]
        self.assertEqual(len(defaults), 1, f"{action_xmlid}: one 'My' default")
        Model = self.env[action.res_model]
        arch = Model.get_views([(action.search_view_id.id, "search")])["views"][
            "search"
        ]["arch"]
        node = self._filter_node(arch, defaults[0])
        return Model, node

    def _filter_node(self, arch, name):
        nodes = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        self.assertEqual(len(nodes), 1, name)
        return nodes[0].get("domain")

    def test_work_lists_open_on_my_records(self):
        """Mine by the collector rule (here the salesperson), theirs by the
        forced collector: each work list opens on mine only."""
        mine = self.debtor
        theirs = self._create_debtor("Their Debtor")
        mine.user_id = self.collector
        theirs.dunning_collector_id = self.colleague
        self.lvl_1.auto_execute = False
        self._invoice(mine, 1000, "2026-03-01")
        self._invoice(theirs, 1000, "2026-03-01")
        self._run("2026-03-10")
        promises = self.env["dunning.promise"].create(
            [
                {
                    "partner_id": partner.child_ids[:1].id,
                    "company_id": self.company.id,
                    "date_made": "2026-03-10",
                    "date": "2026-03-20",
                    "amount": 1000,
                }
                for partner in (mine, theirs)
            ]
        )
        debtors = mine | theirs
        cases = {
            "account_dunning_advanced.res_partner_action_debtor": mine,
            "account_dunning_advanced.res_partner_action_dunning_today": mine,
            "account_dunning_advanced.dunning_action_action_to_validate": (
                self._actions(mine)
            ),
            "account_dunning_advanced.dunning_promise_action": promises[0],
        }
        for xmlid, expected in cases.items():
            with self.subTest(action=xmlid):
                self.assertTrue(expected)
                Model, domain = self._my_filter(xmlid)
                action = self.env.ref(xmlid)
                context = {"uid": self.collector.id}
                found = Model.with_user(self.collector).search(
                    safe_eval(action.domain or "[]", context)
                    + safe_eval(domain, context)
                )
                if Model._name == "res.partner":
                    found = found & debtors
                else:
                    found = found.filtered(
                        lambda r: r.partner_id.commercial_partner_id in debtors
                    )
                self.assertEqual(found, expected)

    def test_setup_checklist_lists_every_debtor_without_collector(self):
        """The checklist's step opens all of them, not the user's own."""
        action = (
            self.env["dunning.dashboard"]
            .create({"company_id": self.company.id})
            .action_setup_collectors()
        )
        context = action["context"]
        if isinstance(context, str):
            context = safe_eval(context)
        self.assertFalse(context.get("search_default_my_debtors"))
