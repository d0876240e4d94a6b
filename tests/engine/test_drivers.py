"""Pure-Python tests of engine/drivers.py with hand-computed values."""

from datetime import datetime, timedelta

import pytest

from engine import drivers


def fake_translate(source, **params):
    """What Odoo's env._ does for an English user: format the source."""
    return source % params


# ----------------------------------------------------------------------
# Coverage, win rate, cycle, median
# ----------------------------------------------------------------------
def test_coverage_is_pipeline_over_the_gap():
    # target 10,000, achieved 6,000: 4,000 missing; pipeline 1,600 -> 40 %
    assert drivers.coverage(1600.0, 10000.0, 6000.0) == pytest.approx(40.0)
    # pipeline 5,200 on the same gap -> 130 %
    assert drivers.coverage(5200.0, 10000.0, 6000.0) == pytest.approx(130.0)
    # nothing in the pipeline: 0 %
    assert drivers.coverage(0.0, 10000.0, 6000.0) == 0.0


def test_coverage_without_gap_or_target_is_none():
    assert drivers.coverage(500.0, 10000.0, 10000.0) is None  # reached
    assert drivers.coverage(500.0, 10000.0, 12000.0) is None  # exceeded
    assert drivers.coverage(500.0, 0.0, 0.0) is None  # no target


def test_win_rate():
    # 3 won, 1 lost: 3 / 4 = 75 %
    assert drivers.win_rate(3, 1) == 75.0
    assert drivers.win_rate(0, 2) == 0.0
    assert drivers.win_rate(0, 0) is None  # nothing closed


def test_cycle_days_is_the_average():
    # (10 + 20 + 36) / 3 = 22
    assert drivers.cycle_days([10, 20, 36]) == 22.0
    assert drivers.cycle_days([]) is None


def test_median():
    assert drivers.median([3, 1, 2]) == 2.0
    assert drivers.median([4, 1, 3, 2]) == 2.5  # (2 + 3) / 2
    assert drivers.median([None, 5, None]) == 5.0  # None is ignored
    assert drivers.median([None]) is None
    assert drivers.median([]) is None


# ----------------------------------------------------------------------
# Diagnosis
# ----------------------------------------------------------------------
def test_shortfall_relative_to_the_median():
    # coverage 40 against 130: (130 - 40) / 130
    assert drivers.shortfall(40, 130, True) == pytest.approx(90 / 130)
    # cycle 30 days against 20: (30 - 20) / 20 = 0.5
    assert drivers.shortfall(30, 20, False) == 0.5
    # better than the median: no shortfall
    assert drivers.shortfall(150, 130, True) == 0.0
    assert drivers.shortfall(10, 20, False) == 0.0
    # 2 stale opportunities when the team median is 0: the gap itself
    assert drivers.shortfall(2, 0, False) == 2.0
    assert drivers.shortfall(None, 10, True) is None
    assert drivers.shortfall(10, None, True) is None


def test_team_medians():
    reps = [
        {"pipeline_coverage": 40, "win_rate": 50, "cycle_days": 30},
        {"pipeline_coverage": 130, "win_rate": None, "cycle_days": 20},
        {"pipeline_coverage": 200, "win_rate": 70, "cycle_days": 10},
    ]
    medians = drivers.team_medians(reps)
    assert medians["pipeline_coverage"] == 130.0
    assert medians["win_rate"] == 60.0  # (50 + 70) / 2, None ignored
    assert medians["cycle_days"] == 20.0
    assert medians["activities_done"] is None
    assert medians["stale_count"] is None


def test_diagnosis_names_the_weakest_driver():
    medians = {
        "pipeline_coverage": 130.0,
        "win_rate": 50.0,
        "cycle_days": 20.0,
        "activities_done": 10.0,
        "stale_count": 1.0,
    }
    # coverage 40 vs 130: 69 % short; win rate 40 vs 50: 20 % short;
    # cycle 24 vs 20: 20 % longer -> coverage is the weakest
    rep = {
        "pipeline_coverage": 40.0,
        "win_rate": 40.0,
        "cycle_days": 24.0,
        "activities_done": 10,
        "stale_count": 1,
    }
    assert drivers.weakest_driver(rep, medians) == "pipeline_coverage"
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "Pipeline covers 40 % of the gap; team median 130 %."
    )
    # cycle 45 days vs 20: (45 - 20) / 20 = 125 % longer, worse than the
    # coverage's 69 %
    rep["cycle_days"] = 45.0
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "Sales cycle 45 days; team median 20 days."
    )
    # 4 stale vs a median of 1: (4 - 1) / 1 = 300 %
    rep["stale_count"] = 4
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "4 stale opportunities; team median 1."
    )


def test_diagnosis_win_rate_and_activities():
    medians = {"win_rate": 60.0, "activities_done": 12.0}
    # win rate 30 vs 60: 50 % short; activities 9 vs 12: 25 % short
    rep = {"win_rate": 30.0, "activities_done": 9}
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "Win rate 30 %; team median 60 %."
    )
    # activities 3 vs 12: 75 % short
    rep["activities_done"] = 3
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "3 activities done; team median 12."
    )


def test_diagnosis_when_nothing_is_below_the_median():
    medians = {"win_rate": 50.0, "stale_count": 2.0}
    rep = {"win_rate": 50.0, "stale_count": 0}
    assert drivers.weakest_driver(rep, medians) is None
    assert (
        drivers.diagnosis(rep, medians, fake_translate)
        == "No driver below the team median."
    )


def test_diagnosis_goes_through_translate():
    seen = []

    def translate(source, **params):
        seen.append((source, params))
        return "translated"

    result = drivers.diagnosis({"win_rate": 10.0}, {"win_rate": 50.0}, translate)
    assert result == "translated"
    assert seen == [
        (
            "Win rate %(value)s %%; team median %(median)s %%.",
            {"value": "10", "median": "50"},
        )
    ]


# ----------------------------------------------------------------------
# Funnel
# ----------------------------------------------------------------------
START = datetime(2026, 3, 1)
END = datetime(2026, 4, 1)  # March, end exclusive
NEW, QUALIFIED, PROPOSITION, WON = 1, 2, 3, 4
RANK = {NEW: 1, QUALIFIED: 2, PROPOSITION: 3, WON: 4}


def day(n, hours=0):
    return START + timedelta(days=n - 1, hours=hours)


def test_funnel_counts_entries_moves_and_days():
    leads = {
        # created in New on 1 March, Qualified on 5 March (4 days in New),
        # Proposition on 15 March (10 days in Qualified)
        10: ([(day(1), NEW), (day(5), QUALIFIED), (day(15), PROPOSITION)], None),
        # created in New on 2 March, still there
        11: ([(day(2), NEW)], None),
        # created in New on 3 March, Qualified on 9 March (6 days), then back
        # to New on 11 March (2 days in Qualified): it did not move on from
        # Qualified, and it counts once in New
        12: ([(day(3), NEW), (day(9), QUALIFIED), (day(11), NEW)], None),
        # created in February in New, Qualified on 10 March, won in that stage
        # on 20 March (no stage change)
        13: ([(datetime(2026, 2, 20), NEW), (day(10), QUALIFIED)], day(20)),
        # created in New on 30 March, Qualified on 2 April: after the period
        14: ([(day(30), NEW), (datetime(2026, 4, 2), QUALIFIED)], None),
    }
    result = drivers.funnel(leads, RANK, START, END)
    # New: entered by 10, 11, 12, 14 (13 entered in February) = 4;
    # moved on: 10 and 12 (Qualified on the 9th) = 2 -> 50 %;
    # 14 moves on after the period; days: 4 (10), 6 (12) -> median 5;
    # 12's stay back in New from the 11th has no end
    assert result[NEW]["entered"] == 4
    assert result[NEW]["entered_ids"] == [10, 11, 12, 14]
    assert result[NEW]["moved_on"] == 2
    assert result[NEW]["moved_on_ids"] == [10, 12]
    assert result[NEW]["conversion"] == 50.0
    assert result[NEW]["median_days"] == 5.0
    # Qualified: entered by 10, 12, 13 = 3; moved on: 10 (Proposition) and 13
    # (won) = 2 -> 66.7 %; days: 10 (10), 2 (12) -> median 6
    assert result[QUALIFIED]["entered"] == 3
    assert result[QUALIFIED]["moved_on"] == 2
    assert result[QUALIFIED]["moved_on_ids"] == [10, 13]
    assert result[QUALIFIED]["conversion"] == pytest.approx(200 / 3)
    assert result[QUALIFIED]["median_days"] == 6.0
    # Proposition: 10 entered, never left: 0 %, no finished stay
    assert result[PROPOSITION]["entered"] == 1
    assert result[PROPOSITION]["conversion"] == 0.0
    assert result[PROPOSITION]["median_days"] is None


def test_funnel_half_days_and_unknown_stages():
    leads = {
        # 1.5 days in New, then a stage the funnel does not know (ignored as
        # an entry, and not a move on since it has no rank)
        20: ([(day(1), NEW), (day(2, hours=12), 99)], None),
    }
    result = drivers.funnel(leads, RANK, START, END)
    assert result[NEW]["median_days"] == 1.5
    assert result[NEW]["moved_on"] == 0
    assert 99 not in result


def test_funnel_moving_to_the_won_stage_is_moving_on():
    leads = {30: ([(day(1), PROPOSITION), (day(4), WON)], day(4))}
    result = drivers.funnel(leads, RANK, START, END)
    assert result[PROPOSITION]["moved_on"] == 1
    assert result[PROPOSITION]["median_days"] == 3.0


def test_worst_stage_is_the_biggest_drop():
    current = {NEW: 50.0, QUALIFIED: 40.0, PROPOSITION: 90.0, WON: None}
    previous = {NEW: 60.0, QUALIFIED: 70.0, PROPOSITION: 80.0}
    # drops: New 10, Qualified 30, Proposition -10 (better) -> Qualified
    assert drivers.worst_stage(current, previous) == QUALIFIED
    # nothing dropped: no stage flagged
    assert drivers.worst_stage({NEW: 70.0}, {NEW: 60.0}) is None
    # a stage without a previous conversion cannot be compared
    assert drivers.worst_stage({NEW: 10.0}, {}) is None


# ----------------------------------------------------------------------
# Concentration
# ----------------------------------------------------------------------
def test_concentration_of_the_top_three_customers():
    revenue = {1: 5000.0, 2: 3000.0, 3: 1000.0, 4: 600.0, 5: 400.0, 6: -200.0}
    share, best = drivers.concentration(revenue)
    # (5000 + 3000 + 1000) / (5000 + 3000 + 1000 + 600 + 400) = 9000 / 10000;
    # the credit note of customer 6 does not count
    assert share == pytest.approx(90.0)
    assert best == [1, 2, 3]


def test_concentration_with_few_or_no_customers():
    assert drivers.concentration({7: 100.0}) == (100.0, [7])
    assert drivers.concentration({}) == (None, [])
    # one decimal below 10: coverage 7.5 % of the gap
    assert (
        drivers.diagnosis(
            {"pipeline_coverage": 7.5}, {"pipeline_coverage": 60.0}, fake_translate
        )
        == "Pipeline covers 7.5 % of the gap; team median 60 %."
    )
    # ties: the lowest id first
    assert drivers.concentration({3: 10.0, 1: 10.0, 2: 10.0, 4: 10.0}, top=2) == (
        50.0,
        [1, 2],
    )
