"""Draws (guarantees) on incentive pay: the top-up that makes a statement pay
at least the draw, and the recovery of a recoverable draw's balance.

Definitions (documented in the README, section "Draws and guarantees"):

* **earned** is what the statement pays before the draw (its computed lines
  and manual adjustments);
* **while the draw applies** (the first ``draw_months`` statement periods of
  the assignment), a statement pays at least the draw: when earned < draw,
  the **top-up** is ``draw - earned``;
* a **recoverable** draw adds its top-ups to a **balance** carried forward to
  the next statements; a **non-recoverable** draw adds nothing (a guarantee);
* the balance is **recovered** from what a later statement earns above the
  draw while the draw applies, and from everything it earns once the draw
  period is over; never more than the balance, never below zero pay.

Nothing here imports ``odoo``; amounts are rounded by the caller's
``rounding`` (the currency's), the explanations go through its
``translate`` (``env._``), as in :mod:`engine.payout`.
"""

# The explanations are marked with ``_`` so that Odoo's extraction puts them in
# the addon's .pot; ``_`` is the caller's ``env._`` (no Odoo import here).
# pylint: disable=prefer-env-translation

import math
from dataclasses import dataclass, field

from .payout import _identity, fmt

RECOVERABLE = "recoverable"
NON_RECOVERABLE = "non_recoverable"
TOP_UP = "draw"
RECOVERY = "draw_recovery"


@dataclass(frozen=True)
class DrawLine:
    """A statement line the draw adds: ``kind`` is :data:`TOP_UP` or
    :data:`RECOVERY`; ``amount`` is what it adds to the pay (a recovery is
    negative)."""

    kind: str
    amount: float
    explanation: str


@dataclass(frozen=True)
class DrawResult:
    top_up: float = 0.0
    recovery: float = 0.0  # what is recovered (positive), deducted from the pay
    balance: float = 0.0  # the balance carried to the next statement
    pay: float = 0.0  # earned + top_up - recovery
    lines: list = field(default_factory=list)


def _round2(value):
    return round(value, 2)


def _check(name, value):
    if value is None or isinstance(value, bool) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number")
    return float(value)


def compute(
    earned,
    draw,
    draw_type=RECOVERABLE,
    applies=True,
    balance=0.0,
    period=None,
    periods=None,
    translate=_identity,
    rounding=None,
):
    """The :class:`DrawResult` of a statement.

    :param earned: the statement's total before the draw
    :param draw: the draw amount (>= 0)
    :param draw_type: :data:`RECOVERABLE` or :data:`NON_RECOVERABLE`
    :param applies: whether the statement's period is one of the draw's
    :param balance: the recoverable balance carried from earlier statements
    :param period: which period of the draw this is (1-based), for the text
    :param periods: how many periods the draw lasts, for the text
    :param rounding: how amounts are rounded (default: 2 decimals)
    """
    _ = translate
    rounding = rounding or _round2
    earned = _check("earned", earned)
    draw = _check("draw", draw)
    balance = _check("balance", balance)
    if draw < 0:
        raise ValueError("draw cannot be negative")
    if balance < 0:
        raise ValueError("balance cannot be negative")
    if draw_type not in (RECOVERABLE, NON_RECOVERABLE):
        raise ValueError(f"unknown draw type {draw_type!r}")
    applies = bool(applies) and draw > 0
    params = {
        "draw": fmt(draw),
        "earned": fmt(earned),
        "period": period or 1,
        "periods": periods or 1,
    }
    top_up = recovery = 0.0
    lines = []
    if applies and earned < draw:
        top_up = rounding(draw - earned)
        if draw_type == RECOVERABLE:
            new_balance = rounding(balance + top_up)
            text = _(
                "Draw %(draw)s guaranteed for period %(period)s of %(periods)s: "
                "earned %(earned)s, topped up by %(top_up)s; recoverable balance "
                "%(balance)s.",
                top_up=fmt(top_up),
                balance=fmt(new_balance),
                **params,
            )
        else:
            new_balance = balance
            text = _(
                "Draw %(draw)s guaranteed for period %(period)s of %(periods)s: "
                "earned %(earned)s, topped up by %(top_up)s (not recoverable).",
                top_up=fmt(top_up),
                **params,
            )
        lines.append(DrawLine(TOP_UP, top_up, text))
        return DrawResult(top_up, 0.0, new_balance, earned + top_up, lines)
    if applies:
        # earned at or above the draw: recover from what is above it
        above = earned - draw
        recovery = rounding(min(balance, above))
        if recovery <= 0:
            lines.append(
                DrawLine(
                    TOP_UP,
                    0.0,
                    _(
                        "Draw %(draw)s guaranteed for period %(period)s of "
                        "%(periods)s: earned %(earned)s, at or above the draw; "
                        "no top-up.",
                        **params,
                    ),
                )
            )
            return DrawResult(0.0, 0.0, balance, earned, lines)
        new_balance = rounding(balance - recovery)
        text = _(
            "Draw recovery: %(recovered)s of the %(carried)s balance recovered from "
            "the %(above)s earned above the draw %(draw)s (period %(period)s of "
            "%(periods)s); balance %(balance)s.",
            recovered=fmt(recovery),
            carried=fmt(balance),
            above=fmt(rounding(above)),
            balance=fmt(new_balance),
            **params,
        )
        lines.append(DrawLine(RECOVERY, -recovery, text))
        return DrawResult(0.0, recovery, new_balance, earned - recovery, lines)
    if balance <= 0:
        return DrawResult(0.0, 0.0, 0.0, earned, [])
    # the draw period is over: recover from all earnings, never below zero pay
    recovery = rounding(min(balance, max(earned, 0.0)))
    new_balance = rounding(balance - recovery)
    if recovery <= 0:
        text = _(
            "Draw balance %(balance)s carried forward: nothing was earned to "
            "recover it from.",
            balance=fmt(balance),
        )
    else:
        text = _(
            "Draw recovery: %(recovered)s of the %(carried)s balance recovered from "
            "the %(earned)s earned (the draw period is over); balance %(balance)s.",
            recovered=fmt(recovery),
            carried=fmt(balance),
            balance=fmt(new_balance),
            earned=fmt(earned),
        )
    lines.append(DrawLine(RECOVERY, -recovery, text))
    return DrawResult(0.0, recovery, new_balance, earned - recovery, lines)
