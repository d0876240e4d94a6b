"""19.0.1.4.0: the free-text cycle label of evaluations becomes a cycle
record. Before the ORM updates the table, keep the old labels in
``cycle_legacy`` (the post-migration turns them into cycles). Idempotent."""

from odoo.tools import sql


def migrate(cr, version):
    if not version:
        return
    table = "sales_performance_evaluation"
    if sql.column_exists(cr, table, "cycle") and not sql.column_exists(
        cr, table, "cycle_legacy"
    ):
        sql.rename_column(cr, table, "cycle", "cycle_legacy")
