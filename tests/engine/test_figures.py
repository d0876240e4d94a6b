"""Unit tests of engine/figures.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

from datetime import date

import pytest

from engine import figures, periods
from engine.figures import Calendar, Figures, TargetRow

# March 2026: 22 working days Monday-Friday (1st is a Sunday)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
WEEK = Calendar((0, 1, 2, 3, 4), (), 0.8)
STORED = Figures(None, None, None, None, None, None)


def _row(user=None, team=None, target=1000.0, state="active", stored=STORED):
    return TargetRow(1, 7, *MARCH, user, team, 1, target, state, "UTC", stored)


def test_index_sums_by_user_team_and_company():
    achieved = figures.index(
        {(1, 10, 100): 50.0, (1, 11, 100): 30.0, (1, 10, 101): 5.0, (2, 10, 200): 1.0}
    )
    assert achieved.by_user[(1, 10)] == 55.0
    assert achieved.by_team[(1, 100)] == 80.0
    assert achieved.by_company[1] == 85.0
    assert achieved.by_company[2] == 1.0
    assert figures.index(None).by_company == {}


def test_value_for_each_kind_of_assignee():
    achieved = figures.index(
        {(1, 10, 100): 50.0, (1, 11, 100): 30.0, (1, 12, 101): 7.0}
    )
    assert figures.value_for(_row(user=10), achieved) == 50.0
    assert figures.value_for(_row(user=99), achieved) == 0.0
    # a team: what is credited to it
    assert figures.value_for(_row(team=100), achieved) == 80.0
    assert figures.value_for(_row(team=102), achieved) == 0.0
    # the company: everything credited in it
    assert figures.value_for(_row(), achieved) == 87.0


def test_compute_mid_period():
    # 15 March 2026 is a Sunday: 10 working days elapsed (2-6, 9-13 March)
    today = date(2026, 3, 15)
    row = _row(user=10, target=2200.0)
    new = figures.compute(row, 500.004, None, 900.0, today, WEEK, round2)
    # run rate 500 / 10 x 22 = 1,100 = 50 % of the target: off track (< 80 %)
    assert new == Figures(500.0, 1100.0, 900.0, 500 / 2200 * 100, 1000.0, "off_track")
    # with a pipeline: 500 achieved + 1,300 weighted pipeline = 1,800, 81.8 %
    new = figures.compute(row, 500.0, 1300.0, None, today, WEEK, round2)
    assert new.forecast == 1800.0
    assert new.status == "at_risk"
    # previous None keeps the stored previous actual (0 when none)
    assert new.previous == 0.0
    stored = Figures(1.0, 2.0, 750.0, 3.0, 4.0, "on_track")
    assert (
        figures.compute(
            _row(user=10, stored=stored), 1.0, None, None, today, WEEK, round2
        ).previous
        == 750.0
    )


def test_closed_target_is_judged_after_its_period():
    today = date(2026, 3, 15)
    row = _row(user=10, target=2200.0, state="closed")
    new = figures.compute(row, 500.0, None, None, today, WEEK, round2)
    # judged on 1 April: the whole target was expected, and it was missed
    assert new.expected == 2200.0
    assert new.status == "missed"


def test_holidays_slow_the_pace():
    # 3 March (a Tuesday) is a public holiday: 9 of 21 working days elapsed
    calendar = Calendar((0, 1, 2, 3, 4), (date(2026, 3, 3),), 0.8)
    kpis = figures.kpi_values(
        "active", 2100.0, *MARCH, 0.0, 0.0, date(2026, 3, 15), calendar
    )
    assert kpis["expected_value"] == pytest.approx(2100.0 * 9 / 21)


def test_rows_compare_with_their_stored_figures():
    today = date(2026, 3, 15)
    row = _row(user=10, target=2200.0)
    new = figures.compute(row, 500.0, None, 900.0, today, WEEK, round2)
    same = row._replace(stored=new)
    assert figures.compute(same, 500.0, None, 900.0, today, WEEK, round2) == same.stored
    assert same.rank_group == (7, *MARCH)


def test_counting_tz_takes_the_first_set():
    assert periods.counting_tz("Asia/Shanghai", "Europe/Paris", "UTC") == (
        "Asia/Shanghai"
    )
    assert periods.counting_tz(False, "Europe/Paris", "UTC") == "Europe/Paris"
    assert periods.counting_tz(None, "", "America/New_York") == "America/New_York"
    assert periods.counting_tz(False, None) == "UTC"


def round2(value):
    return round(value, 2)


def test_means_pool_their_records():
    # 80 and 90 credited whole, 60 credited half: (80 + 90 + 60 x 0.5) / 2.5 = 80
    pooled = figures.Mean(170.0, 2.0) + figures.Mean(30.0, 0.5)
    assert (pooled.total, pooled.weight) == (200.0, 2.5)
    assert pooled == 80.0
    # sum() and defaultdict(float) start from 0: the mean stays a mean
    assert isinstance(
        sum([figures.Mean(90.0, 1.0), figures.Mean(70.0, 1.0)]), figures.Mean
    )
    assert sum([figures.Mean(90.0, 1.0), figures.Mean(70.0, 1.0)]) == 80.0
    # no record: 0, and pooling with it changes nothing
    assert figures.Mean() == 0.0
    assert figures.Mean() + figures.Mean(45.0, 1.0) == 45.0


def test_index_of_an_average_metric_averages_the_records():
    # user 10: 2 answers totalling 160 in team 100 and 1 answer of 90 in 101;
    # user 11: 3 answers totalling 150 in team 100
    achieved = figures.index(
        figures.Means(
            {
                (1, 10, 100): figures.Mean(160.0, 2.0),
                (1, 10, 101): figures.Mean(90.0, 1.0),
                (1, 11, 100): figures.Mean(150.0, 3.0),
            }
        )
    )
    assert achieved.average
    # user 10: (160 + 90) / 3 = 83.33
    assert achieved.by_user[(1, 10)] == pytest.approx(250.0 / 3)
    # team 100: (160 + 150) / 5 = 62, not 80 + 50 nor (80 + 50) / 2
    assert achieved.by_team[(1, 100)] == pytest.approx(62.0)
    # company: (160 + 90 + 150) / 6 = 66.67
    assert achieved.by_company[1] == pytest.approx(400.0 / 6)
    # an assignee without answers gets an empty mean (still an average)
    empty = figures.value_for(_row(user=99), achieved)
    assert isinstance(empty, figures.Mean)
    assert empty == 0.0
    assert isinstance(
        figures.value_for(_row(), figures.index(figures.Means())), figures.Mean
    )


def test_average_target_is_not_prorated():
    # 15 March 2026: 10 of 22 working days elapsed, but an average is expected
    # whole: expected = the target (85), forecast = the average so far
    today = date(2026, 3, 15)
    row = _row(user=10, target=85.0)
    new = figures.compute(
        row, figures.Mean(340.0, 4.0), None, None, today, WEEK, round2
    )
    # 340 / 4 = 85: achieved, 100 %
    assert new == Figures(85.0, 85.0, 0.0, 100.0, 85.0, "achieved")
    # 3 answers averaging 70: 70 / 85 = 82.35 % >= 80 %: at risk
    new = figures.compute(
        row, figures.Mean(210.0, 3.0), None, None, today, WEEK, round2
    )
    assert new.forecast == 70.0
    assert new.expected == 85.0
    assert new.attainment == pytest.approx(70 / 85 * 100)
    assert new.status == "at_risk"
    # before the period starts nothing is expected yet
    early = figures.compute(
        row, figures.Mean(), None, None, date(2026, 2, 1), WEEK, round2
    )
    assert early.expected == 0.0
