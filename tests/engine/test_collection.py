"""Unit tests of engine/collection.py (no Odoo needed); figures by hand."""

from datetime import date

import pytest

from engine import collection


def test_spread_in_proportion_to_positive_amounts():
    # a 300 commission on invoices of 6,000 and 3,000 and a credit note of -1,000
    parts = collection.spread(300.0, {"A": 6000.0, "B": 3000.0, "R": -1000.0})
    assert parts == {"A": pytest.approx(200.0), "B": pytest.approx(100.0)}
    assert collection.spread(300.0, {"R": -1000.0}) == {}


def test_collected_share_is_bounded():
    assert collection.collected_share(400.0, 1000.0) == 0.4
    assert collection.collected_share(1200.0, 1000.0) == 1.0
    assert collection.collected_share(-100.0, 1000.0) == 0.0
    assert collection.collected_share(0.0, 0.0) == 1.0


def test_payable_held_release():
    # 200 earned on an invoice 40 % collected: 80 payable, 120 held
    assert collection.payable(200.0, 0.4) == (pytest.approx(80.0), pytest.approx(120.0))
    # fully collected later: 200 - 80 paid = 120 released
    assert collection.release(200.0, 1.0, 80.0) == pytest.approx(120.0)
    # 70 % collected by then: 140 - 80 = 60
    assert collection.release(200.0, 0.7, 80.0) == pytest.approx(60.0)
    # a collection undone afterwards never releases a negative amount
    assert collection.release(200.0, 0.2, 80.0) == 0.0


def test_forfeit_after_hold_days_past_due():
    due = date(2026, 3, 31)
    # 30 hold days: still held on 30 April, forfeited from 1 May
    assert not collection.is_forfeited(due, 30, date(2026, 4, 30), 0.4)
    assert collection.is_forfeited(due, 30, date(2026, 5, 1), 0.4)
    # fully collected: never forfeited
    assert not collection.is_forfeited(due, 30, date(2026, 9, 1), 1.0)
    assert not collection.is_forfeited(None, 30, date(2026, 9, 1), 0.0)


def test_credited_back_at_the_original_rate():
    # 400 paid on a 10,000 invoice; 2,500 of it credited: 400 x 25 % = 100 back
    assert collection.credited_back(400.0, 2500.0, 10000.0) == pytest.approx(-100.0)
    # once taken, nothing more; credited in full later: the other 300
    assert collection.credited_back(400.0, 2500.0, 10000.0, -100.0) == 0.0
    assert collection.credited_back(400.0, 10000.0, 10000.0, -100.0) == pytest.approx(
        -300.0
    )
    assert collection.credited_back(400.0, 0.0, 10000.0) == 0.0
