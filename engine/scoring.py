"""Scores of a performance evaluation (绩效考核).

Definitions (documented in the README):

* KPI line score = min(attainment, cap), attainment in percent, cap 120 by
  default; a negative attainment counts as 0;
* competency line score = rating / 5 x 100, ratings on a 1-5 scale;
* final score = sum(weight x score) / 100 over all lines, weights in percent;
  the weights of an evaluation must add up to 100 before it leaves draft;
* rating band: the band with the highest minimum score not above the final
  score (bands are ``(min_score, key)`` pairs in any order);
* 360° feedback line score = the average scoring percentage (0-100) of the
  colleagues' completed answers, 0 without answers; the evaluated employee
  sees it only once at least ``min_answers`` (>= 1) answers are in.

Nothing here imports ``odoo``.
"""

DEFAULT_CAP = 120.0
RATING_MIN = 1
RATING_MAX = 5
WEIGHT_TOTAL = 100.0
PRECISION = 0.01


def kpi_score(attainment, cap=DEFAULT_CAP):
    """Score of a KPI line: the attainment (percent) capped at ``cap``."""
    attainment = max(attainment or 0.0, 0.0)
    if cap is None or cap <= 0:
        return attainment
    return min(attainment, cap)


def is_valid_rating(rating):
    """Whether ``rating`` is a whole number from 1 to 5."""
    return (
        isinstance(rating, int)
        and not isinstance(rating, bool)
        and (RATING_MIN <= rating <= RATING_MAX)
    )


def competency_score(rating):
    """Score of a competency line: rating / 5 x 100; 0 when not rated yet."""
    if not rating:
        return 0.0
    if not RATING_MIN <= rating <= RATING_MAX:
        raise ValueError(f"Rating {rating!r} is outside {RATING_MIN}-{RATING_MAX}")
    return rating / RATING_MAX * 100.0


def total_weight(weights):
    return sum(w or 0.0 for w in weights)


def weights_complete(weights, precision=PRECISION):
    """Whether the weights (percent) add up to 100."""
    return abs(total_weight(weights) - WEIGHT_TOTAL) < precision


def final_score(lines):
    """Weighted final score of ``(weight, score)`` pairs: sum(w x s) / 100."""
    return (
        sum((weight or 0.0) * (score or 0.0) for weight, score in lines) / WEIGHT_TOTAL
    )


def rating_band(score, bands):
    """Key of the band whose minimum is the highest one not above ``score``.

    ``bands`` are ``(min_score, key)`` pairs; returns None when the score is
    below every band (or there are no bands).
    """
    best = None
    for min_score, key in bands:
        if score + 1e-9 >= min_score and (best is None or min_score > best[0]):
            best = (min_score, key)
    return best[1] if best else None


def feedback_score(percentages):
    """Average of the completed answers' scoring percentages, each clamped
    to 0-100 (a survey without scored questions gives 0); 0 when none."""
    values = [min(max(float(p or 0.0), 0.0), 100.0) for p in percentages]
    if not values:
        return 0.0
    return sum(values) / len(values)


def feedback_visible(count, min_answers):
    """Whether ``count`` answers are enough to show the score to the
    evaluated employee (anonymity threshold, at least 1)."""
    return (count or 0) >= max(int(min_answers or 0), 1)


DEFAULT_BANDS = (
    (110.0, "outstanding"),
    (90.0, "good"),
    (70.0, "meets"),
    (0.0, "needs_improvement"),
)
