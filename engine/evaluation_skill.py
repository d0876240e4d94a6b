"""The manager's 1-5 competency rating as a level of an Odoo skill type.

Nothing here imports ``odoo``; ``tests/engine/test_evaluation_skill.py``
tests it.

A rating ``r`` (1 to 5) stands for the progress ``(r - 1) x 25`` % (1: 0 %,
3: 50 %, 5: 100 %). The employee gets the level of the skill type whose
progress is the closest to it; on a tie the lower level (an evaluation never
rounds a skill up). Levels are ``(key, progress)`` pairs.
"""


def rating_progress(rating):
    """The progress (0-100 %) a rating from 1 to 5 stands for."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError("a rating goes from 1 to 5")
    return (rating - 1) * 25


def level_for_rating(rating, levels):
    """The key of the level closest to the rating's progress (ties: the
    lower one), or None without levels."""
    if not levels:
        return None
    wanted = rating_progress(rating)
    ordered = sorted(levels, key=lambda level: (level[1], str(level[0])))
    best = min(ordered, key=lambda level: abs(level[1] - wanted))
    return best[0]
