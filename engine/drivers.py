"""The drivers behind a salesperson's attainment, and the funnel of the CRM
stages: what the cockpit shows to say *why*, not only how much.

* **pipeline coverage**: open pipeline weighted by probability, expected to
  close in the rest of the period, divided by what is still missing to the
  target (``None`` when nothing is missing, or there is no target);
* **win rate**: won / (won + lost) opportunities closed in the period;
* **sales cycle**: average days from creation to won;
* the **diagnosis**: the driver furthest below (or above, for the cycle and
  the stale opportunities) the team median, in one sentence;
* the **funnel**: per stage, the opportunities that entered it in the
  period, the share of them that moved on to a later stage or were won by the
  end of the period, and the median days spent in it;
* **concentration**: the share of the revenue made with the top customers.

Percentages are returned as percent (``40.0`` for 40 %). Nothing here imports
``odoo``.
"""

import math
from collections import defaultdict
from statistics import median as _median

# The sentences go through the caller's ``translate`` (Odoo's env._), named
# ``_`` so that Odoo's export finds them.
# pylint: disable=prefer-env-translation

# driver -> True when a higher value is better
DRIVERS = {
    "pipeline_coverage": True,
    "win_rate": True,
    "cycle_days": False,
    "activities_done": True,
    "stale_count": False,
}


def ratio(part, whole):
    """``part / whole`` in percent, ``None`` when ``whole`` is not positive."""
    if not whole or whole <= 0:
        return None
    return part / whole * 100.0


def coverage(pipeline, target, achieved):
    """Weighted open pipeline over the gap to the target, in percent.

    ``None`` when there is no target or the target is already reached
    (nothing left to cover)."""
    gap = (target or 0.0) - (achieved or 0.0)
    if not target or gap <= 0:
        return None
    return (pipeline or 0.0) / gap * 100.0


def win_rate(won, lost):
    """Won / (won + lost) in percent, ``None`` when nothing was closed."""
    return ratio(won, won + lost)


def cycle_days(durations):
    """Average of ``durations`` (days from creation to won), ``None`` when
    nothing was won."""
    durations = list(durations)
    if not durations:
        return None
    return sum(durations) / len(durations)


def median(values):
    """The median of the values that are not ``None``, ``None`` without any."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return float(_median(values))


def shortfall(value, team_median, higher_is_better):
    """How far ``value`` is on the wrong side of the team median, relative to
    the median (0.5 = 50 % worse), ``0.0`` when it is not worse, ``None``
    when it cannot be compared."""
    if value is None or team_median is None:
        return None
    gap = team_median - value if higher_is_better else value - team_median
    if gap <= 0:
        return 0.0
    if team_median == 0:
        # worse than a median of zero (e.g. stale opportunities when the
        # team median has none): the gap itself, one unit = 100 % worse
        return float(gap)
    return gap / abs(team_median)


def weakest_driver(rep, medians):
    """The driver of ``rep`` (a dict of driver values) furthest on the wrong
    side of its team median (``medians``), or ``None`` when none is."""
    worst, worst_gap = None, 0.0
    for driver, higher in DRIVERS.items():
        gap = shortfall(rep.get(driver), medians.get(driver), higher)
        if gap is not None and gap > worst_gap + 1e-9:
            worst, worst_gap = driver, gap
    return worst


def team_medians(reps):
    """The median of each driver over ``reps`` (dicts of driver values)."""
    return {driver: median(rep.get(driver) for rep in reps) for driver in DRIVERS}


def _fmt(value):
    """A percentage, a count or a number of days as people read it: whole
    numbers and values from 10 up without decimals, one decimal below."""
    if value is None:
        return "-"
    if abs(value) >= 10 or float(value).is_integer():
        return "%d" % round(value)
    return "%.1f" % value


def diagnosis(rep, medians, translate):
    """One sentence naming the weakest driver of ``rep`` against the team
    median. ``translate(source, **params)`` translates and formats a
    sentence (the cockpit passes Odoo's ``env._``)."""
    _ = translate
    driver = weakest_driver(rep, medians)
    value, team = rep.get(driver), medians.get(driver)
    if driver == "pipeline_coverage":
        return _(
            "Pipeline covers %(value)s %% of the gap; team median %(median)s %%.",
            value=_fmt(value),
            median=_fmt(team),
        )
    if driver == "win_rate":
        return _(
            "Win rate %(value)s %%; team median %(median)s %%.",
            value=_fmt(value),
            median=_fmt(team),
        )
    if driver == "cycle_days":
        return _(
            "Sales cycle %(value)s days; team median %(median)s days.",
            value=_fmt(value),
            median=_fmt(team),
        )
    if driver == "activities_done":
        return _(
            "%(value)s activities done; team median %(median)s.",
            value=_fmt(value),
            median=_fmt(team),
        )
    if driver == "stale_count":
        return _(
            "%(value)s stale opportunities; team median %(median)s.",
            value=_fmt(value),
            median=_fmt(team),
        )
    return _("No driver below the team median.")


# ----------------------------------------------------------------------
# Funnel
# ----------------------------------------------------------------------
def funnel(leads, stage_rank, start, end):
    """Per stage, what happened to the opportunities entering it in
    ``[start, end)``.

    :param leads: ``{lead_id: (events, won_at)}`` where ``events`` is the
        sorted list of ``(when, stage_id)`` the lead entered (its creation in
        its first stage, then every tracked stage change) and ``won_at`` when
        it was won (or ``None``);
    :param stage_rank: ``{stage_id: rank}`` the order of the stages (a later
        stage has a higher rank); stages missing from it are ignored;
    :returns: ``{stage_id: {"entered", "moved_on", "conversion",
        "median_days", "entered_ids", "moved_on_ids"}}``: a lead counts once
        per stage (its first entry in the period); it moved on when, by
        ``end``, it entered a later stage or was won; the days in a stage are
        those of the stays that ended by ``end``.
    """
    entered = defaultdict(list)
    moved = defaultdict(list)
    durations = defaultdict(list)
    for lead_id, (events, won_at) in leads.items():
        seen = set()
        for position, (when, stage_id) in enumerate(events):
            if stage_id not in stage_rank or not (start <= when < end):
                continue
            if stage_id in seen:
                continue
            seen.add(stage_id)
            entered[stage_id].append(lead_id)
            later = events[position + 1 :]
            if later and later[0][0] < end:
                durations[stage_id].append(
                    (later[0][0] - when).total_seconds() / 86400.0
                )
            rank = stage_rank[stage_id]
            moved_on = any(
                at < end and stage_rank.get(other, -math.inf) > rank
                for at, other in later
            ) or (won_at is not None and when <= won_at < end)
            if moved_on:
                moved[stage_id].append(lead_id)
    result = {}
    for stage_id, lead_ids in entered.items():
        result[stage_id] = {
            "entered": len(lead_ids),
            "moved_on": len(moved[stage_id]),
            "conversion": ratio(len(moved[stage_id]), len(lead_ids)),
            "median_days": median(durations[stage_id]),
            "entered_ids": sorted(lead_ids),
            "moved_on_ids": sorted(moved[stage_id]),
        }
    return result


def worst_stage(current, previous):
    """The stage whose conversion dropped most against the previous period
    (both ``{stage_id: conversion percent or None}``), ``None`` when none
    dropped."""
    worst, worst_drop = None, 0.0
    for stage_id, conversion in current.items():
        before = previous.get(stage_id)
        if conversion is None or before is None:
            continue
        drop = before - conversion
        if drop > worst_drop + 1e-9:
            worst, worst_drop = stage_id, drop
    return worst


# ----------------------------------------------------------------------
# Risk
# ----------------------------------------------------------------------
def concentration(revenue_by_customer, top=3):
    """Share (percent) of the total revenue made with the ``top`` customers,
    and those customers, best first: ``(share or None, [customer, ...])``.
    Customers with no positive revenue do not count."""
    positive = {c: v for c, v in revenue_by_customer.items() if v and v > 0}
    total = sum(positive.values())
    best = sorted(positive, key=lambda c: (-positive[c], c))[:top]
    return ratio(sum(positive[c] for c in best), total), best
