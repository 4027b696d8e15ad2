# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The actions of a run are inserted in SQL (``bulk_insert``): they are the
ones the ORM would have created, and behave the same afterwards."""

from odoo import Command
from odoo.tests import tagged

from .common import DunningCommon, d

# Differ between two creations by nature (or render per-record links).
IGNORED = {"id", "create_date", "write_date", "email_preview", "channel_ids"}


@tagged("post_install", "-at_install")
class TestCreateActions(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Two levels with different channels and recipients: the pre-due
        # reminder by e-mail, the first one by e-mail and letter, copied to
        # the management.
        cls.lvl_1.write(
            {
                "channel_letter": True,
                "cc_role_ids": [Command.set(cls.role_management.ids)],
            }
        )
        # The debtor gets both levels (an invoice overdue, one due in 2 days).
        cls._invoice(cls.debtor, 1000, "2026-02-01")
        cls._invoice(cls.debtor, 300, "2026-03-03")
        # Nobody holds the role: the company's address, and a note saying so
        # (the name, in the note, written as one array of the batch: quotes,
        # a backslash, braces and a comma must come back as they were).
        cls.lonely = cls._create_debtor(
            'Lonely "L\'Écho", {Sud} \\ SARL', with_contacts=False
        )
        cls._invoice(cls.lonely, 200, "2026-02-01")
        # Two currencies: one reminder per currency.
        cls.foreign = cls._create_debtor("Foreign GmbH")
        cls.other_currency = cls.setup_other_currency("CHF")
        cls._invoice(cls.foreign, 400, "2026-02-01")
        cls._invoice(cls.foreign, 500, "2026-02-01", currency=cls.other_currency)
        cls.on = d("2026-03-01")

    def _proposals(self, run):
        plan, _lines = self.env["dunning.planner"]._compute_plan(
            self.company, run.date, (self.debtor | self.lonely | self.foreign).ids
        )
        return plan.proposals

    def _snapshot(self, actions):
        """What a user sees of the actions: the fields of the form, read
        through the ORM, and their channels."""
        self.env.invalidate_all()
        view = self.env["dunning.action"].get_views([(False, "form")])
        fnames = sorted(set(view["models"]["dunning.action"]["fields"]) - IGNORED)
        snapshot = {}
        for action in actions:
            values = action.read(fnames)[0]
            values.pop("id")
            values["channels"] = [
                (c.channel, c.sequence, c.state, c.company_id.id)
                for c in action.channel_ids
            ]
            values["messages"] = len(action.message_ids)
            values["followers"] = len(action.message_follower_ids)
            values["display_name"] = action.display_name
            snapshot[
                (action.partner_id.id, action.level_id.id, action.currency_id.id)
            ] = values
        return snapshot

    def test_set_creation_equals_orm_creation(self):
        run = self.env["dunning.run"].create({"date": self.on})
        proposals = self._proposals(run)
        Action = self.env["dunning.action"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        # The ORM path, as before the set-based creation.
        vals_list = [run._prepare_action_vals(proposal) for proposal in proposals]
        orm = Action.create(Action._prepare_recipients_vals(vals_list))
        orm._ensure_channels()
        expected = self._snapshot(orm)
        orm.unlink()

        self.assertEqual(run._create_actions(proposals), len(proposals))
        actions = run.action_ids
        got = self._snapshot(actions)
        self.assertEqual(got, expected)
        # The ledger of the test covers what it claims to.
        self.assertEqual(len(actions), 5)
        self.assertEqual(
            actions.filtered(lambda a: a.partner_id == self.foreign).currency_id,
            self.company.currency_id | self.other_currency,
        )
        first = actions.filtered(
            lambda a: a.partner_id == self.debtor and a.level_id == self.lvl_1
        )
        self.assertEqual(first.partner_to_ids, self.ap)
        self.assertEqual(first.partner_cc_ids.mapped("name"), ["Boss Debtor SA"])
        self.assertEqual(first.channel_ids.mapped("channel"), ["email", "letter"])
        pre = actions.filtered(
            lambda a: a.partner_id == self.debtor and a.level_id == self.lvl_pre
        )
        self.assertEqual(pre.channel_ids.mapped("channel"), ["email"])
        lonely = actions.filtered(lambda a: a.partner_id == self.lonely)
        self.assertEqual(lonely.partner_to_ids, self.lonely)
        self.assertIn("e-mail address of the company", lonely.recipient_note)
        self.assertIn('Lonely "L\'Écho", {Sud} \\ SARL', lonely.recipient_note)
        # The inverse fields are right in the cache of this transaction.
        self.assertEqual(first.line_ids.dunning_action_ids, first)
        self.assertEqual(run.action_count, 5)

    def test_run_twice_creates_nothing_new(self):
        run = self.env["dunning.run"].create({"date": self.on})
        proposals = self._proposals(run)
        self.assertEqual(run._create_actions(proposals), 5)
        # The same proposals again (a batch retried after a crash): the
        # unique index skips them, with their lines and channels.
        again = self.env["dunning.run"].create({"date": self.on})
        self.assertEqual(again._create_actions(proposals), 0)
        self.assertFalse(again.action_ids)
        actions = self.env["dunning.action"].search(
            [("partner_id", "in", (self.debtor | self.lonely | self.foreign).ids)]
        )
        self.assertEqual(actions.run_id, run)
        self.assertEqual(len(actions.channel_ids), 9)
        self.assertEqual(
            sorted(actions.line_ids.ids),
            sorted(i for p in proposals for i in p.line_ids),
        )
        # And a whole run again on the same date creates nothing either.
        self.assertFalse(self._run("2026-03-01", execute=False).action_ids)

    def test_executed_action_tracks_its_state(self):
        run = self._run("2026-03-01", execute=False)
        action = run.action_ids.filtered(
            lambda a: a.partner_id == self.debtor and a.level_id == self.lvl_pre
        )
        self.assertFalse(action.message_ids, "created without a message")
        # The tests' environment disables the tracking; a user's does not.
        action.with_context(tracking_disable=False, mail_notrack=False).action_execute()
        self.assertEqual(action.state, "done")
        # The tracking messages are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = action.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char), ("To validate", "Done")
        )
        self.assertEqual(len(self._mails()), 1)

    def test_reminders_carry_the_collector_without_writing_the_debtor(self):
        """The collector is given to the insert (not computed per reminder
        at the flush): the reminders list the debtor's collector, the one
        without a collector none, and the debtor is not written."""
        collector = self._new_user("create_actions_collector", "base.group_user")
        self.debtor.dunning_collector_id = collector
        self.env.flush_all()
        written = self.debtor.write_date
        run = self.env["dunning.run"].create({"date": self.on})
        self.assertEqual(run._create_actions(self._proposals(run)), 5)
        self.env.flush_all()
        self.env.invalidate_all()
        mine = run.action_ids.filtered(lambda a: a.partner_id == self.debtor)
        self.assertEqual(len(mine), 2)
        self.assertEqual(mine.collector_id, collector)
        self.assertFalse((run.action_ids - mine).collector_id)
        self.assertEqual(self.debtor.write_date, written)
        # What the lists filter on is in the database, not only in the cache.
        self.assertEqual(
            self.env["dunning.action"].search_count(
                [("run_id", "=", run.id), ("collector_id", "=", collector.id)]
            ),
            2,
        )
