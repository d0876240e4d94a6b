"""Unit tests of engine/draw.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import draw
from engine.draw import NON_RECOVERABLE, RECOVERABLE, RECOVERY, TOP_UP


def test_new_hire_recoverable_draw_over_four_months():
    # draw 3,000 recoverable for 3 months; earned 1,000 / 2,500 / 5,000 / 4,000
    # month 1: 3,000 - 1,000 = 2,000 top-up, balance 2,000, pay 3,000
    m1 = draw.compute(1000.0, 3000.0, RECOVERABLE, True, 0.0, 1, 3)
    assert (m1.top_up, m1.recovery, m1.balance, m1.pay) == (2000.0, 0.0, 2000.0, 3000.0)
    assert [(line.kind, line.amount) for line in m1.lines] == [(TOP_UP, 2000.0)]
    assert m1.lines[0].explanation == (
        "Draw 3,000 guaranteed for period 1 of 3: earned 1,000, topped up by "
        "2,000; recoverable balance 2,000."
    )
    # month 2: 3,000 - 2,500 = 500 top-up, balance 2,000 + 500 = 2,500
    m2 = draw.compute(2500.0, 3000.0, RECOVERABLE, True, m1.balance, 2, 3)
    assert (m2.top_up, m2.recovery, m2.balance, m2.pay) == (500.0, 0.0, 2500.0, 3000.0)
    # month 3: 5,000 earned, 2,000 above the draw: recover min(2,500, 2,000)
    # = 2,000, balance 500, pay 5,000 - 2,000 = 3,000 (still the draw)
    m3 = draw.compute(5000.0, 3000.0, RECOVERABLE, True, m2.balance, 3, 3)
    assert (m3.top_up, m3.recovery, m3.balance, m3.pay) == (0.0, 2000.0, 500.0, 3000.0)
    assert [(line.kind, line.amount) for line in m3.lines] == [(RECOVERY, -2000.0)]
    assert m3.lines[0].explanation == (
        "Draw recovery: 2,000 of the 2,500 balance recovered from the 2,000 earned "
        "above the draw 3,000 (period 3 of 3); balance 500."
    )
    # month 4: the draw period is over: recover min(500, 4,000) = 500 from all
    # earnings, balance 0, pay 4,000 - 500 = 3,500
    m4 = draw.compute(4000.0, 3000.0, RECOVERABLE, False, m3.balance, 4, 3)
    assert (m4.top_up, m4.recovery, m4.balance, m4.pay) == (0.0, 500.0, 0.0, 3500.0)
    assert m4.lines[0].explanation == (
        "Draw recovery: 500 of the 500 balance recovered from the 4,000 earned "
        "(the draw period is over); balance 0."
    )
    # month 5: nothing left to recover: no line
    m5 = draw.compute(4000.0, 3000.0, RECOVERABLE, False, m4.balance, 5, 3)
    assert (m5.pay, m5.balance, m5.lines) == (4000.0, 0.0, [])


def test_non_recoverable_draw_keeps_no_balance():
    # 3,000 guaranteed: 1,000 earned -> 2,000 top-up, nothing owed
    m1 = draw.compute(1000.0, 3000.0, NON_RECOVERABLE, True, 0.0, 1, 3)
    assert (m1.top_up, m1.balance, m1.pay) == (2000.0, 0.0, 3000.0)
    assert m1.lines[0].explanation == (
        "Draw 3,000 guaranteed for period 1 of 3: earned 1,000, topped up by "
        "2,000 (not recoverable)."
    )
    # 5,000 earned: above the draw, nothing recovered: paid 5,000
    m3 = draw.compute(5000.0, 3000.0, NON_RECOVERABLE, True, m1.balance, 3, 3)
    assert (m3.top_up, m3.recovery, m3.balance, m3.pay) == (0.0, 0.0, 0.0, 5000.0)
    assert m3.lines[0].amount == 0.0
    assert "at or above the draw; no top-up" in m3.lines[0].explanation


def test_after_the_draw_nothing_earned_keeps_the_balance():
    # 0 earned after the draw: nothing recovered (pay stays 0), 800 carried
    result = draw.compute(0.0, 3000.0, RECOVERABLE, False, 800.0, 4, 3)
    assert (result.recovery, result.balance, result.pay) == (0.0, 800.0, 0.0)
    assert result.lines[0].kind == RECOVERY
    assert result.lines[0].amount == 0.0
    assert "800 carried forward" in result.lines[0].explanation
    # 300 earned: 300 recovered, pay 0, 500 still owed
    result = draw.compute(300.0, 3000.0, RECOVERABLE, False, 800.0, 4, 3)
    assert (result.recovery, result.balance, result.pay) == (300.0, 500.0, 0.0)


def test_negative_earnings_during_the_draw_are_topped_up_to_the_draw():
    # a clawback of 500 more than earned: 3,000 - (-500) = 3,500 top-up
    result = draw.compute(-500.0, 3000.0, RECOVERABLE, True, 0.0, 1, 3)
    assert (result.top_up, result.balance, result.pay) == (3500.0, 3500.0, 3000.0)


def test_rounding_and_translation_are_the_callers():
    calls = []

    def translate(message, **params):
        calls.append(message)
        return "T:" + message % params

    # 3,000 - 1,000.004 = 1,999.996 -> rounded by the currency (2 decimals)
    result = draw.compute(
        1000.004, 3000.0, RECOVERABLE, True, 0.0, 1, 2, translate, lambda v: round(v, 2)
    )
    assert result.top_up == 2000.0
    assert result.lines[0].explanation.startswith("T:Draw 3,000 guaranteed")
    assert len(calls) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"draw": -1.0},
        {"draw": math.nan},
        {"draw": math.inf},
        {"earned": math.nan},
        {"balance": -5.0},
        {"draw_type": "other"},
    ],
)
def test_bad_input_is_refused(kwargs):
    values = {"earned": 100.0, "draw": 3000.0, "draw_type": RECOVERABLE, "balance": 0}
    values.update(kwargs)
    with pytest.raises(ValueError):
        draw.compute(**values)


def test_no_draw_means_no_line():
    result = draw.compute(1000.0, 0.0, RECOVERABLE, True, 0.0)
    assert (result.top_up, result.pay, result.lines) == (0.0, 1000.0, [])


money = st.floats(min_value=0, max_value=1e7, allow_nan=False).map(
    lambda v: round(v, 2)
)


@given(
    earned=money,
    amount=money,
    balance=money,
    applies=st.booleans(),
    recoverable=st.booleans(),
)
def test_properties(earned, amount, balance, applies, recoverable):
    kind = RECOVERABLE if recoverable else NON_RECOVERABLE
    result = draw.compute(earned, amount, kind, applies, balance)
    # pay never below zero
    assert result.pay >= -0.005
    # never below the draw while it applies
    if applies:
        assert result.pay >= amount - 0.005
    # never more recovered than the balance carried
    assert 0 <= result.recovery <= balance + 0.005
    assert result.top_up >= 0
    # pay = earned + the draw lines
    assert math.isclose(
        result.pay,
        earned + sum(line.amount for line in result.lines),
        abs_tol=0.011,
    )
    # the balance moves by the recoverable top-up and the recovery only
    grown = result.top_up if recoverable else 0.0
    assert math.isclose(
        result.balance, balance + grown - result.recovery, abs_tol=0.011
    )
    assert result.balance >= 0
