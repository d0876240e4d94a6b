"""Split a parent target among its children so that the parts add up exactly."""

from decimal import ROUND_HALF_UP, Decimal


def allocate(total, weights, digits=2):
    """Split ``total`` in proportion to ``weights`` (largest-remainder method).

    Every part is rounded to ``digits`` decimals and the parts add up to
    ``total`` rounded to ``digits`` exactly: the rounding remainder goes, one
    unit at a time, to the parts whose exact share lost most to rounding
    (ties: earlier first). With all weights 0 the split is equal.
    """
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("Allocation weights cannot be negative.")
    if total < 0:
        raise ValueError("A negative amount cannot be allocated.")
    unit = Decimal(1).scaleb(-digits)
    total_dec = Decimal(str(total)).quantize(unit, rounding=ROUND_HALF_UP)
    weights_dec = [Decimal(str(w)) for w in weights]
    weight_sum = sum(weights_dec)
    if not weight_sum:
        weights_dec = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    units_total = int(total_dec / unit)
    exact = [Decimal(units_total) * w / weight_sum for w in weights_dec]
    floors = [int(e) for e in exact]
    remainder = units_total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return [float(Decimal(units) * unit) for units in floors]
