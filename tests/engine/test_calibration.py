"""Pure-Python tests of engine/calibration.py (no Odoo needed)."""

import pytest

from engine import calibration as cal


def test_band_levels_four_shipped_bands():
    # 4 bands: a third is 4 // 3 = 1 band at each end, 2 in the middle.
    # Given order: Outstanding 110, Good 90, Meets 70, Needs improvement 0.
    assert cal.band_levels([110, 90, 70, 0]) == ["high", "medium", "medium", "low"]


def test_band_levels_three_and_six_bands():
    assert cal.band_levels([0, 50, 100]) == ["low", "medium", "high"]
    # 6 bands: 2 low, 2 medium, 2 high
    assert cal.band_levels([10, 0, 30, 20, 50, 40]) == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_band_levels_small_counts():
    assert cal.band_levels([]) == []
    assert cal.band_levels([60]) == ["medium"]
    assert cal.band_levels([80, 0]) == ["high", "low"]
    # 5 bands: 5 // 3 = 1 at each end, 3 in the middle
    assert cal.band_levels([0, 20, 40, 60, 80]) == [
        "low",
        "medium",
        "medium",
        "medium",
        "high",
    ]


@pytest.mark.parametrize(
    ("performance", "potential", "cell"),
    [
        ("low", "low", 1),
        ("medium", "low", 2),
        ("high", "low", 3),
        ("low", "medium", 4),
        ("medium", "medium", 5),
        ("high", "medium", 6),
        ("low", "high", 7),
        ("medium", "high", 8),
        ("high", "high", 9),
    ],
)
def test_nine_box_numbering(performance, potential, cell):
    assert cal.nine_box(performance, potential) == cell
    assert cal.nine_box_levels(cell) == (performance, potential)


def test_nine_box_unknown_level_has_no_cell():
    assert cal.nine_box(None, "high") is None
    assert cal.nine_box("high", False) is None
    assert cal.nine_box("top", "high") is None


@pytest.mark.parametrize("cell", [0, 10, -1, 2.5, True, "5", None])
def test_nine_box_levels_rejects_non_cells(cell):
    with pytest.raises(ValueError):
        cal.nine_box_levels(cell)


def test_nine_box_rows_cover_every_cell_once():
    rows = cal.nine_box_rows()
    assert sorted(cell for row in rows for cell in row) == list(range(1, 10))
    # top row: high potential, left column: low performance
    assert cal.nine_box_levels(rows[0][0]) == ("low", "high")
    assert cal.nine_box_levels(rows[2][2]) == ("high", "low")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/70/10", (20.0, 70.0, 10.0)),
        (" 20 / 70 / 10 ", (20.0, 70.0, 10.0)),
        ("20%/70%/10%", (20.0, 70.0, 10.0)),
        ("15.5,69.5,15", (15.5, 69.5, 15.0)),
        ("0/100/0", (0.0, 100.0, 0.0)),
    ],
)
def test_parse_guide(text, expected):
    assert cal.parse_guide(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        20,
        "20/80",
        "20/70/5/5",
        "a/b/c",
        "nan/50/50",
        "inf/0/0",
        "-10/100/10",
        "120/0/-20",
        "<b>20</b>/70/10",
    ],
)
def test_parse_guide_rejects(text):
    assert cal.parse_guide(text) is None


def test_guide_is_complete():
    assert cal.guide_is_complete((20.0, 70.0, 10.0))
    assert cal.guide_is_complete((33.33, 33.34, 33.33))
    assert not cal.guide_is_complete((20.0, 70.0, 20.0))  # 110
    assert not cal.guide_is_complete((20.0, 60.0, 10.0))  # 90


def test_shares_and_deviations():
    # 10 rated: 3 high, 6 medium, 1 low -> 30 / 60 / 10 %
    counts = {"high": 3, "medium": 6, "low": 1}
    assert cal.shares(counts) == {"high": 30.0, "medium": 60.0, "low": 10.0}
    # against 20/70/10: +10, -10, 0 points
    devs = cal.deviations(counts, (20.0, 70.0, 10.0))
    assert devs["high"] == pytest.approx(10.0)
    assert devs["medium"] == pytest.approx(-10.0)
    assert devs["low"] == pytest.approx(0.0)


def test_shares_without_evaluations():
    assert cal.shares({}) == {"low": 0.0, "medium": 0.0, "high": 0.0}


def test_distribution_warning_beyond_tolerance():
    counts = {"high": 3, "medium": 6, "low": 1}  # +10 / -10 / 0 points
    assert cal.distribution_warning(counts, (20.0, 70.0, 10.0), 5.0)
    assert not cal.distribution_warning(counts, (20.0, 70.0, 10.0), 10.0)
    assert cal.distribution_warning(counts, (20.0, 70.0, 10.0), 9.9)


def test_distribution_warning_on_guide():
    # 2 high, 7 medium, 1 low = 20/70/10 exactly
    counts = {"high": 2, "medium": 7, "low": 1}
    assert not cal.distribution_warning(counts, (20.0, 70.0, 10.0), 0.0)


def test_no_warning_without_ratings():
    assert not cal.distribution_warning({}, (20.0, 70.0, 10.0), 0.0)
