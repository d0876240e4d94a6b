"""Unit tests of engine/crediting.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

from datetime import date

import pytest

from engine import crediting
from engine.crediting import Segment, SplitError


def test_valid_splits():
    crediting.check_split([])
    crediting.check_split([(1, 60.0), (2, 40.0)])
    # within the 0.01 tolerance
    crediting.check_split([(1, 33.33), (2, 33.33), (3, 33.33)])


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([(1, 60.0), (2, 30.0)], "total"),
        ([(1, 60.0), (2, 40.02)], "total"),
        ([(1, 100.0), (2, 0.0)], "not_positive"),
        ([(1, 110.0), (2, -10.0)], "too_large"),
        ([(1, 50.0), (1, 50.0)], "duplicate"),
        ([(1, float("nan")), (2, 100.0)], "not_positive"),
    ],
)
def test_invalid_splits(lines, code):
    with pytest.raises(SplitError) as caught:
        crediting.check_split(lines)
    assert caught.value.code == code


def test_combine_weights_by_amount():
    # 600 from an order split 50/50 (Ann, Bob), 400 from an order of Cid alone:
    # Ann 30 %, Bob 30 %, Cid 40 %
    lines = crediting.combine([(600.0, [(1, 50.0), (2, 50.0)]), (400.0, [(3, 100.0)])])
    assert lines == [(1, 30.0), (2, 30.0), (3, 40.0)]
    # one source: its split as it is
    assert crediting.combine([(1.0, [(1, 60.0), (2, 40.0)])]) == [(1, 60.0), (2, 40.0)]
    # one user in the end: no split at all
    assert crediting.combine([(5.0, [(1, 100.0)]), (7.0, [(1, 100.0)])]) == []


def test_combine_rounds_to_exactly_100():
    # thirds: 33.3333 x 3 = 99.9999, the remainder goes to the largest share
    lines = crediting.combine(
        [(1.0, [(1, 100.0)]), (1.0, [(2, 100.0)]), (1.0, [(3, 100.0)])]
    )
    assert sum(percent for _user, percent in lines) == pytest.approx(100.0, abs=1e-9)
    assert sorted(percent for _user, percent in lines) == [33.3333, 33.3333, 33.3334]
    # no weight at all: the sources count equally
    assert crediting.combine([(0.0, [(1, 100.0)]), (0.0, [(2, 100.0)])]) == [
        (1, 50.0),
        (2, 50.0),
    ]


def test_team_timeline_and_team_on():
    # Ann in team 10 until 15 March, then team 20; Bob in 10 throughout, and
    # also in 30 from 1 March (multi-team): the later start (30) wins
    segments = crediting.team_timeline(
        [
            (1, 10, date(2026, 1, 1), date(2026, 3, 15)),
            (1, 20, date(2026, 3, 16), None),
            (2, 10, date(2026, 1, 1), None),
            (2, 30, date(2026, 3, 1), None),
        ]
    )
    far = crediting.FAR_FUTURE
    assert Segment(1, date(2026, 1, 1), date(2026, 3, 15), 10) in segments
    assert Segment(1, date(2026, 3, 16), far, 20) in segments
    assert Segment(2, date(2026, 1, 1), date(2026, 2, 28), 10) in segments
    assert Segment(2, date(2026, 3, 1), far, 30) in segments
    assert len(segments) == 4
    assert crediting.team_on(segments, 1, date(2026, 3, 15)) == 10
    assert crediting.team_on(segments, 1, date(2026, 3, 16)) == 20
    assert crediting.team_on(segments, 2, date(2026, 2, 28)) == 10
    assert crediting.team_on(segments, 2, date(2026, 3, 1)) == 30
    # before any membership, or an unknown user: no team
    assert crediting.team_on(segments, 1, date(2025, 12, 31)) is None
    assert crediting.team_on(segments, 9, date(2026, 3, 1)) is None


def test_team_timeline_gaps_and_same_day_ties():
    # Ann in 10 in January, in no team in February, in 20 from March; Cid joins
    # 40 and 50 on the same day: the lower team id wins
    segments = crediting.team_timeline(
        [
            (1, 10, date(2026, 1, 1), date(2026, 1, 31)),
            (1, 20, date(2026, 3, 1), None),
            (3, 50, date(2026, 1, 1), None),
            (3, 40, date(2026, 1, 1), None),
        ]
    )
    assert crediting.team_on(segments, 1, date(2026, 2, 10)) is None
    assert crediting.team_on(segments, 1, date(2026, 3, 1)) == 20
    assert crediting.team_on(segments, 3, date(2026, 6, 1)) == 40
    # a membership ending before it starts is ignored
    assert crediting.team_timeline([(1, 10, date(2026, 2, 1), date(2026, 1, 1))]) == []


def test_override_base_with_and_without_own_deals():
    # team 10: Ann (1) 6,000 and the leader Lee (9) 1,000; team 20: Bob (2)
    # 4,000; team 30 (not led) Cid (3) 500; a deal of nobody on team 10: 200
    values = {(1, 10): 6000.0, (9, 10): 1000.0, (2, 20): 4000.0, (3, 30): 500.0}
    values[(None, 10)] = 200.0
    base, members = crediting.override_base(values, {10, 20}, leader=9)
    assert base == 6000.0 + 4000.0 + 200.0
    assert members == {1: 6000.0, 2: 4000.0, None: 200.0}
    base, members = crediting.override_base(values, {10, 20}, 9, include_own=True)
    assert base == 11200.0
    assert members[9] == 1000.0
    assert crediting.override_base(values, set(), 9) == (0, {})
