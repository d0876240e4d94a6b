"""Pure-Python tests of engine/segments.py (ABC segments), values by hand.

A customer is A while the revenue ranked before it is below 80 % of the
total, B while it is below 95 %, C otherwise (revenue above zero only).
"""

import pytest

from engine import segments


def test_exactly_80_percent_is_a_and_the_next_is_b():
    # total 1,000: P1 500 (cum. 50 %), P2 300 (cum. 80 % exactly: A),
    # P3 150 (before 80 %: B, cum. 95 % exactly: B), P4 50 (before 95 %: C)
    result = segments.segments({"p1": 500, "p2": 300, "p3": 150, "p4": 50})
    assert result == {"p1": "a", "p2": "a", "p3": "b", "p4": "c"}


def test_the_customer_crossing_80_percent_is_a():
    # total 1,000: P1 700 (cum. 70 %), P2 200 crosses 80 % (before 70 %: A),
    # P3 60 (before 90 %: B), P4 40 (before 96 %: C)
    result = segments.segments({"p1": 700, "p2": 200, "p3": 60, "p4": 40})
    assert result == {"p1": "a", "p2": "a", "p3": "b", "p4": "c"}


def test_the_customer_crossing_95_percent_is_b():
    # total 100: P1 80 (cum. 80 %: A), P2 10 (before 80 %: B), P3 6 (before
    # 90 %: B, crosses 95 %), P4 4 (before 96 %: C)
    result = segments.segments({"p1": 80, "p2": 10, "p3": 6, "p4": 4})
    assert result == {"p1": "a", "p2": "b", "p3": "b", "p4": "c"}


def test_boundaries_are_exact_despite_floating_point():
    # 0.7 + 0.1 is 0.7999999999999999 in floats; in cents 80 of 100 exactly.
    # total 1.00: P1 0.70, P2 0.10 (cum. 80 %: A), P3 0.09 (before 80 %: B),
    # P4 0.06 (before 89 %: B, cum. 95 %), P5 0.05 (before 95 %: C)
    assert 0.7 + 0.1 < 0.8
    result = segments.segments(
        {"p1": 0.7, "p2": 0.1, "p3": 0.09, "p4": 0.06, "p5": 0.05}
    )
    assert result == {"p1": "a", "p2": "a", "p3": "b", "p4": "b", "p5": "c"}


def test_ties_share_the_segment_of_the_first():
    # total 1,000: P1 600 (cum. 60 %), P2 and P3 200 each: the first starts at
    # 60 % (A), so both are A although P3 starts at 80 %; P4 0 -> no segment
    result = segments.segments({"p1": 600, "p2": 200, "p3": 200, "p4": 0})
    assert result == {"p1": "a", "p2": "a", "p3": "a"}
    # ties at the B/C edge: total 100, P1 90 (A), P2 and P3 5 each: P2 starts
    # at 90 % (B), P3 ties with it (B although it starts at 95 %)
    result = segments.segments({"p1": 90, "p2": 5, "p3": 5})
    assert result == {"p1": "a", "p2": "b", "p3": "b"}


def test_all_equal_customers_are_a():
    # four customers of 250: the first starts at 0 %, all tie with it
    assert segments.segments({c: 250 for c in "wxyz"}) == dict.fromkeys("wxyz", "a")


def test_no_revenue_and_net_credit_get_no_segment():
    # P2 credited as much as invoiced (0), P3 credited more (-50), P4 a
    # fraction of a cent: only P1 is ranked, alone it makes up 100 %: A
    result = segments.segments({"p1": 10, "p2": 0, "p3": -50, "p4": 0.004})
    assert result == {"p1": "a"}
    assert segments.segments({}) == {}
    assert segments.segments({"p1": 0.0}) == {}


def test_one_big_customer_is_a_alone():
    # total 1,000: P1 900 crosses 80 % (A), P2 60 (before 90 %: B), P3 40
    # (before 96 %: C)
    result = segments.segments({"p1": 900, "p2": 60, "p3": 40})
    assert result == {"p1": "a", "p2": "b", "p3": "c"}


def test_other_shares():
    # 50 / 90: total 100: P1 40 (A), P2 30 (before 40 %: A), P3 20 (before
    # 70 %: B), P4 10 (before 90 %: C)
    result = segments.segments(
        {"p1": 40, "p2": 30, "p3": 20, "p4": 10}, a_share=50, b_share=90
    )
    assert result == {"p1": "a", "p2": "a", "p3": "b", "p4": "c"}


@pytest.mark.parametrize(("a_share", "b_share"), [(-1, 95), (80, 101), (96, 95)])
def test_bad_shares_are_refused(a_share, b_share):
    with pytest.raises(ValueError):
        segments.segments({"p1": 1}, a_share=a_share, b_share=b_share)


def test_best_of_several_companies():
    assert segments.best("c", "a", "b") == "a"
    assert segments.best(False, "b") == "b"
    assert segments.best(False, None) is False
