"""Extra figures of ``make bench`` (placeholder, filled by its feature).

``run(env, data, targets, log)`` returns ``(fields, checks)``: ``fields`` are
``name=value`` pairs added to the BENCH line, ``checks`` are ``(label, diffs)``
agreement checks (an empty ``diffs`` list means OK).
"""


def run(env, data, targets, log):
    return {}, []
