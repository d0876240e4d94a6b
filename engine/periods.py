"""Period arithmetic: calendar periods, comparable periods and working days."""

from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def add_months(day, months):
    """Return ``day`` moved by ``months`` months, clamped to the month's end."""
    return day + relativedelta(months=months)


def counting_tz(*candidates):
    """The time zone in which a period's days are counted: the first of
    ``candidates`` that is set, else UTC. Targets and plans pass the
    salesperson's, then the team leader's, then the company's working
    schedule's time zone."""
    for tz_name in candidates:
        if tz_name:
            return tz_name
    return "UTC"


def period_containing(day, period_type):
    """The month, quarter or year containing ``day`` as ``(date_from, date_to)``."""
    months = PERIOD_MONTHS[period_type]
    first_month = ((day.month - 1) // months) * months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, months) - timedelta(days=1)


def split_year(year, period_type):
    """All periods of ``period_type`` in calendar ``year``, in order."""
    months = PERIOD_MONTHS[period_type]
    periods = []
    start = date(year, 1, 1)
    while start.year == year:
        end = add_months(start, months) - timedelta(days=1)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


def whole_months(date_from, date_to):
    """Number of whole calendar months the period spans, or 0 when it does not
    start on the first of a month and end on the last day of a month."""
    if date_from.day != 1 or (date_to + timedelta(days=1)).day != 1:
        return 0
    return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1


def previous_period(date_from, date_to):
    """The comparable period just before ``[date_from, date_to]``.

    Whole-month periods (a month, a quarter, a year...) move back by their
    number of months, so March's previous period is all of February; other
    periods move back by their length in days.
    """
    if date_to < date_from:
        raise ValueError("The period ends before it starts.")
    months = whole_months(date_from, date_to)
    if months:
        start = add_months(date_from, -months)
        return start, date_from - timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def working_days(date_from, date_to, weekdays=(0, 1, 2, 3, 4), holidays=()):
    """Count days of ``[date_from, date_to]`` whose weekday is in ``weekdays``
    (Monday = 0), less the ``holidays`` (a sorted sequence of dates) that
    fall on such a day. An empty range counts 0."""
    if date_to < date_from:
        return 0
    weekdays = set(weekdays)
    total = (date_to - date_from).days + 1
    full_weeks, rest = divmod(total, 7)
    count = full_weeks * len(weekdays)
    start_weekday = date_from.weekday()
    count += sum(
        1 for offset in range(rest) if (start_weekday + offset) % 7 in weekdays
    )
    if holidays:
        first = bisect_left(holidays, date_from)
        last = bisect_right(holidays, date_to)
        count -= sum(1 for day in holidays[first:last] if day.weekday() in weekdays)
    return count


def overlaps(a_from, a_to, b_from, b_to):
    """True when the two closed date ranges share at least one day."""
    return a_from <= b_to and b_from <= a_to
