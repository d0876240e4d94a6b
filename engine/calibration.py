"""Calibration of evaluations: performance levels, the 9-box and the
distribution of ratings against a guide.

Definitions (documented in the README):

* levels are ``low``, ``medium`` and ``high``;
* performance level of a rating band: the level set on the band, else its
  place among the bands ordered by minimum score: the top third (at least one
  band) is ``high``, the bottom third (at least one band) is ``low``, the rest
  ``medium``; a single band is ``medium``. With the four shipped bands
  (0 / 70 / 90 / 110) that is low / medium / medium / high;
* 9-box cell = 3 x potential index + performance index + 1, indexes
  low = 0, medium = 1, high = 2: rows by potential (bottom row low potential),
  columns by performance. So 1 = low performance and low potential,
  3 = high performance and low potential, 7 = low performance and high
  potential, 9 = high performance and high potential; no cell (``None``) when
  either is unknown;
* distribution guide: ``"top/middle/bottom"`` shares in percent, e.g.
  ``"20/70/10"``: top = high performance, middle = medium, bottom = low; the
  three shares are finite, from 0 to 100, and add up to 100;
* deviation of a level = its actual share (percent of the rated evaluations)
  minus the guide's share, in points; the distribution warns when any
  deviation exceeds the tolerance (points) in absolute value. Nothing to warn
  about without rated evaluations.

Nothing here imports ``odoo``.
"""

import math
import re

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVELS = (LOW, MEDIUM, HIGH)
# Guide order: top, middle, bottom.
GUIDE_LEVELS = (HIGH, MEDIUM, LOW)
GUIDE_TOTAL = 100.0
PRECISION = 0.01
DEFAULT_GUIDE = "20/70/10"
DEFAULT_TOLERANCE = 5.0

_GUIDE_SEPARATOR = re.compile(r"\s*[/,;]\s*")


def band_levels(min_scores):
    """The performance level of each band from its place, in the order given.

    ``min_scores`` are the minimum scores of the bands (any order); the top
    third of the bands (at least one) is high, the bottom third (at least one)
    low, the rest medium; a single band is medium."""
    count = len(min_scores)
    if count == 1:
        return [MEDIUM]
    share = max(1, count // 3)
    # rank 0 = the band with the lowest minimum score (ties: the order given)
    order = sorted(range(count), key=lambda index: (min_scores[index], index))
    levels = [MEDIUM] * count
    for rank, index in enumerate(order):
        if rank < share:
            levels[index] = LOW
        elif rank >= count - share:
            levels[index] = HIGH
    return levels


def nine_box(performance, potential):
    """The 9-box cell (1-9) of a performance and a potential level, or None."""
    if performance not in LEVELS or potential not in LEVELS:
        return None
    return 3 * LEVELS.index(potential) + LEVELS.index(performance) + 1


def nine_box_levels(cell):
    """The ``(performance, potential)`` levels of a 9-box cell."""
    if isinstance(cell, bool) or not isinstance(cell, int) or not 1 <= cell <= 9:
        raise ValueError(f"A 9-box cell is a whole number from 1 to 9, not {cell!r}")
    potential, performance = divmod(cell - 1, 3)
    return LEVELS[performance], LEVELS[potential]


def nine_box_rows():
    """The cells as displayed, top row first: high potential (7 8 9), medium
    (4 5 6), low (1 2 3); in each row low performance on the left."""
    return [[7, 8, 9], [4, 5, 6], [1, 2, 3]]


def parse_guide(text):
    """``(top, middle, bottom)`` percentages of a guide such as "20/70/10", or
    None when it is not three finite numbers from 0 to 100. Whether they add
    up to 100 is checked by ``guide_is_complete``."""
    if not isinstance(text, str) or not text.strip():
        return None
    parts = _GUIDE_SEPARATOR.split(text.strip().rstrip("%"))
    if len(parts) != 3:
        return None
    shares = []
    for part in parts:
        try:
            value = float(part.strip().rstrip("%"))
        except ValueError:
            return None
        if not math.isfinite(value) or not 0.0 <= value <= GUIDE_TOTAL:
            return None
        shares.append(value)
    return tuple(shares)


def guide_is_complete(shares, precision=PRECISION):
    """Whether the guide's shares add up to 100."""
    return abs(sum(shares) - GUIDE_TOTAL) < precision


def shares(counts):
    """Share in percent of each level among ``counts`` ({level: count});
    all 0 without any count."""
    total = sum(counts.get(level, 0) for level in LEVELS)
    if not total:
        return dict.fromkeys(LEVELS, 0.0)
    return {level: counts.get(level, 0) * 100.0 / total for level in LEVELS}


def deviations(counts, guide):
    """Actual share minus guide share, in points, per level. ``guide`` is the
    ``(top, middle, bottom)`` tuple of ``parse_guide``."""
    actual = shares(counts)
    target = dict(zip(GUIDE_LEVELS, guide, strict=True))
    return {level: actual[level] - target[level] for level in LEVELS}


def distribution_warning(counts, guide, tolerance):
    """Whether any level deviates from the guide by more than ``tolerance``
    points (never without rated evaluations)."""
    if not sum(counts.get(level, 0) for level in LEVELS):
        return False
    return any(
        abs(deviation) > tolerance + PRECISION / 2
        for deviation in deviations(counts, guide).values()
    )
