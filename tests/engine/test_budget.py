"""Pure-Python tests of engine/budget.py with hand-computed values."""

from datetime import date

from engine import budget


def test_figures_by_hand():
    totals = {"draft": 1000.0, "confirmed": 2000.0, "approved": 3000.0, "paid": 4000.0}
    result = budget.figures(20000.0, totals, pace=5000.0)
    # accrued = confirmed + approved = 2,000 + 3,000
    assert result.accrued == 5000.0
    assert result.paid == 4000.0
    # forecast = 1,000 + 2,000 + 3,000 + 4,000 + 5,000 at pace
    assert result.forecast == 15000.0
    assert result.difference == 5000.0
    # (5,000 + 4,000) / 20,000 = 45 %
    assert result.consumed_pct == 45.0
    assert not budget.is_over(20000.0, result)


def test_cancelled_statements_do_not_count():
    result = budget.figures(100.0, {"cancel": 999.0, "approved": 40.0}, pace=0.0)
    assert result.accrued == 40.0
    assert result.forecast == 40.0
    assert result.difference == 60.0


def test_over_budget_and_empty_budget():
    result = budget.figures(1000.0, {"approved": 800.0}, pace=300.0)
    assert result.forecast == 1100.0
    assert result.difference == -100.0
    assert budget.is_over(1000.0, result)
    empty = budget.figures(0.0, {}, pace=0.0)
    assert empty.consumed_pct == 0.0
    assert not budget.is_over(0.0, empty)
    # a draft clawback lowers the forecast below what is already accrued:
    # the accrued amount alone is over
    clawed = budget.figures(1000.0, {"approved": 1200.0, "draft": -500.0}, pace=0.0)
    assert clawed.forecast == 700.0
    assert budget.is_over(1000.0, clawed)


def test_within():
    q1 = (date(2031, 1, 1), date(2031, 3, 31))
    assert budget.within((date(2031, 1, 1), date(2031, 1, 31)), *q1)
    assert budget.within((date(2031, 3, 1), date(2031, 3, 31)), *q1)
    assert not budget.within((date(2031, 3, 1), date(2031, 4, 30)), *q1)
    assert not budget.within((date(2030, 12, 1), date(2030, 12, 31)), *q1)
