"""Pure-Python tests of engine/allocation.py: parts add up exactly."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import allocation


def test_equal_split_remainder_goes_first():
    assert allocation.allocate(100.0, [1, 1, 1]) == [33.34, 33.33, 33.33]


def test_all_zero_weights_split_equally():
    assert allocation.allocate(100.0, [0, 0, 0]) == [33.34, 33.33, 33.33]
    assert allocation.allocate(90.0, [0.0, 0.0]) == [45.0, 45.0]


def test_proportional_split():
    assert allocation.allocate(10.0, [1, 2, 2]) == [2.0, 4.0, 4.0]
    assert allocation.allocate(1000.0, [300.0, 100.0, 600.0]) == [300.0, 100.0, 600.0]


def test_proportional_split_remainder_to_largest_fraction():
    # 10000 cents x 2/3 = 6666.67 -> 6667, 10000 x 1/3 = 3333.33 -> 3333
    assert allocation.allocate(100.0, [2, 1]) == [66.67, 33.33]
    # 10000 x 1/6 = 1666.67, x 2/6 = 3333.33, x 3/6 = 5000 -> +1 to the first
    assert allocation.allocate(100.0, [1, 2, 3]) == [16.67, 33.33, 50.0]


def test_zero_weight_gets_nothing():
    assert allocation.allocate(100.0, [0, 1]) == [0.0, 100.0]
    assert allocation.allocate(100.0, [0, 3, 1]) == [0.0, 75.0, 25.0]


def test_whole_units():
    assert allocation.allocate(10, [1, 1, 1], digits=0) == [4.0, 3.0, 3.0]
    assert allocation.allocate(2, [1, 1, 1], digits=0) == [1.0, 1.0, 0.0]
    assert allocation.allocate(1, [1, 1, 1], digits=0) == [1.0, 0.0, 0.0]


def test_ties_go_to_the_earlier_parts():
    assert allocation.allocate(0.02, [1, 1, 1]) == [0.01, 0.01, 0.0]


def test_total_is_rounded_half_up_first():
    assert allocation.allocate(0.005, [1]) == [0.01]
    assert allocation.allocate(10.004, [1, 1]) == [5.0, 5.0]


def test_zero_total():
    assert allocation.allocate(0.0, [1, 2]) == [0.0, 0.0]


def test_no_recipients():
    assert allocation.allocate(100.0, []) == []


def test_negative_weight_rejected():
    with pytest.raises(ValueError):
        allocation.allocate(100.0, [1, -1])


def test_negative_total_rejected():
    with pytest.raises(ValueError):
        allocation.allocate(-1.0, [1, 1])


# ----------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------
weights_strategy = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=10**9),
        st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=30,
)


@given(st.integers(min_value=0, max_value=10**11), weights_strategy)
def test_parts_sum_exactly_and_are_non_negative(cents, weights):
    total = cents / 100
    parts = allocation.allocate(total, weights)
    assert len(parts) == len(weights)
    assert all(part >= 0 for part in parts)
    expected = Decimal(str(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert sum(Decimal(str(part)) for part in parts) == expected
    # every part has at most two decimals
    assert all(
        Decimal(str(part)) == Decimal(str(part)).quantize(Decimal("0.01"))
        for part in parts
    )


@given(
    st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
    weights_strategy,
    st.integers(min_value=0, max_value=3),
)
def test_parts_sum_to_rounded_total_any_digits(total, weights, digits):
    parts = allocation.allocate(total, weights, digits)
    unit = Decimal(1).scaleb(-digits)
    expected = Decimal(str(total)).quantize(unit, rounding=ROUND_HALF_UP)
    assert all(part >= 0 for part in parts)
    assert sum(Decimal(str(part)) for part in parts).quantize(unit) == expected


@given(
    st.integers(min_value=0, max_value=10**8), st.integers(min_value=1, max_value=20)
)
def test_equal_split_parts_differ_by_at_most_one_cent(cents, count):
    parts = allocation.allocate(cents / 100, [1] * count)
    as_cents = [round(part * 100) for part in parts]
    assert max(as_cents) - min(as_cents) <= 1
    assert sum(as_cents) == cents
