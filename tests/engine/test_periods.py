"""Pure-Python tests of engine/periods.py (no Odoo needed).

Expected values come from a calendar, not from the code: March 2026 starts on
a Sunday (22 working days), February 2026 too (20), January 2026 on a
Thursday (22), February 2024 on a Thursday (29 days, 21 working days).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import periods

WEEK = (0, 1, 2, 3, 4)


# ----------------------------------------------------------------------------
# Month arithmetic
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped, leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # clamped, common year
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),  # crosses the year backwards
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # crosses the year forwards
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert periods.add_months(day, months) == expected


# ----------------------------------------------------------------------------
# Calendar periods
# ----------------------------------------------------------------------------
def test_split_year_months_leap_year():
    months = periods.split_year(2024, "month")
    assert len(months) == 12
    assert months[0] == (date(2024, 1, 1), date(2024, 1, 31))
    assert months[1] == (date(2024, 2, 1), date(2024, 2, 29))
    assert months[11] == (date(2024, 12, 1), date(2024, 12, 31))
    # contiguous, no gap, no overlap
    for (_f1, t1), (f2, _t2) in zip(months, months[1:], strict=False):
        assert f2 == t1 + timedelta(days=1)


def test_split_year_months_common_year():
    months = periods.split_year(2026, "month")
    assert months[1] == (date(2026, 2, 1), date(2026, 2, 28))
    assert sum((t - f).days + 1 for f, t in months) == 365


def test_split_year_quarters():
    assert periods.split_year(2026, "quarter") == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
    ]


def test_split_year_year():
    assert periods.split_year(2024, "year") == [(date(2024, 1, 1), date(2024, 12, 31))]


@pytest.mark.parametrize(
    ("day", "period_type", "expected"),
    [
        (date(2024, 2, 15), "month", (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2026, 2, 28), "month", (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 3, 1), "month", (date(2026, 3, 1), date(2026, 3, 31))),
        (date(2026, 5, 20), "quarter", (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 12, 31), "quarter", (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 1, 1), "quarter", (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 7, 4), "year", (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_period_containing(day, period_type, expected):
    assert periods.period_containing(day, period_type) == expected


def test_period_containing_unknown_type():
    with pytest.raises(KeyError):
        periods.period_containing(date(2026, 1, 1), "week")


@pytest.mark.parametrize(
    ("date_from", "date_to", "months"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), 1),
        (date(2026, 1, 1), date(2026, 3, 31), 3),
        (date(2024, 1, 1), date(2024, 12, 31), 12),
        (date(2025, 11, 1), date(2026, 2, 28), 4),
        (date(2026, 3, 2), date(2026, 3, 31), 0),  # does not start on the 1st
        (date(2026, 3, 1), date(2026, 3, 30), 0),  # does not end on the last day
    ],
)
def test_whole_months(date_from, date_to, months):
    assert periods.whole_months(date_from, date_to) == months


# ----------------------------------------------------------------------------
# Previous comparable period
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # March -> all of February (28 days in 2026, 29 in 2024)
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2024, 3, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
        # January -> December of the year before
        (date(2026, 1, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
        # a quarter -> the quarter before
        (date(2026, 4, 1), date(2026, 6, 30), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 1, 1), date(2026, 3, 31), (date(2025, 10, 1), date(2025, 12, 31))),
        # a year -> the year before (leap year included)
        (date(2025, 1, 1), date(2025, 12, 31), (date(2024, 1, 1), date(2024, 12, 31))),
        # two months -> the two months before
        (date(2024, 1, 1), date(2024, 2, 29), (date(2023, 11, 1), date(2023, 12, 31))),
        # a free 7-day range -> the 7 days before
        (date(2026, 3, 10), date(2026, 3, 16), (date(2026, 3, 3), date(2026, 3, 9))),
        # a single day -> the day before
        (date(2026, 3, 1), date(2026, 3, 1), (date(2026, 2, 28), date(2026, 2, 28))),
        # mid-month to mid-month: moves back by its 31 days
        (date(2026, 3, 15), date(2026, 4, 14), (date(2026, 2, 12), date(2026, 3, 14))),
    ],
)
def test_previous_period(date_from, date_to, expected):
    assert periods.previous_period(date_from, date_to) == expected


def test_previous_period_rejects_reversed_period():
    with pytest.raises(ValueError):
        periods.previous_period(date(2026, 3, 31), date(2026, 3, 1))


# ----------------------------------------------------------------------------
# Working days
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("date_from", "date_to", "weekdays", "expected"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), WEEK, 22),
        (date(2026, 2, 1), date(2026, 2, 28), WEEK, 20),
        (date(2026, 1, 1), date(2026, 1, 31), WEEK, 22),
        (date(2024, 2, 1), date(2024, 2, 29), WEEK, 21),
        (date(2026, 1, 1), date(2026, 3, 31), WEEK, 64),
        (date(2026, 1, 1), date(2026, 12, 31), WEEK, 261),  # 52 weeks + Thu 31 Dec
        (date(2024, 1, 1), date(2024, 12, 31), WEEK, 262),  # 52 weeks + Mon, Tue
        (date(2026, 3, 7), date(2026, 3, 8), WEEK, 0),  # a weekend
        (date(2026, 3, 2), date(2026, 3, 2), WEEK, 1),  # a Monday
        (date(2026, 3, 1), date(2026, 3, 10), WEEK, 7),  # Sun 1 .. Tue 10
        (date(2026, 3, 1), date(2026, 3, 31), (0, 1, 2, 3, 4, 5, 6), 31),
        (date(2026, 3, 1), date(2026, 3, 31), (5, 6), 9),  # 4 Saturdays, 5 Sundays
        (date(2026, 3, 1), date(2026, 3, 31), (0, 1, 2, 3), 18),  # Mon-Thu
        (date(2026, 3, 1), date(2026, 3, 31), (), 0),
        (date(2026, 3, 31), date(2026, 3, 1), WEEK, 0),  # empty range
    ],
)
def test_working_days(date_from, date_to, weekdays, expected):
    assert periods.working_days(date_from, date_to, weekdays) == expected


def test_overlaps():
    assert periods.overlaps(
        date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31), date(2026, 4, 30)
    )
    assert periods.overlaps(
        date(2026, 1, 1), date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)
    )
    assert not periods.overlaps(
        date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 30)
    )
    assert not periods.overlaps(
        date(2026, 4, 1), date(2026, 4, 30), date(2026, 3, 1), date(2026, 3, 31)
    )


# ----------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
weekday_sets = st.sets(st.integers(min_value=0, max_value=6))


@given(dates, st.integers(min_value=-40, max_value=400), weekday_sets)
def test_working_days_never_exceeds_calendar_days(start, length, weekdays):
    end = start + timedelta(days=length)
    result = periods.working_days(start, end, tuple(weekdays))
    calendar_days = max(length + 1, 0)
    assert 0 <= result <= calendar_days
    # and it is exactly the brute-force count
    brute = sum(
        1
        for offset in range(calendar_days)
        if (start + timedelta(days=offset)).weekday() in weekdays
    )
    assert result == brute


@given(dates, st.sampled_from(["month", "quarter", "year"]))
def test_previous_period_of_a_calendar_period_is_the_one_just_before(day, period_type):
    date_from, date_to = periods.period_containing(day, period_type)
    prev_from, prev_to = periods.previous_period(date_from, date_to)
    assert prev_to == date_from - timedelta(days=1)
    assert (prev_from, prev_to) == periods.period_containing(prev_to, period_type)


def test_working_days_less_holidays():
    # October 2026: 22 weekdays; the National Day week (1-7 October, Thursday
    # to Wednesday) takes 5 of them; 3 October is a Saturday and 25 December
    # is outside the range: neither counts
    holidays = tuple(date(2026, 10, day) for day in range(1, 8)) + (date(2026, 12, 25),)
    assert periods.working_days(date(2026, 10, 1), date(2026, 10, 31)) == 22
    assert (
        periods.working_days(date(2026, 10, 1), date(2026, 10, 31), holidays=holidays)
        == 17
    )
    # a range inside the holidays, and one that ends before them
    assert (
        periods.working_days(date(2026, 10, 2), date(2026, 10, 6), holidays=holidays)
        == 0
    )
    assert (
        periods.working_days(date(2026, 9, 28), date(2026, 9, 30), holidays=holidays)
        == 3
    )
    # a six-day week: Saturday 3 October is a holiday too
    six = (0, 1, 2, 3, 4, 5)
    assert (
        periods.working_days(date(2026, 10, 1), date(2026, 10, 31), six, holidays)
        == 27 - 6
    )


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=120),
    holidays=st.lists(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2031, 6, 30)),
        max_size=30,
        unique=True,
    ),
)
def test_working_days_with_holidays_counts_day_by_day(start, length, holidays):
    end = start + timedelta(days=length)
    off = set(holidays)
    expected = sum(
        1
        for offset in range(length + 1)
        if (day := start + timedelta(days=offset)).weekday() < 5 and day not in off
    )
    assert periods.working_days(start, end, holidays=tuple(sorted(holidays))) == (
        expected
    )
