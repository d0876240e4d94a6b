#!/usr/bin/env python3
"""Benchmark of ``sales_performance`` against Odoo gamification and plain SQL.

    python3 tools/bench.py --size tiny|small|medium|large [--db NAME] [--reuse]
                           [--check] [--data-dir DIR] [--output FILE]

1. creates a throwaway database ``sp_bench_<size>`` (dropped first) with
   sales_performance, crm, sale, account and gamification installed (no demo),
   and fills it with ``tools/datagen.py``;
2. creates monthly targets for every salesperson on the six built-in metrics
   (timed apart: creating targets recomputes them), then measures a full
   recompute of all targets (``_recompute_batch()``, what the scheduled action
   runs): wall time, SQL queries, peak Python memory;
3. Odoo gamification on the same figures: one goal definition per metric it
   can express, one challenge per metric, one goal per salesperson and month;
   ``update_goal()`` timed in its default mode and in batch mode;
4. a plain SQL ``GROUP BY`` per metric (the floor);
5. checks that the three agree for every salesperson x metric x month and
   writes ``bench/results-<size>.txt``, ending with one ``BENCH ...`` line.

``--check`` (the ``bench`` stage of ``tools/run_tests.sh``, on ``--size tiny``)
runs the correctness checks only, without timing and without a results file:
the generated data is what Odoo itself would store, the addon's figures,
gamification (default and batch mode) and the SQL floor agree, and a full
recompute costs as many queries for all the salespeople as for half of them.
It prints one ``CHECK <name>: OK`` or ``CHECK <name>: FAIL ...`` line per
check and a last line ``BENCH size=... checks=N failed=M``.

The exit code is 1 when the computations disagree (or a check failed).
The database is left in place (``--reuse``); ``dropdb`` it when done.
"""

import argparse
import ast
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from datetime import date

import datagen

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = ["sales_performance", "crm", "sale", "account", "gamification"]
TOLERANCE = 0.01

# built-in metric xml id -> gamification definition (None: not expressible)
GAMIFICATION = {
    "metric_won_revenue": {
        "model": "crm.lead",
        "mode": "sum",
        "field": "expected_revenue",
        "date": "date_closed",
        "user": "user_id",
        "domain": "[('type', '=', 'opportunity'), ('won_status', '=', 'won')]",
    },
    "metric_won_count": {
        "model": "crm.lead",
        "mode": "count",
        "field": None,
        "date": "date_closed",
        "user": "user_id",
        "domain": "[('type', '=', 'opportunity'), ('won_status', '=', 'won')]",
    },
    "metric_confirmed_sales": {
        "model": "sale.order",
        "mode": "sum",
        "field": "amount_untaxed",
        "date": "date_order",
        "user": "user_id",
        "domain": "[('state', '=', 'sale')]",
    },
    "metric_invoiced_revenue": {
        "model": "account.move",
        "mode": "sum",
        "field": "amount_untaxed_signed",
        "date": "invoice_date",
        "user": "invoice_user_id",
        "domain": "[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('state', '=', 'posted')]",
    },
    # first confirmed order of a customer (contacts counted with their
    # company): gamification counts or sums records, it cannot express "first"
    "metric_new_customers": None,
    "metric_activities_done": {
        "model": "mail.activity",
        "mode": "count",
        "field": None,
        "date": "date_done",
        "user": "user_id",
        "domain": "[('active', '=', False), ('date_done', '!=', False)]",
    },
}
METRICS = list(GAMIFICATION)


# ----------------------------------------------------------------------
# Targets (this addon)
# ----------------------------------------------------------------------
def create_targets(env, data, activate=True):
    """One monthly target per salesperson x built-in metric x month (the
    create recomputes them once)."""
    Target = env["sales.performance.target"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    metrics = [env.ref(f"sales_performance.{xmlid}") for xmlid in METRICS]
    vals_list = [
        {
            "user_id": uid,
            "team_id": data.team_of_user[uid],
            "company_id": data.company_id,
            "metric_id": metric.id,
            "date_from": date_from,
            "date_to": date_to,
            "target_value": 10.0 if metric.value_type == "number" else 50_000.0,
        }
        for metric in metrics
        for uid in data.user_ids
        for date_from, date_to in data.months
    ]
    targets = Target.create(vals_list)
    if activate:
        targets.write({"state": "active"})
    env.flush_all()
    return targets


def addon_values(env, targets):
    """``{(metric xmlid, user id, month start): achieved}`` as stored."""
    xmlids = {env.ref(f"sales_performance.{x}").id: x for x in METRICS}
    env.flush_all()
    env.cr.execute(
        "SELECT metric_id, user_id, date_from, achieved_value "
        "FROM sales_performance_target WHERE id = ANY(%s)",
        [targets.ids],
    )
    return {
        (xmlids[metric_id], uid, date_from): value or 0.0
        for metric_id, uid, date_from, value in env.cr.fetchall()
    }


# ----------------------------------------------------------------------
# The floor: one plain GROUP BY per metric for all months
# ----------------------------------------------------------------------
FLOOR_SQL = {
    "metric_won_revenue": """
        SELECT user_id, date_trunc('month', date_closed)::date, SUM(expected_revenue)
          FROM crm_lead
         WHERE type = 'opportunity' AND active AND won_status = 'won'
           AND company_id = %(company)s AND user_id = ANY(%(users)s)
           AND date_closed >= %(start)s AND date_closed < %(end)s
         GROUP BY 1, 2""",
    "metric_won_count": """
        SELECT user_id, date_trunc('month', date_closed)::date, COUNT(*)
          FROM crm_lead
         WHERE type = 'opportunity' AND active AND won_status = 'won'
           AND company_id = %(company)s AND user_id = ANY(%(users)s)
           AND date_closed >= %(start)s AND date_closed < %(end)s
         GROUP BY 1, 2""",
    "metric_confirmed_sales": """
        SELECT user_id, date_trunc('month', date_order)::date, SUM(amount_untaxed)
          FROM sale_order
         WHERE state = 'sale' AND company_id = %(company)s AND user_id = ANY(%(users)s)
           AND date_order >= %(start)s AND date_order < %(end)s
         GROUP BY 1, 2""",
    "metric_invoiced_revenue": """
        SELECT invoice_user_id, date_trunc('month', invoice_date)::date,
               SUM(amount_untaxed_signed)
          FROM account_move
         WHERE move_type IN ('out_invoice', 'out_refund') AND state = 'posted'
           AND company_id = %(company)s AND invoice_user_id = ANY(%(users)s)
           AND invoice_date >= %(start)s AND invoice_date < %(end)s
         GROUP BY 1, 2""",
    "metric_new_customers": """
        SELECT user_id, date_trunc('month', day)::date, COUNT(*)
          FROM (SELECT DISTINCT ON (s.company_id, p.commercial_partner_id)
                       s.user_id, s.date_order AS day
                  FROM sale_order s JOIN res_partner p ON p.id = s.partner_id
                 WHERE s.state = 'sale' AND s.company_id = %(company)s
                 ORDER BY s.company_id, p.commercial_partner_id, s.date_order, s.id
               ) f
         WHERE user_id = ANY(%(users)s) AND day >= %(start)s AND day < %(end)s
         GROUP BY 1, 2""",
    "metric_activities_done": """
        SELECT user_id, date_trunc('month', date_done)::date, COUNT(*)
          FROM mail_activity
         WHERE active = FALSE AND date_done IS NOT NULL AND user_id = ANY(%(users)s)
           AND date_done >= %(start)s AND date_done < %(end)s
         GROUP BY 1, 2""",
}


def sql_floor_values(env, data):
    """``{(metric xmlid, user id, month start): value}`` by plain SQL (dates
    in UTC, amounts as stored: the data is in the company currency)."""
    params = {
        "company": data.company_id,
        "users": list(data.user_ids),
        "start": data.date_from,
        "end": datagen._window(data)[1],
    }
    result = {}
    for xmlid in METRICS:
        env.cr.execute(FLOOR_SQL[xmlid], params)
        for uid, month, value in env.cr.fetchall():
            result[(xmlid, uid, month)] = float(value or 0.0)
    return result


# ----------------------------------------------------------------------
# Odoo gamification
# ----------------------------------------------------------------------
def create_gamification(env, data):
    """Definitions, challenges (one per metric, draft so that nothing is
    generated behind our back) and one goal per salesperson x month."""
    Definition = env["gamification.goal.definition"]
    IrModel = env["ir.model"]
    definitions = {}
    goal_vals = []
    for xmlid, spec in GAMIFICATION.items():
        if spec is None:
            continue
        model = IrModel._get(spec["model"])
        fields = env["ir.model.fields"]._get
        definition = Definition.create(
            {
                "name": f"Bench {xmlid}",
                "computation_mode": spec["mode"],
                "model_id": model.id,
                "field_id": spec["field"] and fields(spec["model"], spec["field"]).id,
                "field_date_id": fields(spec["model"], spec["date"]).id,
                # default mode: Odoo's own style, the user in the domain
                "domain": "[('%s', '=', user.id)] + %s"
                % (spec["user"], spec["domain"]),
                "batch_mode": False,
                "batch_distinctive_field": fields(spec["model"], spec["user"]).id,
                "batch_user_expression": "user.id",
                "condition": "higher",
            }
        )
        challenge = env["gamification.challenge"].create(
            {
                "name": f"Bench {xmlid}",
                "state": "draft",
                "period": "monthly",
                "visibility_mode": "personal",
                "report_message_frequency": "never",
                "user_ids": [(6, 0, data.user_ids)],
                "line_ids": [
                    (0, 0, {"definition_id": definition.id, "target_goal": 1.0})
                ],
            }
        )
        definitions[xmlid] = definition
        goal_vals += [
            {
                "definition_id": definition.id,
                "line_id": challenge.line_ids.id,
                "user_id": uid,
                "start_date": date_from,
                "end_date": date_to,
                "target_goal": 1.0,
                "state": "inprogress",
                "current": 0.0,
            }
            for uid in data.user_ids
            for date_from, date_to in data.months
        ]
    goals = env["gamification.goal"].create(goal_vals)
    env.flush_all()
    return definitions, goals


def set_gamification_mode(env, definitions, goals, batch):
    """Switch the definitions to batch mode or back and reset the goals so
    that every run recomputes and writes everything."""
    for xmlid, definition in definitions.items():
        spec = GAMIFICATION[xmlid]
        domain = (
            spec["domain"]
            if batch  # batch mode literal_eval()s the domain: no `user` in it
            else "[('%s', '=', user.id)] + %s" % (spec["user"], spec["domain"])
        )
        definition.write({"batch_mode": batch, "domain": domain})
    env.flush_all()
    env.cr.execute(
        "UPDATE gamification_goal SET current = 0, state = 'inprogress', "
        "closed = FALSE "
        "WHERE id = ANY(%s)",
        [goals.ids],
    )
    env.invalidate_all()


def gamification_values(env, definitions, goals):
    xmlid_of = {d.id: x for x, d in definitions.items()}
    env.flush_all()
    env.cr.execute(
        "SELECT definition_id, user_id, start_date, current FROM gamification_goal "
        "WHERE id = ANY(%s)",
        [goals.ids],
    )
    return {
        (xmlid_of[d], uid, start): value or 0.0
        for d, uid, start, value in env.cr.fetchall()
    }


def gamification_like_values(env, data):
    """What gamification's default mode computes (its per-goal domain, date
    clauses and aggregate), for databases without the gamification module
    (the addon's test database)."""
    result = {}
    for xmlid, spec in GAMIFICATION.items():
        if spec is None:
            continue
        Model = env[spec["model"]]
        for uid in data.user_ids:
            for date_from, date_to in data.months:
                domain = [(spec["user"], "=", uid)] + eval_domain(spec["domain"])
                domain += [
                    (spec["date"], ">=", date_from),
                    (spec["date"], "<=", date_to),
                ]
                if spec["mode"] == "sum":
                    value = Model._read_group(domain, [], [f"{spec['field']}:sum"])[0][
                        0
                    ]
                else:
                    value = Model.search_count(domain)
                result[(xmlid, uid, date_from)] = value or 0.0
    return result


def eval_domain(text):
    return list(ast.literal_eval(text))


# ----------------------------------------------------------------------
# Incentive statements (when the incentives capability is installed)
# ----------------------------------------------------------------------
def create_incentive_plans(env, data, user_ids):
    """An active monthly plan for ``user_ids`` (assigned one by one): a
    commission on confirmed sales by attainment bands (the targets give the
    attainment), a bonus on invoiced revenue and a SPIFF on won
    opportunities."""
    if "sales.performance.incentive.plan" not in env:
        return None
    ref = env.ref
    metric = {x: ref(f"sales_performance.{x}") for x in METRICS}
    plan = env["sales.performance.incentive.plan"].create(
        {
            "name": f"Bench plan ({len(user_ids)} salespeople)",
            "company_id": data.company_id,
            "period_type": "month",
            "date_from": data.date_from,
            "date_to": data.date_to,
            "assignment_ids": [(0, 0, {"user_id": uid}) for uid in user_ids],
            "rule_ids": [
                (0, 0, {
                    "name": "Commission on confirmed sales",
                    "kind": "commission",
                    "metric_id": metric["metric_confirmed_sales"].id,
                    "basis": "attainment",
                    "mode": "marginal",
                    "tier_ids": [
                        (0, 0, {"lower": 0.0, "upper": 100.0, "rate": 2.0}),
                        (0, 0, {"lower": 100.0, "upper": 0.0, "rate": 4.0}),
                    ],
                }),
                (0, 0, {
                    "name": "Bonus on invoiced revenue",
                    "kind": "bonus",
                    "metric_id": metric["metric_invoiced_revenue"].id,
                    "basis": "attainment",
                    "tier_ids": [(0, 0, {"lower": 100.0, "amount": 500.0})],
                }),
                (0, 0, {
                    "name": "SPIFF per won opportunity",
                    "kind": "spiff",
                    "metric_id": metric["metric_won_count"].id,
                    "amount": 25.0,
                }),
            ],
        }
    )  # fmt: skip
    plan.action_activate()
    env.flush_all()
    return plan


def measure_statements(env, plan, data):
    """Statement generation of the last month for every assignee of
    ``plan``: (seconds, queries, statements). Each generation runs in a
    transaction of its own, as it does in Odoo (a transaction's first write
    reads the database clock once)."""
    date_from, date_to = data.months[-1]
    result = {}
    env.cr.commit()

    def generate():
        result["statements"] = plan.generate_statements(date_from, date_to)

    seconds, queries, _peak = measure(env, generate)
    return seconds, queries, result["statements"]


# ----------------------------------------------------------------------
# Comparison
# ----------------------------------------------------------------------
def compare(data, reference, other, metrics=None, tolerance=TOLERANCE):
    """Differences ``[(key, reference, other)]`` over every salesperson x
    metric x month (a missing key is 0)."""
    metrics = metrics or METRICS
    diffs = []
    for xmlid in metrics:
        for uid in data.user_ids:
            for date_from, _date_to in data.months:
                key = (xmlid, uid, date_from)
                ref, val = reference.get(key, 0.0), other.get(key, 0.0)
                if abs(ref - val) > tolerance:
                    diffs.append((key, ref, val))
    return diffs


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------
def measure(env, func, memory=False):
    """Wall time and number of SQL queries of ``func()`` (cache emptied
    first, pending writes flushed inside); peak Python memory with
    ``memory=True`` (tracemalloc slows Python down: measure it apart)."""
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    count = cr.sql_log_count
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    peak = None
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, cr.sql_log_count - count, peak


def machine():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        mem_kb = 0
    ram = mem_kb / 1024 / 1024
    return f"{os.cpu_count()} CPU ({cpu}), {ram:.1f} GiB RAM, {platform.platform()}"


# ----------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------
def addons_path():
    import odoo

    import odoo.addons

    link_dir = os.path.join(REPO_DIR, ".odoo", "addons")
    os.makedirs(link_dir, exist_ok=True)
    link = os.path.join(link_dir, "sales_performance")
    if os.path.islink(link) or os.path.exists(link):
        os.remove(link)
    os.symlink(REPO_DIR, link)
    paths = []
    candidates = list(odoo.addons.__path__)
    candidates += [os.path.join(os.path.dirname(p), "addons") for p in odoo.__path__]
    for path in candidates:
        real = os.path.realpath(path)
        if (
            real in paths
            or real == os.path.realpath(REPO_DIR)
            or not os.path.isdir(real)
        ):
            continue
        if any(
            os.path.isfile(os.path.join(real, name, "__manifest__.py"))
            for name in os.listdir(real)
        ):
            paths.append(real)
    return ",".join(paths + [link_dir])


def db_args():
    args = []
    for var, opt in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(var):
            args.append(f"{opt}={os.environ[var]}")
    return args


# extra Odoo options of every run (--data-dir)
ODOO_ARGS = []


def run_odoo(db, path, *args):
    """Run Odoo once on ``db`` (``-i``/``-u`` ...), without a server."""
    cmd = [
        sys.executable, "-m", "odoo", "-d", db, f"--addons-path={path}",
        *args, "--stop-after-init", "--no-http", "--log-level=warn", *db_args(),
        *ODOO_ARGS,
    ]  # fmt: skip
    subprocess.run(cmd, check=True)


def create_database(db, path):
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    run_odoo(db, path, "-i", ",".join(MODULES))


def upgrade_addon(db, path):
    """Bring a reused database to this checkout's version of the addon."""
    run_odoo(db, path, "-u", "sales_performance")


def log(lines, text=""):
    print(text, flush=True)
    lines.append(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(datagen.SIZES))
    parser.add_argument("--db", help="database name (default sp_bench_<size>)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database of a previous run (data and targets kept)",
    )
    parser.add_argument(
        "--output", help="results file (default bench/results-<size>.txt)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="correctness checks only: no timing, no results file",
    )
    parser.add_argument("--data-dir", help="Odoo --data-dir (filestore)")
    args = parser.parse_args(argv)
    db = args.db or f"sp_bench_{args.size}"
    output = args.output or os.path.join(REPO_DIR, "bench", f"results-{args.size}.txt")

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if args.data_dir:
        ODOO_ARGS.append(f"--data-dir={args.data_dir}")
    path = addons_path()
    options = [f"--addons-path={path}", "-d", db, "--log-level=warn"]
    options += ["--http-interface=127.0.0.1", *db_args(), *ODOO_ARGS]
    config.parse_config(options)
    lines = []
    mode = "correctness checks" if args.check else "benchmark"
    log(lines, f"sales_performance {mode}, size {args.size}, database {db}")
    log(lines, f"machine: {machine()}")
    log(lines, f"odoo {odoo.release.version}, python {platform.python_version()}")

    reuse = args.reuse and _db_exists(db)
    if not reuse:
        start = time.perf_counter()
        create_database(db, path)
        log(lines, f"database created in {time.perf_counter() - start:.1f}s")
    else:
        upgrade_addon(db, path)
    registry = Registry(db)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        cr.execute("SHOW server_version")
        log(lines, f"postgresql {cr.fetchone()[0]}")
        if reuse:
            data = _dataset_from_db(env, args.size)
            log(lines, "reusing the data and targets of the previous run")
        else:
            start = time.perf_counter()
            data = datagen.generate(env, args.size)
            cr.commit()
            # what autovacuum does on a live database (visibility map, hint bits)
            subprocess.run(["psql", "-q", "-d", db, "-c", "VACUUM ANALYZE"], check=True)
            log(
                lines,
                f"data generated in {time.perf_counter() - start:.1f}s: {data.counts}",
            )
        log(
            lines,
            f"{len(data.user_ids)} salespeople in {len(data.team_ids)} teams, "
            f"{len(data.months)} months {data.date_from} .. {data.date_to}",
        )

        if args.check:
            return run_checks(env, data, args.size, reuse)

        # -- this addon ------------------------------------------------------
        Target = env["sales.performance.target"]
        if reuse:
            targets = Target.search([("user_id", "in", data.user_ids)])
        else:
            start = time.perf_counter()
            targets = create_targets(env, data)
            cr.commit()
            log(
                lines,
                f"created {len(targets)} targets in {time.perf_counter() - start:.1f}s "
                "(create recomputes them)",
            )
        # best time of 3 runs; queries of the last one (the first run after a
        # commit also refills the registry caches)
        runs = [measure(env, targets._recompute_batch) for _i in range(3)]
        addon_s, addon_queries = min(r[0] for r in runs), runs[-1][1]
        _t, _q, addon_peak = measure(env, targets._recompute_batch, memory=True)
        half = targets.filtered(lambda t: t.user_id.id in data.user_ids[::2])
        runs = [measure(env, half._recompute_batch) for _i in range(2)]
        half_s, half_queries = min(r[0] for r in runs), runs[-1][1]
        full_s, full_queries, _p = measure(env, targets.action_recompute)
        cr.commit()
        addon = addon_values(env, targets)
        log(lines)
        log(
            lines,
            f"addon full recompute (_recompute_batch, the scheduled action): "
            f"{addon_s:.3f}s, {addon_queries} queries, peak Python memory "
            f"{addon_peak / 1024 / 1024:.1f} MiB, {len(targets)} targets",
        )
        log(
            lines,
            f"  same for half the salespeople ({len(half)} targets): "
            f"{half_s:.3f}s, {half_queries} queries",
        )
        log(
            lines,
            f"  action_recompute (also the previous period, for the achievability "
            f"check): {full_s:.3f}s, {full_queries} queries",
        )

        # -- the floor -------------------------------------------------------
        floor = {}
        sql_runs = []
        for _i in range(3):
            sql_runs.append(
                measure(env, lambda: floor.update(sql_floor_values(env, data)))
            )
        sql_s, sql_queries = min(r[0] for r in sql_runs), sql_runs[-1][1]
        log(lines, f"plain SQL GROUP BY (floor): {sql_s:.3f}s, {sql_queries} queries")

        # -- gamification ----------------------------------------------------
        start = time.perf_counter()
        definitions, goals = create_gamification(env, data)
        cr.commit()
        log(
            lines,
            f"gamification: {len(definitions)} definitions, {len(goals)} goals "
            f"created in {time.perf_counter() - start:.1f}s",
        )
        set_gamification_mode(env, definitions, goals, batch=False)
        cr.commit()
        gami_default_s, gami_default_q, _p = measure(env, goals.update_goal)
        gami_default = gamification_values(env, definitions, goals)
        cr.commit()
        log(
            lines,
            f"gamification update_goal, default mode: {gami_default_s:.3f}s, "
            f"{gami_default_q} queries",
        )
        set_gamification_mode(env, definitions, goals, batch=True)
        cr.commit()
        gami_batch_s, gami_batch_q, _p = measure(env, goals.update_goal)
        gami_batch = gamification_values(env, definitions, goals)
        cr.commit()
        log(
            lines,
            f"gamification update_goal, batch mode:   {gami_batch_s:.3f}s, "
            f"{gami_batch_q} queries",
        )

        # -- incentive statements ---------------------------------------------
        plan = create_incentive_plans(env, data, data.user_ids)
        if plan:
            half_plan = create_incentive_plans(env, data, data.user_ids[::2])
            # a first generation fills Odoo's caches (translations, parsed
            # domains): warm them with two salespeople, so that the counts
            # below compare like with like
            warm_plan = create_incentive_plans(env, data, data.user_ids[:2])
            measure_statements(env, warm_plan, data)
            cr.commit()
            stmt_s, stmt_q, statements = measure_statements(env, plan, data)
            again_s, again_q, _st = measure_statements(env, plan, data)
            half_stmt_s, half_stmt_q, half_st = measure_statements(env, half_plan, data)
            _t, half_again_q, _st = measure_statements(env, half_plan, data)
            cr.commit()
            log(
                lines,
                f"incentive statements of {data.months[-1][0]:%Y-%m} "
                f"(3 rules: commission, bonus, SPIFF): {len(statements)} generated "
                f"in {stmt_s:.3f}s, {stmt_q} queries; recomputed again in "
                f"{again_s:.3f}s, {again_q} queries",
            )
            log(
                lines,
                f"  same for half the salespeople ({len(half_st)}): "
                f"{half_stmt_s:.3f}s, {half_stmt_q} queries; again "
                f"{half_again_q} queries",
            )
        else:
            log(
                lines,
                "incentive statements: not measured (no incentives in this "
                "version of the addon)",
            )

        # -- agreement -------------------------------------------------------
        gami_metrics = [x for x, spec in GAMIFICATION.items() if spec]
        checks = [
            ("addon vs SQL", compare(data, floor, addon)),
            (
                "gamification default vs SQL",
                compare(data, floor, gami_default, gami_metrics),
            ),
            (
                "gamification batch vs SQL",
                compare(data, floor, gami_batch, gami_metrics),
            ),
        ]
        log(lines)
        cells = len(data.user_ids) * len(data.months)
        log(
            lines,
            f"agreement over {cells} salesperson x month cells, "
            f"{len(METRICS)} metrics ({len(gami_metrics)} for gamification: "
            f"'new customers' is not expressible there):",
        )
        agree = True
        for label, diffs in checks:
            log(
                lines,
                f"  {label}: {'OK' if not diffs else f'{len(diffs)} differences'}",
            )
            for key, ref, val in diffs[:5]:
                log(lines, f"    {key}: {ref} != {val}")
            agree = agree and not diffs
        nonzero = sum(1 for v in floor.values() if v)
        log(lines, f"  ({nonzero} non-zero figures in the floor)")

        log(lines)
        log(
            lines,
            f"ratios: addon / SQL floor = {addon_s / sql_s:.2f}x; "
            f"gamification default / addon = {gami_default_s / addon_s:.1f}x; "
            f"gamification batch / addon = {gami_batch_s / addon_s:.1f}x",
        )
        log(lines, f"date: {date.today()}")
        log(
            lines,
            f"BENCH size={args.size} targets={len(targets)} addon_s={addon_s:.3f} "
            f"addon_queries={addon_queries} sql_s={sql_s:.3f} "
            f"gami_default_s={gami_default_s:.3f} gami_batch_s={gami_batch_s:.3f} "
            f"agree={'yes' if agree else 'no'}",
        )
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0 if agree else 1


# ----------------------------------------------------------------------
# Correctness checks only (--check)
# ----------------------------------------------------------------------
def data_problems(env, data):
    """What the generated records hold that Odoo itself would not."""
    problems = []

    def expect(condition, text):
        if not condition:
            problems.append(text)

    def close(a, b):
        return abs((a or 0.0) - (b or 0.0)) < 0.005

    size = data.size
    orders = env["sale.order"].search([("user_id", "in", data.user_ids)])
    expect(len(orders) == size.orders, f"{len(orders)} orders, {size.orders} made")
    for order in orders[:20]:
        name = f"order {order.name}"
        expect(order.state == "sale", f"{name}: state {order.state}")
        expect(
            close(order.amount_untaxed, sum(order.order_line.mapped("price_subtotal"))),
            f"{name}: untaxed amount is not the sum of its lines",
        )
        expect(
            close(order.amount_total, order.amount_untaxed + order.amount_tax),
            f"{name}: total is not untaxed + tax",
        )
        expect(
            order.currency_id == order.company_id.currency_id,
            f"{name}: not in the company currency",
        )
    moves = env["account.move"].search([("invoice_user_id", "in", data.user_ids)])
    expect(len(moves) == size.invoices, f"{len(moves)} invoices, {size.invoices} made")
    for move in moves[:20]:
        name = f"invoice {move.name}"
        expect(move.state == "posted", f"{name}: state {move.state}")
        expect(
            move.move_type in ("out_invoice", "out_refund"),
            f"{name}: type {move.move_type}",
        )
        expect(close(sum(move.line_ids.mapped("balance")), 0.0), f"{name}: unbalanced")
        sign = 1 if move.move_type == "out_invoice" else -1
        expect(
            close(move.amount_untaxed_signed, sign * move.amount_untaxed),
            f"{name}: signed untaxed amount has the wrong sign",
        )
    leads = (
        env["crm.lead"]
        .with_context(active_test=False)
        .search([("user_id", "in", data.user_ids)])
    )
    expect(
        len(leads) == size.opportunities,
        f"{len(leads)} opportunities, {size.opportunities} made",
    )
    for lead in leads:
        name = f"opportunity {lead.id} ({lead.won_status})"
        if lead.won_status == "won":
            expect(lead.active and lead.stage_id.is_won, f"{name}: not in a won stage")
            expect(lead.probability == 100, f"{name}: probability {lead.probability}")
        elif lead.won_status == "lost":
            expect(not lead.active, f"{name}: still active")
            expect(lead.probability == 0, f"{name}: probability {lead.probability}")
        else:
            expect(lead.active, f"{name}: archived")
            expect(not lead.stage_id.is_won, f"{name}: in a won stage")
    for user in env["res.users"].browse(data.user_ids):
        expect(
            user.crm_team_ids.ids == [data.team_of_user[user.id]],
            f"{user.login}: teams {user.crm_team_ids.ids}",
        )
    return problems


def _diff_problems(diffs):
    if not diffs:
        return []
    return [f"{len(diffs)} differences (key: SQL != other)"] + [
        f"{key}: {ref} != {val}" for key, ref, val in diffs[:5]
    ]


def run_checks(env, data, size_name, reuse=False):
    """The checks of ``--check``; returns the exit code (1: a check failed)."""
    checks = []  # [(name, problems)]
    checks.append(("data-consistent", data_problems(env, data)))

    Target = env["sales.performance.target"]
    targets = Target.search([("user_id", "in", data.user_ids)]) if reuse else Target
    # the targets are rolled back at the end: a reused database has none
    targets = targets or create_targets(env, data)
    targets._recompute_batch()
    addon = addon_values(env, targets)
    floor = sql_floor_values(env, data)
    empty = [
        f"no figure for {xmlid}: the agreement would prove nothing"
        for xmlid in METRICS
        if not any(v for (m, _u, _d), v in floor.items() if m == xmlid)
    ]
    checks.append(("floor-has-data", empty))
    checks.append(("addon-vs-sql", _diff_problems(compare(data, floor, addon))))

    gami_metrics = [x for x, spec in GAMIFICATION.items() if spec]
    if "gamification.goal" in env:
        definitions, goals = create_gamification(env, data)
        for batch, label in ((False, "default"), (True, "batch")):
            set_gamification_mode(env, definitions, goals, batch=batch)
            goals.update_goal()
            gamification = gamification_values(env, definitions, goals)
            diffs = compare(data, floor, gamification, gami_metrics)
            checks.append((f"gamification-{label}-vs-sql", _diff_problems(diffs)))
    else:
        # what gamification's default mode computes (its domains, date clauses
        # and aggregates), when the database lacks the module
        gamification = gamification_like_values(env, data)
        diffs = compare(data, floor, gamification, gami_metrics)
        checks.append(("gamification-like-vs-sql", _diff_problems(diffs)))

    # a full recompute costs the same number of queries for all the
    # salespeople as for half of them
    half = targets.filtered(lambda t: t.user_id.id in data.user_ids[::2])
    _t, full_queries, _p = measure(env, targets._recompute_batch)
    _t, half_queries, _p = measure(env, half._recompute_batch)
    checks.append(
        (
            "queries-independent-of-salespeople",
            []
            if full_queries == half_queries
            else [
                f"{full_queries} queries for {len(targets)} targets, "
                f"{half_queries} for {len(half)}"
            ],
        )
    )
    env.cr.rollback()  # leave the database as generated (for --reuse)

    failed = 0
    print()
    cells = len(data.user_ids) * len(data.months)
    print(f"{cells} salesperson x month cells, {len(METRICS)} metrics")
    for name, problems in checks:
        if problems:
            failed += 1
            print(f"CHECK {name}: FAIL {problems[0]}")
            for problem in problems[1:20]:
                print(f"    {problem}")
        else:
            print(f"CHECK {name}: OK")
    print(f"BENCH size={size_name} checks={len(checks)} failed={failed}", flush=True)
    return 1 if failed else 0


def _db_exists(db):
    from odoo.service import db as db_service

    return db_service.exp_db_exist(db)


def _dataset_from_db(env, size_name):
    """The Dataset of a previous run (``--reuse``)."""
    size = datagen.SIZES[size_name]
    users = env["res.users"].search(
        [("login", "=like", "bench.sales.%")], order="login"
    )
    team_of_user = {
        m.user_id.id: m.crm_team_id.id
        for m in env["crm.team.member"].search([("user_id", "in", users.ids)])
    }
    env.cr.execute(
        "SELECT MIN(date_from) FROM sales_performance_target WHERE user_id = ANY(%s)",
        [users.ids],
    )
    first = env.cr.fetchone()[0]
    months = datagen.month_periods(
        size.months, first and _month_after(first, size.months)
    )
    return datagen.Dataset(
        size=size,
        company_id=users[:1].company_id.id or env.company.id,
        user_ids=users.ids,
        team_ids=sorted(set(team_of_user.values())),
        team_of_user=team_of_user,
        months=months,
    )


def _month_after(first, months):
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


if __name__ == "__main__":
    sys.exit(main())
