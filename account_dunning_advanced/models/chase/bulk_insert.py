# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Create many records of a model in a few SQL statements.

The ORM's ``create`` inserts rows by hundreds but then works per record (the
cache, the inverse fields, the computed fields' triggers, the constraints);
the collections run creates thousands of actions a night.  ``insert_rows``
inserts them with one statement per table (``INSERT ... SELECT FROM
unnest(...)``), then does what the ORM does for the batch: the defaults, the
log-access columns, the many2many rows, the cache of the fields written and of
their inverses, the triggers of the stored computed fields that depend on them
(``modified(create=True)``, the values given protected), and the access
check.  Values it cannot write as plain columns (an x2many command other than
a set, a translated or company-dependent field, a field of a parent model)
make it answer ``None``: the caller then creates through the ORM.
"""

from odoo import Command
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, clean_context, float_repr, float_round

# Columns an unnest() of an array literal (``array_literal``) cannot carry.
_UNSUPPORTED_COLUMN_TYPES = ("jsonb", "bytea")


def array_literal(values):
    """Return ``values`` as the text of one PostgreSQL array (``{1,2,3}``).

    Passed as one parameter and cast (``%s::int4[]``), a batch's thousands of
    values are one constant for PostgreSQL to parse, where psycopg2's
    ``ARRAY[1, 2, 3]`` makes each value a constant of the statement: with a
    batch of lines, half of the statement's time went to parsing it.
    """
    values = values if isinstance(values, list | tuple) else list(values)
    # Ids and amounts, most of a batch: one join (bool is an int: not here).
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        elif isinstance(value, bool):
            parts.append("t" if value else "f")
        elif isinstance(value, int | float):
            parts.append(repr(value))
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{text}"')
    return "{" + ",".join(parts) + "}"


def ids_array(ids):
    """Return the SQL of the integer array ``ids`` (see ``array_literal``),
    e.g. for ``aml.id = ANY(%s)``."""
    return SQL("%s::int4[]", array_literal(ids))


def _m2m_ids(value):
    """Return the ids of a plain many2many value (a set or links), or None."""
    if not value:
        return []
    if not isinstance(value, list | tuple):
        return None
    if len(value) == 1 and value[0][0] == Command.SET:
        return list(value[0][2])
    if all(command[0] == Command.LINK for command in value):
        return [command[1] for command in value]
    return None


def _plain_field(field):
    """Whether ``field`` is a column ``insert_rows`` writes as is."""
    return bool(
        field.store
        and field.column_type
        and field.column_type[0] not in _UNSUPPORTED_COLUMN_TYPES
        and not field.translate
        and not field.company_dependent
        and not field.inherited
        and field.type != "properties"
    )


def _split(model, vals_list):
    """Return ``(columns, many2many)`` field lists of ``vals_list``, or None
    when a value is not plain."""
    columns, many2many = [], []
    for name in sorted({name for vals in vals_list for name in vals}):
        field = model._fields.get(name)
        if field is None or name == "id" or name in LOG_ACCESS_COLUMNS:
            return None
        if field.type == "many2many" and field.store:
            if any(_m2m_ids(vals.get(name)) is None for vals in vals_list):
                return None
            many2many.append(field)
        elif _plain_field(field):
            columns.append(field)
        else:
            return None
    return columns, many2many


def _with_defaults(model, vals_list):
    """Return ``vals_list`` completed with the model's defaults (read once)."""
    given = {name for vals in vals_list for name in vals}
    missing = [
        name
        for name, field in model._fields.items()
        if field.store and name not in given and name not in LOG_ACCESS_COLUMNS
    ]
    defaults = model.default_get(missing) if missing else {}
    # A default must apply to every row: the rows that give some of the
    # fields and not others keep their own values.
    return [{**defaults, **vals} for vals in vals_list]


def _column_values(model, field, vals_list):
    """Return the column values of ``field`` for ``vals_list``.

    As ``field.convert_to_column_insert``, which reads the currency of a
    monetary value through a new record for each value (most of the time of
    a batch): here the amounts are rounded with the currency given in the
    same values, each currency read once. Other fields convert as the ORM.
    """
    currency_name = (
        field.get_currency_field(model) if field.type == "monetary" else None
    )
    if not currency_name or any(currency_name not in vals for vals in vals_list):
        return [
            field.convert_to_column_insert(vals.get(field.name), model, vals)
            for vals in vals_list
        ]
    # Each currency's rounding read once (``res.currency.round``).
    roundings = {
        currency.id: (currency.rounding, currency.decimal_places)
        for currency in model.env["res.currency"].browse(
            {vals[currency_name] for vals in vals_list if vals[currency_name]}
        )
    }
    values = []
    for vals in vals_list:
        value = float(vals.get(field.name) or 0.0)
        rounding = roundings.get(vals[currency_name])
        values.append(
            float_repr(float_round(value, precision_rounding=rounding[0]), rounding[1])
            if rounding
            else value
        )
    return values


def insert_rows(model, vals_list, conflict=None):
    """Insert the records ``vals_list`` of ``model``; see the module.

    :param conflict: an ``SQL`` conflict target (``(cols) WHERE predicate``):
        the rows it rejects are skipped (``ON CONFLICT ... DO NOTHING``), with
        their many2many rows.
    :return: the list of the new ids, ``None`` in place of a skipped row; or
        ``None`` when the values are not all plain columns (use the ORM).
    """
    if not vals_list:
        return []
    # A model delegating to a parent (``_inherits``) only when each row
    # links an existing parent: its own columns are then all there is.
    if any(
        not vals.get(link) for link in model._inherits.values() for vals in vals_list
    ):
        return None
    vals_list = _with_defaults(model, vals_list)
    split = _split(model, vals_list)
    if split is None:
        return None
    columns, many2many = split
    env = model.env
    cr = env.cr
    model.flush_model()
    # The ids first (one query): the rows a conflict skips are then known,
    # whatever order RETURNING follows.
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{model._table}_id_seq",
            len(vals_list),
        )
    )
    ids = [row[0] for row in cr.fetchall()]
    names = [SQL.identifier("id")]
    arrays = [ids_array(ids)]
    for field in columns:
        names.append(SQL.identifier(field.name))
        arrays.append(
            SQL(
                "%s::" + field.column_type[1] + "[]",
                array_literal(_column_values(model, field, vals_list)),
            )
        )
    aliases = [SQL.identifier(f"c{index}") for index in range(len(names))]
    selected = list(aliases)
    if model._log_access:
        now = SQL("(now() AT TIME ZONE 'UTC')")
        names += [SQL.identifier(name) for name in LOG_ACCESS_COLUMNS]
        selected += [SQL("%s", env.uid), now, SQL("%s", env.uid), now]
    cr.execute(
        SQL(
            """
            INSERT INTO %(table)s (%(names)s)
            SELECT %(selected)s FROM unnest(%(arrays)s) AS row(%(aliases)s)
            %(conflict)s
            RETURNING id
            """,
            table=SQL.identifier(model._table),
            names=SQL(", ").join(names),
            selected=SQL(", ").join(selected),
            arrays=SQL(", ").join(arrays),
            aliases=SQL(", ").join(aliases),
            conflict=SQL("ON CONFLICT %s DO NOTHING", conflict) if conflict else SQL(),
        )
    )
    inserted = {row[0] for row in cr.fetchall()}
    for field in many2many:
        # The rows of records just inserted (new ids): no conflict is
        # possible once the pairs given twice are merged, and PostgreSQL
        # spares the speculative insertion of ``ON CONFLICT`` (a tenth of
        # the time of a run's lines).
        pairs = list(
            dict.fromkeys(
                (record_id, other_id)
                for record_id, vals in zip(ids, vals_list, strict=True)
                if record_id in inserted
                for other_id in _m2m_ids(vals.get(field.name))
            )
        )
        if pairs:
            cr.execute(
                SQL(
                    """
                    INSERT INTO %(relation)s (%(column1)s, %(column2)s)
                    SELECT * FROM unnest(%(ids1)s, %(ids2)s)
                    """,
                    relation=SQL.identifier(field.relation),
                    column1=SQL.identifier(field.column1),
                    column2=SQL.identifier(field.column2),
                    ids1=ids_array([pair[0] for pair in pairs]),
                    ids2=ids_array([pair[1] for pair in pairs]),
                )
            )
    records = model.browse([record_id for record_id in ids if record_id in inserted])
    _after_insert(model, records, columns + many2many)
    return [record_id if record_id in inserted else None for record_id in ids]


def _after_insert(model, records, fields):
    """Make the cache and the computed fields right after an insert in SQL."""
    env = model.env
    # What was written behind the ORM's back: the model's rows, and the
    # inverse fields (the run's actions, the lines' actions...).
    model.invalidate_model(flush=False)
    for field in fields:
        for inverse in model.pool.field_inverses[field]:
            env[inverse.model_name].invalidate_model([inverse.name])
    if not records:
        return
    # The values given are final (as the ORM protects the computed fields
    # given to create); the stored fields depending on them are recomputed
    # at the next flush, for the whole batch.
    with env.protecting(fields, records):
        records.modified(list(model._fields), create=True)
    records.check_access("create")


#: What ``mail.message.create`` computes when it is missing: given by the
#: callers of ``insert_messages``, else the ORM computes it.
_MESSAGE_KEYS = ("author_id", "email_from", "reply_to", "record_name", "message_type")


def insert_messages(env, vals_list):
    """Create the ``mail.message`` of ``vals_list`` with ``insert_rows``.

    What ``mail.message.create`` does for each message, done for the batch:
    the Message-Id (``_get_message_id``), the defaults without the context's
    ``default_*`` keys (as ``mail.thread._message_create``), each body
    sanitized once by its field, the attachments linked, the threads'
    chatter read again (``_invalidate_documents``). The values must give the
    author, sender, reply-to and record name, without tracking values nor
    inline images (turned into attachments by ``create``).

    :return: the messages (sudo), in the order of ``vals_list``; ``None``
        when the ORM must create them.
    """
    if not vals_list:
        return env["mail.message"].sudo()
    for vals in vals_list:
        if (
            any(key not in vals for key in _MESSAGE_KEYS)
            or vals.get("tracking_value_ids")
            or "data:image" in str(vals.get("body") or "")
        ):
            return None
    Message = env["mail.message"].sudo().with_context(clean_context(env.context))
    rows = [
        dict(
            vals,
            message_id=vals.get("message_id") or Message._get_message_id(vals),
        )
        for vals in vals_list
    ]
    ids = insert_rows(Message, rows)
    if ids is None:
        return None
    threads = {}
    for vals in rows:
        if vals.get("model") and vals.get("res_id"):
            threads.setdefault(vals["model"], set()).add(vals["res_id"])
    for model, res_ids in threads.items():
        if model in env and "message_ids" in env[model]._fields:
            env[model].browse(res_ids).invalidate_recordset(
                ["message_ids", "message_needaction", "message_needaction_counter"]
            )
    return Message.browse(ids).with_env(env(su=True))


def insert_or_create(model, vals_list):
    """Create the records ``vals_list`` of ``model`` with ``insert_rows``,
    through the ORM when a value is not a plain column; return them."""
    ids = insert_rows(model, vals_list)
    if ids is None:
        return model.create(vals_list)
    return model.browse(ids)
