"""Approval routes of incentive statements: which levels apply to a total,
which one is next, and whether the thresholds of a route are in order.

A route is a sequence of levels, each ``(key, threshold)`` in the order they
approve; a level applies to a statement when its threshold is empty (0) or
the statement's total reaches it (``total >= threshold``). The statement is
approved once every level that applies has approved, in order.

Nothing here imports ``odoo``.
"""


def applies(threshold, total, precision=0.005):
    """True when a level with ``threshold`` applies to ``total`` (an empty
    threshold always applies; ``precision``: half the currency rounding)."""
    if not threshold:
        return True
    return total >= threshold - precision


def applicable(levels, total, precision=0.005):
    """The keys of ``levels`` (``[(key, threshold)]`` in route order) that
    apply to ``total``."""
    return [key for key, threshold in levels if applies(threshold, total, precision)]


def next_pending(applicable_keys, approved_keys):
    """The first applicable level not approved yet, or None when the route
    is complete."""
    done = set(approved_keys)
    for key in applicable_keys:
        if key not in done:
            return key
    return None


def first_not_increasing(thresholds):
    """Index of the first threshold that does not increase on the one before
    it (levels in route order; empty thresholds count as 0 and may only open
    the route: any number of levels for every total, then strictly
    increasing amounts), or None when the route is in order."""
    previous = 0.0
    for index, threshold in enumerate(thresholds):
        value = threshold or 0.0
        if value < previous or (value and value == previous):
            return index
        previous = value
    return None
