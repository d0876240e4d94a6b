"""Training records (培训记录): certificate expiry, needs and effectiveness.

Definitions (documented in the README, section "Training"):

* certificate expiry = completion date + validity months (calendar months,
  the day clamped to the month's length: 31 January + 1 month = 28/29
  February); no validity (0 or None) means no certificate, hence no expiry;
* a certificate is *expired* on the day after its expiry date, and *expiring*
  when its expiry falls within ``warn_days`` days from today (inclusive);
* training need: a competency rated at or below ``rating_threshold`` (1-5) or
  a KPI attainment (percent) strictly below ``attainment_threshold``;
* effectiveness of a course on a metric: for each attendee, the mean
  attainment of the N periods ending before the training minus the mean of
  the N periods starting after it (an attendee without periods on both sides
  is left out); the course's change is the mean of the attendees' changes.
  The same change is computed for comparable non-attendees around the same
  training date; the *effect* is the attendees' change minus theirs
  (a difference in differences).

Nothing here imports ``odoo``.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

RATING_MIN = 1
RATING_MAX = 5
SCORE_MIN = 0.0
SCORE_MAX = 100.0


def expiry_date(date_completed, validity_months):
    """Expiry of a certificate obtained on ``date_completed``, or None."""
    if not date_completed or not validity_months or validity_months <= 0:
        return None
    return date_completed + relativedelta(months=int(validity_months))


def certificate_state(date_expiry, today, warn_days=30):
    """``'none'``, ``'valid'``, ``'expiring'`` or ``'expired'``."""
    if not date_expiry:
        return "none"
    if date_expiry < today:
        return "expired"
    if date_expiry <= today + timedelta(days=warn_days):
        return "expiring"
    return "valid"


def is_valid_certificate(date_expiry, today, has_validity=True):
    """A passed course is valid on ``today``: without validity it never
    expires; with one it is valid up to and including its expiry date."""
    if not has_validity:
        return True
    return bool(date_expiry) and date_expiry >= today


def competency_need(rating, threshold):
    """A competency rating (1-5) at or below the threshold is a need."""
    if not rating or rating < RATING_MIN:
        return False
    return rating <= threshold


def kpi_need(attainment, threshold):
    """A KPI attainment (percent) strictly below the threshold is a need."""
    if attainment is None:
        return False
    return attainment < threshold


def valid_score(score):
    return score is None or SCORE_MIN <= score <= SCORE_MAX


def _mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None


def split_periods(periods, training_date, count):
    """``periods``: ``(date_from, date_to, attainment)`` tuples. Returns the
    attainments of the ``count`` periods ending before ``training_date``
    (the latest ones) and of the ``count`` periods starting after it (the
    earliest ones). A period containing the training date is neither."""
    before = sorted((p for p in periods if p[1] < training_date), key=lambda p: p[0])
    after = sorted((p for p in periods if p[0] > training_date), key=lambda p: p[0])
    before = before[-count:] if count > 0 else []
    after = after[:count] if count > 0 else []
    return [p[2] for p in before], [p[2] for p in after]


def person_change(periods, training_date, count):
    """``(mean before, mean after, change)`` of one person, or None when
    either side has no period."""
    before, after = split_periods(periods, training_date, count)
    if not before or not after:
        return None
    mean_before, mean_after = _mean(before), _mean(after)
    return mean_before, mean_after, mean_after - mean_before


def group_change(people, count):
    """``people``: ``(training_date, periods)`` pairs. Returns a dict with
    ``count`` (people measured), ``before``, ``after`` and ``change`` (means
    over the people measured; None when nobody is)."""
    changes = [person_change(periods, day, count) for day, periods in people]
    changes = [c for c in changes if c is not None]
    return {
        "count": len(changes),
        "before": _mean(c[0] for c in changes),
        "after": _mean(c[1] for c in changes),
        "change": _mean(c[2] for c in changes),
    }


def effectiveness(attendees, others, count):
    """Difference in differences: the attendees' change, the comparable
    non-attendees' change, and the effect (their difference, None when one
    side cannot be measured)."""
    trained = group_change(attendees, count)
    control = group_change(others, count)
    effect = None
    if trained["change"] is not None and control["change"] is not None:
        effect = trained["change"] - control["change"]
    return {"attendees": trained, "others": control, "effect": effect}
