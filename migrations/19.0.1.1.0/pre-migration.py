"""19.0.1.1.0: training registrations are unique per employee and session by a
unique index, evaluation periods ordered by a CHECK constraint (both were
Python constraints before).

The Python constraints kept such rows out, but rows written around them (raw
SQL, an import with constraints off) would make the new index or CHECK fail
to install. Nothing is deleted: a duplicate registration is detached from its
session (the record, its hours and results stay, under the course), and an
evaluation whose dates are reversed gets them swapped. Idempotent: a second
run finds nothing to do.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sales_performance_training_record r
           SET session_id = NULL
          FROM (SELECT id, row_number() OVER (
                       PARTITION BY employee_id, session_id ORDER BY id) AS n
                  FROM sales_performance_training_record
                 WHERE session_id IS NOT NULL) d
         WHERE r.id = d.id AND d.n > 1
        """
    )
    if cr.rowcount:
        _logger.warning(
            "%s duplicate training registrations detached from their session",
            cr.rowcount,
        )
    cr.execute(
        """
        UPDATE sales_performance_evaluation
           SET date_from = date_to, date_to = date_from
         WHERE date_from > date_to
        """
    )
    if cr.rowcount:
        _logger.warning("%s evaluations had their dates swapped", cr.rowcount)
