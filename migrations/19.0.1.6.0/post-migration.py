"""19.0.1.6.0: the clawback check of the statements reads a change log of
the documents (``sales.performance.metric.change``, filled by the freshness
hooks) instead of hashing every document of every earlier period.

The fingerprints statements stored before were hashes of documents: they
mean nothing to the new check, and the log starts empty. They are cleared,
which means "check the whole history once": the next statement of each
salesperson looks at every earlier period again (as it did when there was no
earlier check), then only at the periods whose documents changed since.
Idempotent."""


def clear_fingerprints(cr):
    """Forget every stored clawback fingerprint; the number cleared."""
    cr.execute(
        "UPDATE sales_performance_incentive_statement"
        " SET clawback_fingerprint = NULL WHERE clawback_fingerprint IS NOT NULL"
    )
    return cr.rowcount


def migrate(cr, version):
    if version:
        clear_fingerprints(cr)
