"""The figures of an incentive plan budget.

* **accrued**: the totals of the plan's *confirmed* and *approved* statements
  whose period lies within the budget period (owed, not paid yet);
* **paid**: the totals of its *paid* statements of those periods;
* **forecast**: every current statement of those periods (draft, confirmed,
  approved, paid) plus, for each assignee without a statement of a period
  yet, the estimator's payout at the current pace (what they achieved so far
  run to the end of the period over its working days);
* **difference** = budget − forecast (negative: over budget);
* **consumed** = (accrued + paid) / budget × 100 (0 for an empty budget).

A budget is over when the forecast, or what is already accrued and paid,
exceeds it.

Nothing here imports ``odoo``.
"""

from typing import NamedTuple

ACCRUED_STATES = ("confirmed", "approved")
PAID_STATES = ("paid",)
CURRENT_STATES = ("draft", "confirmed", "approved", "paid")


class Figures(NamedTuple):
    accrued: float
    paid: float
    forecast: float
    difference: float
    consumed_pct: float


def within(period, budget_from, budget_to):
    """True when ``period`` (first day, last day) lies within the budget
    period (both ends inclusive)."""
    first, last = period
    return budget_from <= first and last <= budget_to


def figures(amount, totals_by_state, pace, round_=lambda value: round(value, 2)):
    """The figures of a budget of ``amount`` from the statement totals
    ``{state: total}`` of its periods and the ``pace`` estimate of the
    assignees without a statement; ``round_`` rounds money (the currency)."""
    accrued = round_(sum(totals_by_state.get(state, 0.0) for state in ACCRUED_STATES))
    paid = round_(sum(totals_by_state.get(state, 0.0) for state in PAID_STATES))
    current = sum(totals_by_state.get(state, 0.0) for state in CURRENT_STATES)
    forecast = round_(current + pace)
    difference = round_(amount - forecast)
    consumed = round((accrued + paid) / amount * 100.0, 2) if amount else 0.0
    return Figures(accrued, paid, forecast, difference, consumed)


def is_over(amount, result, precision=0.005):
    """True when the forecast, or what is accrued and paid, exceeds
    ``amount``."""
    committed = result.accrued + result.paid
    return max(result.forecast, committed) > amount + precision
