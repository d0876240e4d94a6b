"""Unit tests of engine/daily.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

import math
from datetime import date, timedelta

import pytest

from engine import daily
from engine.daily import Daily
from engine.figures import Mean

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _key(**changes):
    parts = {
        "metric_id": 7,
        "metric_stamp": "2026-03-01T08:00:00",
        "date_from": MARCH[0],
        "date_to": MARCH[1],
        "tz": "Europe/Brussels",
        "dimension_key": (),
        "user_id": 5,
        "team_id": 2,
        "company_id": 1,
        "team_stamp": "abc",
    }
    parts.update(changes)
    return daily.layout_key(**parts)


def test_period_days():
    days = daily.period_days(*MARCH)
    assert len(days) == 31
    assert days[0] == date(2026, 3, 1) and days[-1] == date(2026, 3, 31)
    # a single day, an empty period, a period longer than a leap year
    assert daily.period_days(date(2026, 3, 5), date(2026, 3, 5)) == (date(2026, 3, 5),)
    assert daily.period_days(date(2026, 3, 5), date(2026, 3, 4)) == ()
    assert len(daily.period_days(date(2028, 1, 1), date(2028, 12, 31))) == 366
    assert daily.period_days(date(2026, 1, 1), date(2027, 1, 2)) == ()  # 367 days


def test_layout_key_changes_with_what_the_days_depend_on():
    base = _key()
    assert _key() == base
    for change in (
        {"metric_stamp": "2026-03-02T08:00:00"},
        {"date_to": date(2026, 3, 30)},
        {"tz": "Asia/Shanghai"},
        {"dimension_key": (("product_category_id", 3),)},
        {"user_id": 6},
        {"company_id": 2},
    ):
        assert _key(**change) != base, change
    # a salesperson's days do not depend on the team history...
    assert _key(team_stamp="other") == base
    # ...a team's do
    team = _key(user_id=None)
    assert _key(user_id=None, team_stamp="other") != team


def test_days_to_read():
    kept = Daily("k", (0.0,) * 31)
    touched = {date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)}
    # nothing kept: every day
    assert len(daily.days_to_read(*MARCH, None, touched)) == 31
    # kept: the touched days of the period only (Feb 28 is not in it)
    assert daily.days_to_read(*MARCH, kept, touched) == (
        date(2026, 3, 1),
        date(2026, 3, 2),
    )
    assert daily.days_to_read(*MARCH, kept, set()) == ()
    # first records per key: from the first touched day to the period's end
    onward = daily.days_to_read(*MARCH, kept, {date(2026, 3, 29)}, onward=True)
    assert onward == (date(2026, 3, 29), date(2026, 3, 30), date(2026, 3, 31))
    # touched before the period (a later period of a 'first' metric): all
    assert len(daily.days_to_read(*MARCH, kept, {date(2026, 2, 27)}, onward=True)) == 31
    assert daily.days_to_read(*MARCH, kept, set(), onward=True) == ()
    # a period too long to keep days for
    assert daily.days_to_read(date(2026, 1, 1), date(2027, 6, 30), None, touched) == ()


def test_merge_takes_kept_days_and_replaces_the_read_ones():
    # kept: 10 on March 1, 20 on March 2, 5 on March 31, 0 elsewhere
    values = [0.0] * 31
    values[0], values[1], values[30] = 10.0, 20.0, 5.0
    kept = Daily("k", tuple(values))
    # March 2 read again: 25 (was 20); March 3 read: 4 → 10 + 25 + 4 + 5 = 44
    total, new = daily.merge(
        *MARCH, "k", kept, {date(2026, 3, 2): 25.0, date(2026, 3, 3): 4.0}
    )
    assert total == 44.0
    assert new.values[:3] == (10.0, 25.0, 4.0) and new.values[30] == 5.0
    assert new.key == "k" and new.weights is None
    # nothing read: the kept total, the same days
    total, same = daily.merge(*MARCH, "k", kept, {})
    assert total == 35.0 and same == kept


def test_merge_without_kept_days_needs_every_day():
    read = {MARCH[0] + timedelta(days=i): 1.5 for i in range(31)}
    total, new = daily.merge(*MARCH, "k", None, read)
    assert total == 46.5  # 31 x 1.5
    assert len(new.values) == 31
    del read[date(2026, 3, 15)]
    with pytest.raises(ValueError):
        daily.merge(*MARCH, "k", None, read)
    # a day outside the period
    kept = Daily("k", (0.0,) * 31)
    with pytest.raises(ValueError):
        daily.merge(*MARCH, "k", kept, {date(2026, 4, 1): 1.0})


def test_merge_of_an_average_pools_the_days():
    # kept: March 1 two answers of 4 and 5 (total 9, weight 2); March 2 one
    # answer of 3 credited 50 % (total 1.5, weight 0.5)
    totals, weights = [0.0] * 31, [0.0] * 31
    totals[0], weights[0] = 9.0, 2.0
    totals[1], weights[1] = 1.5, 0.5
    kept = Daily("k", tuple(totals), tuple(weights))
    # March 3 read: one answer of 2 (total 2, weight 1)
    total, new = daily.merge(
        *MARCH, "k", kept, {date(2026, 3, 3): Mean(2.0, 1.0)}, average=True
    )
    # (9 + 1.5 + 2) / (2 + 0.5 + 1) = 12.5 / 3.5 = 3.5714...
    assert isinstance(total, Mean)
    assert (total.total, total.weight) == (12.5, 3.5)
    assert math.isclose(float(total), 12.5 / 3.5)
    assert new.weights[:3] == (2.0, 0.5, 1.0)
    # a day read without records is an empty Mean
    total, _new = daily.merge(
        *MARCH, "k", kept, {date(2026, 3, 1): Mean()}, average=True
    )
    assert (total.total, total.weight) == (1.5, 0.5)


def test_json_round_trip_and_damaged_values():
    kept = Daily("k", (1.0, 2.5), (1.0, 0.5))
    assert Daily.from_json(kept.to_json()) == kept
    plain = Daily("k", (1.0, 2.0))
    assert "weights" not in plain.to_json()
    assert Daily.from_json(plain.to_json()) == plain
    for damaged in (
        None,
        [],
        {"values": [1.0]},
        {"key": 3, "values": [1.0]},
        {"key": "k", "values": "1,2"},
        {"key": "k", "values": [1.0, "x"]},
        {"key": "k", "values": [1.0, None]},
        {"key": "k", "values": [1.0, float("nan")]},
        {"key": "k", "values": [1.0, float("inf")]},
        {"key": "k", "values": [1e308, 1e308]},
        {"key": "k", "values": [1.0, 2.0], "weights": [1.0]},
    ):
        assert Daily.from_json(damaged) is None, damaged


def test_valid_for():
    kept = Daily("k", (0.0,) * 31)
    assert kept.valid_for("k", *MARCH)
    assert not kept.valid_for("other", *MARCH)
    # another length (the period changed under the same key)
    assert not kept.valid_for("k", date(2026, 3, 1), date(2026, 3, 30))
    # an average needs weights, a sum has none
    assert not kept.valid_for("k", *MARCH, average=True)
    assert Daily("k", (0.0,) * 31, (0.0,) * 31).valid_for("k", *MARCH, average=True)


def test_local_days():
    assert daily.local_days(date(2026, 3, 1)) == {
        date(2026, 2, 28),
        date(2026, 3, 1),
        date(2026, 3, 2),
    }
