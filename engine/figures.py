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
* a **closed** target is judged as after its period (its status is final).

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


class Index(NamedTuple):
    """Achievement indexed by salesperson, team and company."""

    by_user: dict
    by_team: dict
    by_company: dict


class Calendar(NamedTuple):
    """What a company's working schedule says about pacing."""

    weekdays: tuple
    holidays: tuple
    at_risk_ratio: float


def index(values):
    """Index ``{(company, user, team): value}`` by user, team and company."""
    by_user, by_team, by_company = (
        defaultdict(float),
        defaultdict(float),
        defaultdict(float),
    )
    for (company, user, team), value in (values or {}).items():
        by_user[(company, user)] += value
        by_team[(company, team)] += value
        by_company[company] += value
    return Index(by_user, by_team, by_company)


def value_for(row, achieved):
    """What ``achieved`` (an :class:`Index`) gives the assignee of ``row``:
    a salesperson their credit, a team what is credited to it (the team of
    each share's user on the document's day, see ``engine.crediting``), the
    company everything credited in it."""
    company = row.company_id
    if row.user_id:
        return achieved.by_user.get((company, row.user_id), 0.0)
    if row.team_id:
        return achieved.by_team.get((company, row.team_id), 0.0)
    return achieved.by_company.get(company, 0.0)


def kpi_values(
    state,
    target_value,
    date_from,
    date_to,
    achieved,
    forecast,
    today,
    calendar,
):
    """Attainment, expected value and status of a target (a closed target is
    judged as after its period)."""
    if state == "closed":
        today = max(today, date_to + timedelta(days=1))
    return {
        "attainment": pacing.attainment(achieved, target_value),
        "expected_value": pacing.expected_value(
            target_value,
            date_from,
            date_to,
            today,
            calendar.weekdays,
            calendar.holidays,
        ),
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

    :param achieved: the achievement in the period (not rounded)
    :param pipeline: the weighted open pipeline closing in the rest of the
        period, or None when the metric does not forecast with a pipeline
    :param previous: the previous comparable period's actual, or None to keep
        the stored one
    :param rounding: how amounts are rounded (Odoo's ``float_round``)
    """
    achieved = rounding(achieved)
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
    )
    return Figures(
        achieved,
        forecast,
        previous,
        kpis["attainment"],
        kpis["expected_value"],
        kpis["status"],
    )
