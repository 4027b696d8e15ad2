# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmark scripts share: the accounts the seeds post to, the
columns of the invoices they insert in SQL, the statistics refreshed after
seeding, and the Markdown form of their figures (``--markdown``, gathered
into BENCHMARKS.md by ``setup/bench.sh --write``).

The seeds themselves stay in their scripts: the engine's invoices are all
open, the scoring's are mostly paid, with payments and reconciliations.
"""

import datetime
import os
import shlex
import sys

from odoo import Command
from odoo.tools import SQL

# The columns of account_move a seeded customer invoice (or payment) fills.
MOVE_COLUMNS = """
    id, name, sequence_prefix, sequence_number, journal_id, company_id,
    partner_id, commercial_partner_id, currency_id, state, move_type,
    auto_post, date, invoice_date, invoice_date_due, payment_state,
    amount_untaxed, amount_tax, amount_total, amount_residual,
    amount_untaxed_signed, amount_untaxed_in_currency_signed,
    amount_tax_signed, amount_total_signed,
    amount_total_in_currency_signed, amount_residual_signed,
    invoice_currency_rate, invoice_partner_display_name, posted_before,
    is_move_sent, is_storno, checked, made_sequence_gap,
    dunning_excluded, create_uid, write_uid, create_date, write_date
"""

# The columns of account_move_line a seeded line fills (its id aside).
LINE_COLUMNS = """
    move_id, move_name, sequence, journal_id, company_id,
    company_currency_id, currency_id, account_id, partner_id,
    parent_state, display_type, name, date, invoice_date, date_maturity,
    quantity, price_unit, price_subtotal, price_total, debit, credit,
    balance, amount_currency, amount_residual, amount_residual_currency,
    reconciled, tax_base_amount, create_uid, write_uid, create_date,
    write_date
"""


def seed_values(env, company, bank=False, **values):
    """The values of the seeding queries: the ids of the company, its
    currency, its sale journal with its income account, the receivable
    account (and a bank journal with ``bank``), the user; the column lists;
    plus ``values``.

    Stops the script when the company has no chart of accounts.
    """
    journals = env["account.journal"].search([("company_id", "=", company.id)])
    journal = journals.filtered(lambda j: j.type == "sale")[:1]
    receivable = company.partner_id.with_company(company).property_account_receivable_id
    income = journal.default_account_id
    bank_journal = journals.filtered(lambda j: j.type == "bank")[:1]
    if receivable.account_type != "asset_receivable" or not income:
        sys.exit("no receivable account or no sale journal: is a chart installed?")
    if bank and not bank_journal:
        sys.exit("no bank journal: is a chart installed?")
    return {
        "company": company.id,
        "currency": company.currency_id.id,
        "journal": journal.id,
        "receivable": receivable.id,
        "income": income.id,
        "bank": bank_journal.id,
        "uid": env.uid,
        # As SQL, not parameters: ``INSERT INTO account_move (%(move_columns)s)``.
        "move_columns": SQL(MOVE_COLUMNS),
        "line_columns": SQL(LINE_COLUMNS),
        **values,
    }


def post_invoices(env, company, partner, dues):
    """Create and post open customer invoices of ``partner``, one per
    ``(index, due date)`` of ``dues`` (100 + index, no tax); return them."""
    vals_list = [
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "invoice_date": due - datetime.timedelta(days=30),
            "invoice_date_due": due,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Service {index}",
                        "quantity": 1,
                        "price_unit": 100.0 + index,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        for index, due in dues
    ]
    moves = (
        env["account.move"]
        .with_company(company)
        .with_context(tracking_disable=True)
        .create(vals_list)
    )
    moves.action_post()
    return moves


def commit_and_analyze(env, tables):
    """Commit the seed, then VACUUM ANALYZE ``tables``.

    Fresh statistics and visibility maps, as autovacuum would leave them in
    production; doing it now also keeps autovacuum from running during the
    measure. VACUUM cannot run inside a transaction block.
    """
    cr = env.cr
    cr.commit()
    cr._cnx.autocommit = True
    try:
        for table in tables:
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
    finally:
        cr._cnx.autocommit = False
    env.invalidate_all()


def markdown_section(title, command, headers, rows, notes=()):
    """Return the Markdown of one benchmark's figures, as BENCHMARKS.md shows
    them: a heading, the date, the machine and the command, then a table.

    :param command: the command that measured them, without -c/-d.
    :param headers: the column titles; ``rows``: lists of cells, as strings.
    :param notes: lines printed after the table.
    """
    lines = [
        f"### {title}",
        "",
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} CPUs, " f"`{command}`:",
        "",
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _header in headers) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def command_line(script, args, options):
    """The command of a benchmark run as BENCHMARKS.md shows it: the script
    and its ``options`` (names of attributes of ``args``), not the database."""
    words = ["python3", f"scripts/{script}"]
    for name in options:
        value = getattr(args, name)
        flag = "--" + name.replace("_", "-")
        if value is True:
            words.append(flag)
        elif value not in (None, False):
            words += [flag, str(value)]
    return shlex.join(words)


def add_markdown_option(parser):
    """``--markdown``, which every benchmark takes (see ``setup/bench.sh --write``)."""
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the table for BENCHMARKS.md (the rest on the standard error)",
    )
