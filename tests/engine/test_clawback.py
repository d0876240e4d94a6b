"""Unit tests of engine/clawback.py (no Odoo needed).

Expected figures are computed by hand in the comments.
"""

from datetime import date

import pytest

from engine import clawback
from engine.clawback import Origin

JAN = (date(2026, 1, 1), date(2026, 1, 31))


def test_commission_gives_back_the_drop_at_the_original_rate():
    # paid 5 % of 100,000 = 5,000; the base is now 60,000: 40,000 x 5 % = 2,000
    origin = Origin("commission", base=100000.0, amount=5000.0, rate=5.0)
    taken = clawback.compute(origin, 60000.0)
    assert taken.difference == -40000.0
    assert taken.amount == -2000.0
    assert (taken.old_base, taken.new_base, taken.paid) == (100000.0, 60000.0, 5000.0)


def test_clawbacks_already_taken_count():
    # a first clawback took back 10,000 of base (-500): old base 90,000, paid
    # 4,500; now 80,000: 10,000 more x 5 % = 500
    origin = Origin("commission", base=100000.0, amount=5000.0, rate=5.0)
    taken = clawback.compute(origin, 80000.0, -10000.0, -500.0)
    assert taken.difference == -10000.0
    assert taken.amount == -500.0
    assert taken.paid == 4500.0
    # nothing changed since the first clawback: nothing more is due
    assert clawback.compute(origin, 90000.0, -10000.0, -500.0) is None


def test_no_clawback_when_the_base_grew_or_stayed():
    origin = Origin("commission", base=1000.0, amount=50.0, rate=5.0)
    assert clawback.compute(origin, 1000.0) is None
    assert clawback.compute(origin, 1500.0) is None
    # within half a cent: no drop
    assert clawback.compute(origin, 999.996) is None


def test_never_more_than_what_was_paid():
    # a capped commission paid 100 although 5 % of 10,000 is 500: a drop to 0
    # takes back 100 only
    origin = Origin("commission", base=10000.0, amount=100.0, rate=5.0)
    assert clawback.compute(origin, 0.0).amount == -100.0


def test_spiff_per_record():
    # 5 records paid 200 each = 1,000; 2 were cancelled: 2 x 200 = 400 back
    origin = Origin("spiff", base=5.0, amount=1000.0, unit_amount=200.0)
    taken = clawback.compute(origin, 3.0)
    assert taken.amount == -400.0
    assert taken.difference == -2.0


def test_bonus_is_computed_again_with_its_rule():
    # bonus 1,000 at 100 % of a 50,000 target, 500 at 80 %; paid 1,000 on
    # 52,000; now 45,000 = 90 %: due 500, so 500 is taken back
    rule = {
        "kind": "bonus",
        "tiers": [
            {"lower": 80, "upper": False, "amount": 500.0},
            {"lower": 100, "upper": False, "amount": 1000.0},
        ],
    }
    origin = Origin("bonus", base=52000.0, amount=1000.0, target=50000.0, rule=rule)
    taken = clawback.compute(origin, 45000.0)
    assert taken.amount == -500.0
    # now 30,000 = 60 %: below every threshold, all 1,000 back
    assert clawback.compute(origin, 30000.0).amount == -1000.0
    # 49,000 = 98 %: the 80 % threshold still pays 500
    assert clawback.compute(origin, 49000.0).amount == -500.0
    # 51,000 = 102 %: still the full bonus, nothing back
    assert clawback.compute(origin, 51000.0) is None


def test_rounding_is_the_callers():
    # 3 % of -333.33 = -9.9999 -> -10.00 with cents, -10 with whole units
    origin = Origin("commission", base=1000.0, amount=30.0, rate=3.0)
    assert clawback.compute(origin, 666.67).amount == pytest.approx(-10.0)
    taken = clawback.compute(origin, 666.67, rounding=lambda value: round(value))
    assert taken.amount == -10


def test_explanations_are_whole_sentences():
    commission = Origin("commission", base=100000.0, amount=5000.0, rate=5.0)
    taken = clawback.compute(commission, 60000.0)
    text = clawback.explanation(commission, taken, "Commission", *JAN)
    assert text == (
        "The base of Commission for 2026-01-01 → 2026-01-31 went from 100,000 to "
        "60,000 after the statement was approved (reversed, cancelled or reduced "
        "documents). The difference -40,000 is taken back at the rate originally "
        "applied (5%): -2,000."
    )
    spiff = Origin("spiff", base=5.0, amount=1000.0, unit_amount=200.0)
    text = clawback.explanation(spiff, clawback.compute(spiff, 3.0), "SPIFF", *JAN)
    assert "at the amount originally paid per record (200): -400." in text
    rule = {"kind": "bonus", "tiers": [{"lower": 100, "amount": 1000.0}]}
    bonus = Origin("bonus", base=120.0, amount=1000.0, target=100.0, rule=rule)
    text = clawback.explanation(bonus, clawback.compute(bonus, 90.0), "Bonus", *JAN)
    assert text.endswith("the bonus is now 0 instead of 1,000: 1,000 is taken back.")
    # each sentence is one call of the caller's translation function
    calls = []

    def translate(message, **params):
        calls.append(message)
        return message % params

    clawback.explanation(commission, taken, "Commission", *JAN, translate)
    assert len(calls) == 1
    assert clawback.title("Commission", *JAN, translate) == (
        "Clawback: Commission (2026-01-01 → 2026-01-31)"
    )
