"""Partial periods: a salesperson assigned to an incentive plan for part of a
period is paid for the assigned days only.

Definitions (documented in the README, section "Incentives"):

* the **window** of an assignee is the part of the period covered by their
  assignments; several assignments of one salesperson span from the earliest
  start to the latest end;
* the **share** is the window's days ÷ the period's days (both inclusive);
* documents of the window's days count (the caller measures the base over the
  window); the target, bonus amounts, the bands of a commission on amounts and
  the cap scale with the share; rates, attainment bands and thresholds, the
  gate and the per-record SPIFF amount stay.

Nothing here imports ``odoo``; explanations go through the caller's
``translate`` (``env._``), as in :mod:`engine.payout`.
"""

# pylint: disable=prefer-env-translation

from .payout import AMOUNT, _identity, fmt


def merge_windows(assignments, date_from, date_to):
    """``{user: (first day, last day)}`` of the period ``[date_from, date_to]``
    from ``assignments``: ``(start or None, end or None, users)`` (an empty
    bound is open). Assignments outside the period are left out; several of
    one user span from the earliest start to the latest end."""
    windows = {}
    for start, end, users in assignments:
        first = max(start or date_from, date_from)
        last = min(end or date_to, date_to)
        if first > last:
            continue
        for user in users:
            known = windows.get(user)
            windows[user] = (
                (min(known[0], first), max(known[1], last)) if known else (first, last)
            )
    return windows


def period_days(date_from, date_to):
    """Days of a period, both ends included."""
    return (date_to - date_from).days + 1


def share(window, date_from, date_to):
    """The share of the period ``[date_from, date_to]`` that ``window``
    ``(first, last)`` covers, or None when it covers the whole period."""
    first, last = window
    if (first, last) == (date_from, date_to):
        return None
    return period_days(first, last) / period_days(date_from, date_to)


def prorate_rule(rule, share):
    """The rule (a snapshot dict) for a salesperson assigned to the plan for
    ``share`` (0 < share <= 1) of the period. The target is prorated by
    :func:`prorate_target`; here the fixed amounts scale with ``share``: bonus
    amounts, the cap and the bands of a commission on amounts. Rates,
    attainment bands and thresholds, the gate and the per-record SPIFF amount
    stay."""
    if share >= 1:
        return rule
    if share <= 0:
        raise ValueError("share must be positive")
    kind = rule.get("kind", "commission")
    on_amounts = kind == "commission" and rule.get("basis") == AMOUNT
    tiers = []
    for tier in rule.get("tiers", ()):
        tier = dict(tier)
        if kind == "bonus":
            tier["amount"] = float(tier.get("amount") or 0.0) * share
        elif on_amounts:
            tier["lower"] = float(tier.get("lower") or 0.0) * share
            if tier.get("upper") not in (None, False):
                tier["upper"] = float(tier["upper"]) * share
        tiers.append(tier)
    prorated = dict(rule, tiers=tiers)
    if rule.get("cap"):
        prorated["cap"] = float(rule["cap"]) * share
    return prorated


def prorate_target(target, share):
    """The target of a partial period: ``target × share`` (no target stays
    no target)."""
    if share is None or not target:
        return target
    return target * share


def explanation(window, date_from, date_to, translate=_identity):
    """The sentence that opens the explanation of a prorated line."""
    _ = translate
    first, last = window
    return _(
        "Assigned from %(first)s to %(last)s (%(days)s of %(total)s days): "
        "documents of those days count; the target, bonus amounts, amount bands "
        "and cap are prorated to %(share)s%%.",
        first=first,
        last=last,
        days=period_days(first, last),
        total=period_days(date_from, date_to),
        share=fmt(round(share(window, date_from, date_to) * 100, 2)),
    )
