# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write the figures of the benchmarks into BENCHMARKS.md.

Replaces what stands between the markers ``<!-- bench:begin -->`` and
``<!-- bench:end -->`` of the file with the Markdown read on the standard
input (what the benchmark scripts print with ``--markdown``); the prose around
the markers is kept. Run by ``setup/bench.sh --write``::

    python3 scripts/bench_engine.py -c odoo.conf -d DB --markdown \\
        | python3 scripts/bench_write.py BENCHMARKS.md

No Odoo import: it only edits the file.
"""

import argparse
import pathlib
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def replace_block(text, block):
    """Return ``text`` with ``block`` between its markers (one pair of them)."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise ValueError(f"the file must hold {BEGIN} and {END} once each")
    head, rest = text.split(BEGIN)
    _old, tail = rest.split(END)
    return f"{head}{BEGIN}\n{block.strip()}\n{END}{tail}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=pathlib.Path, help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)
    block = sys.stdin.read()
    if not block.strip():
        sys.exit("nothing on the standard input: the file is left as it is")
    try:
        text = replace_block(args.file.read_text(encoding="utf-8"), block)
    except ValueError as error:
        sys.exit(f"{args.file}: {error}")
    args.file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
