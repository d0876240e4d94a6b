"""Unit and property tests of engine/proration.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import payout, proration

JAN = (date(2026, 1, 1), date(2026, 1, 31))


def test_merge_windows_clips_and_spans():
    a, b, c = "ann", "bob", "cid"
    windows = proration.merge_windows(
        [
            # Ann from the 11th, open end: 11-31 January
            (date(2026, 1, 11), None, [a]),
            # Bob twice: 5-9 and 20 January-15 February: spans 5-31 January
            (date(2026, 1, 5), date(2026, 1, 9), [b]),
            (date(2026, 1, 20), date(2026, 2, 15), [b]),
            # Cid only in February: outside the period
            (date(2026, 2, 1), None, [c]),
            # no bounds: the whole period
            (None, None, [a]),
        ],
        *JAN,
    )
    assert windows == {
        a: (date(2026, 1, 1), date(2026, 1, 31)),
        b: (date(2026, 1, 5), date(2026, 1, 31)),
    }


def test_share_of_days():
    # 11-31 January: 21 of 31 days
    assert proration.share((date(2026, 1, 11), date(2026, 1, 31)), *JAN) == 21 / 31
    # one day of a 31-day month
    assert proration.share((date(2026, 1, 31), date(2026, 1, 31)), *JAN) == 1 / 31
    # the whole period is no proration at all
    assert proration.share(JAN, *JAN) is None
    assert proration.period_days(date(2028, 2, 1), date(2028, 2, 29)) == 29


def test_prorate_target():
    assert proration.prorate_target(3100.0, 21 / 31) == pytest.approx(2100.0)
    assert proration.prorate_target(3100.0, None) == 3100.0
    assert proration.prorate_target(None, 0.5) is None
    assert proration.prorate_target(0.0, 0.5) == 0.0


def test_explanation_names_days_and_share():
    sentence = proration.explanation((date(2026, 1, 11), date(2026, 1, 31)), *JAN)
    # 21 / 31 = 67.74 %
    assert sentence == (
        "Assigned from 2026-01-11 to 2026-01-31 (21 of 31 days): documents of "
        "those days count; the target, bonus amounts, amount bands and cap are "
        "prorated to 67.74%."
    )
    seen = []

    def translate(message, **params):
        seen.append(message)
        return message % params

    proration.explanation((date(2026, 1, 1), date(2026, 1, 15)), *JAN, translate)
    assert len(seen) == 1 and "%(share)s" in seen[0]


# ----------------------------------------------------------------------
def test_prorate_bonus_amounts_and_cap():
    rule = {
        "kind": "bonus",
        "cap": 900.0,
        "tiers": [{"lower": 100, "upper": False, "amount": 1000.0}],
    }
    half = proration.prorate_rule(rule, 0.5)
    # the threshold stays at 100 %, the amount and the cap halve
    assert half["tiers"] == [{"lower": 100, "upper": False, "amount": 500.0}]
    assert half["cap"] == 450.0
    # the rule given is not changed
    assert rule["tiers"][0]["amount"] == 1000.0
    assert payout.compute_rule(half, 120.0, 100.0).amount == pytest.approx(450.0)


def test_prorate_amount_bands_but_not_attainment_bands():
    tiers = [
        {"lower": 0, "upper": 50000, "rate": 1.0},
        {"lower": 50000, "upper": False, "rate": 3.0},
    ]
    on_amounts = {"kind": "commission", "basis": "amount", "mode": "marginal"}
    quarter = proration.prorate_rule(dict(on_amounts, tiers=tiers), 0.25)
    assert [(t["lower"], t["upper"]) for t in quarter["tiers"]] == [
        (0.0, 12500.0),
        (12500.0, False),
    ]
    # 20,000 in a quarter of the period: 12,500 x 1 % + 7,500 x 3 % = 350
    assert payout.compute_rule(quarter, 20000.0).amount == pytest.approx(350.0)
    on_attainment = {"kind": "commission", "basis": "attainment", "tiers": tiers}
    assert proration.prorate_rule(on_attainment, 0.25)["tiers"] == tiers


def test_prorate_spiff_and_full_share():
    spiff = {"kind": "spiff", "amount": 100.0, "max_count": 3, "tiers": []}
    assert proration.prorate_rule(spiff, 0.5)["amount"] == 100.0
    assert proration.prorate_rule(spiff, 0.5)["max_count"] == 3
    assert proration.prorate_rule(spiff, 1.0) is spiff
    with pytest.raises(ValueError):
        proration.prorate_rule(spiff, 0.0)


@given(
    share=st.floats(min_value=0.01, max_value=1.0),
    amount=st.floats(min_value=0.0, max_value=1e6),
    achieved=st.floats(min_value=0.0, max_value=1e6),
)
@settings(max_examples=60, deadline=None)
def test_prorated_bonus_never_pays_more_than_its_share(share, amount, achieved):
    rule = {"kind": "bonus", "tiers": [{"lower": 50, "amount": amount}]}
    full = payout.compute_rule(rule, achieved, 1000.0).amount
    part = payout.compute_rule(proration.prorate_rule(rule, share), achieved, 1000.0)
    assert part.amount == pytest.approx(full * share, abs=1e-6)
