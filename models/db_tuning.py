"""PostgreSQL settings the recompute relies on, in one place, each with the
measurement that justifies it (``make bench SIZE=medium``, see README
"Benchmark"). Business code calls these helpers and knows nothing else of
the database's tuning."""

from contextlib import contextmanager

from odoo.tools import SQL

# When figures change, the recompute rewrites the computed columns of the
# targets; with room left in each page (70 % fill) PostgreSQL keeps the new
# row versions in the same page (heap-only tuple updates, no index touched).
# Measured on the medium benchmark (14,400 targets, 2-core VM, 2026-12-01):
# rewriting every target's figures took 0.15 s at fillfactor 70 (all updates
# heap-only) against 0.58 s at 100 (none heap-only).
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
    than they take to run. Measured on the medium benchmark (14,400 targets,
    2-core VM, 2026-12-01): a full recompute took 0.91 s with JIT off and
    1.33 s with it on (best of three each). The same for the scheduled
    action's statement that takes the queue's marks (a credit split lookup
    per mark, estimated at 50,000 marks): 138 ms with JIT, 63 ms without
    (5,824 marks of the incremental benchmark)."""
    cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    previous = cr.fetchone()[0]
    try:
        yield
    finally:
        cr.execute("SELECT set_config('jit', %s, true)", [previous])
