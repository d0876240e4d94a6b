"""Pure-Python tests of engine/training.py (no Odoo needed)."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from engine import training


def test_expiry_adds_calendar_months():
    assert training.expiry_date(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert training.expiry_date(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_expiry_clamps_to_month_end_and_leap_year():
    assert training.expiry_date(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert training.expiry_date(date(2028, 1, 31), 1) == date(2028, 2, 29)


@pytest.mark.parametrize("validity", [0, None, -3])
def test_no_validity_no_expiry(validity):
    assert training.expiry_date(date(2026, 1, 1), validity) is None


def test_no_completion_no_expiry():
    assert training.expiry_date(None, 12) is None


def test_certificate_state():
    today = date(2026, 6, 1)
    assert training.certificate_state(None, today) == "none"
    assert training.certificate_state(date(2026, 5, 31), today) == "expired"
    assert training.certificate_state(date(2026, 6, 1), today) == "expiring"
    assert training.certificate_state(date(2026, 7, 1), today) == "expiring"
    assert training.certificate_state(date(2026, 7, 2), today) == "valid"
    assert training.certificate_state(date(2026, 6, 10), today, 5) == "valid"


def test_valid_certificate():
    today = date(2026, 6, 1)
    assert training.is_valid_certificate(date(2026, 6, 1), today)
    assert not training.is_valid_certificate(date(2026, 5, 31), today)
    assert not training.is_valid_certificate(None, today)
    assert training.is_valid_certificate(None, today, has_validity=False)


def test_needs_thresholds():
    assert training.competency_need(2, 2)
    assert training.competency_need(1, 2)
    assert not training.competency_need(3, 2)
    assert not training.competency_need(0, 2)
    assert training.kpi_need(79.9, 80.0)
    assert not training.kpi_need(80.0, 80.0)
    assert not training.kpi_need(None, 80.0)


def test_valid_score():
    assert training.valid_score(0) and training.valid_score(100)
    assert not training.valid_score(-0.1) and not training.valid_score(100.5)
    assert training.valid_score(None)


def _months(values, year=2026):
    """Monthly periods from January with the given attainments."""
    return [
        (date(year, i + 1, 1), date(year, i + 1, 1) + relativedelta(months=1), v)
        for i, v in enumerate(values)
    ]


def test_split_periods_takes_nearest_n_and_skips_training_period():
    periods = [
        (date(2026, 1, 1), date(2026, 1, 31), 10.0),
        (date(2026, 2, 1), date(2026, 2, 28), 20.0),
        (date(2026, 3, 1), date(2026, 3, 31), 30.0),
        (date(2026, 4, 1), date(2026, 4, 30), 99.0),  # contains the training
        (date(2026, 5, 1), date(2026, 5, 31), 50.0),
        (date(2026, 6, 1), date(2026, 6, 30), 60.0),
        (date(2026, 7, 1), date(2026, 7, 31), 70.0),
    ]
    before, after = training.split_periods(periods, date(2026, 4, 15), 2)
    assert before == [20.0, 30.0]
    assert after == [50.0, 60.0]


def test_person_change_needs_both_sides():
    periods = [(date(2026, 1, 1), date(2026, 1, 31), 80.0)]
    assert training.person_change(periods, date(2026, 2, 15), 1) is None


def test_effectiveness_difference_in_differences():
    day = date(2026, 4, 15)
    apr = (date(2026, 4, 1), date(2026, 4, 30))

    def person(b1, b2, a1, a2):
        return (
            day,
            [
                (date(2026, 2, 1), date(2026, 2, 28), b1),
                (date(2026, 3, 1), date(2026, 3, 31), b2),
                (*apr, 0.0),
                (date(2026, 5, 1), date(2026, 5, 31), a1),
                (date(2026, 6, 1), date(2026, 6, 30), a2),
            ],
        )

    # Attendees: (80+90)/2=85 -> (100+110)/2=105: +20; 60 -> 70: +10.
    attendees = [person(80, 90, 100, 110), person(60, 60, 70, 70)]
    # Others: 100 -> 104: +4; one without data after the training (left out).
    others = [person(100, 100, 104, 104), (day, _months([50, 50]))]
    result = training.effectiveness(attendees, others, 2)
    assert result["attendees"]["count"] == 2
    assert result["attendees"]["before"] == pytest.approx((85 + 60) / 2)
    assert result["attendees"]["after"] == pytest.approx((105 + 70) / 2)
    assert result["attendees"]["change"] == pytest.approx(15.0)
    assert result["others"]["count"] == 1
    assert result["others"]["change"] == pytest.approx(4.0)
    assert result["effect"] == pytest.approx(11.0)


def test_effectiveness_without_control_has_no_effect():
    result = training.effectiveness([], [], 2)
    assert result["effect"] is None
    assert result["attendees"]["change"] is None
