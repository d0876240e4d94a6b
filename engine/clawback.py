"""Clawbacks: what an approved or paid statement line paid too much once its
base went down (a credit note, a cancelled order, a deal lost again).

Definitions (documented in the README, section "Incentives"):

* the **difference** is the base measured today minus the base already paid
  for (the original line's base plus the clawbacks already taken on it); only
  a drop counts (half a cent of tolerance);
* a **commission** gives back the difference at the rate originally applied,
  a **SPIFF** at the amount originally paid per record; never more than what
  is left of the original amount;
* a **bonus** is computed again with the rule it was paid with (its snapshot)
  on today's base: what was paid above that is taken back.

Nothing here imports ``odoo``; amounts are rounded by the caller's
``rounding`` (the currency's), explanations go through its ``translate``.
"""

# pylint: disable=prefer-env-translation

from dataclasses import dataclass

from . import payout
from .payout import _identity, fmt

TOLERANCE = 0.005


@dataclass(frozen=True)
class Origin:
    """A rule line of an approved or paid statement, as it was paid."""

    kind: str
    base: float
    amount: float
    rate: float = 0.0
    unit_amount: float = 0.0
    target: float | None = None
    rule: dict | None = None


@dataclass(frozen=True)
class Clawback:
    """What a later statement takes back on an origin line."""

    difference: float
    amount: float
    old_base: float
    new_base: float
    paid: float


def compute(origin, current_base, applied_base=0.0, applied_amount=0.0, rounding=None):
    """The :class:`Clawback` due on ``origin`` now that its base is
    ``current_base``, or None when nothing is due.

    :param applied_base: the base differences already clawed back on it
    :param applied_amount: the amounts already clawed back on it (negative)
    :param rounding: how amounts are rounded (default: 2 decimals)
    """
    rounding = rounding or (lambda value: round(value, 2))
    old_base = origin.base + applied_base
    paid = origin.amount + applied_amount
    difference = current_base - old_base
    if difference >= -TOLERANCE:
        return None
    if origin.kind == "bonus":
        due = rounding(
            payout.compute_rule(origin.rule or {}, current_base, origin.target).amount
        )
        amount = min(due - paid, 0.0)
    else:
        per_unit = origin.unit_amount if origin.kind == "spiff" else origin.rate / 100
        amount = max(rounding(difference * per_unit), -paid)
    amount = rounding(amount)
    if not amount:
        return None
    return Clawback(difference, amount, old_base, current_base, paid)


def explanation(origin, clawback, name, date_from, date_to, translate=_identity):
    """Why ``clawback`` takes back part of the line ``name`` of the period
    ``date_from`` → ``date_to``: one whole sentence per kind of rule."""
    _ = translate
    params = {
        "rule": name,
        "from": date_from,
        "to": date_to,
        "old": fmt(clawback.old_base),
        "new": fmt(clawback.new_base),
        "amount": fmt(clawback.amount),
    }
    if origin.kind == "bonus":
        return _(
            "The base of %(rule)s for %(from)s → %(to)s went from %(old)s to "
            "%(new)s after the statement was approved (reversed, cancelled or "
            "reduced documents). With the rule it was paid with, the bonus is now "
            "%(due)s instead of %(paid)s: %(amount)s is taken back.",
            **dict(
                params,
                due=fmt(clawback.paid + clawback.amount),
                paid=fmt(clawback.paid),
                amount=fmt(-clawback.amount),
            ),
        )
    if origin.kind == "spiff":
        return _(
            "The base of %(rule)s for %(from)s → %(to)s went from %(old)s to "
            "%(new)s after the statement was approved (reversed, cancelled or "
            "reduced documents). The difference %(diff)s is taken back at the "
            "amount originally paid per record (%(unit)s): %(amount)s.",
            diff=fmt(clawback.difference),
            unit=fmt(origin.unit_amount),
            **params,
        )
    return _(
        "The base of %(rule)s for %(from)s → %(to)s went from %(old)s to "
        "%(new)s after the statement was approved (reversed, cancelled or "
        "reduced documents). The difference %(diff)s is taken back at the rate "
        "originally applied (%(rate)s%%): %(amount)s.",
        diff=fmt(clawback.difference),
        rate=fmt(round(origin.rate, 4)),
        **params,
    )


def title(name, date_from, date_to, translate=_identity):
    """The description of a clawback line."""
    _ = translate
    return _(
        "Clawback: %(rule)s (%(from)s → %(to)s)",
        rule=name,
        **{"from": date_from, "to": date_to},
    )
