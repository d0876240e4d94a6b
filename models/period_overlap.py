"""One rule for "one record per ... and period": the period-overlap check
shared by targets and evaluations (a self-join, one query per batch)."""

from odoo.tools import SQL

from . import bulk


def first_overlap(records, same, live=None):
    """The first ``(record, other)`` pair where a record of ``records``
    overlaps the period (``date_from``..``date_to``, both inclusive) of
    another row of the same table that ``same`` matches, or None.

    :param same: SQL condition on the aliases ``t`` (the checked row) and
        ``o`` (the other row), e.g. ``o.employee_id = t.employee_id``
    :param live: a function of a table alias giving the SQL condition a row
        must meet to count (e.g. not cancelled), applied to both rows
    """
    if not records:
        return None
    table = SQL.identifier(records._table)
    live = live or (lambda alias: SQL("TRUE"))
    rows = records.env.execute_query(
        SQL(
            """
            SELECT t.id, o.id
              FROM %(table)s t
              JOIN %(table)s o
                ON o.id != t.id
               AND %(same)s
               AND %(live_o)s
               AND o.date_from <= t.date_to AND t.date_from <= o.date_to
             WHERE t.id = ANY(%(ids)s::int[]) AND %(live_t)s
             LIMIT 1
            """,
            table=table,
            same=same,
            live_o=live("o"),
            live_t=live("t"),
            ids=bulk.array_literal(records.ids),
        )
    )
    if not rows:
        return None
    return records.browse(rows[0][0]), records.browse(rows[0][1])
