"""ABC customer segments (客户分级) from invoiced revenue.

Definitions (documented in the README):

* the revenue of a customer is what was invoiced to it over the period
  (the model passes the trailing 12 months: posted customer invoices minus
  posted credit notes, untaxed, in company currency), netted per customer;
* only customers with a revenue above zero are ranked; the others (nothing
  invoiced, or as much credited as invoiced) get no segment;
* customers are ranked by revenue, highest first; ``share before`` of a
  customer is the revenue of the customers ranked before it divided by the
  total revenue of the ranked customers;
* **A**: the customers needed to make up ``a_share`` (80 %) of the revenue,
  i.e. whose share before is below 80 %. The customer whose revenue crosses
  80 % is A (without it the A customers would make up less than 80 %); a
  customer whose cumulative share is *exactly* 80 % is A, and the next one is
  not (its share before is already 80 %);
* **B**: the next customers, up to ``b_share`` (95 %) in the same way (share
  before at least 80 % and below 95 %): the next 15 % of the revenue;
* **C**: every other customer with revenue;
* ties: customers with the same revenue get the same segment, the one of the
  first of them (the segment never depends on the order of equal customers).

Shares are compared exactly (amounts in cents, shares as fractions): 80 % is
80 %, whatever the floating point sum of the amounts.
"""

from fractions import Fraction

SEGMENTS = ("a", "b", "c")
A_SHARE = 80
B_SHARE = 95


def _cents(amount):
    return round(Fraction(str(amount)) * 100)


def segments(revenue_by_customer, a_share=A_SHARE, b_share=B_SHARE):
    """``{customer: "a" | "b" | "c"}`` for the customers of
    ``revenue_by_customer`` (``{customer: revenue}``) with a revenue above
    zero; ``a_share`` and ``b_share`` are the cumulative shares in percent
    (0 <= a_share <= b_share <= 100) closing segments A and B."""
    a_share, b_share = Fraction(str(a_share)), Fraction(str(b_share))
    if not 0 <= a_share <= b_share <= 100:
        raise ValueError("Segment shares must satisfy 0 <= A <= B <= 100.")
    cents = {
        customer: _cents(revenue)
        for customer, revenue in revenue_by_customer.items()
        if _cents(revenue) > 0
    }
    total = sum(cents.values())
    result = {}
    before = 0  # revenue of the customers ranked before the current group
    ranked = sorted(cents.items(), key=lambda item: -item[1])
    index = 0
    while index < len(ranked):
        amount = ranked[index][1]
        group_end = index
        while group_end < len(ranked) and ranked[group_end][1] == amount:
            group_end += 1
        # share before < threshold  <=>  before * 100 < threshold * total
        if before * 100 < a_share * total:
            segment = "a"
        elif before * 100 < b_share * total:
            segment = "b"
        else:
            segment = "c"
        for customer, customer_cents in ranked[index:group_end]:
            result[customer] = segment
            before += customer_cents
        index = group_end
    return result


def best(*segment_values):
    """The best of several segments (A over B over C; falsy values ignored):
    the segment of a customer ranked in several companies."""
    present = [value for value in segment_values if value]
    return min(present) if present else False
