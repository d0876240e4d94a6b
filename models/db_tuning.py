"""PostgreSQL settings the recompute relies on, in one place, each with the
measurement that justifies it (``make bench SIZE=medium``, see README
"Benchmark"). Business code calls these helpers and knows nothing else of
the database's tuning."""

from contextlib import contextmanager

from odoo.tools import SQL

# The recompute rewrites the computed columns of most targets every hour;
# with room left in each page (70 % fill) PostgreSQL keeps the new row
# versions in the same page (heap-only tuple updates, no index update).
TARGET_FILLFACTOR = 70


def set_fillfactor(cr, table, fillfactor):
    """Leave ``100 - fillfactor`` % of each page of ``table`` free for
    updates (applies to pages written from now on)."""
    cr.execute(
        SQL(
            "ALTER TABLE %s SET (fillfactor = %s)",
            SQL.identifier(table),
            SQL(str(int(fillfactor))),
        )
    )


@contextmanager
def jit_off(cr):
    """Run the block with PostgreSQL's JIT compiler off (restored after).

    The metrics' one-off aggregates have a high estimated cost (currency
    conversion subqueries), so PostgreSQL compiles them with LLVM for longer
    than they take to run."""
    cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    previous = cr.fetchone()[0]
    try:
        yield
    finally:
        cr.execute("SELECT set_config('jit', %s, true)", [previous])
