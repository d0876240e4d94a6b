"""Pure-Python tests of engine/approval.py with hand-computed values.

Route of the examples: team leader for all (no threshold), finance from
10,000, the director from 50,000.
"""

import pytest

from engine import approval

ROUTE = [("leader", 0.0), ("finance", 10000.0), ("director", 50000.0)]


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (0.0, ["leader"]),
        (-500.0, ["leader"]),  # a clawback: the empty threshold still applies
        (9999.99, ["leader"]),
        (10000.0, ["leader", "finance"]),  # the threshold itself applies
        (49999.0, ["leader", "finance"]),
        (50000.0, ["leader", "finance", "director"]),
    ],
)
def test_applicable(total, expected):
    assert approval.applicable(ROUTE, total) == expected


def test_applies_with_rounding():
    # 9,999.996 rounds to 10,000.00 in the currency: the level applies
    assert approval.applies(10000.0, 9999.996)
    assert not approval.applies(10000.0, 9999.99)
    assert approval.applies(None, -1.0)


def test_next_pending_in_order():
    keys = ["leader", "finance"]
    assert approval.next_pending(keys, []) == "leader"
    assert approval.next_pending(keys, ["leader"]) == "finance"
    assert approval.next_pending(keys, ["leader", "finance"]) is None
    # a step of a level that no longer applies does not complete the route
    assert approval.next_pending(["leader"], ["finance"]) == "leader"


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [
        ([0.0, 10000.0, 50000.0], None),
        ([None, 0.0, 10000.0], None),  # two levels for every total, then 10,000
        ([None, 10000.0, 10000.0], 2),  # equal thresholds do not increase
        ([10000.0, 0.0], 1),  # 0 after 10,000 decreases
        ([0.0, 50000.0, 10000.0], 2),
        ([], None),
    ],
)
def test_first_not_increasing(thresholds, expected):
    assert approval.first_not_increasing(thresholds) == expected
