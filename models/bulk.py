"""Set-based writes for records generated in bulk.

The ORM writes new records in batches of 100 rows (one INSERT, then one
UPDATE per batch for the stored computed and related fields), so the number
of queries grows with the number of records. Generated records whose every
stored value the caller knows (incentive statements and their lines) go in
with one ``INSERT … SELECT FROM unnest(…)`` and are updated with one
``UPDATE … FROM unnest(…)``, whatever their number.

The caller gives the value of every stored field it needs, related and
computed ones included, and invalidates what it read from the cache before.
"""

from odoo.tools import SQL

LOG_ACCESS_FIELDS = ("create_uid", "create_date", "write_uid", "write_date")


def _plain_fields(model, fnames):
    fields = [model._fields[fname] for fname in fnames]
    for field in fields:
        if not (
            field.store
            and field.column_type
            and not field.translate
            and not field.company_dependent
        ):
            raise ValueError(f"{field} cannot be written in bulk")
    return fields


def _column_value(field, value):
    if field.type == "boolean":
        return bool(value)
    if value is False or value is None:
        return None
    if field.type == "many2one" and not isinstance(value, int):
        return value.id or None
    return value


def array_literal(values):
    """``values`` as the text of a PostgreSQL array (``'{1,NULL,"a b"}'``),
    to pass as one parameter cast to a typed array. psycopg2 turns a Python
    list into ``ARRAY[v1, v2, ...]``, an expression the server parses value
    by value: for 10,000 values that costs more than the query itself."""
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        elif isinstance(value, bool):
            items.append("t" if value else "f")
        elif isinstance(value, int | float):
            items.append(repr(value))
        else:
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            escaped = text.replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{escaped}"')
    return "{" + ",".join(items) + "}"


def _arrays(fields, rows):
    """One typed SQL array per field, the values taken from ``rows``."""
    return [
        SQL(
            "%s::%s[]",
            array_literal([_column_value(field, row.get(field.name)) for row in rows]),
            SQL(field.column_type[1]),
        )
        for field in fields
    ]


def insert(model, vals_list):
    """Insert ``vals_list`` into the table of ``model`` in one statement;
    return the ids in the order of ``vals_list``. Defaults, computes and
    constraints written in Python are not applied: the values are final."""
    if not vals_list:
        return []
    fnames = sorted({fname for vals in vals_list for fname in vals})
    fields = _plain_fields(model, fnames)
    log_access = SQL()
    log_values = SQL()
    if model._log_access:
        now = model.env.cr.now()
        log_access = SQL(", %s", SQL(", ").join(map(SQL.identifier, LOG_ACCESS_FIELDS)))
        log_values = SQL(", %s, %s, %s, %s", model.env.uid, now, model.env.uid, now)
    # the ordinality keeps the ids in the order of vals_list
    query = SQL(
        """
        WITH rows AS (
            SELECT * FROM unnest(%(arrays)s) WITH ORDINALITY
                AS r(%(columns)s, position)
        ), inserted AS (
            INSERT INTO %(table)s (%(columns)s%(log_access)s)
            SELECT %(columns)s%(log_values)s FROM rows ORDER BY position
            RETURNING id
        )
        SELECT id FROM inserted ORDER BY id
        """,
        arrays=SQL(", ").join(_arrays(fields, vals_list)),
        columns=SQL(", ").join(map(SQL.identifier, fnames)),
        table=SQL.identifier(model._table),
        log_access=log_access,
        log_values=log_values,
    )
    return [row[0] for row in model.env.execute_query(query)]


def update(records, vals_list):
    """Write ``vals_list[i]`` on ``records[i]`` in one statement (the same
    fields for every record); the cache of these fields is invalidated."""
    if not records:
        return
    assert len(records) == len(vals_list)
    fnames = sorted(vals_list[0])
    fields = _plain_fields(records, fnames)
    id_field = records._fields["id"]
    assignments = [
        SQL("%s = r.%s", SQL.identifier(fname), SQL.identifier(fname))
        for fname in fnames
    ]
    if records._log_access:
        assignments += [
            SQL("write_uid = %s", records.env.uid),
            SQL("write_date = %s", records.env.cr.now()),
        ]
    rows = [
        dict(vals, id=record_id)
        for record_id, vals in zip(records.ids, vals_list, strict=True)
    ]
    records.env.execute_query(
        SQL(
            """
            UPDATE %(table)s AS t SET %(assignments)s
            FROM unnest(%(arrays)s) AS r(id, %(columns)s)
            WHERE t.id = r.id
            """,
            table=SQL.identifier(records._table),
            assignments=SQL(", ").join(assignments),
            arrays=SQL(", ").join(_arrays([id_field, *fields], rows)),
            columns=SQL(", ").join(map(SQL.identifier, fnames)),
        )
    )
    records.invalidate_recordset([*fnames, "write_uid", "write_date"])
