# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ageing buckets of open receivables: the one definition.

The statement, the cockpit and the receivables analysis all classify an open
item by the number of days it is past its due date with these buckets; the
SQL ``CASE`` of the analysis view is generated from them (:func:`case_sql`),
so that the Python and the SQL classification cannot drift apart.

Plain Python except :func:`case_sql`, which only builds an ``odoo.tools.SQL``.
"""

from collections import namedtuple

Bucket = namedtuple("Bucket", "key label first_day last_day")

#: The buckets, in order: days past due from ``first_day`` to ``last_day``
#: included (``None``: no bound). Labels are translated where they are shown.
BUCKETS = (
    Bucket("not_due", "Not due", None, 0),
    Bucket("1_30", "1-30 days", 1, 30),
    Bucket("31_60", "31-60 days", 31, 60),
    Bucket("61_90", "61-90 days", 61, 90),
    Bucket("90_plus", "More than 90 days", 91, None),
)

KEYS = tuple(bucket.key for bucket in BUCKETS)


def bucket_of(days_late):
    """Return the key of the bucket of an item ``days_late`` days past due.

    ``days_late`` is zero or negative for an item not due yet.
    """
    for bucket in BUCKETS:
        if bucket.last_day is None or days_late <= bucket.last_day:
            return bucket.key
    return BUCKETS[-1].key  # pragma: no cover - the last bucket has no bound


def selection():
    """Return ``[(key, label), ...]`` for a ``fields.Selection``."""
    return [(bucket.key, bucket.label) for bucket in BUCKETS]


def case_sql(days_sql):
    """Return the SQL ``CASE`` giving the bucket key of ``days_sql``.

    :param days_sql: an ``odoo.tools.SQL`` expression of the days past due.
    """
    from odoo.tools import SQL  # noqa: PLC0415 - keep the module plain Python

    whens = [
        SQL("WHEN %s <= %s THEN %s", days_sql, bucket.last_day, bucket.key)
        for bucket in BUCKETS
        if bucket.last_day is not None
    ]
    return SQL("CASE %s ELSE %s END", SQL(" ").join(whens), BUCKETS[-1].key)
