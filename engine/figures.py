"""The figures of a target, row by row: achieved, forecast, previous actual,
attainment, expected by today and status.

The target model reads its rows with one query (:class:`TargetRow`), the
metrics give the achievement of each ``(company, salesperson, team)`` with one
query per metric and time zone (indexed by :func:`index`); everything in
between is here:

* a **salesperson** target counts what is credited to the salesperson;
* a **team** target counts what is credited to the team: each share goes to
  the team its user belonged to on the document's day (else the document's
  team field), see ``engine.crediting``;
* a **company** target counts everything credited in the company;
* achieved and forecast are rounded (by the caller's ``rounding``, Odoo's
  ``float_round`` to 2 digits) before attainment and status are derived;
* a **closed** target is judged as after its period (its status is final);
* an **average** metric (e.g. customer satisfaction) gives :class:`Mean`
  values: adding two means pools their records (the average of a team is
  the average over its members' records, never the sum nor the average of
  their averages), each record weighted by its credited share (a record
  credited 50 % weighs 0.5); its target compares averages, so the expected
  value is the target itself from the period's start (an average is not
  earned day by day) and the forecast is the average so far (no run rate,
  no pipeline).

Nothing here imports ``odoo``.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from . import pacing


class Figures(NamedTuple):
    """What the recompute stores on a target, in the order of the UPDATE."""

    achieved: float
    forecast: float
    previous: float
    attainment: float
    expected: float
    status: str | None


class TargetRow(NamedTuple):
    """A target as the recompute reads it (one query for all targets)."""

    id: int
    metric_id: int
    date_from: date
    date_to: date
    user_id: int | None
    team_id: int | None
    company_id: int
    target_value: float
    state: str
    tz: str
    stored: Figures

    @property
    def rank_group(self):
        """Targets ranked together: same metric and period."""
        return (self.metric_id, self.date_from, self.date_to)


class Mean(float):
    """An average that knows what it averages: ``total`` (the sum of the
    values, each times its weight) and ``weight`` (the sum of the weights).
    It is the float ``total / weight`` (0 without records); added to another
    :class:`Mean` it pools both (``Mean(160, 2) + Mean(90, 1)`` is
    ``Mean(250, 3)``, 83.33), added to 0 it stays itself (``sum()`` and
    ``defaultdict(float)`` start from 0)."""

    __slots__ = ("total", "weight")

    def __new__(cls, total=0.0, weight=0.0):
        mean = super().__new__(cls, total / weight if weight else 0.0)
        mean.total = float(total)
        mean.weight = float(weight)
        return mean

    def __add__(self, other):
        if isinstance(other, Mean):
            return Mean(self.total + other.total, self.weight + other.weight)
        if other == 0:
            return self
        return float(self) + other

    __radd__ = __add__

    def __repr__(self):
        return f"Mean({self.total!r}, {self.weight!r})"

    def __reduce__(self):
        return (Mean, (self.total, self.weight))


class Means(dict):
    """The values ``{(company, user, team): Mean}`` of an average metric (so
    that :func:`index` knows it averages even when nothing was found)."""


class Index(NamedTuple):
    """Achievement indexed by salesperson, team and company."""

    by_user: dict
    by_team: dict
    by_company: dict
    average: bool = False

    @property
    def empty(self):
        """What an assignee without records achieves."""
        return Mean() if self.average else 0.0


class Calendar(NamedTuple):
    """What a company's working schedule says about pacing."""

    weekdays: tuple
    holidays: tuple
    at_risk_ratio: float


def index(values):
    """Index ``{(company, user, team): value}`` by user, team and company
    (:class:`Mean` values pool their records: see the module docstring)."""
    by_user, by_team, by_company = (
        defaultdict(float),
        defaultdict(float),
        defaultdict(float),
    )
    for (company, user, team), value in (values or {}).items():
        by_user[(company, user)] += value
        by_team[(company, team)] += value
        by_company[company] += value
    average = isinstance(values, Means) or any(
        isinstance(value, Mean) for value in by_company.values()
    )
    return Index(by_user, by_team, by_company, average)


def value_for(row, achieved):
    """What ``achieved`` (an :class:`Index`) gives the assignee of ``row``:
    a salesperson their credit, a team what is credited to it (the team of
    each share's user on the document's day, see ``engine.crediting``), the
    company everything credited in it."""
    company, empty = row.company_id, achieved.empty
    if row.user_id:
        return achieved.by_user.get((company, row.user_id), empty)
    if row.team_id:
        return achieved.by_team.get((company, row.team_id), empty)
    return achieved.by_company.get(company, empty)


def kpi_values(
    state,
    target_value,
    date_from,
    date_to,
    achieved,
    forecast,
    today,
    calendar,
    average=False,
):
    """Attainment, expected value and status of a target (a closed target is
    judged as after its period; the target of an ``average`` metric is
    expected whole from the period's start)."""
    if state == "closed":
        today = max(today, date_to + timedelta(days=1))
    if average:
        expected = float(target_value) if today >= date_from else 0.0
    else:
        expected = pacing.expected_value(
            target_value,
            date_from,
            date_to,
            today,
            calendar.weekdays,
            calendar.holidays,
        )
    return {
        "attainment": pacing.attainment(achieved, target_value),
        "expected_value": expected,
        "status": pacing.status(
            achieved,
            target_value,
            forecast,
            date_from,
            date_to,
            today,
            calendar.at_risk_ratio,
        ),
    }


def compute(row, achieved, pipeline, previous, today, calendar, rounding):
    """The :class:`Figures` of ``row``.

    :param achieved: the achievement in the period (not rounded; a
        :class:`Mean` for an average metric, whose forecast is the average so
        far and whose expected value is the target itself)
    :param pipeline: the weighted open pipeline closing in the rest of the
        period, or None when the metric does not forecast with a pipeline
    :param previous: the previous comparable period's actual, or None to keep
        the stored one
    :param rounding: how amounts are rounded (Odoo's ``float_round``)
    """
    average = isinstance(achieved, Mean)
    achieved = rounding(achieved)
    if average:
        forecast = achieved
    else:
        forecast = rounding(
            pacing.forecast_value(
                achieved,
                row.date_from,
                row.date_to,
                today,
                calendar.weekdays,
                pipeline,
                calendar.holidays,
            )
        )
    if previous is None:
        previous = row.stored.previous or 0.0
    else:
        previous = rounding(previous)
    kpis = kpi_values(
        row.state,
        row.target_value,
        row.date_from,
        row.date_to,
        achieved,
        forecast,
        today,
        calendar,
        average,
    )
    return Figures(
        achieved,
        forecast,
        previous,
        kpis["attainment"],
        kpis["expected_value"],
        kpis["status"],
    )
