"""19.0.1.6.0: the recompute queue keeps plain ids, without foreign keys.

Its metric, company, salesperson and team columns were many2one fields
until 19.0.1.5.0, with a foreign key each; they are integer fields now (the
foreign-key checks were a third of the cost of the INSERT each commit that
marks groups pays). Odoo does not drop the constraints of a column that is
no longer a many2one: this script does. The column values are kept.
Idempotent."""

TABLE = "sales_performance_recompute_queue"
COLUMNS = ("metric_id", "company_id", "user_id", "team_id")


def drop_foreign_keys(cr):
    """Drop the foreign keys of the queue's columns; their names."""
    cr.execute(
        """
        SELECT c.conname
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
         WHERE c.conrelid = to_regclass(%s) AND c.contype = 'f'
           AND a.attname = ANY(%s)
        """,
        [TABLE, list(COLUMNS)],
    )
    names = sorted({name for (name,) in cr.fetchall()})
    for name in names:
        cr.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')  # noqa: S608
    return names


def migrate(cr, version):
    if version:
        drop_foreign_keys(cr)
