"""Incentives paid on the final score of a done evaluation.

Nothing here imports ``odoo``; ``tests/engine/test_evaluation_pay.py`` tests it.

An evaluation rule (a rule snapshot dict of kind ``evaluation``) holds score
bands ``[lower, upper)`` (the last one open-ended), each with an ``amount``
and a ``factor``, and an ``evaluation_mode``:

* ``amount``: the band that contains the final score pays its amount;
* ``multiplier``: the band's factor multiplies the other lines of the plan;
  the rule's line carries the difference, ``(factor - 1) x other lines``, so
  the other lines stay as they were computed and explainable (a factor
  below 1 gives a negative line, never below minus the other lines).

No done evaluation in the period, or a score below the first band: nothing
is paid, and the explanation says so. A cap (when set) limits what the line
adds.
"""

# The explanations are marked with ``_`` so that Odoo's extraction puts them in
# the addon's .pot; ``_`` is the caller's ``env._`` (no Odoo import here).
# pylint: disable=prefer-env-translation

import math

from .payout import BandPart, Payout, Tier, fmt, sort_tiers

AMOUNT = "amount"
MULTIPLIER = "multiplier"
MAX_FACTOR = 10.0


def _identity(message, **params):
    return message % params if params else message


def tiers_of(rule):
    """The rule's bands as :class:`Tier` (``rate`` carries the factor)."""
    return [
        Tier(
            float(t.get("lower") or 0.0),
            None if t.get("upper") in (None, False) else float(t["upper"]),
            float(t.get("factor", 1.0) if t.get("factor") is not None else 1.0),
            float(t.get("amount") or 0.0),
        )
        for t in rule.get("tiers", ())
    ]


def band_of(score, tiers):
    """The band ``[lower, upper)`` containing ``score``, or None."""
    for tier in sort_tiers(tiers):
        if tier.lower <= score and (tier.upper is None or score < tier.upper):
            return tier
    return None


def valid_factor(factor):
    return (
        isinstance(factor, (int, float))
        and math.isfinite(factor)
        and 0.0 <= factor <= MAX_FACTOR
    )


def compute(rule, evaluation=None, other_total=0.0, translate=_identity):
    """Payout of an evaluation ``rule`` (snapshot dict) for a salesperson.

    ``evaluation``: ``None`` (no done evaluation ends in the period) or a dict
    with ``name`` and ``score`` (the final score); ``other_total``: the sum of
    the salesperson's other rule lines of the plan in the period (multiplier
    mode)."""
    _ = translate
    mode = rule.get("evaluation_mode") or AMOUNT
    result = Payout()
    if evaluation is None:
        if mode == MULTIPLIER:
            result.explanation = _(
                "No done evaluation of the salesperson ends in this period, so the "
                "other lines are not multiplied and nothing is added."
            )
        else:
            result.explanation = _(
                "No done evaluation of the salesperson ends in this period, so "
                "nothing is paid."
            )
        return result
    score = float(evaluation.get("score") or 0.0)
    name = evaluation.get("name") or ""
    result.base = score
    band = band_of(score, tiers_of(rule))
    if band is None:
        result.explanation = _(
            "Evaluation %(evaluation)s: the final score %(score)s is in no band, so "
            "nothing is paid.",
            evaluation=name,
            score=fmt(score),
        )
        return result
    result.band = band.label()
    sentences = []
    if mode == MULTIPLIER:
        other_total = float(other_total or 0.0)
        factor = band.rate
        gross = (factor - 1.0) * other_total
        result.rate = factor
        result.gross = gross
        sentences.append(
            _(
                "Evaluation %(evaluation)s: the final score %(score)s falls in band "
                "%(band)s, whose factor is %(factor)s. The other lines total "
                "%(total)s, so this line adds (%(factor)s - 1) x %(total)s = "
                "%(amount)s.",
                evaluation=name,
                score=fmt(score),
                band=result.band,
                factor=fmt(factor),
                total=fmt(other_total),
                amount=fmt(gross),
            )
        )
    else:
        gross = band.amount
        result.gross = gross
        result.unit_amount = gross
        sentences.append(
            _(
                "Evaluation %(evaluation)s: the final score %(score)s falls in band "
                "%(band)s, which pays %(amount)s.",
                evaluation=name,
                score=fmt(score),
                band=result.band,
                amount=fmt(gross),
            )
        )
    amount = gross
    cap = float(rule.get("cap") or 0.0)
    if cap > 0 and amount > cap:
        result.cap_applied = True
        sentences.append(
            _(
                "Cap: %(gross)s is limited to the cap of %(cap)s.",
                gross=fmt(amount),
                cap=fmt(cap),
            )
        )
        amount = cap
    result.amount = amount
    result.parts.append(
        BandPart(result.band, band.lower, band.upper, score, band.rate, amount)
    )
    result.explanation = " ".join(sentences)
    return result
