# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivables analysis reads the levels in one pass
(``dunning.receivable.report._reached_levels_sql``): the same level and date
per line as THE definition, ``dunning.planner._reached_level_sql``, read per
line, and the cockpit's top debtors show the same highest level."""

from odoo.tests import tagged
from odoo.tools import SQL

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestCockpitLevels(DunningCommon):
    def _levels_by_definition(self):
        """{line id: (level id, date)} per line, by the planner's LATERAL."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT aml.id, last.level_id, last.date"
                "  FROM account_move_line aml"
                "  LEFT JOIN LATERAL %s last ON TRUE"
                " WHERE %s",
                self.env["dunning.planner"]._reached_level_sql("aml"),
                self.env["account.move.line"]._dunning_collectible_sql(
                    "aml", self.company
                ),
            )
        )
        return {line: (level, date) for line, level, date in self.env.cr.fetchall()}

    def test_analysis_levels_are_the_planner_levels(self):
        other = self._create_debtor("Other Debtor")
        early = self._invoice(self.debtor, 100, "2026-01-10")
        self._invoice(self.debtor, 200, "2026-01-25")
        self._invoice(other, 300, "2026-01-10")
        self._run("2026-01-20")  # level 1 for the invoices due on 01-10
        self._run("2026-02-05")  # level 2 for them, level 1 for 01-25
        # A cancelled reminder does not count.
        self._actions(other).filtered(lambda a: a.level_id == self.lvl_2).write(
            {"state": "cancel"}
        )
        expected = self._levels_by_definition()
        report = self.env["dunning.receivable.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            {row.id: (row.level_id.id or None, row.level_date) for row in report},
            expected,
        )
        line = early.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(expected[line.id][0], self.lvl_2.id)
        self.assertEqual(
            {level for level, _date in expected.values()},
            {self.lvl_1.id, self.lvl_2.id},
        )
        top = self.env["dunning.dashboard"]._dunning_kpis(
            self.company, today=self.env.cr.now().date()
        )["top"]
        self.assertEqual(
            {row["partner"]: row["level"] for row in top},
            {self.debtor: self.lvl_2, other: self.lvl_1},
        )
