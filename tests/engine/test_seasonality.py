"""Pure-Python tests of engine/seasonality.py: seasonal splits add up
exactly, ramp schedules are validated and applied month by month."""

from datetime import date

import pytest

from engine import seasonality


def test_months_of_a_quarter_and_a_year():
    assert seasonality.months_of(date(2026, 1, 1), date(2026, 3, 31)) == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    ]
    year = seasonality.months_of(date(2026, 1, 1), date(2026, 12, 31))
    assert len(year) == 12
    assert year[11] == (date(2026, 12, 1), date(2026, 12, 31))


def test_months_of_refuses_a_partial_month():
    with pytest.raises(ValueError):
        seasonality.months_of(date(2026, 1, 15), date(2026, 3, 31))


def test_reference_months_same_calendar_months():
    months = seasonality.months_of(date(2026, 4, 1), date(2026, 6, 30))
    assert seasonality.reference_months(months, 2024) == [
        (date(2024, 4, 1), date(2024, 4, 30)),
        (date(2024, 5, 1), date(2024, 5, 31)),
        (date(2024, 6, 1), date(2024, 6, 30)),
    ]
    # February of a leap reference year ends on the 29th
    feb = [(date(2026, 2, 1), date(2026, 2, 28))]
    assert seasonality.reference_months(feb, 2024) == [
        (date(2024, 2, 1), date(2024, 2, 29))
    ]


def test_seasonal_split_in_proportion():
    # 1200 over months that sold 100, 200, 300: 200, 400, 600
    assert seasonality.seasonal_split(1200.0, [100.0, 200.0, 300.0]) == [
        200.0,
        400.0,
        600.0,
    ]


def test_seasonal_split_adds_up_exactly():
    # 1000.00 = 100000 cents x 1/3 each = 33333.33: one cent to the first
    parts = seasonality.seasonal_split(1000.0, [5.0, 5.0, 5.0])
    assert parts == [333.34, 333.33, 333.33]
    # a year of uneven months: the sum in cents is the total exactly
    weights = [7.0, 3.0, 11.0, 13.0, 17.0, 19.0, 23.0, 29.0, 31.0, 37.0, 41.0, 43.0]
    parts = seasonality.seasonal_split(100000.0, weights)
    assert sum(round(p * 100) for p in parts) == 10000000
    assert len(parts) == 12


def test_seasonal_split_month_without_actuals_gets_nothing():
    assert seasonality.seasonal_split(90.0, [0.0, 30.0, 60.0]) == [0.0, 30.0, 60.0]


def test_seasonal_split_without_reference_data():
    with pytest.raises(seasonality.NoReferenceData):
        seasonality.seasonal_split(1200.0, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0])
def test_seasonal_split_bad_weights(bad):
    with pytest.raises(ValueError):
        seasonality.seasonal_split(100.0, [1.0, bad])


def test_seasonal_split_bad_total():
    with pytest.raises(ValueError):
        seasonality.seasonal_split(float("nan"), [1.0, 2.0])


def test_parse_percentages():
    assert seasonality.parse_percentages("25/50/75/100") == [25.0, 50.0, 75.0, 100.0]
    assert seasonality.parse_percentages(" 0 / 12.5 /100") == [0.0, 12.5, 100.0]


@pytest.mark.parametrize(
    "bad",
    ["", "   ", None, "25/150", "-10/50", "25//50", "a/b", "25;50", "nan", "1e2"],
)
def test_parse_percentages_refuses(bad):
    with pytest.raises(ValueError):
        seasonality.parse_percentages(bad)


def test_parse_percentages_too_long():
    with pytest.raises(ValueError):
        seasonality.parse_percentages("/".join(["50"] * 37))


def test_ramp_percentage_month_by_month():
    ramp = [25.0, 50.0, 75.0, 100.0]
    start = date(2026, 3, 15)
    assert seasonality.ramp_percentage(start, date(2026, 2, 1), ramp) == 0.0
    assert seasonality.ramp_percentage(start, date(2026, 3, 1), ramp) == 25.0
    assert seasonality.ramp_percentage(start, date(2026, 4, 1), ramp) == 50.0
    assert seasonality.ramp_percentage(start, date(2026, 6, 1), ramp) == 100.0
    assert seasonality.ramp_percentage(start, date(2027, 1, 1), ramp) == 100.0


def test_ramp_factor_of_a_quarter():
    ramp = [25.0, 50.0, 75.0, 100.0]
    start = date(2026, 2, 1)
    # Q1: Jan 0, Feb 25, Mar 50 -> 75 / 300
    assert seasonality.ramp_factor(
        start, date(2026, 1, 1), date(2026, 3, 31), ramp
    ) == pytest.approx(0.25)
    # Q2: Apr 75, May 100, Jun 100 -> 275 / 300
    assert seasonality.ramp_factor(
        start, date(2026, 4, 1), date(2026, 6, 30), ramp
    ) == pytest.approx(275 / 300)
    assert seasonality.ramp_factor(
        start, date(2026, 2, 1), date(2026, 2, 28), ramp
    ) == (0.25)
