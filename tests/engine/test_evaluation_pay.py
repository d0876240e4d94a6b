"""Pure tests of engine/evaluation_pay.py (no Odoo)."""

import pytest

from engine import evaluation_pay

BANDS = [
    {"lower": 0, "upper": 80, "amount": 0, "factor": 0.9},
    {"lower": 80, "upper": 90, "amount": 1000, "factor": 1.2},
    {"lower": 90, "upper": False, "amount": 1500, "factor": 1.5},
]


def rule(mode="amount", **extra):
    return {"kind": "evaluation", "evaluation_mode": mode, "tiers": BANDS, **extra}


def test_amount_band_pays_its_amount():
    # 87 is in [80, 90): that band pays 1,000
    result = evaluation_pay.compute(rule(), {"name": "Eve Q1", "score": 87})
    assert result.amount == 1000
    assert result.band == "[80, 90)"
    assert "Eve Q1" in result.explanation
    assert "1,000" in result.explanation


def test_band_bounds_lower_included_upper_excluded():
    assert evaluation_pay.compute(rule(), {"name": "e", "score": 90}).amount == 1500
    assert evaluation_pay.compute(rule(), {"name": "e", "score": 79.99}).amount == 0


def test_multiplier_adds_factor_minus_one_of_the_other_lines():
    # factor 1.2 on 5,000 of other lines: (1.2 - 1) x 5,000 = 1,000
    result = evaluation_pay.compute(
        rule("multiplier"), {"name": "e", "score": 87}, other_total=5000
    )
    assert result.amount == pytest.approx(1000)
    assert result.rate == 1.2
    assert "5,000" in result.explanation


def test_multiplier_below_one_reduces():
    # 70 is in [0, 80): factor 0.9, (0.9 - 1) x 5,000 = -500
    result = evaluation_pay.compute(
        rule("multiplier"), {"name": "e", "score": 70}, other_total=5000
    )
    assert result.amount == pytest.approx(-500)


def test_no_evaluation_pays_nothing_and_says_so():
    for mode in ("amount", "multiplier"):
        result = evaluation_pay.compute(rule(mode), None, other_total=5000)
        assert result.amount == 0
        assert "No done evaluation" in result.explanation


def test_score_in_no_band():
    bands = [{"lower": 50, "upper": False, "amount": 100}]
    result = evaluation_pay.compute(
        {"kind": "evaluation", "tiers": bands}, {"name": "e", "score": 40}
    )
    assert result.amount == 0
    assert "in no band" in result.explanation


def test_cap_limits_the_line():
    result = evaluation_pay.compute(rule(cap=600), {"name": "e", "score": 95})
    assert result.amount == 600
    assert result.cap_applied


def test_valid_factor():
    assert evaluation_pay.valid_factor(1.2)
    assert not evaluation_pay.valid_factor(-0.1)
    assert not evaluation_pay.valid_factor(float("nan"))
    assert not evaluation_pay.valid_factor(11)
