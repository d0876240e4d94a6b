"""Seasonal split of a target over its months, and ramp schedules of new hires.

No Odoo import: the allocation wizard and the year wizard call these with the
figures they read (see ``wizards/sales_performance_target_allocate_seasonal.py``).
"""

import math
import re
from datetime import date, timedelta

from . import allocation, periods

MAX_RAMP_MONTHS = 36
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class NoReferenceData(ValueError):
    """The reference months hold nothing to weigh the split with."""


def months_of(date_from, date_to):
    """The calendar months ``[(first day, last day)]`` of a period of whole
    months (a quarter, a year...); ``ValueError`` for any other period."""
    count = periods.whole_months(date_from, date_to)
    if not count:
        raise ValueError("The period is not made of whole months.")
    result = []
    start = date_from
    for _i in range(count):
        end = periods.add_months(start, 1) - timedelta(days=1)
        result.append((start, end))
        start = end + timedelta(days=1)
    return result


def reference_months(months, reference_year):
    """The same calendar months as ``months`` in ``reference_year``, in the
    same order (a quarter of 2026 against the same quarter of 2025)."""
    result = []
    for start, _end in months:
        ref_start = date(reference_year, start.month, 1)
        ref_end = periods.add_months(ref_start, 1) - timedelta(days=1)
        result.append((ref_start, ref_end))
    return result


def seasonal_split(total, weights, digits=2):
    """Split ``total`` over months in proportion to ``weights`` (the actuals of
    the same months of the reference year), parts rounded to ``digits`` and
    adding up to ``total`` exactly (largest remainder).

    :raise NoReferenceData: when every weight is zero (nothing to go by)
    :raise ValueError: for a negative or non-finite weight or total
    """
    if not weights:
        return []
    values = [total, *weights]
    if any(not math.isfinite(v) for v in values):
        raise ValueError("The amounts must be finite numbers.")
    if any(w < 0 for w in weights):
        raise ValueError("A month of the reference year has a negative actual.")
    if not any(weights):
        raise NoReferenceData("The reference months have no actuals.")
    return allocation.allocate(total, weights, digits)


def parse_percentages(text):
    """``"25/50/75/100"`` -> ``[25.0, 50.0, 75.0, 100.0]``: the share of the full
    target expected in each month from the start date.

    :raise ValueError: when empty, not a list of numbers separated by ``/``,
        outside 0-100, or longer than ``MAX_RAMP_MONTHS`` months
    """
    parts = [p.strip() for p in (text or "").split("/")]
    if not any(parts):
        raise ValueError("empty")
    if len(parts) > MAX_RAMP_MONTHS:
        raise ValueError("too long")
    result = []
    for part in parts:
        if not _NUMBER.match(part):
            raise ValueError(part or "empty")
        value = float(part)
        if not 0.0 <= value <= 100.0:
            raise ValueError(part)
        result.append(value)
    return result


def ramp_percentage(start_date, month_start, percentages):
    """The percentage of the full target due in the month starting
    ``month_start`` by somebody who started on ``start_date``: 0 before the
    start month, then the schedule month by month (the start month is the
    first), 100 once the schedule is over."""
    index = (month_start.year - start_date.year) * 12 + (
        month_start.month - start_date.month
    )
    if index < 0:
        return 0.0
    if index >= len(percentages):
        return 100.0
    return percentages[index]


def ramp_factor(start_date, date_from, date_to, percentages):
    """The share (0-1) of a full target that a period of whole months asks of
    a new hire: the mean of its months' percentages (a quarter whose months
    are at 25, 50 and 75 % asks 50 % of the full quarter)."""
    months = months_of(date_from, date_to)
    total = sum(ramp_percentage(start_date, m[0], percentages) for m in months)
    return total / (100.0 * len(months))
