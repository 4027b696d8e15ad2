# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account_dunning_advanced.tests.common import DunningCommon, d


@tagged("post_install", "-at_install")
class ScoreCommon(DunningCommon):
    """A debtor with a hand-computable history, scored on 2026-06-30.

    ===  =====  ==========  ==========  ==================================
    inv  amount due         paid on     notes
    ===  =====  ==========  ==========  ==================================
    I1   1000   2026-01-31  2026-01-31  on time
    I2   2000   2026-02-28  2026-03-20  20 days late
    I3   1000   2026-03-31  2026-05-10  40 days late
    I4    500   2026-05-31  open        30 days overdue, 2 reminders,
                                        in dispute
    I5    500   2026-07-31  open        not due; invoiced 2026-06-15
    ===  =====  ==========  ==========  ==================================
    """

    ON = d("2026-06-30")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score = cls.env["dunning.partner.score"]
        cls.grades = cls.env["dunning.score.grade"]._by_code()
        debtor = cls.debtor
        cls.i1 = cls._invoice(debtor, 1000, "2026-01-31")
        cls.i2 = cls._invoice(debtor, 2000, "2026-02-28")
        cls.i3 = cls._invoice(debtor, 1000, "2026-03-31")
        cls.i4 = cls._invoice(debtor, 500, "2026-05-31")
        cls.i5 = cls._invoice(debtor, 500, "2026-07-31", invoice_date=d("2026-06-15"))
        cls._pay(cls.i1, on=d("2026-01-31"))
        cls._pay(cls.i2, on=d("2026-03-20"))
        cls._pay(cls.i3, on=d("2026-05-10"))
        cls.i4.dunning_excluded = True
        line = cls.i4.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        cls.env["dunning.action"].create(
            [
                {
                    "partner_id": debtor.id,
                    "company_id": cls.company.id,
                    "currency_id": cls.company.currency_id.id,
                    "level_id": level.id,
                    "scenario_id": cls.scenario.id,
                    "date": day,
                    "kind": "reminder",
                    "state": "done",
                    "line_ids": [Command.set(line.ids)],
                }
                for level, day in (
                    (cls.lvl_1, d("2026-06-05")),
                    (cls.lvl_2, d("2026-06-20")),
                )
            ]
        )

    @classmethod
    def _score(cls, partner=None, company=None, on=None):
        """Compute the scores of company on ``on``; return partner's row."""
        company = company or cls.company
        cls.Score._compute_scores(company, on_date=on or cls.ON)
        return cls.Score.search(
            [
                ("partner_id", "=", (partner or cls.debtor).id),
                ("company_id", "=", company.id),
            ]
        )

    @classmethod
    def _history(cls, partner, amounts_delays, company=None):
        """Create paid invoices: list of (amount, due, days late)."""
        for amount, due, late in amounts_delays:
            move = cls._invoice(partner, amount, due, company=company)
            cls._pay(move, on=d(due) + timedelta(days=late))
