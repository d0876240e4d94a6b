"""Daily figures of a target: what the queue-driven recompute re-reads.

A target's achievement is the sum of its period's days. The scheduled
action that follows document changes (``sales.performance.recompute.queue``)
keeps, on each target it recomputes, the value of every day of the period
(:class:`Daily`); the next time documents of a few days change it re-reads
only those days from the documents and takes the other days as kept.
Changed documents are mostly recent ones: a recompute after a day's orders
reads that day, not the whole month.

* The kept days are valid for one **layout** (:func:`layout_key`: metric and
  its definition's stamp, period, time zone, dimensions, assignee, team
  history stamp): anything else and the target's days are read again, all
  of them.
* A day is a day of the period in the target's time zone (the documents'
  datetimes are counted there, as for the whole period).
* **Average** metrics keep each day's total and weight: days pool
  (``engine.figures.Mean``), never average their averages.
* **First records per key** metrics (new customers): a change on a day can
  move a key's first record to a later day, so every day from the first
  changed one to the period's end is read again (:func:`days_to_read`).
* Periods longer than :data:`MAX_DAYS` keep no days (read whole).

The hourly full recompute stays the safety net: a target whose achievement
it changes loses its kept days (see the target model), so a change the
hooks did not see is never carried on by the kept days.

Nothing here imports ``odoo``.
"""

import functools
import math
from datetime import timedelta
from typing import NamedTuple

from .figures import Mean

MAX_DAYS = 366


class Daily(NamedTuple):
    """The days kept on a target: ``values[i]`` (and ``weights[i]`` for an
    average metric, else None) is day ``date_from + i``; ``key`` is the
    layout they were computed for."""

    key: str
    values: tuple
    weights: tuple | None = None

    def to_json(self):
        data = {"key": self.key, "values": list(self.values)}
        if self.weights is not None:
            data["weights"] = list(self.weights)
        return data

    def valid_for(self, key, date_from, date_to, average=False):
        """Whether these days are those of ``key`` and of the period."""
        return (
            self.key == key
            and len(self.values) == len(period_days(date_from, date_to))
            and (self.weights is not None) == bool(average)
        )

    @classmethod
    def from_json(cls, data):
        """The :class:`Daily` stored as ``data`` (the JSON of
        :meth:`to_json`), or None when it is not one (missing, damaged, a
        number that is not finite)."""
        if not isinstance(data, dict) or not isinstance(data.get("key"), str):
            return None
        values, weights = data.get("values"), data.get("weights")
        if not _numbers(values) or (weights is not None and not _numbers(weights)):
            return None
        if weights is not None and len(weights) != len(values):
            return None
        return cls(
            data["key"],
            tuple(map(float, values)),
            None if weights is None else tuple(map(float, weights)),
        )


def _numbers(items):
    """A list of finite numbers (one sum, not a test per item: the
    recompute reads thousands of these)."""
    if not isinstance(items, list):
        return False
    try:
        return math.isfinite(math.fsum(items))
    except (TypeError, ValueError, OverflowError):
        return False


@functools.lru_cache(maxsize=4096)
def period_days(date_from, date_to):
    """The days of ``[date_from, date_to]``, or () for a period longer than
    :data:`MAX_DAYS` (or empty)."""
    count = (date_to - date_from).days + 1
    if count <= 0 or count > MAX_DAYS:
        return ()
    return tuple(date_from + timedelta(days=i) for i in range(count))


def layout_key(
    metric_id, metric_stamp, date_from, date_to, tz, dimension_key, user_id,
    team_id, company_id, team_stamp="",
):  # fmt: skip
    """What kept days are valid for: the same key, the same days."""
    return "|".join(
        str(part)
        for part in (
            metric_id,
            metric_stamp,
            date_from.isoformat(),
            date_to.isoformat(),
            tz or "UTC",
            repr(tuple(dimension_key or ())),
            user_id or 0,
            team_id or 0,
            company_id,
            team_stamp if (team_id and not user_id) else "",
        )
    )


def days_to_read(date_from, date_to, kept, touched, onward=False):
    """The days of the period to read from the documents.

    :param kept: the target's valid :class:`Daily` (see
        :meth:`Daily.valid_for`), or None: every day is read
    :param touched: the local days the changes may concern (a set of dates)
    :param onward: a 'first records per key' metric: every day from the
        first touched one on
    """
    days = period_days(date_from, date_to)
    if not days:
        return ()
    if kept is None:
        return days
    if onward:
        first = min(touched, default=None)
        if first is None:
            return ()
        return days[max(0, (first - date_from).days) :]
    return tuple(sorted(day for day in touched if date_from <= day <= date_to))


def merge(date_from, date_to, key, kept, read, average=False):
    """The achievement of the period and the :class:`Daily` to keep.

    :param kept: the valid :class:`Daily` of the target, or None
    :param read: ``{day: value}`` of the days read again (a
        :class:`~engine.figures.Mean` for an average metric; a day read
        without records is 0 or ``Mean()``); every day when ``kept`` is
        None
    :return: ``(total, Daily)``; ``total`` a float, or a ``Mean`` for an
        average metric
    """
    count = len(period_days(date_from, date_to))
    if kept is not None:
        values = list(kept.values)
        weights = list(kept.weights) if average else None
    elif len(read) < count:
        raise ValueError("days neither kept nor read")
    else:
        values = [0.0] * count
        weights = [0.0] * count if average else None
    for day, value in read.items():
        i = (day - date_from).days
        if not 0 <= i < count:
            raise ValueError(f"day {day} is not in the period")
        if average:
            values[i] = float(getattr(value, "total", 0.0))
            weights[i] = float(getattr(value, "weight", 0.0))
        else:
            values[i] = float(value)
    if average:
        total = Mean(math.fsum(values), math.fsum(weights))
    else:
        total = math.fsum(values)
    return total, Daily(key, tuple(values), None if weights is None else tuple(weights))


def local_days(utc_day, margin=1):
    """The local days a change marked on ``utc_day`` (a UTC day) may fall
    on, in any time zone: the day and ``margin`` days either side."""
    return {utc_day + timedelta(days=i) for i in range(-margin, margin + 1)}
