"""Pure tests of engine/evaluation_skill.py (no Odoo)."""

import pytest

from engine import evaluation_skill

# Odoo's "Soft Skills"-like levels: Beginner 15 %, Intermediate 50 %,
# Advanced 75 %, Expert 100 %.
LEVELS = [("expert", 100), ("beginner", 15), ("intermediate", 50), ("advanced", 75)]


def test_progress_of_ratings():
    assert [evaluation_skill.rating_progress(r) for r in range(1, 6)] == [
        0,
        25,
        50,
        75,
        100,
    ]


@pytest.mark.parametrize(
    "rating, level",
    [
        (1, "beginner"),  # 0 %: closest 15 %
        (2, "beginner"),  # 25 %: 15 % (10 away) beats 50 % (25 away)
        (3, "intermediate"),  # 50 %
        (4, "advanced"),  # 75 %
        (5, "expert"),  # 100 %
    ],
)
def test_level_for_rating(rating, level):
    assert evaluation_skill.level_for_rating(rating, LEVELS) == level


def test_tie_takes_the_lower_level():
    # 50 % is 25 away from both 25 % and 75 %: the lower one
    assert evaluation_skill.level_for_rating(3, [("b", 75), ("a", 25)]) == "a"


def test_no_levels_and_bad_ratings():
    assert evaluation_skill.level_for_rating(3, []) is None
    for bad in (0, 6, 2.5, None):
        with pytest.raises(ValueError):
            evaluation_skill.rating_progress(bad)
