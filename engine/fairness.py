"""Fairness of an incentive plan in a period: is pay in line with attainment,
and are the targets equally hard?

Definitions (documented in the README, section "Fairness"):

* **attainment** of a salesperson: achieved ÷ target × 100 on the plan's main
  target metric; **at or above target** when it is 100 % or more;
* **pay per attainment point**: the statement's payout ÷ the attainment (in
  points of percent); unknown without a positive attainment;
* **difficulty** of a target: the target ÷ the previous comparable actual (the
  same metric, the previous period of the same length); unknown when there is
  no target or nothing was achieved before (a new hire);
* each figure is compared with the **median** of the salesperson's team (the
  salespeople of the team in the same plan and period who have the figure);
  it is an **outlier** when it is more than 1.5 × the team median (``high``)
  or below 0.67 × (``low``);
* the **share at or above target** of a team: the salespeople at or above
  target ÷ those with a target, in percent.

Nothing here imports ``odoo``: the report model gives plain numbers.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

HIGH_RATIO = 1.5
LOW_RATIO = 0.67
HIGH = "high"
LOW = "low"
NORMAL = "normal"


def _number(value):
    """``value`` as a float, or None when unknown (None, False, NaN, ±∞)."""
    if value is None or value is False:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def median(values):
    """The median of the known ``values`` (None when there is none)."""
    known = sorted(v for v in map(_number, values) if v is not None)
    if not known:
        return None
    middle = len(known) // 2
    if len(known) % 2:
        return known[middle]
    return (known[middle - 1] + known[middle]) / 2.0


def attainment(achieved, target):
    """Achieved ÷ target × 100, None without a positive target."""
    achieved, target = _number(achieved), _number(target)
    if achieved is None or not target or target <= 0:
        return None
    return achieved / target * 100.0


def difficulty(target, previous_actual):
    """Target ÷ previous comparable actual, None when either is not positive."""
    target, previous_actual = _number(target), _number(previous_actual)
    if not target or target <= 0 or not previous_actual or previous_actual <= 0:
        return None
    return target / previous_actual


def pay_per_point(payout, attainment_pct):
    """Payout ÷ attainment points, None without a positive attainment."""
    payout, attainment_pct = _number(payout), _number(attainment_pct)
    if payout is None or not attainment_pct or attainment_pct <= 0:
        return None
    return payout / attainment_pct


def ratio(value, reference):
    """``value`` ÷ the team median, None when either is unknown or the median
    is not positive."""
    value, reference = _number(value), _number(reference)
    if value is None or not reference or reference <= 0:
        return None
    return value / reference


def flag(value, reference, high=HIGH_RATIO, low=LOW_RATIO):
    """:data:`HIGH` above ``high`` × the median, :data:`LOW` below ``low`` ×,
    :data:`NORMAL` in between, None when it cannot be compared."""
    share = ratio(value, reference)
    if share is None:
        return None
    if share > high:
        return HIGH
    if share < low:
        return LOW
    return NORMAL


def share_at_target(attainments):
    """Percent of the known ``attainments`` at or above 100 (None if none)."""
    known = [a for a in map(_number, attainments) if a is not None]
    if not known:
        return None
    return sum(1 for a in known if a >= 100.0 - 1e-9) / len(known) * 100.0


@dataclass(frozen=True)
class Row:
    """A salesperson in the plan and period, as the report gives it."""

    key: object
    team: object
    target: float | None
    achieved: float | None
    previous_actual: float | None
    payout: float
    attainment: float | None = None  # when known (the statement's rule line)


@dataclass(frozen=True)
class Figures:
    attainment: float | None
    at_target: bool
    difficulty: float | None
    pay_per_point: float | None
    team_difficulty_median: float | None
    team_pay_median: float | None
    difficulty_ratio: float | None
    pay_ratio: float | None
    difficulty_flag: str | None
    pay_flag: str | None
    team_share_at_target: float | None

    @property
    def outlier(self):
        return HIGH in (self.difficulty_flag, self.pay_flag) or LOW in (
            self.difficulty_flag,
            self.pay_flag,
        )


def analyse(rows):
    """``{row key: Figures}`` for ``rows`` (:class:`Row`): each salesperson's
    figures against the medians of their team (a salesperson without a team
    is compared with the others without a team)."""
    base = {}
    for row in rows:
        attained = (
            _number(row.attainment)
            if row.attainment is not None
            else attainment(row.achieved, row.target)
        )
        base[row.key] = (
            row,
            attained,
            difficulty(row.target, row.previous_actual),
            pay_per_point(row.payout, attained),
        )
    by_team = defaultdict(list)
    for values in base.values():
        by_team[values[0].team].append(values)
    medians = {
        team: (
            median(v[2] for v in members),
            median(v[3] for v in members),
            share_at_target(v[1] for v in members),
        )
        for team, members in by_team.items()
    }
    result = {}
    for key, (row, attained, hardness, per_point) in base.items():
        team_difficulty, team_pay, team_share = medians[row.team]
        result[key] = Figures(
            attainment=attained,
            at_target=attained is not None and attained >= 100.0 - 1e-9,
            difficulty=hardness,
            pay_per_point=per_point,
            team_difficulty_median=team_difficulty,
            team_pay_median=team_pay,
            difficulty_ratio=ratio(hardness, team_difficulty),
            pay_ratio=ratio(per_point, team_pay),
            difficulty_flag=flag(hardness, team_difficulty),
            pay_flag=flag(per_point, team_pay),
            team_share_at_target=team_share,
        )
    return result
