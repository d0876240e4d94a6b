"""Attainment, pacing, forecast and status of a target.

Definitions (documented in the README):

* attainment = achieved / target x 100 (0 when the target is 0);
* expected (pacing) = target x elapsed working days / working days of the
  period, where elapsed counts the days up to and including today;
* forecast at period end: for metrics fed by a pipeline, what is achieved plus
  the open pipeline weighted by probability whose expected closing falls in the
  rest of the period; for other metrics the run rate: achieved / elapsed
  working days x working days of the period;
* status: ``achieved`` once the target is reached; after the period ``missed``
  when it was not; during the period ``on_track`` when the forecast reaches the
  target, ``at_risk`` when it reaches ``at_risk_ratio`` of it, ``off_track``
  otherwise. Before the period starts a target is ``on_track``.
"""

from .periods import working_days

STATUSES = ("on_track", "at_risk", "off_track", "achieved", "missed")


def attainment(achieved, target):
    if not target:
        return 0.0
    return achieved / target * 100.0


def elapsed_working_days(
    date_from, date_to, today, weekdays=(0, 1, 2, 3, 4), holidays=()
):
    """Working days of the period that are over by the end of ``today``
    (``holidays``: a sorted sequence of dates not worked)."""
    if today < date_from:
        return 0
    return working_days(date_from, min(today, date_to), weekdays, holidays)


def expected_value(
    target, date_from, date_to, today, weekdays=(0, 1, 2, 3, 4), holidays=()
):
    """The share of ``target`` due by the end of ``today``."""
    total = working_days(date_from, date_to, weekdays, holidays)
    if today >= date_to or not total:
        return float(target) if today >= date_from else 0.0
    elapsed = elapsed_working_days(date_from, date_to, today, weekdays, holidays)
    return target * elapsed / total


def forecast_value(
    achieved,
    date_from,
    date_to,
    today,
    weekdays=(0, 1, 2, 3, 4),
    pipeline=None,
    holidays=(),
):
    """Forecast at period end; see the module docstring."""
    if today >= date_to:
        return float(achieved)
    if pipeline is not None:
        return float(achieved) + float(pipeline)
    total = working_days(date_from, date_to, weekdays, holidays)
    elapsed = elapsed_working_days(date_from, date_to, today, weekdays, holidays)
    if not elapsed or not total:
        return float(achieved)
    return achieved / elapsed * total


def status(achieved, target, forecast, date_from, date_to, today, at_risk_ratio=0.8):
    if target and achieved >= target:
        return "achieved"
    if today > date_to:
        return "achieved" if not target else "missed"
    if today < date_from or not target:
        return "on_track"
    if forecast >= target:
        return "on_track"
    if forecast >= target * at_risk_ratio:
        return "at_risk"
    return "off_track"


def growth_required(target, previous):
    """Growth over the previous comparable period asked for by ``target``, as
    a fraction (0.25 = +25 %), or None when there is no previous actual."""
    if not previous:
        return None
    return target / previous - 1.0
