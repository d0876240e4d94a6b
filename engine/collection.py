"""Commissions payable on collection (回款): what is payable, held, released
and forfeited on each invoice.

Definitions (documented in the README, section "Incentives"):

* a commission line earned on invoiced revenue is spread over the invoices
  that make up its base, in proportion to each invoice's credited amount
  (credit notes of the period reduce the base, not the spread);
* the **collected share** of an invoice is what was collected of it by a
  date ÷ its total (between 0 and 1);
* **payable** = earned × collected share at the end of the statement's period;
  **held** = earned − payable;
* a later statement **releases** earned × collected share at its period end −
  what was already paid or released on that invoice (never below zero);
* what is still held on an invoice unpaid ``hold_days`` after its due date is
  **forfeited** (it was never paid, so nothing is taken back).

Nothing here imports ``odoo``.
"""

from datetime import timedelta


def spread(earned, values):
    """``{invoice: earned part}``: ``earned`` spread over the invoices of
    ``values`` ``{invoice: credited amount}`` in proportion to their positive
    amounts (credit notes and reversals do not receive a part)."""
    positive = {key: value for key, value in values.items() if value > 0}
    total = sum(positive.values())
    if not total:
        return {}
    return {key: earned * value / total for key, value in positive.items()}


def collected_share(collected, total):
    """What was collected of an invoice, as a share of its total (0..1)."""
    if not total:
        return 1.0
    return min(max(collected / total, 0.0), 1.0)


def payable(earned, share):
    """``(payable, held)`` of an earned amount at a collected share."""
    due = earned * share
    return due, earned - due


def release(earned, share, paid):
    """What a later statement releases on an invoice: the payable part at
    the collected ``share`` less what was already ``paid`` or released."""
    return max(earned * share - paid, 0.0)


def is_forfeited(date_due, hold_days, day, share):
    """True when the invoice is still not fully collected ``hold_days`` after
    its due date, on ``day``."""
    if share >= 1.0 or not date_due:
        return False
    return day > date_due + timedelta(days=max(hold_days or 0, 0))


def credited_back(paid, credited, total, taken=0.0):
    """What to claw back, at the original rate, of the commission ``paid`` on
    an invoice of ``total`` of which ``credited`` was credited (credit notes)
    since: the paid share of the credited part, less what was ``taken``
    already (a negative amount, or 0)."""
    if not total or credited <= 0:
        return 0.0
    due = -paid * min(credited / total, 1.0)
    return min(due - taken, 0.0)
