"""Unit and property tests of engine/payout.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import payout
from engine.payout import Tier

# 0-80 %: 2 %, 80-100 %: 5 %, 100 %+: 8 %
TIERS = [Tier(0, 80, 2), Tier(80, 100, 5), Tier(100, None, 8)]


def test_attainment():
    assert payout.attainment(50, 200) == 25.0
    assert payout.attainment(50, 0) is None
    assert payout.attainment(50, None) is None


def test_flat_on_attainment():
    # B = 90,000, target 100,000: a = 90 % -> band [80, 100) at 5 % on the whole base
    result = payout.commission(90000, TIERS, "flat", "attainment", target=100000)
    assert result.amount == pytest.approx(4500.0)
    assert result.band == "[80%, 100%)"
    assert result.rate == 5
    assert result.attainment == pytest.approx(90.0)
    assert len(result.parts) == 1
    assert result.parts[0].base_part == 90000
    assert "90%" in result.explanation and "4,500" in result.explanation


def test_flat_band_boundary_is_lower_inclusive():
    # a = exactly 100 % -> band [100, inf) at 8 %: 100,000 x 8 % = 8,000
    result = payout.commission(100000, TIERS, "flat", "attainment", target=100000)
    assert result.amount == pytest.approx(8000.0)


def test_marginal_on_attainment():
    # target 100,000, B = 120,000:
    #   [0, 80,000) at 2 %   = 1,600
    #   [80,000, 100,000) 5 % = 1,000
    #   [100,000, inf) 8 % on 20,000 = 1,600   -> 4,200
    result = payout.commission(120000, TIERS, "marginal", "attainment", target=100000)
    assert result.amount == pytest.approx(4200.0)
    assert [p.amount for p in result.parts] == pytest.approx([1600, 1000, 1600])
    assert [p.base_part for p in result.parts] == pytest.approx([80000, 20000, 20000])
    assert result.band == "[100%, ∞)"
    assert result.rate == pytest.approx(3.5)  # 4,200 / 120,000


def test_marginal_on_amount_bands():
    # bands on amounts: [0, 10,000) 1 %, [10,000, inf) 3 %; B = 15,000
    # 100 + 150 = 250, no target needed
    tiers = [Tier(0, 10000, 1), Tier(10000, None, 3)]
    result = payout.commission(15000, tiers, "marginal", "amount")
    assert result.amount == pytest.approx(250.0)
    assert result.attainment is None


def test_flat_on_amount_bands():
    tiers = [Tier(0, 10000, 1), Tier(10000, None, 3)]
    # B = 15,000 in [10,000, inf) -> 3 % of 15,000 = 450
    assert payout.commission(15000, tiers, "flat", "amount").amount == pytest.approx(
        450.0
    )


def test_below_first_band_pays_nothing():
    tiers = [Tier(50, None, 10)]
    flat = payout.commission(40, tiers, "flat", "attainment", target=100)
    assert flat.amount == 0 and not flat.parts
    # marginal: only the part above 50 % of target pays: 70 - 50 = 20 x 10 % = 2
    marginal = payout.commission(70, tiers, "marginal", "attainment", target=100)
    assert marginal.amount == pytest.approx(2.0)


def test_no_target_no_attainment_commission():
    result = payout.commission(1000, TIERS, "flat", "attainment", target=0)
    assert result.amount == 0
    assert "no target" in result.explanation


def test_gate():
    # gate 50 %: a = 40 % pays nothing, a = 60 % pays 60 x 2 % = 1.2
    gated = payout.commission(40, TIERS, "flat", "attainment", target=100, gate=50)
    assert (
        gated.amount == 0 and gated.gate_applied and gated.gross == pytest.approx(0.8)
    )
    assert "Gate" in gated.explanation
    passed = payout.commission(60, TIERS, "flat", "attainment", target=100, gate=50)
    assert passed.amount == pytest.approx(1.2) and not passed.gate_applied


def test_gate_without_target_blocks():
    tiers = [Tier(0, None, 10)]
    result = payout.commission(100, tiers, "flat", "amount", gate=10)
    assert result.amount == 0 and result.gate_applied


def test_cap():
    # 200,000 at 8 % = 16,000 capped at 10,000
    result = payout.commission(
        200000, TIERS, "flat", "attainment", target=100000, cap=10000
    )
    assert result.amount == 10000 and result.cap_applied and result.gross == 16000
    assert "Cap" in result.explanation


def test_negative_base_pays_nothing():
    result = payout.commission(-500, [Tier(0, None, 10)], "flat", "amount")
    assert result.amount == 0
    result = payout.commission(-500, [Tier(0, None, 10)], "marginal", "amount")
    assert result.amount == 0


def test_bonus_highest_threshold_pays():
    tiers = [Tier(100, amount=1000), Tier(120, amount=2500), Tier(90, amount=300)]
    # 125 % reaches 90, 100 and 120: only 2,500 paid
    assert payout.bonus(125, 100, tiers).amount == 2500
    # 95 %: 300
    assert payout.bonus(95, 100, tiers).amount == 300
    # 80 %: nothing
    result = payout.bonus(80, 100, tiers)
    assert result.amount == 0 and "No threshold" in result.explanation
    # no target: nothing
    assert payout.bonus(80, 0, tiers).amount == 0


def test_bonus_cap_and_gate():
    tiers = [Tier(100, amount=1000)]
    assert payout.bonus(110, 100, tiers, cap=600).amount == 600
    assert payout.bonus(110, 100, tiers, gate=120).amount == 0


def test_spiff_count_and_max():
    # 7 new customers at 50, max 5 -> 250
    result = payout.spiff(7, 50, max_count=5)
    assert result.amount == 250 and result.count == 5
    assert "at most 5" in result.explanation
    # no maximum: 7 x 50 = 350
    assert payout.spiff(7, 50).amount == 350
    # cap 300
    assert payout.spiff(7, 50, cap=300).amount == 300


def test_compute_rule_dispatch():
    rule = {
        "kind": "commission",
        "basis": "attainment",
        "mode": "marginal",
        "gate": 0,
        "cap": 0,
        "tiers": [
            {"lower": 0, "upper": 100, "rate": 2},
            {"lower": 100, "upper": False, "rate": 4},
        ],
    }
    # target 1,000, B 1,500: 1,000 x 2 % + 500 x 4 % = 20 + 20 = 40
    assert payout.compute_rule(rule, 1500, 1000).amount == pytest.approx(40)
    spiff_rule = {"kind": "spiff", "amount": 10, "max_count": 3, "tiers": []}
    assert payout.compute_rule(spiff_rule, 5).amount == 30
    bonus_rule = {"kind": "bonus", "tiers": [{"lower": 100, "amount": 500}]}
    assert payout.compute_rule(bonus_rule, 1000, 1000).amount == 500


def test_translate_hook():
    seen = []

    def translate(message, **params):
        seen.append(message)
        return "T:" + (message % params if params else message)

    result = payout.commission(
        10, [Tier(0, None, 10)], "flat", "amount", translate=translate
    )
    assert result.explanation.startswith("T:")
    assert seen


@pytest.mark.parametrize(
    "tiers,code",
    [
        ([Tier(0, 50, 1), Tier(40, None, 2)], "overlap"),
        ([Tier(0, 50, 1), Tier(60, None, 2)], "gap"),
        ([Tier(0, None, 1), Tier(60, None, 2)], "open_not_last"),
        ([Tier(0, 50, -1)], "negative_rate"),
        ([Tier(0, 50, 1, -5)], "negative_amount"),
        ([Tier(50, 50, 1)], "empty_band"),
        ([Tier(-10, 50, 1)], "negative_bound"),
    ],
)
def test_check_tiers_errors(tiers, code):
    with pytest.raises(payout.TierError) as err:
        payout.check_tiers(tiers)
    assert err.value.code == code


def test_check_tiers_ok_and_bonus_duplicates():
    assert payout.check_tiers(list(reversed(TIERS))) == TIERS
    with pytest.raises(payout.TierError):
        payout.check_tiers([Tier(100, amount=1), Tier(100, amount=2)], kind="bonus")
    payout.check_tiers([Tier(100, amount=1), Tier(120, amount=2)], kind="bonus")


# ----------------------------------------------------------------------
# Property tests
# ----------------------------------------------------------------------
@st.composite
def tier_lists(draw, non_decreasing=False):
    bounds = sorted(set(draw(st.lists(st.integers(1, 300), min_size=0, max_size=4))))
    lowers = [0, *bounds]
    uppers = [*bounds, None]
    rates = draw(
        st.lists(
            st.floats(0, 50, allow_nan=False),
            min_size=len(lowers),
            max_size=len(lowers),
        )
    )
    if non_decreasing:
        rates = sorted(rates)
    return [Tier(lo, up, r) for lo, up, r in zip(lowers, uppers, rates, strict=True)]


bases = st.floats(-1e6, 1e7, allow_nan=False)
targets = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))
caps = st.one_of(st.none(), st.floats(0.01, 1e5, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    base=bases,
    tiers=tier_lists(),
    mode=st.sampled_from(["flat", "marginal"]),
    basis=st.sampled_from(["attainment", "amount"]),
    target=targets,
    gate=st.floats(0, 150, allow_nan=False),
    cap=caps,
)
def test_payout_never_negative_never_above_cap(
    base, tiers, mode, basis, target, gate, cap
):
    result = payout.commission(
        base, tiers, mode, basis, target=target, gate=gate, cap=cap
    )
    assert result.amount >= 0
    if cap is not None:
        assert result.amount <= cap
    assert result.explanation


@settings(max_examples=200, deadline=None)
@given(
    count=st.integers(-5, 1000),
    unit=st.floats(0, 1e4, allow_nan=False),
    max_count=st.integers(0, 100),
    cap=caps,
)
def test_spiff_never_negative_never_above_cap(count, unit, max_count, cap):
    result = payout.spiff(count, unit, max_count, cap=cap)
    assert result.amount >= 0
    if cap is not None:
        assert result.amount <= cap
    if max_count:
        assert result.amount <= max_count * unit + 1e-9


@settings(max_examples=300, deadline=None)
@given(
    base=st.floats(0, 1e6, allow_nan=False),
    tiers=tier_lists(),
    target=st.floats(1, 1e6, allow_nan=False),
    basis=st.sampled_from(["attainment", "amount"]),
)
def test_marginal_continuous_in_base(base, tiers, target, basis):
    # a small step of B moves the payout by at most step x the highest rate
    step = 1e-3
    low = payout.commission(base, tiers, "marginal", basis, target=target).amount
    high = payout.commission(
        base + step, tiers, "marginal", basis, target=target
    ).amount
    max_rate = max(t.rate for t in tiers) / 100.0
    assert abs(high - low) <= step * max_rate + 1e-6 * max(1.0, abs(low))


@settings(max_examples=300, deadline=None)
@given(
    b1=st.floats(0, 1e6, allow_nan=False),
    b2=st.floats(0, 1e6, allow_nan=False),
    tiers=tier_lists(non_decreasing=True),
    target=st.floats(1, 1e6, allow_nan=False),
    basis=st.sampled_from(["attainment", "amount"]),
)
def test_marginal_non_decreasing(b1, b2, tiers, target, basis):
    low, high = sorted((b1, b2))
    pay_low = payout.commission(low, tiers, "marginal", basis, target=target).amount
    pay_high = payout.commission(high, tiers, "marginal", basis, target=target).amount
    assert pay_high >= pay_low - 1e-6 * max(1.0, pay_low)


@settings(max_examples=200, deadline=None)
@given(
    b1=st.floats(0, 1e6, allow_nan=False),
    b2=st.floats(0, 1e6, allow_nan=False),
    tiers=tier_lists(non_decreasing=True),
    target=st.floats(1, 1e6, allow_nan=False),
)
def test_marginal_never_above_flat_with_non_decreasing_rates(b1, b2, tiers, target):
    # with non-decreasing rates the top band's rate on the whole base is an upper bound
    result = payout.commission(b1, tiers, "marginal", "attainment", target=target)
    top = max(t.rate for t in tiers) / 100.0
    assert result.amount <= b1 * top + 1e-6 * max(1.0, b1)


def test_tiny_target_does_not_break_explanations():
    # found by hypothesis: an attainment that overflows to infinity
    result = payout.commission(
        1.0, [Tier(0, None, 0)], "flat", "attainment", target=5e-324
    )
    assert result.amount == 0
    assert "∞" in result.explanation
    assert payout.fmt(float("nan")) == "-"
