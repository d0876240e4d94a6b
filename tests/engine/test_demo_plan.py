"""The demo organisation's plan: reproducible, a year long, believable."""

from collections import Counter
from datetime import date, datetime

import pytest

from engine import demo_plan

TODAY = date(2026, 12, 1)


def test_same_seed_same_plan_other_seed_other_plan():
    first = demo_plan.plan_deals(TODAY, seed=7)
    assert first == demo_plan.plan_deals(TODAY, seed=7)
    assert first != demo_plan.plan_deals(TODAY, seed=8)


def test_organisation():
    sellers = demo_plan.salespeople()
    assert len(sellers) == 12
    teams = Counter(p[2] for p in sellers)
    assert teams == {"key": 4, "mid": 4, "inside": 4}
    leaders = [p for p in demo_plan.PEOPLE if p[3] == "leader"]
    assert sorted(p[2] for p in leaders) == ["inside", "key", "mid"]
    profiles = {p[4] for p in sellers}
    assert profiles == {"top", "steady", "thin", "new"}
    assert "Experienced Developer" not in demo_plan.JOBS.values()


def test_history_covers_twelve_months_and_stops_today():
    deals = demo_plan.plan_deals(TODAY)
    months = demo_plan.months_with_documents(deals)
    expected = {date(2026, m, 1) for m in range(1, 13)}
    assert expected <= months
    assert min(d["created"] for d in deals) >= date(2026, 1, 1)
    for deal in deals:
        for key in ("created", "closed", "invoice", "paid_on"):
            assert deal[key] is None or deal[key] <= TODAY
        if deal["outcome"] == "open":
            assert deal["closed"] is None and deal["stage"] in demo_plan.OPEN_STAGES
        if deal["invoice"]:
            assert deal["outcome"] == "won" and deal["invoice"] > deal["closed"]
        if deal["paid_on"]:
            assert deal["paid_on"] > deal["invoice"]
        if deal["outcome"] == "lost":
            assert deal["lost_reason"] in (0, 1, 2)


def test_every_kind_of_outcome_and_payment():
    deals = demo_plan.plan_deals(TODAY)
    assert {d["outcome"] for d in deals} == {"won", "lost", "open"}
    assert {d["stage"] for d in deals if d["outcome"] == "open"} == set(
        demo_plan.OPEN_STAGES
    )
    payments = {d["payment"] for d in deals if d["invoice"]}
    assert payments == {"full", "partial", "late", "unpaid"}
    assert any(d["refund"] for d in deals)
    late = [d for d in deals if d["payment"] == "late"]
    assert all((d["paid_on"] - d["invoice"]).days >= 40 for d in late)


def test_people_differ():
    deals = demo_plan.plan_deals(TODAY)
    won = Counter()
    opened = Counter()
    for deal in deals:
        opened[deal["person"]] += 1
        if deal["outcome"] == "won":
            won[deal["person"]] += deal["amount"]
    # the top performer of Key Accounts wins more than the steady one, who
    # wins more than the one with a thin pipeline
    assert won["wangfang"] > won["zhanglei"] > won["liuyang"]
    assert opened["liuyang"] < opened["zhanglei"] / 1.5
    # the new hire (3 months ago) has no deal before joining
    joined = demo_plan.hire_date(
        next(p for p in demo_plan.PEOPLE if p[0] == "sunmei"), TODAY
    )
    assert joined == date(2026, 9, 1)
    assert min(d["created"] for d in deals if d["person"] == "sunmei") >= joined


def test_local_to_utc():
    # 10:00 in Shanghai (UTC+8) is 02:00 UTC; in New York in winter 15:00 UTC
    assert demo_plan.local_to_utc(TODAY, 10, "Asia/Shanghai") == datetime(
        2026, 12, 1, 2
    )
    assert demo_plan.local_to_utc(TODAY, 10, "America/New_York") == datetime(
        2026, 12, 1, 15
    )
    # summer time in Brussels: UTC+2
    assert demo_plan.local_to_utc(date(2026, 7, 1), 10, "Europe/Brussels") == (
        datetime(2026, 7, 1, 8)
    )


@pytest.mark.parametrize(
    ("achieved", "forecast", "wanted", "expected"),
    [
        # achieved: 54,000 / 1.08 = 50,000
        (54000, 58000, ("achieved", 1.08), 50000),
        # rounded down so it stays achieved: 10,000 / 1.08 = 9,259 -> 9,200
        (10000, 11000, ("achieved", 1.08), 9200),
        # on track: forecast 52,000 / 1.04 = 50,000
        (40000, 52000, ("on_track", 1.04), 50000),
        # at risk: 44,000 / 0.88 = 50,000
        (30000, 44000, ("at_risk", 0.88), 50000),
        # off track: 31,000 / 0.62 = 50,000
        (20000, 31000, ("off_track", 0.62), 50000),
        # nothing yet: the smallest target
        (0, 0, ("on_track", 1.04), 100),
    ],
)
def test_target_for_status(achieved, forecast, wanted, expected):
    assert demo_plan.target_for_status(achieved, forecast, wanted) == expected


def test_target_for_status_rejects_a_ratio_of_zero():
    with pytest.raises(ValueError):
        demo_plan.target_for_status(100, 100, ("on_track", 0))
