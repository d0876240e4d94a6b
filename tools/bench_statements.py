"""Statements in the steady state, for ``make bench`` (tools/bench.py).

A plan of its own for every salesperson: the statements of every month but
the last are generated, confirmed, approved and paid month by month (as a
year of payroll leaves them), then the last month's are timed: the clawback
and release checks look back over that history. The figure is compared with
the same plan's first month (no history), both measured the same way.

``run(env, data, targets, log)`` returns ``(fields, checks)`` (see
tools/bench.py): ``statements_fresh_s``, ``statements_steady_s``,
``statements_steady_queries`` and the same for half the history
(``statements_half_history_queries``: equal counts show that the work does
not grow with the history).
"""

import time


def _pay_month(plan, date_from, date_to):
    statements = plan.generate_statements(date_from, date_to)
    statements.action_confirm()
    statements.action_approve()
    statements.action_pay()
    return statements


def _timed_generation(env, plan, date_from, date_to, measure):
    result = {}
    env.cr.commit()

    def generate():
        result["statements"] = plan.generate_statements(date_from, date_to)

    seconds, queries, _peak = measure(env, generate)
    statements = result["statements"]
    total = sum(statements.mapped("amount_total"))
    env.cr.rollback()
    return seconds, queries, len(statements), total


def run(env, data, targets, log):
    import bench  # the driver (imported lazily: it imports this module)

    if "sales.performance.incentive.plan" not in env or len(data.months) < 3:
        return {}, []
    months = data.months
    plan = bench.create_incentive_plans(env, data, data.user_ids)
    warm = bench.create_incentive_plans(env, data, data.user_ids[:2])
    env.cr.commit()
    # caches warm (translations, parsed domains): a first generation
    _timed_generation(env, warm, *months[0], bench.measure)

    fresh_s, fresh_q, count, _total = _timed_generation(
        env, plan, *months[0], bench.measure
    )
    start = time.perf_counter()
    half = len(months) // 2
    for date_from, date_to in months[:half]:
        _pay_month(plan, date_from, date_to)
        env.cr.commit()
    half_s, half_q, _n, _total = _timed_generation(
        env, plan, *months[-1], bench.measure
    )
    for date_from, date_to in months[half:-1]:
        _pay_month(plan, date_from, date_to)
        env.cr.commit()
    history_s = time.perf_counter() - start
    paid = env["sales.performance.incentive.statement"].search_count(
        [("plan_id", "=", plan.id), ("state", "=", "paid")]
    )
    runs = [
        _timed_generation(env, plan, *months[-1], bench.measure) for _i in range(2)
    ]
    steady_s = min(r[0] for r in runs)
    steady_q = runs[-1][1]
    log(
        f"statements with history: {count} statements of {months[0][0]:%Y-%m} "
        f"(no history) in {fresh_s:.3f}s, {fresh_q} queries; {paid} earlier "
        f"statements generated, approved and paid in {history_s:.1f}s; "
        f"{months[-1][0]:%Y-%m} after {half} paid months: {half_s:.3f}s, "
        f"{half_q} queries; after {len(months) - 1} paid months (steady "
        f"state): {steady_s:.3f}s, {steady_q} queries "
        f"({steady_s / fresh_s:.2f}x the month without history, goal 1.5x)"
    )
    fields = {
        "statements_fresh_s": f"{fresh_s:.3f}",
        "statements_steady_s": f"{steady_s:.3f}",
        "statements_steady_queries": steady_q,
        "statements_half_history_queries": half_q,
    }
    checks = []
    if half_q != steady_q:
        checks.append(
            (
                "statement queries independent of the history",
                [("queries", f"{half_q} after {half} months", steady_q)],
            )
        )
    else:
        checks.append(("statement queries independent of the history", []))
    return fields, checks
