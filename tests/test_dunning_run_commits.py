# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A collections run that commits per batch, killed midway, then resumed.

Unlike ``account_dunning_advanced/tests/test_dunning_run.py``, which stays in
the test's transaction, this test works in its own database cursor with real
commits, as the daily job does: what a batch committed survives the crash,
and the resumed run neither forgets a debtor nor creates anything twice.
It commits into the test database: everything it created is deleted at the
end (see ``_cleanup``).
"""

import logging
from datetime import date
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.account_dunning_advanced.models.chase.dunning_run import (
    RUN_LOCK_KEY,
    DunningRun,
)

_logger = logging.getLogger(__name__)

DEBTORS = 5
# What a company with the generic chart of accounts holds, in deletion order.
COMPANY_DATA = (
    ("dunning.scenario", "company_id"),
    ("account.move", "company_id"),
    ("account.journal", "company_id"),
    ("account.reconcile.model", "company_id"),
    ("account.tax", "company_id"),
    ("account.tax.group", "company_id"),
    ("ir.default", "company_id"),
    ("account.account", "company_ids"),
)
BATCH = 2


@tagged("post_install", "-at_install")
class TestDunningRunCommitsPerBatch(TransactionCase):
    def setUp(self):
        super().setUp()
        self.created = {}
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # Loading a chart links the payment providers of the existing
            # companies to their journals too: those lines are deleted at the
            # end with the rest.
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_payment_method_line")
            self.created["method_lines_after"] = cr.fetchone()[0]
            self._setup_data(env)
            cr.commit()  # pylint: disable=invalid-commit

    def _setup_data(self, env):
        ref = env.ref
        company = env["res.company"].create({"name": "Commit Test Co"})
        self.created["company"] = company.id
        env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        env = env(context={"allowed_company_ids": company.ids})
        role = ref("account_dunning_advanced.dunning_contact_role_accounting")
        scenario = env["dunning.scenario"].create(
            {
                "name": "Commit test",
                "company_id": company.id,
                "is_default": True,
                "level_ids": [
                    Command.create(
                        {
                            "name": "First",
                            "sequence": 1,
                            "delay_days": 5,
                            "mail_template_id": ref(
                                "account_dunning_advanced.mail_template_dunning_first"
                            ).id,
                            "to_role_ids": [Command.set(role.ids)],
                            "auto_execute": True,
                        }
                    )
                ],
            }
        )
        self.created["scenario"] = scenario.id
        debtors = env["res.partner"].create(
            [
                {
                    "name": f"Commit Debtor {i}",
                    "is_company": True,
                    "email": f"debtor{i}@commit.example",
                    "child_ids": [
                        Command.create(
                            {
                                "name": f"AP {i}",
                                "email": f"ap{i}@commit.example",
                                "dunning_role_ids": [Command.set(role.ids)],
                            }
                        )
                    ],
                }
                for i in range(DEBTORS)
            ]
        )
        self.created["debtors"] = debtors.ids
        self.created["contacts"] = debtors.child_ids.ids
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": debtor.id,
                    "invoice_date": date(2026, 3, 1),
                    "invoice_date_due": date(2026, 3, 1),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": 100,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for debtor in debtors
            ]
        )
        moves.action_post()
        self.created["moves"] = moves.ids
        run = env["dunning.run"].create(
            {"company_id": company.id, "date": date(2026, 3, 10)}
        )
        self.created["runs"] = run.ids

    def _cleanup(self):
        """Delete, with real commits, everything the test committed."""
        if "company" not in self.created:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(self.created["company"])
            partners = env["res.partner"].browse(
                self.created.get("debtors", []) + self.created.get("contacts", [])
            )
            env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ).unlink()
            # Done actions refuse deletion (the debtor's history): by SQL.
            cr.execute("DELETE FROM dunning_action WHERE company_id = %s", [company.id])
            env["dunning.run"].search([("company_id", "=", company.id)]).unlink()
            moves = env["account.move"].browse(self.created.get("moves", []))
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            partners.unlink()
            cr.commit()  # pylint: disable=invalid-commit
            # The company with its chart of accounts and its scenarios (the
            # one of the test and any the addon made for the new company).
            ctx = {"active_test": False, "force_delete": True}
            try:
                with cr.savepoint():
                    for model, field in COMPANY_DATA:
                        env[model].sudo().with_context(**ctx).search(
                            [(field, "in", company.ids)]
                        ).unlink()
                    company.unlink()
            except Exception:  # noqa: BLE001 - keep it, but out of the way
                _logger.warning("Test company %s left archived", company.id)
                company.write({"active": False, "name": "Commit Test Co (left)"})
            # By SQL: a line of an enabled provider refuses its deletion.
            cr.execute(
                "DELETE FROM account_payment_method_line WHERE id > %s",
                [self.created["method_lines_after"]],
            )
            cr.commit()  # pylint: disable=invalid-commit

    def _count_actions(self, env):
        """Return the number of actions of each debtor."""
        groups = env["dunning.action"]._read_group(
            [("partner_id", "in", self.created["debtors"])],
            ["partner_id"],
            ["__count"],
        )
        return {partner.id: count for partner, count in groups}

    def test_killed_in_the_second_batch_then_resumed(self):
        original = DunningRun._prepare_action_vals
        calls = []

        def killed_in_second_batch(run, proposal):
            calls.append(proposal.partner_id)
            if len(calls) == BATCH + 1:
                raise RuntimeError("worker killed")
            return original(run, proposal)

        # The daily job's way: its own cursor, a commit after each batch.
        with (
            patch.object(DunningRun, "_batch_size", lambda run: BATCH),
            patch.object(DunningRun, "_prepare_action_vals", killed_in_second_batch),
        ):
            with self.assertRaisesRegex(RuntimeError, "worker killed"):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    run = env["dunning.run"].browse(self.created["runs"])
                    run.with_context(dunning_auto_commit=True).action_run()
        # What the first batch committed survived the crash; the rest is gone.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["dunning.run"].browse(self.created["runs"])
            self.assertEqual(run.state, "running")
            counts = self._count_actions(env)
            self.assertEqual(sorted(counts), sorted(calls[:BATCH]))
            self.assertEqual(set(counts.values()), {1})
            # No lock left behind: the next run may start.
            cr.execute(
                "SELECT pg_try_advisory_lock(%s, %s)",
                [RUN_LOCK_KEY, run.company_id.id],
            )
            self.assertTrue(cr.fetchone()[0])
            cr.execute("SELECT pg_advisory_unlock_all()")
        # The same run resumes, committing per batch again.
        with patch.object(DunningRun, "_batch_size", lambda run: BATCH):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                run = env["dunning.run"].browse(self.created["runs"])
                run.with_context(dunning_auto_commit=True).action_run()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["dunning.run"].browse(self.created["runs"])
            self.assertEqual(run.state, "done")
            counts = self._count_actions(env)
            self.assertEqual(
                counts,
                dict.fromkeys(self.created["debtors"], 1),
                "every debtor got exactly one action",
            )
            actions = env["dunning.action"].search(
                [("partner_id", "in", self.created["debtors"])]
            )
            self.assertEqual(set(actions.mapped("state")), {"done"})
            self.assertEqual(actions.run_id, run)
            mails = env["mail.mail"].search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", self.created["debtors"]),
                ]
            )
            self.assertEqual(
                sorted(mails.mapped("res_id")),
                sorted(self.created["debtors"]),
                "one e-mail per debtor, none sent twice",
            )
