"""Unit tests of engine/fairness.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import fairness
from engine.fairness import HIGH, LOW, NORMAL, Row


def test_median_odd_even_and_unknown():
    assert fairness.median([3.0, 1.0, 2.0]) == 2.0
    # (2 + 3) / 2
    assert fairness.median([1.0, 3.0, 2.0, 10.0]) == 2.5
    # unknown values are left out: median of [4, 8] = 6
    assert fairness.median([None, 4.0, math.nan, 8.0]) == 6.0
    assert fairness.median([]) is None
    assert fairness.median([None]) is None


def test_difficulty_and_pay_per_point():
    # 120,000 target after 100,000 achieved: 1.2
    assert fairness.difficulty(120000.0, 100000.0) == pytest.approx(1.2)
    # a new hire achieved nothing before: unknown, never infinite
    assert fairness.difficulty(120000.0, 0.0) is None
    assert fairness.difficulty(0.0, 100.0) is None
    assert fairness.difficulty(None, 100.0) is None
    # 4,500 paid for 90 % attainment: 50 per point
    assert fairness.pay_per_point(4500.0, 90.0) == 50.0
    assert fairness.pay_per_point(4500.0, 0.0) is None
    assert fairness.pay_per_point(4500.0, None) is None


def test_flags_on_both_sides():
    # 1.51 x the median: high; 1.5 x exactly: normal
    assert fairness.flag(151.0, 100.0) == HIGH
    assert fairness.flag(150.0, 100.0) == NORMAL
    # 0.67 x exactly: normal; 0.66 x: low
    assert fairness.flag(67.0, 100.0) == NORMAL
    assert fairness.flag(66.0, 100.0) == LOW
    assert fairness.flag(None, 100.0) is None
    assert fairness.flag(5.0, None) is None
    assert fairness.flag(5.0, 0.0) is None


def test_share_at_target():
    # 120 and 100 reach the target, 50 does not: 2 / 3; no target left out
    assert fairness.share_at_target([120.0, 50.0, 100.0, None]) == pytest.approx(
        200.0 / 3
    )
    assert fairness.share_at_target([None]) is None
    assert fairness.share_at_target([99.99]) == 0.0


def test_analyse_two_teams():
    rows = [
        # team A
        # a1: 120 / 100 = 120 %, difficulty 100 / 100 = 1.0, 6,000 / 120 = 50
        Row("a1", "A", 100.0, 120.0, 100.0, 6000.0),
        # a2: 100 / 200 = 50 %, difficulty 200 / 100 = 2.0, 2,000 / 50 = 40
        Row("a2", "A", 200.0, 100.0, 100.0, 2000.0),
        # a3: 100 / 100 = 100 %, difficulty 100 / 125 = 0.8, 1,000 / 100 = 10
        Row("a3", "A", 100.0, 100.0, 125.0, 1000.0),
        # team B: b1 0 %, nothing before; b2 no target
        Row("b1", "B", 100.0, 0.0, 0.0, 0.0),
        Row("b2", "B", None, 50.0, 40.0, 500.0),
    ]
    figures = fairness.analyse(rows)
    a1, a2, a3, b1, b2 = (figures[k] for k in ("a1", "a2", "a3", "b1", "b2"))
    assert (a1.attainment, a2.attainment, a3.attainment) == (120.0, 50.0, 100.0)
    assert (a1.difficulty, a2.difficulty, a3.difficulty) == (1.0, 2.0, 0.8)
    assert (a1.pay_per_point, a2.pay_per_point, a3.pay_per_point) == (50.0, 40.0, 10.0)
    # team A medians: difficulty of [0.8, 1.0, 2.0] = 1.0; pay of [10, 40, 50] = 40
    for member in (a1, a2, a3):
        assert member.team_difficulty_median == 1.0
        assert member.team_pay_median == 40.0
        # a1 and a3 at or above target, a2 not: 2 / 3
        assert member.team_share_at_target == pytest.approx(200.0 / 3)
    # a1: 1.0 / 1.0 and 50 / 40 = 1.25: normal
    assert (a1.difficulty_flag, a1.pay_flag, a1.outlier) == (NORMAL, NORMAL, False)
    assert a1.pay_ratio == 1.25
    # a2: difficulty 2.0 / 1.0 = 2 > 1.5: high; pay 40 / 40 = 1
    assert (a2.difficulty_flag, a2.pay_flag, a2.outlier) == (HIGH, NORMAL, True)
    # a3: difficulty 0.8 (>= 0.67): normal; pay 10 / 40 = 0.25 < 0.67: low
    assert (a3.difficulty_flag, a3.pay_flag, a3.outlier) == (NORMAL, LOW, True)
    assert a3.pay_ratio == 0.25
    assert (a1.at_target, a2.at_target, a3.at_target) == (True, False, True)
    # team B: b1 0 % (no pay per point, no difficulty), b2 without target
    assert (b1.attainment, b1.difficulty, b1.pay_per_point) == (0.0, None, None)
    assert b2.attainment is None
    assert b1.team_share_at_target == 0.0
    assert (b1.difficulty_flag, b1.pay_flag, b2.pay_flag) == (None, None, None)
    assert not b1.outlier


def test_analyse_uses_the_attainment_given():
    # the statement's rule line says 80 % (a prorated target): 800 / 80 = 10
    figures = fairness.analyse([Row("x", None, 1000.0, 900.0, None, 800.0, 80.0)])
    assert figures["x"].attainment == 80.0
    assert figures["x"].pay_per_point == 10.0


values = st.lists(st.floats(min_value=0.01, max_value=1e9, allow_nan=False), min_size=1)


@given(values)
def test_median_lies_between_min_and_max(items):
    middle = fairness.median(items)
    assert min(items) <= middle <= max(items)
    # a flag against the median of the group itself is never high for the median
    assert fairness.flag(middle, middle) == NORMAL
