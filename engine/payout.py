"""Incentive payout maths: commissions on tiers, bonuses and SPIFFs.

Nothing here imports ``odoo``: the statement model calls these functions with
plain numbers and the rule's tiers, stores the breakdown they return, and
``tests/engine/test_payout.py`` unit-tests them (with property tests).

Definitions (attainment and tier bounds are percents, rates are percents):

* attainment ``a = B / target x 100``; unknown (``None``) without a target.
* **flat** (non-cumulative) commission: ``B x rate`` of the band that contains
  the measure (``a`` for attainment bands, ``B`` for amount bands); nothing
  when the measure is below the first band.
* **marginal** (cumulative) commission: the sum over the bands of
  ``rate x`` the part of ``B`` inside the band. Attainment bands ``[from, to)``
  become amount bands ``[from x target, to x target)``.
* **bonus**: a fixed amount when ``a`` reaches a threshold; with several
  thresholds the highest one reached pays (alone).
* **SPIFF**: a fixed amount per qualifying record, up to ``max_count`` records.
* A **gate** (attainment percent) pays nothing below it; without a target the
  gate cannot be met. A **cap** limits the payout of the rule in the period.
* A payout is never negative.

Every function returns a :class:`Payout` with the breakdown (one
:class:`BandPart` per band applied) and a plain-language explanation. The
explanation's sentences go through ``_(message, **params)`` so that
the caller can translate them (default: plain ``%`` formatting).
"""

# The explanations are marked with ``_`` so that Odoo's extraction puts them in
# the addon's .pot; ``_`` is the caller's ``env._`` (no Odoo import here).
# pylint: disable=prefer-env-translation

import math
from dataclasses import dataclass, field

FLAT = "flat"
MARGINAL = "marginal"
ATTAINMENT = "attainment"
AMOUNT = "amount"


def _identity(message, **params):
    return message % params if params else message


def fmt(value):
    """A number as shown in explanations: thousands separators, 2 decimals
    (integers without decimals)."""
    if value is None:
        return "-"
    value = float(value)
    if not math.isfinite(value):
        return "∞" if value > 0 else "-∞" if value < 0 else "-"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}"


@dataclass(frozen=True)
class Tier:
    """A band ``[lower, upper)`` (``upper`` None = open-ended) with a rate in
    percent, or, for bonuses, a threshold ``lower`` with a fixed ``amount``."""

    lower: float
    upper: float | None = None
    rate: float = 0.0
    amount: float = 0.0

    def label(self, unit=""):
        upper = "∞" if self.upper is None else fmt(self.upper) + unit
        return f"[{fmt(self.lower)}{unit}, {upper})"


@dataclass
class BandPart:
    """What one band contributed."""

    band: str
    lower: float
    upper: float | None
    base_part: float
    rate: float
    amount: float


@dataclass
class Payout:
    amount: float = 0.0
    gross: float = 0.0  # before gate and cap
    base: float = 0.0
    attainment: float | None = None
    band: str = ""
    rate: float = 0.0  # flat: the band's rate; marginal: the effective rate
    unit_amount: float = 0.0  # bonus / SPIFF fixed amount
    count: float = 0.0  # SPIFF: records paid
    gate_applied: bool = False
    cap_applied: bool = False
    parts: list = field(default_factory=list)
    explanation: str = ""
    # payable on collection: what was earned, and per invoice
    # (invoice, earned, payable, due date) what is payable now
    earned: float | None = None
    holds: list = field(default_factory=list)


class TierError(ValueError):
    """Invalid tiers: ``code`` says what, ``params`` the values involved."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def attainment(base, target):
    """Attainment in percent, None without a (positive) target."""
    if not target or target <= 0:
        return None
    return base / target * 100.0


def sort_tiers(tiers):
    return sorted(tiers, key=lambda t: t.lower)


def check_tiers(tiers, kind="commission"):
    """Raise :class:`TierError` when tiers overlap, leave gaps, or carry a
    negative rate, amount or bound. Bonus thresholds need distinct lowers only.

    Codes: ``negative_rate``, ``negative_amount``, ``negative_bound``,
    ``empty_band``, ``overlap``, ``gap``, ``open_not_last``, ``duplicate``.
    """
    ordered = sort_tiers(tiers)
    for tier in ordered:
        if tier.rate < 0:
            raise TierError("negative_rate", band=tier.label())
        if tier.amount < 0:
            raise TierError("negative_amount", band=tier.label())
        if tier.lower < 0:
            raise TierError("negative_bound", band=tier.label())
    if kind == "bonus":
        lowers = [t.lower for t in ordered]
        for first, second in zip(lowers, lowers[1:], strict=False):
            if first == second:
                raise TierError("duplicate", threshold=fmt(first))
        return ordered
    for tier in ordered:
        if tier.upper is not None and tier.upper <= tier.lower:
            raise TierError("empty_band", band=tier.label())
    for current, following in zip(ordered, ordered[1:], strict=False):
        if current.upper is None:
            raise TierError("open_not_last", band=current.label())
        if following.lower < current.upper:
            raise TierError("overlap", band=current.label(), other=following.label())
        if following.lower > current.upper:
            raise TierError("gap", band=current.label(), other=following.label())
    return ordered


def _apply_gate_cap(result, gate, cap, translate):
    """Gate, cap and the no-negative rule on ``result.gross``; returns the
    sentences to append to the explanation."""
    _ = translate
    notes = []
    amount = max(result.gross, 0.0)
    if gate:
        if result.attainment is None:
            result.gate_applied = True
            amount = 0.0
            notes.append(
                _(
                    "Gate: the rule pays from %(gate)s%% attainment and there is no "
                    "target to measure it, so nothing is paid.",
                    gate=fmt(gate),
                )
            )
        elif result.attainment < gate:
            result.gate_applied = True
            amount = 0.0
            notes.append(
                _(
                    "Gate: attainment %(attainment)s%% is below the %(gate)s%% gate, "
                    "so nothing is paid.",
                    attainment=fmt(result.attainment),
                    gate=fmt(gate),
                )
            )
    if cap is not None and cap > 0 and amount > cap:
        result.cap_applied = True
        notes.append(
            _(
                "Cap: %(gross)s is limited to the cap of %(cap)s.",
                gross=fmt(amount),
                cap=fmt(cap),
            )
        )
        amount = float(cap)
    result.amount = amount
    return notes


def commission(
    base,
    tiers,
    mode=FLAT,
    basis=ATTAINMENT,
    target=None,
    gate=0.0,
    cap=None,
    translate=_identity,
):
    """Commission on ``base`` (B). See the module docstring."""
    _ = translate
    base = float(base or 0.0)
    result = Payout(base=base, attainment=attainment(base, target))
    ordered = sort_tiers(tiers)
    sentences = []
    on_attainment = basis == ATTAINMENT
    if on_attainment and result.attainment is None:
        sentences.append(
            _(
                "Base %(base)s; the tiers are on attainment and there is no target "
                "for the period, so no commission is due.",
                base=fmt(base),
            )
        )
        notes = _apply_gate_cap(result, 0.0, cap, translate)
        result.explanation = " ".join(sentences + notes)
        return result
    unit = "%" if on_attainment else ""
    scale = (target / 100.0) if on_attainment else 1.0
    measure = result.attainment if on_attainment else base
    if on_attainment:
        sentences.append(
            _(
                "Base %(base)s against a target of %(target)s: "
                "attainment %(attainment)s%%.",
                base=fmt(base),
                target=fmt(target),
                attainment=fmt(result.attainment),
            )
        )
    else:
        sentences.append(_("Base %(base)s.", base=fmt(base)))
    if mode == MARGINAL:
        gross = 0.0
        for tier in ordered:
            low = tier.lower * scale
            high = None if tier.upper is None else tier.upper * scale
            part = max(0.0, (base if high is None else min(base, high)) - low)
            if part <= 0.0:
                continue
            amount = part * tier.rate / 100.0
            gross += amount
            result.parts.append(
                BandPart(
                    tier.label(unit), tier.lower, tier.upper, part, tier.rate, amount
                )
            )
            sentences.append(
                _(
                    "Band %(band)s: %(rate)s%% of %(part)s = %(amount)s.",
                    band=tier.label(unit),
                    rate=fmt(tier.rate),
                    part=fmt(part),
                    amount=fmt(amount),
                )
            )
        result.gross = gross
        result.band = result.parts[-1].band if result.parts else ""
        result.rate = gross / base * 100.0 if base > 0 else 0.0
        if not result.parts:
            sentences.append(_("No band is reached, so no commission is due."))
        else:
            sentences.append(
                _(
                    "Marginal tiers: each band's rate applies to the part of the base "
                    "inside the band; total %(gross)s.",
                    gross=fmt(gross),
                )
            )
    else:
        band = next(
            (
                t
                for t in ordered
                if t.lower <= measure and (t.upper is None or measure < t.upper)
            ),
            None,
        )
        if band is None:
            result.gross = 0.0
            sentences.append(
                _(
                    "%(measure)s%(unit)s is in no band, so no commission is due.",
                    measure=fmt(measure),
                    unit=unit,
                )
            )
        else:
            result.gross = base * band.rate / 100.0
            result.band = band.label(unit)
            result.rate = band.rate
            result.parts.append(
                BandPart(
                    result.band, band.lower, band.upper, base, band.rate, result.gross
                )
            )
            sentences.append(
                _(
                    "Flat tiers: %(measure)s%(unit)s falls in band %(band)s, "
                    "whose rate %(rate)s%% applies to the whole base: "
                    "%(rate)s%% of %(base)s = "
                    "%(amount)s.",
                    measure=fmt(measure),
                    unit=unit,
                    band=result.band,
                    rate=fmt(band.rate),
                    base=fmt(base),
                    amount=fmt(result.gross),
                )
            )
    notes = _apply_gate_cap(result, gate, cap, translate)
    if result.gross < 0 and not notes:
        notes.append(_("A commission is never negative: nothing is paid."))
    result.explanation = " ".join(sentences + notes)
    return result


def bonus(achieved, target, tiers, gate=0.0, cap=None, translate=_identity):
    """Fixed bonus of the highest threshold (tier ``lower``) reached by the
    attainment; ``tiers`` carry the bonus in ``amount``."""
    _ = translate
    achieved = float(achieved or 0.0)
    result = Payout(base=achieved, attainment=attainment(achieved, target))
    sentences = []
    if result.attainment is None:
        sentences.append(
            _(
                "Base %(base)s; a bonus is paid on attainment and there is no target "
                "for the period, so no bonus is due.",
                base=fmt(achieved),
            )
        )
    else:
        reached = [t for t in sort_tiers(tiers) if result.attainment >= t.lower]
        sentences.append(
            _(
                "Base %(base)s against a target of %(target)s: "
                "attainment %(attainment)s%%.",
                base=fmt(achieved),
                target=fmt(target),
                attainment=fmt(result.attainment),
            )
        )
        if reached:
            best = reached[-1]
            result.gross = best.amount
            result.unit_amount = best.amount
            result.band = "≥ %s%%" % fmt(best.lower)
            result.parts.append(
                BandPart(result.band, best.lower, None, achieved, 0.0, best.amount)
            )
            sentences.append(
                _(
                    "The highest threshold reached is %(threshold)s%%, which pays "
                    "%(amount)s.",
                    threshold=fmt(best.lower),
                    amount=fmt(best.amount),
                )
            )
        else:
            lowest = min((t.lower for t in tiers), default=None)
            sentences.append(
                _(
                    "No threshold is reached (the first is %(threshold)s%%), so no "
                    "bonus is due.",
                    threshold=fmt(lowest),
                )
            )
    notes = _apply_gate_cap(result, gate, cap, translate)
    result.explanation = " ".join(sentences + notes)
    return result


def spiff(
    count,
    unit_amount,
    max_count=0,
    achieved=None,
    target=None,
    gate=0.0,
    cap=None,
    translate=_identity,
):
    """``unit_amount`` per qualifying record, at most ``max_count`` records
    (0 = no maximum). ``achieved``/``target`` only serve the gate."""
    _ = translate
    count = max(float(count or 0.0), 0.0)
    paid = min(count, max_count) if max_count and max_count > 0 else count
    unit_amount = float(unit_amount or 0.0)
    result = Payout(
        base=count,
        attainment=attainment(achieved or 0.0, target),
        unit_amount=unit_amount,
        count=paid,
        rate=0.0,
    )
    result.gross = paid * unit_amount
    result.band = "× %s" % fmt(paid)
    result.parts.append(BandPart(result.band, 0.0, None, paid, 0.0, result.gross))
    sentences = [
        _(
            "%(count)s qualifying records at %(unit)s each = %(amount)s.",
            count=fmt(paid),
            unit=fmt(unit_amount),
            amount=fmt(result.gross),
        )
    ]
    if paid < count:
        sentences.insert(
            0,
            _(
                "%(count)s qualifying records, of which at most %(max)s are paid.",
                count=fmt(count),
                max=fmt(max_count),
            ),
        )
    notes = _apply_gate_cap(result, gate, cap, translate)
    result.explanation = " ".join(sentences + notes)
    return result


def compute_rule(rule, base, target=None, translate=_identity):
    """Payout of one rule given as a dict (a rule snapshot): ``kind``,
    ``basis``, ``mode``, ``gate``, ``cap``, ``amount``, ``max_count`` and
    ``tiers`` (dicts with ``lower``, ``upper``, ``rate``, ``amount``)."""
    tiers = [
        Tier(
            float(t.get("lower") or 0.0),
            None if t.get("upper") in (None, False) else float(t["upper"]),
            float(t.get("rate") or 0.0),
            float(t.get("amount") or 0.0),
        )
        for t in rule.get("tiers", ())
    ]
    gate = float(rule.get("gate") or 0.0)
    cap = float(rule["cap"]) if rule.get("cap") else None
    kind = rule.get("kind", "commission")
    if kind == "bonus":
        return bonus(base, target, tiers, gate=gate, cap=cap, translate=translate)
    if kind == "spiff":
        return spiff(
            base,
            rule.get("amount") or 0.0,
            int(rule.get("max_count") or 0),
            achieved=base,
            target=target,
            gate=gate,
            cap=cap,
            translate=translate,
        )
    return commission(
        base,
        tiers,
        mode=rule.get("mode") or FLAT,
        basis=rule.get("basis") or ATTAINMENT,
        target=target,
        gate=gate,
        cap=cap,
        translate=translate,
    )
