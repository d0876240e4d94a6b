"""Pure-Python tests of engine/scoring.py (no Odoo needed)."""

import pytest

from engine import scoring


def test_kpi_score_below_cap_is_attainment():
    assert scoring.kpi_score(85.0) == 85.0


def test_kpi_score_capped_at_default_120():
    assert scoring.kpi_score(150.0) == 120.0


def test_kpi_score_custom_cap():
    assert scoring.kpi_score(150.0, cap=100.0) == 100.0
    assert scoring.kpi_score(90.0, cap=100.0) == 90.0


def test_kpi_score_negative_or_missing_is_zero():
    assert scoring.kpi_score(-10.0) == 0.0
    assert scoring.kpi_score(None) == 0.0


def test_kpi_score_no_cap():
    assert scoring.kpi_score(300.0, cap=0) == 300.0


@pytest.mark.parametrize(
    "rating,expected", [(1, 20.0), (2, 40.0), (3, 60.0), (4, 80.0), (5, 100.0)]
)
def test_competency_score(rating, expected):
    assert scoring.competency_score(rating) == pytest.approx(expected)


def test_competency_unrated_is_zero():
    assert scoring.competency_score(0) == 0.0
    assert scoring.competency_score(None) == 0.0


@pytest.mark.parametrize("rating", [6, -1, 10])
def test_competency_out_of_range(rating):
    with pytest.raises(ValueError):
        scoring.competency_score(rating)


def test_is_valid_rating():
    assert scoring.is_valid_rating(1)
    assert scoring.is_valid_rating(5)
    assert not scoring.is_valid_rating(0)
    assert not scoring.is_valid_rating(6)
    assert not scoring.is_valid_rating(True)
    assert not scoring.is_valid_rating(3.5)


def test_weights_complete():
    assert scoring.weights_complete([40, 30, 30])
    assert scoring.weights_complete([33.33, 33.33, 33.34])
    assert not scoring.weights_complete([40, 30, 20])
    assert not scoring.weights_complete([60, 50])
    assert not scoring.weights_complete([])


def test_final_score_by_hand():
    # KPI 40% at 130% attainment capped 120 -> 120; KPI 20% at 75% -> 75;
    # competencies 20% rated 4 -> 80 and 20% rated 3 -> 60.
    # 0.4*120 + 0.2*75 + 0.2*80 + 0.2*60 = 48 + 15 + 16 + 12 = 91
    lines = [
        (40, scoring.kpi_score(130.0)),
        (20, scoring.kpi_score(75.0)),
        (20, scoring.competency_score(4)),
        (20, scoring.competency_score(3)),
    ]
    assert scoring.final_score(lines) == pytest.approx(91.0)


def test_final_score_empty():
    assert scoring.final_score([]) == 0.0


@pytest.mark.parametrize(
    "score,expected",
    [
        (125.0, "outstanding"),
        (110.0, "outstanding"),
        (109.99, "good"),
        (90.0, "good"),
        (89.5, "meets"),
        (70.0, "meets"),
        (69.99, "needs_improvement"),
        (0.0, "needs_improvement"),
    ],
)
def test_rating_band_defaults(score, expected):
    assert scoring.rating_band(score, scoring.DEFAULT_BANDS) == expected


def test_rating_band_unordered_and_below_all():
    bands = [(50.0, "b"), (80.0, "a")]
    assert scoring.rating_band(85.0, bands) == "a"
    assert scoring.rating_band(60.0, bands) == "b"
    assert scoring.rating_band(10.0, bands) is None
    assert scoring.rating_band(10.0, []) is None


def test_feedback_score_is_the_average_percentage():
    # (80 + 60 + 100) / 3 = 80
    assert scoring.feedback_score([80.0, 60.0, 100.0]) == pytest.approx(80.0)


def test_feedback_score_clamps_and_handles_none():
    # (100 + 0 + 0) / 3: 130 counts as 100, -5 and None as 0
    assert scoring.feedback_score([130.0, -5.0, None]) == pytest.approx(100.0 / 3)
    assert scoring.feedback_score([]) == 0.0


@pytest.mark.parametrize(
    ("count", "minimum", "visible"),
    [(2, 3, False), (3, 3, True), (4, 3, True), (0, 0, False), (1, 0, True)],
)
def test_feedback_visible_threshold(count, minimum, visible):
    assert scoring.feedback_visible(count, minimum) is visible
