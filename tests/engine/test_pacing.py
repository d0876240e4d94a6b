"""Pure-Python tests of engine/pacing.py with hand-computed values.

Reference period: March 2026 (Sun 1 .. Tue 31), 22 working days Monday-Friday.
By Tue 10 March, 7 working days are over (2-6, 9, 10).
"""

from datetime import date

import pytest

from engine import pacing

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
WEEK = (0, 1, 2, 3, 4)


def test_attainment():
    assert pacing.attainment(50.0, 200.0) == 25.0
    assert pacing.attainment(300.0, 200.0) == 150.0
    assert pacing.attainment(0.0, 200.0) == 0.0
    assert pacing.attainment(10.0, 0.0) == 0.0  # no target: no attainment


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 27), 0),  # before the period
        (date(2026, 3, 1), 0),  # a Sunday: nothing is over yet
        (date(2026, 3, 2), 1),  # Monday counts whole
        (date(2026, 3, 10), 7),
        (date(2026, 3, 31), 22),
        (date(2026, 5, 1), 22),  # after the period
    ],
)
def test_elapsed_working_days(today, expected):
    assert pacing.elapsed_working_days(*MARCH, today, WEEK) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 2, 28), 0.0),  # before the period
        (date(2026, 3, 1), 0.0),  # period started on a Sunday
        (date(2026, 3, 2), 100.0),  # 2200 x 1 / 22
        (date(2026, 3, 10), 700.0),  # 2200 x 7 / 22
        (date(2026, 3, 20), 1500.0),  # 2200 x 15 / 22
        (date(2026, 3, 31), 2200.0),  # last day: all of it
        (date(2026, 4, 15), 2200.0),  # after the period
    ],
)
def test_expected_value(today, expected):
    assert pacing.expected_value(2200.0, *MARCH, today, WEEK) == pytest.approx(expected)


def test_expected_value_without_working_days():
    weekend = (date(2026, 3, 7), date(2026, 3, 8))
    assert pacing.expected_value(500.0, *weekend, date(2026, 3, 7), WEEK) == 500.0
    assert pacing.expected_value(500.0, *weekend, date(2026, 3, 6), WEEK) == 0.0


def test_expected_value_other_calendar():
    # Monday-Thursday: March 2026 has 18 such days; by Tue 10: 2,3,4,5,9,10 = 6
    assert (
        pacing.expected_value(1800.0, *MARCH, date(2026, 3, 10), (0, 1, 2, 3)) == 600.0
    )


def test_forecast_run_rate():
    # 350 in 7 working days -> 50 a day x 22 days
    assert pacing.forecast_value(
        350.0, *MARCH, date(2026, 3, 10), WEEK
    ) == pytest.approx(1100.0)


def test_forecast_with_pipeline():
    # achieved + weighted pipeline, no run rate
    assert pacing.forecast_value(350.0, *MARCH, date(2026, 3, 10), WEEK, 125.5) == 475.5
    assert pacing.forecast_value(350.0, *MARCH, date(2026, 3, 10), WEEK, 0.0) == 350.0


def test_forecast_boundaries():
    # nothing elapsed yet: no rate, the achieved value
    assert pacing.forecast_value(40.0, *MARCH, date(2026, 3, 1), WEEK) == 40.0
    assert pacing.forecast_value(40.0, *MARCH, date(2026, 2, 1), WEEK) == 40.0
    # on or after the last day: the achieved value, even with a pipeline
    assert pacing.forecast_value(900.0, *MARCH, date(2026, 3, 31), WEEK) == 900.0
    assert pacing.forecast_value(900.0, *MARCH, date(2026, 4, 2), WEEK, 50.0) == 900.0


@pytest.mark.parametrize(
    ("achieved", "target", "forecast", "today", "expected"),
    [
        # reached: achieved, whenever
        (100.0, 100.0, 100.0, date(2026, 3, 10), "achieved"),
        (120.0, 100.0, 0.0, date(2026, 4, 10), "achieved"),
        # period over, not reached
        (99.99, 100.0, 99.99, date(2026, 4, 1), "missed"),
        # no target: nothing to miss
        (0.0, 0.0, 0.0, date(2026, 4, 1), "achieved"),
        (0.0, 0.0, 0.0, date(2026, 3, 10), "on_track"),
        # not started yet
        (0.0, 100.0, 0.0, date(2026, 2, 28), "on_track"),
        # running: by forecast
        (50.0, 100.0, 100.0, date(2026, 3, 10), "on_track"),
        (50.0, 100.0, 80.0, date(2026, 3, 10), "at_risk"),  # exactly 80 %
        (50.0, 100.0, 79.99, date(2026, 3, 10), "off_track"),
        # last day of the period still counts as running
        (50.0, 100.0, 50.0, date(2026, 3, 31), "off_track"),
    ],
)
def test_status(achieved, target, forecast, today, expected):
    assert pacing.status(achieved, target, forecast, *MARCH, today, 0.8) == expected


def test_status_custom_ratio():
    assert pacing.status(10.0, 100.0, 60.0, *MARCH, date(2026, 3, 10), 0.6) == "at_risk"
    assert (
        pacing.status(10.0, 100.0, 59.0, *MARCH, date(2026, 3, 10), 0.6) == "off_track"
    )


def test_growth_required():
    assert pacing.growth_required(130.0, 100.0) == pytest.approx(0.30)
    assert pacing.growth_required(80.0, 100.0) == pytest.approx(-0.20)
    assert pacing.growth_required(100.0, 0.0) is None
    assert pacing.growth_required(100.0, None) is None
    assert set(pacing.STATUSES) == {
        "on_track",
        "at_risk",
        "off_track",
        "achieved",
        "missed",
    }


def test_expected_and_forecast_skip_holidays():
    # October 2026 with the National Day week off: 17 working days. By the end
    # of Friday 9 October, 2 of them are over (8 and 9 October)
    holidays = tuple(date(2026, 10, day) for day in range(1, 8))
    start, end, today = date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 9)
    assert pacing.expected_value(1700.0, start, end, today, holidays=holidays) == (
        pytest.approx(200.0)
    )
    # 300 achieved in 2 working days: 150 a day over 17 days
    assert pacing.forecast_value(
        300.0, start, end, today, holidays=holidays
    ) == pytest.approx(2550.0)
    # without the holidays: 7 of 22 working days are over
    assert pacing.expected_value(2200.0, start, end, today) == pytest.approx(700.0)
