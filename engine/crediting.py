"""Who is credited with a document: split shares and the team of a user on a
date.

Definitions (documented in the README, section "Crediting"):

* a document without split lines credits 100 % to its salesperson; with split
  lines, each line's user gets ``percent`` of the document's value (count
  metrics: ``percent`` of one). The percentages of a document are positive,
  name each user once and add up to 100 (± 0.01);
* a document created from others copies their split: an order from an
  opportunity takes the opportunity's lines; an invoice from several orders
  takes each order's lines weighted by the amount invoiced from it;
* the **team** credited with a share is the team its user belonged to on the
  document's date (the membership history); when several memberships of the
  user cover that date, the latest started wins (then the lowest team id); a
  user in no team on that date leaves the share to the document's own team.

Nothing here imports ``odoo``.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

TOLERANCE = 0.01
FAR_PAST = date(1900, 1, 1)
FAR_FUTURE = date(9999, 12, 31)


class SplitError(ValueError):
    """A split that cannot be saved; ``code`` says why, ``params`` name it."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def check_split(lines):
    """Raise :class:`SplitError` unless ``lines`` ``[(user, percent)]`` of one
    document form a valid split (an empty split is valid: 100 % to the
    document's salesperson)."""
    if not lines:
        return
    seen = set()
    total = 0.0
    for user, percent in lines:
        if percent is None or not percent > 0:
            raise SplitError("not_positive", user=user, percent=percent)
        if percent > 100 + TOLERANCE:
            raise SplitError("too_large", user=user, percent=percent)
        if user in seen:
            raise SplitError("duplicate", user=user)
        seen.add(user)
        total += percent
    if abs(total - 100.0) > TOLERANCE + 1e-9:
        raise SplitError("total", total=round(total, 4))


def combine(sources):
    """The split of a document made from several others: ``sources`` is
    ``[(weight, [(user, percent)])]`` (weight: the amount taken from each
    source; a source without lines is ``[(its salesperson, 100)]``).
    Returns ``[(user, percent)]`` adding up to 100, or ``[]`` when the
    sources do not split at all (one user at 100 %)."""
    total_weight = sum(max(weight, 0.0) for weight, _lines in sources)
    if total_weight <= 0:
        sources = [(1.0, lines) for _weight, lines in sources]
        total_weight = float(len(sources))
    shares = defaultdict(float)
    order = []
    for weight, lines in sources:
        for user, percent in lines:
            if user not in shares:
                order.append(user)
            shares[user] += max(weight, 0.0) / total_weight * percent
    result = [(user, shares[user]) for user in order if shares[user] > 0]
    if len(result) <= 1:
        return []
    # rounded to 4 decimals, the rounding remainder on the largest share so
    # that the split still adds up to exactly 100
    rounded = [(user, round(percent, 4)) for user, percent in result]
    gap = round(100.0 - sum(percent for _user, percent in rounded), 4)
    if gap:
        largest = max(range(len(rounded)), key=lambda i: rounded[i][1])
        user, percent = rounded[largest]
        rounded[largest] = (user, round(percent + gap, 4))
    return rounded


class Segment(NamedTuple):
    """A stretch of days during which a user counts for one team."""

    user: int
    date_from: date
    date_to: date
    team: int


def team_timeline(memberships):
    """Non-overlapping :class:`Segment` s of each user from ``memberships``
    ``[(user, team, date_from, date_to or None)]``: on each day the user
    counts for one team, the membership started last (then the lowest team
    id) among those covering the day."""
    by_user = defaultdict(list)
    for user, team, date_from, date_to in memberships:
        start = date_from or FAR_PAST
        end = date_to or FAR_FUTURE
        if start <= end:
            by_user[user].append((start, end, team))
    segments = []
    for user, spans in by_user.items():
        cuts = sorted(
            {start for start, _end, _team in spans}
            | {
                end + timedelta(days=1)
                for _start, end, _team in spans
                if end < FAR_FUTURE
            }
        )
        for index, first in enumerate(cuts):
            last = (
                cuts[index + 1] - timedelta(days=1)
                if index + 1 < len(cuts)
                else FAR_FUTURE
            )
            covering = [
                (start, -team, team)
                for start, end, team in spans
                if start <= first and end >= first
            ]
            if not covering:
                continue
            team = max(covering)[2]
            if (
                segments
                and segments[-1].user == user
                and segments[-1].team == team
                and (segments[-1].date_to + timedelta(days=1) == first)
            ):
                segments[-1] = segments[-1]._replace(date_to=last)
            else:
                segments.append(Segment(user, first, last, team))
    return segments


def team_on(segments, user, day):
    """The team ``user`` counts for on ``day`` according to ``segments``, or
    None."""
    for segment in segments:
        if segment.user == user and segment.date_from <= day <= segment.date_to:
            return segment.team
    return None


def override_base(values, teams, leader, include_own=False):
    """The base of an override on the results of ``teams``: the sum of what
    ``values`` ``{(user, team): value}`` credits to those teams (each share
    already counted for the team its user was in on the document's date),
    less the ``leader``'s own shares unless ``include_own``.

    Returns ``(base, {user: value})``, the members' bases by user."""
    members = defaultdict(float)
    for (user, team), value in values.items():
        if team not in teams or (user == leader and not include_own):
            continue
        members[user] += value
    return sum(members.values()), dict(members)
