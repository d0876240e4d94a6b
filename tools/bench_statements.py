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

import subprocess
import time
from collections import defaultdict
from datetime import timedelta

# OCA's commission engine (odoo-addon-commission-oca and
# odoo-addon-account-commission-oca, ``pip install --no-deps``): installed in
# the benchmark database by tools/bench.py when Odoo finds it
OCA_MODULE = "account_commission_oca"
RATE = 3.0


def _pay_month(plan, date_from, date_to):
    statements = plan.generate_statements(date_from, date_to)
    statements.action_confirm()
    statements.action_approve()
    statements.action_pay()
    return statements


def _settle(env):
    """Commit, then what autovacuum does on a live database (dead rows
    reclaimed, statistics): the statements are measured on settled tables,
    not while the maintenance of the stages before runs beside them or on
    statistics that still describe empty tables (a year of statements
    written in seconds; a live database gets them over a year)."""
    env.cr.commit()
    subprocess.run(
        ["psql", "-q", "-d", env.cr.dbname, "-c", "VACUUM ANALYZE"], check=True
    )


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
    _settle(env)
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
    _settle(env)
    paid = env["sales.performance.incentive.statement"].search_count(
        [("plan_id", "=", plan.id), ("state", "=", "paid")]
    )
    runs = [_timed_generation(env, plan, *months[-1], bench.measure) for _i in range(2)]
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
    oca_fields, oca_checks = compare_oca(env, data, log, steady_s)
    fields = {
        **oca_fields,
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
    return fields, checks + oca_checks


def _flat_plan(env, data):
    """This addon's plan with the same flat rule as the OCA commission:
    RATE % of the invoiced revenue of each salesperson."""
    invoiced = env.ref("sales_performance.metric_invoiced_revenue")
    plan = env["sales.performance.incentive.plan"].create(
        {
            "name": "Bench flat commission (as OCA)",
            "company_id": data.company_id,
            "period_type": "month",
            "date_from": data.date_from,
            "date_to": data.date_to,
            "assignment_ids": [(0, 0, {"user_id": uid}) for uid in data.user_ids],
            "rule_ids": [
                (0, 0, {
                    "name": "Commission on invoiced revenue",
                    "kind": "commission",
                    "metric_id": invoiced.id,
                    "basis": "amount",
                    "mode": "flat",
                    "tier_ids": [(0, 0, {"lower": 0.0, "upper": 0.0, "rate": RATE})],
                }),
            ],
        }
    )  # fmt: skip
    plan.action_activate()
    return plan


def compare_oca(env, data, log, steady_s):
    """One month of commissions for every salesperson with OCA's engine
    (agents = the salespeople's partners, one fixed-rate commission, agent
    lines on the month's posted customer invoices and credit notes, the
    settlement from its own wizard) next to this addon's statements with the
    same flat rule; totals compared per salesperson. OCA has no credit
    splits: the month's splits are left out of both (in a transaction rolled
    back at the end, so the data stay as they were)."""
    import bench

    module = env["ir.module.module"].search([("name", "=", OCA_MODULE)])
    if module.state != "installed":
        log(
            "OCA commission engine: not measured (pip install --no-deps "
            "odoo-addon-commission-oca odoo-addon-account-commission-oca, then "
            "make bench without ARGS=--reuse)"
        )
        return {}, []
    cr = env.cr
    cr.commit()
    date_from, date_to = data.months[-1]
    moves = env["account.move"].search(
        [
            ("company_id", "=", data.company_id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<=", date_to),
            ("invoice_user_id", "in", data.user_ids),
        ]
    )
    split_table = env["sales.performance.credit.split"]._table
    cr.execute(
        f"DELETE FROM {split_table} WHERE res_model = 'account.move' "  # noqa: S608
        "AND res_id = ANY(%s)",
        [moves.ids],
    )
    env.invalidate_all()
    commission = env["commission"].create(
        {
            "name": f"Bench {RATE} %",
            "commission_type": "fixed",
            "fix_qty": RATE,
            "amount_base_type": "gross_amount",
            "invoice_state": "open",
            "settlement_type": "sale_invoice",
        }
    )
    users = env["res.users"].browse(data.user_ids)
    agents = users.partner_id
    agents.write(
        {"agent": True, "commission_id": commission.id, "settlement": "monthly"}
    )
    agent_of = {user.id: user.partner_id.id for user in users}
    lines = moves.invoice_line_ids.filtered(lambda line: line.display_type == "product")
    start = time.perf_counter()
    env["account.invoice.line.agent"].create(
        [
            {
                "object_id": line.id,
                "agent_id": agent_of[line.move_id.invoice_user_id.id],
                "commission_id": commission.id,
            }
            for line in lines
        ]
    )
    env.flush_all()
    log(
        f"OCA commission engine: {len(lines)} agent lines on {len(moves)} "
        f"invoices and credit notes of {date_from:%Y-%m} created in "
        f"{time.perf_counter() - start:.1f}s (not timed below)"
    )
    plan = _flat_plan(env, data)
    env.flush_all()
    result = {}

    def ours():
        result["statements"] = plan.generate_statements(date_from, date_to)

    ours_s, ours_q, _p = bench.measure(env, ours)

    def settle():
        wizard = env["commission.make.settle"].create(
            {
                "date_to": date_to + timedelta(days=1),
                "settlement_type": "sale_invoice",
                "agent_ids": [(6, 0, agents.ids)],
            }
        )
        wizard.action_settle()

    oca_s, oca_q, _p = bench.measure(env, settle)
    settled = defaultdict(float)
    for settlement in env["commission.settlement"].search(
        [("agent_id", "in", agents.ids)]
    ):
        settled[settlement.agent_id.id] += settlement.total
    lines_of = defaultdict(int)
    for line in lines:
        lines_of[line.move_id.invoice_user_id.id] += 1
    diffs = []
    for statement in result["statements"]:
        user = statement.user_id
        theirs = settled.get(agent_of[user.id], 0.0)
        # OCA rounds each line, this addon the total: a cent per line at most
        if abs(theirs - statement.amount_total) > 0.01 * (lines_of[user.id] + 1):
            diffs.append((user.login, theirs, statement.amount_total))
    log(
        f"  OCA settlement wizard (commission.make.settle, monthly, "
        f"{len(agents)} agents): {oca_s:.3f}s, {oca_q} queries; this addon's "
        f"statements with the same flat rule: {ours_s:.3f}s, {ours_q} queries; "
        f"steady-state statements (3 rules, a year of history) "
        f"{oca_s / steady_s:.1f}x faster than OCA's settlement"
    )
    cr.rollback()
    env.invalidate_all()
    return (
        {
            "oca_settle_s": f"{oca_s:.3f}",
            "oca_queries": oca_q,
            "statements_flat_s": f"{ours_s:.3f}",
            "statements_flat_queries": ours_q,
        },
        [("this addon vs OCA commissions, per salesperson", diffs)],
    )
