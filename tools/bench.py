#!/usr/bin/env python3
"""Benchmark of ``sales_performance`` against Odoo gamification and plain SQL.

    python3 tools/bench.py --size tiny|small|medium|large [--db NAME] [--reuse]
                           [--check] [--data-dir DIR] [--output FILE]

1. creates a throwaway database ``sp_bench_<size>`` (dropped first) with
   sales_performance, crm, sale, account and gamification installed (no demo),
   and fills it with ``tools/datagen.py``;
2. creates monthly targets for every salesperson and every sales team on the
   seven built-in metrics (timed apart: creating targets recomputes them),
   then measures a full recompute of all targets (``_recompute_batch()``, what
   the scheduled action runs): wall time, SQL queries, peak Python memory;
3. Odoo gamification: one goal definition per metric it can express, one
   challenge per metric, one goal per salesperson and month; ``update_goal()``
   timed in its default mode and in batch mode;
4. a plain SQL ``GROUP BY`` per metric computing the same credited figures as
   the addon (the floor, written apart from the addon's SQL): each credit split
   line's user gets its percent of the document (100 % to the document's
   salesperson without lines), and a share counts for the team its user was a
   member of on the document's day (the team history; the document's team when
   the user was in none);
5. checks that the addon and the floor agree for every salesperson x metric x
   month and every team x metric x month, and that gamification agrees with a
   plain SQL ``GROUP BY`` without crediting (each document 100 % to its
   salesperson: gamification cannot split credit nor follow a team history),
   and writes ``bench/results-<size>.txt``, ending with one ``BENCH ...`` line.

6. the cockpit (``sales.performance.cockpit.get_cockpit_data``) of the last
   month, as the administrator, for every sales team and for half of them:
   best wall time of three runs and SQL queries (``cockpit_s``,
   ``cockpit_queries``, ``cockpit_half_s``, ``cockpit_half_queries`` in the
   ``BENCH`` line: the query count does not depend on the salespeople). The
   generated opportunities get one tracked stage change each (what Odoo
   records when a stage changes) so that the funnel has history to read.

``--check`` (the ``bench`` stage of ``tools/run_tests.sh``, on ``--size tiny``)
runs the correctness checks only, without timing and without a results file:
the generated data is what Odoo itself would store (credit splits,
collections and team history included), the addon's figures (salespeople and
teams) and the SQL floor agree, gamification (default and batch mode) agrees
with SQL without crediting and so does the addon once the credit splits are
removed, a full recompute costs as many queries for all the salespeople as
for half of them, the cockpit's figures per salesperson (attainment, won and
lost, win rate, sales cycle, activities done, pipeline, stale opportunities),
its revenue and its funnel agree with plain SQL written apart, and the
cockpit costs as many queries for all the teams as for half of them.
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
from collections import defaultdict
from datetime import date, timedelta

import bench_dimensions
import bench_freshness
import bench_statements
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
    "metric_collected_revenue": {
        "model": "sales.performance.collection",
        "mode": "sum",
        "field": "amount",
        "date": "date",
        "user": "user_id",
        "domain": "[]",
    },
}
METRICS = list(GAMIFICATION)
# gamification counts each record 100 % for its salesperson: it is compared
# with the SQL GROUP BY without crediting
GAMIFICATION_METRICS = [x for x, spec in GAMIFICATION.items() if spec]


# ----------------------------------------------------------------------
# Targets (this addon)
# ----------------------------------------------------------------------
def create_targets(env, data, activate=True):
    """One monthly target per salesperson x built-in metric x month and one
    per sales team x built-in metric x month (the create recomputes them
    once)."""
    Target = env["sales.performance.target"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    metrics = [env.ref(f"sales_performance.{xmlid}") for xmlid in METRICS]
    assignees = [(uid, data.team_of_user[uid], 1) for uid in data.user_ids]
    assignees += [(False, tid, data.size.team_size) for tid in data.team_ids]
    vals_list = [
        {
            "user_id": uid,
            "team_id": tid,
            "company_id": data.company_id,
            "metric_id": metric.id,
            "date_from": date_from,
            "date_to": date_to,
            "target_value": (10.0 if metric.value_type == "number" else 50_000.0)
            * people,
        }
        for metric in metrics
        for uid, tid, people in assignees
        for date_from, date_to in data.months
    ]
    targets = Target.create(vals_list)
    if activate:
        targets.write({"state": "active"})
    env.flush_all()
    return targets


def bench_targets(env, data):
    """The targets of a previous run: the salespeople's and the teams', on
    the compared metrics (not those the features' own figures add, e.g. by
    product category)."""
    metrics = [env.ref(f"sales_performance.{x}").id for x in METRICS]
    return env["sales.performance.target"].search(
        [
            ("metric_id", "in", metrics),
            "|",
            ("user_id", "in", data.user_ids),
            "&",
            ("user_id", "=", False),
            ("team_id", "in", data.team_ids),
        ]
    )


def addon_values(env, targets):
    """``({(metric xmlid, user id, month start): achieved}, {(metric xmlid,
    team id, month start): achieved})`` as stored: the salespeople's targets,
    the teams' targets."""
    xmlids = {env.ref(f"sales_performance.{x}").id: x for x in METRICS}
    env.flush_all()
    env.cr.execute(
        "SELECT metric_id, user_id, team_id, date_from, achieved_value "
        "FROM sales_performance_target WHERE id = ANY(%s)",
        [targets.ids],
    )
    by_user, by_team = {}, {}
    for metric_id, uid, tid, date_from, value in env.cr.fetchall():
        if uid:
            by_user[(xmlids[metric_id], uid, date_from)] = value or 0.0
        else:
            by_team[(xmlids[metric_id], tid, date_from)] = value or 0.0
    return by_user, by_team


# ----------------------------------------------------------------------
# The floor: one plain GROUP BY per metric for all months, with crediting
# ----------------------------------------------------------------------
# The records of each metric in the history: the document whose credit split
# applies (split_model, split_id), its salesperson and team, its day (in UTC:
# the bench salespeople work in UTC) and its value.
FLOOR_SOURCES = {
    "metric_won_revenue": """
        SELECT 'crm.lead' AS split_model, id AS split_id, user_id, team_id,
               date_closed::date AS day, expected_revenue AS value
          FROM crm_lead
         WHERE type = 'opportunity' AND active AND won_status = 'won'
           AND company_id = %(company)s
           AND date_closed >= %(start)s AND date_closed < %(end)s""",
    "metric_won_count": """
        SELECT 'crm.lead' AS split_model, id AS split_id, user_id, team_id,
               date_closed::date AS day, 1 AS value
          FROM crm_lead
         WHERE type = 'opportunity' AND active AND won_status = 'won'
           AND company_id = %(company)s
           AND date_closed >= %(start)s AND date_closed < %(end)s""",
    "metric_confirmed_sales": """
        SELECT 'sale.order' AS split_model, id AS split_id, user_id, team_id,
               date_order::date AS day, amount_untaxed AS value
          FROM sale_order
         WHERE state = 'sale' AND company_id = %(company)s
           AND date_order >= %(start)s AND date_order < %(end)s""",
    "metric_invoiced_revenue": """
        SELECT 'account.move' AS split_model, id AS split_id,
               invoice_user_id AS user_id, team_id, invoice_date AS day,
               amount_untaxed_signed AS value
          FROM account_move
         WHERE move_type IN ('out_invoice', 'out_refund') AND state = 'posted'
           AND company_id = %(company)s
           AND invoice_date >= %(start)s AND invoice_date < %(end)s""",
    # a collection is credited like its invoice, on the day of the collection
    "metric_collected_revenue": """
        SELECT 'account.move' AS split_model, invoice_id AS split_id, user_id,
               team_id, date AS day, amount AS value
          FROM sales_performance_collection
         WHERE company_id = %(company)s AND date >= %(start)s AND date < %(end)s""",
    # the first confirmed order of each customer (contacts counted with their
    # company), credited like that order
    "metric_new_customers": """
        SELECT 'sale.order' AS split_model, id AS split_id, user_id, team_id,
               day::date AS day, 1 AS value
          FROM (SELECT DISTINCT ON (s.company_id, p.commercial_partner_id)
                       s.id, s.user_id, s.team_id, s.date_order AS day
                  FROM sale_order s JOIN res_partner p ON p.id = s.partner_id
                 WHERE s.state = 'sale' AND s.company_id = %(company)s
                 ORDER BY s.company_id, p.commercial_partner_id, s.date_order, s.id
               ) f
         WHERE day >= %(start)s AND day < %(end)s""",
    # no split, no team field: the team of the user on the day
    "metric_activities_done": """
        SELECT NULL AS split_model, NULL::int AS split_id, user_id,
               NULL::int AS team_id, date_done AS day, 1 AS value
          FROM mail_activity
         WHERE active = FALSE AND date_done IS NOT NULL
           AND date_done >= %(start)s AND date_done < %(end)s""",
}

# The team of each salesperson on each day of the history: of the memberships
# covering the day, the one started last (then the lowest team id).
FLOOR_TEAM_DAYS = """
    CREATE TEMP TABLE bench_team_day AS
    SELECT DISTINCT ON (m.user_id, d.day) m.user_id, d.day::date AS day, m.team_id
      FROM sales_performance_team_membership m
     CROSS JOIN LATERAL generate_series(
               GREATEST(m.date_from, %(start)s::date),
               LEAST(m.date_to, %(end)s::date - 1), interval '1 day') AS d(day)
     WHERE m.company_id = %(company)s AND m.role = 'member'
     ORDER BY m.user_id, d.day, m.date_from DESC NULLS LAST, m.team_id"""

# Each split line's user gets its percent of the record, the document's
# salesperson 100 % without lines; the share counts for the team of its user
# on the record's day, else for the record's team.
FLOOR_CREDITED = """
    SELECT COALESCE(s.user_id, r.user_id), COALESCE(td.team_id, r.team_id),
           date_trunc('month', r.day)::date,
           SUM(r.value * COALESCE(s.percent, 100) / 100)
      FROM (%s) r
      LEFT JOIN sales_performance_credit_split s
             ON s.res_model = r.split_model AND s.res_id = r.split_id
      LEFT JOIN bench_team_day td
             ON td.user_id = COALESCE(s.user_id, r.user_id) AND td.day = r.day
     WHERE COALESCE(s.user_id, r.user_id) = ANY(%%(users)s)
     GROUP BY 1, 2, 3"""

# Without crediting (each record 100 % to its salesperson, what gamification
# computes): the records of each metric grouped by their salesperson
FLOOR_UNCREDITED = """
    SELECT user_id, date_trunc('month', day)::date, SUM(value)
      FROM (%s) r
     WHERE user_id = ANY(%%(users)s)
     GROUP BY 1, 2"""
CREDITED_SQL = {x: FLOOR_CREDITED % source for x, source in FLOOR_SOURCES.items()}
UNCREDITED_SQL = {x: FLOOR_UNCREDITED % source for x, source in FLOOR_SOURCES.items()}


def _floor_params(data):
    return {
        "company": data.company_id,
        "users": list(data.user_ids),
        "start": data.date_from,
        "end": datagen._window(data)[1],
    }


def sql_floor_values(env, data):
    """The credited figures by plain SQL (dates in UTC, amounts as stored:
    the data is in the company currency): ``({(metric xmlid, user id, month
    start): value}, {(metric xmlid, team id, month start): value})``."""
    params = _floor_params(data)
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS bench_team_day")
    cr.execute(FLOOR_TEAM_DAYS, params)
    cr.execute("ANALYZE bench_team_day")
    by_user, by_team = defaultdict(float), defaultdict(float)
    for xmlid in METRICS:
        cr.execute(CREDITED_SQL[xmlid], params)
        for uid, tid, month, value in cr.fetchall():
            by_user[(xmlid, uid, month)] += float(value or 0.0)
            if tid:
                by_team[(xmlid, tid, month)] += float(value or 0.0)
    cr.execute("DROP TABLE bench_team_day")
    return dict(by_user), dict(by_team)


def sql_uncredited_values(env, data):
    """``{(metric xmlid, user id, month start): value}`` by plain SQL, each
    record 100 % to its salesperson (what gamification can express)."""
    params = _floor_params(data)
    result = {}
    for xmlid in METRICS:
        env.cr.execute(UNCREDITED_SQL[xmlid], params)
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
# ----------------------------------------------------------------------
# Cockpit
# ----------------------------------------------------------------------
def ensure_stage_tracking(env, data):
    """One tracked stage change per generated opportunity (a message with a
    tracking value of ``crm.lead.stage_id``, as Odoo writes them), from the
    first open stage to the opportunity's stage, five days after its
    creation (or when it was closed, if sooner). Once per database."""
    cr = env.cr
    field = env["ir.model.fields"]._get("crm.lead", "stage_id")
    cr.execute(
        "SELECT 1 FROM mail_tracking_value WHERE field_id = %s LIMIT 1", [field.id]
    )
    if cr.fetchone():
        return
    first = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    cr.execute(
        """
        CREATE TEMP TABLE bench_stage_msg ON COMMIT DROP AS
        SELECT nextval('mail_message_id_seq') AS mid, l.id AS lead_id,
               l.stage_id,
               LEAST(l.create_date + interval '5 days',
                     COALESCE(l.date_closed, 'infinity')) AS at
          FROM crm_lead l
         WHERE l.company_id = %(company)s AND l.type = 'opportunity'
           AND l.stage_id != %(first)s
        """,
        {"company": data.company_id, "first": first.id},
    )
    cr.execute(
        """
        INSERT INTO mail_message (id, model, res_id, message_type, date, body,
               author_id, create_uid, write_uid, create_date, write_date)
        SELECT mid, 'crm.lead', lead_id, 'notification', at, '',
               %(author)s, %(uid)s, %(uid)s, at, at
          FROM bench_stage_msg
        """,
        {"author": env.user.partner_id.id, "uid": env.uid},
    )
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id,
               old_value_integer, new_value_integer, create_uid, write_uid,
               create_date, write_date)
        SELECT %(field)s, mid, %(first)s, stage_id, %(uid)s, %(uid)s, at, at
          FROM bench_stage_msg
        """,
        {"field": field.id, "first": first.id, "uid": env.uid},
    )
    cr.execute("DROP TABLE bench_stage_msg")
    env.invalidate_all()


def _cockpit_env(env, data):
    """The administrator working in the generated company (the superuser if
    the administrator may not)."""
    admin = env.ref("base.user_admin")
    if data.company_id in admin.company_ids.ids:
        env = env(user=admin.id)
    return env["sales.performance.cockpit"].with_company(data.company_id)


def measure_cockpit(env, data, runs=3):
    """The cockpit of the last month for all the teams and for half of them:
    best wall time of ``runs`` runs and the queries of the last one."""
    cockpit = _cockpit_env(env, data)
    period = [str(day) for day in data.months[-1]]
    result = {}
    for key, team_ids in (("", data.team_ids), ("half_", data.team_ids[::2])):
        out = {}

        def call(team_ids=team_ids, out=out):
            out["data"] = cockpit.get_cockpit_data(*period, team_ids=team_ids)

        measures = [measure(env, call) for _i in range(runs)]
        result[f"{key}s"] = min(m[0] for m in measures)
        result[f"{key}queries"] = measures[-1][1]
        result[f"{key}reps"] = len(out["data"]["reps"])
    return result


def cockpit_sql(env, data, date_from, date_to, today, stale_days=14):
    """Per salesperson of the generated teams, what the cockpit shows, in
    plain SQL written apart from the addon's: won, lost, cycle days,
    activities done, weighted pipeline expected in the rest of the period,
    stale opportunities; and the period's invoiced revenue."""
    cr = env.cr
    start, end = date_from, date_to + timedelta(days=1)  # UTC salespeople
    users = list(data.user_ids)
    figures = {uid: defaultdict(float) for uid in users}
    cr.execute(
        """
        SELECT user_id,
               count(*) FILTER (WHERE won_status = 'won'),
               count(*) FILTER (WHERE won_status = 'lost'),
               avg(extract(epoch FROM date_closed - create_date) / 86400)
                   FILTER (WHERE won_status = 'won')
          FROM crm_lead
         WHERE type = 'opportunity' AND user_id = ANY(%s)
           AND date_closed >= %s AND date_closed < %s
         GROUP BY user_id
        """,
        [users, start, end],
    )
    for uid, won, lost, cycle in cr.fetchall():
        figures[uid].update(won=won, lost=lost, cycle=cycle)
    cr.execute(
        """
        SELECT user_id, count(*) FROM mail_activity
         WHERE active IS NOT TRUE AND date_done BETWEEN %s AND %s
           AND user_id = ANY(%s)
         GROUP BY user_id
        """,
        [date_from, date_to, users],
    )
    for uid, count in cr.fetchall():
        figures[uid]["activities"] = count
    cr.execute(
        """
        SELECT user_id, sum(expected_revenue * probability / 100)
          FROM crm_lead
         WHERE type = 'opportunity' AND active AND won_status = 'pending'
           AND user_id = ANY(%s) AND date_deadline BETWEEN %s AND %s
         GROUP BY user_id
        """,
        [users, max(today, date_from), date_to],
    )
    for uid, amount in cr.fetchall():
        figures[uid]["pipeline"] = float(amount or 0)
    cr.execute(
        """
        WITH touched AS (
            SELECT res_id FROM mail_message
             WHERE model = 'crm.lead' AND message_type != 'user_notification'
               AND date >= now() at time zone 'UTC' - make_interval(days => %(n)s)
            UNION
            SELECT res_id FROM mail_activity
             WHERE res_model = 'crm.lead'
               AND (create_date >= now() at time zone 'UTC'
                                   - make_interval(days => %(n)s)
                    OR date_done >= current_date - %(n)s
                    OR date_deadline >= current_date - %(n)s))
        SELECT l.user_id, count(*)
          FROM crm_lead l
         WHERE l.type = 'opportunity' AND l.active AND l.won_status = 'pending'
           AND l.user_id = ANY(%(users)s)
           AND l.create_date < now() at time zone 'UTC' - make_interval(days => %(n)s)
           AND l.id NOT IN (SELECT res_id FROM touched WHERE res_id IS NOT NULL)
         GROUP BY l.user_id
        """,
        {"n": stale_days, "users": users},
    )
    for uid, count in cr.fetchall():
        figures[uid]["stale"] = count
    cr.execute(
        """
        SELECT COALESCE(sum(amount_untaxed_signed), 0) FROM account_move
         WHERE move_type IN ('out_invoice', 'out_refund') AND state = 'posted'
           AND invoice_date BETWEEN %s AND %s AND invoice_user_id = ANY(%s)
        """,
        [date_from, date_to, users],
    )
    revenue = float(cr.fetchone()[0])
    # attainment: per salesperson, the average over the metrics of achieved /
    # target of the active targets inside the period
    cr.execute(
        """
        SELECT user_id, avg(att) FROM (
            SELECT user_id, metric_id,
                   sum(achieved_value) / sum(target_value) * 100 AS att
              FROM sales_performance_target
             WHERE user_id = ANY(%s) AND state IN ('active', 'closed')
               AND date_from >= %s AND date_to <= %s
             GROUP BY user_id, metric_id
            HAVING sum(target_value) > 0) per_metric
         GROUP BY user_id
        """,
        [users, date_from, date_to],
    )
    for uid, attainment in cr.fetchall():
        figures[uid]["attainment"] = float(attainment)
    return figures, revenue


def cockpit_funnel_sql(env, data, date_from, date_to):
    """Opportunities of the generated salespeople entering each stage in the
    period, from the tracking values (and creations in their first stage)."""
    cr = env.cr
    start, end = date_from, date_to + timedelta(days=1)
    field = env["ir.model.fields"]._get("crm.lead", "stage_id")
    cr.execute(
        """
        SELECT stage, count(DISTINCT lead) FROM (
            SELECT v.new_value_integer AS stage, m.res_id AS lead
              FROM mail_tracking_value v
              JOIN mail_message m ON m.id = v.mail_message_id
              JOIN crm_lead l ON l.id = m.res_id
             WHERE m.model = 'crm.lead' AND v.field_id = %(field)s
               AND m.date >= %(start)s AND m.date < %(end)s
               AND l.type = 'opportunity' AND l.user_id = ANY(%(users)s)
            UNION ALL
            SELECT COALESCE((SELECT v.old_value_integer
                               FROM mail_tracking_value v
                               JOIN mail_message m ON m.id = v.mail_message_id
                              WHERE m.model = 'crm.lead' AND m.res_id = l.id
                                AND v.field_id = %(field)s
                              ORDER BY m.date, v.id LIMIT 1), l.stage_id), l.id
              FROM crm_lead l
             WHERE l.type = 'opportunity' AND l.user_id = ANY(%(users)s)
               AND l.create_date >= %(start)s AND l.create_date < %(end)s) e
         GROUP BY stage
        """,
        {"field": field.id, "start": start, "end": end, "users": list(data.user_ids)},
    )
    rows = cr.fetchall()
    won = set(env["crm.stage"].search([("is_won", "=", True)]).ids)
    return {stage: count for stage, count in rows if stage not in won}


def cockpit_problems(env, data):
    """The cockpit's figures against ``cockpit_sql`` for the last month (and
    the pipeline of the next 30 days, the generated open deals being due in
    15), and its funnel against ``cockpit_funnel_sql``."""
    problems = []
    cockpit = _cockpit_env(env, data)
    today = date.today()

    def close(a, b):
        return abs((a or 0.0) - (b or 0.0)) <= 0.05 + 1e-6 * abs(b or 0.0)

    date_from, date_to = data.months[-1]
    result = cockpit.get_cockpit_data(str(date_from), str(date_to), data.team_ids)
    sql, revenue = cockpit_sql(env, data, date_from, date_to, today)
    reps = {rep["user_id"]: rep for rep in result["reps"]}
    if set(reps) != set(data.user_ids):
        problems.append(f"salespeople {sorted(reps)} != {sorted(data.user_ids)}")
    checked = defaultdict(int)
    for uid, expected in sql.items():
        rep = reps.get(uid)
        if not rep:
            continue
        won, lost = int(expected["won"]), int(expected["lost"])
        pairs = {
            "won": (rep["won"], won),
            "lost": (rep["lost"], lost),
            "win_rate": (
                rep["win_rate"],
                round(won / (won + lost) * 100, 1) if won + lost else None,
            ),
            "cycle_days": (
                rep["cycle_days"],
                round(expected["cycle"], 1) if expected.get("cycle") else None,
            ),
            "activities_done": (rep["activities_done"], expected["activities"]),
            "stale_count": (rep["stale_count"], expected["stale"]),
            "attainment": (
                rep["attainment"],
                round(expected["attainment"], 1) if "attainment" in expected else None,
            ),
        }
        for name, (got, want) in pairs.items():
            if want is not None and want != 0:
                checked[name] += 1
            if (got is None) != (want is None) or not close(got, want):
                problems.append(f"user {uid} {name}: cockpit {got} != SQL {want}")
    if not close(result["risk"]["revenue"], round(revenue, 1)):
        problems.append(f"revenue: cockpit {result['risk']['revenue']} != {revenue}")
    funnel = {row["stage_id"]: row["entered"] for row in result["funnel"]}
    funnel_sql = cockpit_funnel_sql(env, data, date_from, date_to)
    if {k: v for k, v in funnel.items() if v} != funnel_sql:
        problems.append(f"funnel entered: cockpit {funnel} != SQL {funnel_sql}")
    # the pipeline: the next 30 days
    last = today + timedelta(days=30)
    result = cockpit.get_cockpit_data(str(today), str(last), data.team_ids)
    sql, _revenue = cockpit_sql(env, data, today, last, today)
    for rep in result["reps"]:
        want = sql[rep["user_id"]]["pipeline"]
        checked["pipeline"] += 1 if want else 0
        if not close(rep["pipeline"], round(want, 1)):
            problems.append(
                f"user {rep['user_id']} pipeline: cockpit {rep['pipeline']} != {want}"
            )
    empty = [
        name
        for name in ("won", "lost", "activities_done", "attainment", "pipeline")
        if not checked[name]
    ]
    if empty:
        problems.append(f"no data to compare for {empty}: the check proves nothing")
    if not funnel_sql:
        problems.append("no funnel entry in the period: the check proves nothing")
    return problems


def compare(data, reference, other, metrics=None, ids=None, tolerance=TOLERANCE):
    """Differences ``[(key, reference, other)]`` over every salesperson (or
    each of ``ids``: the teams) x metric x month (a missing key is 0)."""
    metrics = metrics or METRICS
    ids = data.user_ids if ids is None else ids
    diffs = []
    for xmlid in metrics:
        for uid in ids:
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


def _peer_modules():
    """OCA's commission engine, when installed (bench_statements compares
    with it): ``pip install --no-deps odoo-addon-commission-oca
    odoo-addon-account-commission-oca``."""
    from odoo.modules.module import get_module_path

    module = bench_statements.OCA_MODULE
    return [module] if get_module_path(module, display_warning=False) else []


def create_database(db, path):
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    run_odoo(db, path, "-i", ",".join(MODULES + _peer_modules()))


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
        log(lines, crediting_summary(env, data))

        if args.check:
            return run_checks(env, data, args.size, reuse)

        # -- this addon ------------------------------------------------------
        if reuse:
            targets = bench_targets(env, data)
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
        half = half_targets(targets, data)
        runs = [measure(env, half._recompute_batch) for _i in range(2)]
        half_s, half_queries = min(r[0] for r in runs), runs[-1][1]
        full_s, full_queries, _p = measure(env, targets.action_recompute)
        cr.commit()
        addon, addon_teams = addon_values(env, targets)
        team_targets = targets.filtered(lambda t: not t.user_id)
        log(lines)
        log(
            lines,
            f"addon full recompute (_recompute_batch, the scheduled action): "
            f"{addon_s:.3f}s, {addon_queries} queries, peak Python memory "
            f"{addon_peak / 1024 / 1024:.1f} MiB, {len(targets)} targets "
            f"({len(targets) - len(team_targets)} of salespeople, "
            f"{len(team_targets)} of teams)",
        )
        log(
            lines,
            f"  same for half the salespeople and half the teams "
            f"({len(half)} targets): {half_s:.3f}s, {half_queries} queries",
        )
        log(
            lines,
            f"  action_recompute (also the previous period, for the achievability "
            f"check): {full_s:.3f}s, {full_queries} queries",
        )

        # -- the floor -------------------------------------------------------
        result = {}

        def floor_run():
            result["floor"] = sql_floor_values(env, data)

        def uncredited_run():
            result["uncredited"] = sql_uncredited_values(env, data)

        sql_runs = [measure(env, floor_run) for _i in range(3)]
        sql_s, sql_queries = min(r[0] for r in sql_runs), sql_runs[-1][1]
        floor, floor_teams = result["floor"]
        log(
            lines,
            f"plain SQL GROUP BY with the same crediting (floor: credit splits, "
            f"team history): {sql_s:.3f}s, {sql_queries} queries",
        )
        plain_runs = [measure(env, uncredited_run) for _i in range(3)]
        plain_s, plain_queries = min(r[0] for r in plain_runs), plain_runs[-1][1]
        uncredited = result["uncredited"]
        log(
            lines,
            f"  without crediting (each document 100 % to its salesperson, as "
            f"gamification counts): {plain_s:.3f}s, {plain_queries} queries",
        )

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

        # -- cockpit -----------------------------------------------------------
        ensure_stage_tracking(env, data)
        cr.commit()
        cockpit = measure_cockpit(env, data)
        log(
            lines,
            f"cockpit of {data.months[-1][0]:%Y-%m} (get_cockpit_data, as the "
            f"administrator): {cockpit['reps']} salespeople in "
            f"{len(data.team_ids)} teams in {cockpit['s']:.3f}s, "
            f"{cockpit['queries']} queries; half the teams "
            f"({cockpit['half_reps']} salespeople): {cockpit['half_s']:.3f}s, "
            f"{cockpit['half_queries']} queries",
        )

        # -- the features' own figures (tools/bench_*.py) ---------------------
        extra_fields, extra_checks = {}, []
        for module in (bench_dimensions, bench_freshness, bench_statements):
            fields_, checks_ = module.run(
                env, data, targets, lambda text="": log(lines, text)
            )
            cr.commit()
            extra_fields.update(fields_)
            extra_checks += checks_

        # -- agreement -------------------------------------------------------
        gami_metrics = GAMIFICATION_METRICS
        checks = [
            ("addon vs SQL floor, salespeople", compare(data, floor, addon)),
            (
                "addon vs SQL floor, teams",
                compare(data, floor_teams, addon_teams, ids=data.team_ids),
            ),
            (
                "gamification default vs SQL without crediting",
                compare(data, uncredited, gami_default, gami_metrics),
            ),
            (
                "gamification batch vs SQL without crediting",
                compare(data, uncredited, gami_batch, gami_metrics),
            ),
            *extra_checks,
        ]
        log(lines)
        cells = len(data.user_ids) * len(data.months)
        team_cells = len(data.team_ids) * len(data.months)
        log(
            lines,
            f"agreement over {cells} salesperson x month cells and {team_cells} "
            f"team x month cells, {len(METRICS)} metrics, credited (splits, team "
            f"history); gamification over the salesperson cells, "
            f"{len(gami_metrics)} metrics, without crediting (it counts each "
            f"document 100 % for its salesperson and has no team figures; 'new "
            f"customers' is not expressible there):",
        )
        agree = True
        for label, diffs in checks:
            log(
                lines,
                f"  {label}: {'OK' if not diffs else f'{len(diffs)} differences'}",
            )
            for diff in diffs[:5]:
                if isinstance(diff, tuple) and len(diff) == 3:
                    key, ref, val = diff
                    log(lines, f"    {key}: {ref} != {val}")
                else:
                    log(lines, f"    {diff}")
            agree = agree and not diffs
        nonzero = sum(1 for v in floor.values() if v)
        nonzero_teams = sum(1 for v in floor_teams.values() if v)
        changed = sum(
            1
            for key in set(floor) | set(uncredited)
            if abs(floor.get(key, 0.0) - uncredited.get(key, 0.0)) > TOLERANCE
        )
        log(
            lines,
            f"  ({nonzero} non-zero salesperson figures and {nonzero_teams} "
            f"team figures in the floor; crediting changes {changed} salesperson "
            f"figures)",
        )

        log(lines)
        log(
            lines,
            f"ratios: addon / SQL floor (same credited figures) = "
            f"{addon_s / sql_s:.2f}x (goal: within 3x), {addon_queries} queries "
            f"vs {sql_queries} ({half_queries} for half the salespeople); "
            f"gamification default / addon = {gami_default_s / addon_s:.1f}x; "
            f"gamification batch / addon = {gami_batch_s / addon_s:.1f}x",
        )
        log(lines, f"date: {date.today()}")
        log(
            lines,
            f"BENCH size={args.size} targets={len(targets)} addon_s={addon_s:.3f} "
            f"addon_queries={addon_queries} sql_s={sql_s:.3f} "
            f"gami_default_s={gami_default_s:.3f} gami_batch_s={gami_batch_s:.3f} "
            f"cockpit_s={cockpit['s']:.3f} cockpit_queries={cockpit['queries']} "
            f"cockpit_half_s={cockpit['half_s']:.3f} "
            f"cockpit_half_queries={cockpit['half_queries']} "
            f"cockpit_reps={cockpit['reps']} "
            + "".join(f"{key}={value} " for key, value in extra_fields.items())
            + f"agree={'yes' if agree else 'no'}",
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


def crediting_summary(env, data):
    """One line on what the crediting works on: split documents, collections
    and team moves."""
    cr = env.cr
    parts = []
    for model, (table, _user, _where) in datagen.SPLIT_DOCUMENTS.items():
        cr.execute(split_count_sql(model, data))
        split, total = cr.fetchone()
        parts.append(f"{split} of {total} {table}")
    cr.execute(
        "SELECT COUNT(*) FROM sales_performance_credit_split WHERE company_id = %s",
        [data.company_id],
    )
    split_lines = cr.fetchone()[0]
    cr.execute(
        """
        SELECT COUNT(*), COUNT(DISTINCT c.invoice_id),
               (SELECT COUNT(*) FROM account_move
                 WHERE move_type = 'out_invoice' AND state = 'posted'
                   AND company_id = %(company)s AND invoice_user_id = ANY(%(users)s))
          FROM sales_performance_collection c
         WHERE c.company_id = %(company)s AND c.user_id = ANY(%(users)s)
        """,
        {"company": data.company_id, "users": data.user_ids},
    )
    collections, collected, invoices = cr.fetchone()
    return (
        f"crediting: credit splits on {', '.join(parts)} ({split_lines} lines); "
        f"{collections} collections on {collected} of {invoices} customer "
        f"invoices; {len(data.moves)} of {len(data.user_ids)} salespeople moved "
        f"team in the period"
    )


def split_count_sql(model, data):
    """SQL counting the documents of ``model`` of the bench salespeople with
    a credit split, and all of them."""
    from odoo.tools import SQL

    table, user_column, where = datagen.SPLIT_DOCUMENTS[model]
    return SQL(
        """
        SELECT COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM sales_performance_credit_split s
                    WHERE s.res_model = %(model)s AND s.res_id = d.id)),
               COUNT(*)
          FROM %(table)s d
         WHERE d.company_id = %(company)s AND %(user)s = ANY(%(users)s)
           AND %(where)s""",
        model=model,
        table=SQL.identifier(table),
        company=data.company_id,
        user=SQL.identifier("d", user_column),
        users=data.user_ids,
        where=SQL(where),
    )


def crediting_problems(env, data):
    """What the generated credit splits, collections and team history hold
    that the addon would refuse, or that would leave a crediting rule
    untested."""
    from odoo.exceptions import ValidationError

    problems = []

    def expect(condition, text):
        if not condition:
            problems.append(text)

    cr = env.cr
    params = {
        "company": data.company_id,
        "users": data.user_ids,
        "start": data.date_from,
        "last": data.date_to,
    }
    # -- credit splits: the addon's own validation, then the proportions
    Split = env["sales.performance.credit.split"]
    lines = Split.search([("company_id", "=", data.company_id)])
    try:
        Split._check_documents(lines._documents())
    except ValidationError as error:
        problems.append(f"a credit split the addon refuses: {error}")
    for model in datagen.SPLIT_DOCUMENTS:
        cr.execute(split_count_sql(model, data))
        split, total = cr.fetchone()
        expect(
            _near(split, total, datagen.SPLIT_RATE),
            f"{model}: {split} of {total} documents split "
            f"({datagen.SPLIT_RATE:.0%} wanted)",
        )
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE n NOT IN (2, 3)),
               COUNT(*) FILTER (WHERE total != 100),
               COUNT(*) FILTER (WHERE n = 3),
               COUNT(*) FILTER (WHERE NOT with_owner),
               COUNT(*) FILTER (WHERE bad_owner)
          FROM (SELECT s.res_model, s.res_id, COUNT(*) AS n,
                       SUM(s.percent)::numeric AS total,
                       bool_or(s.user_id = s.document_user_id) AS with_owner,
                       bool_or(s.document_user_id IS DISTINCT FROM
                               CASE s.res_model
                                    WHEN 'crm.lead' THEN l.user_id
                                    WHEN 'sale.order' THEN o.user_id
                                    ELSE m.invoice_user_id END) AS bad_owner
                  FROM sales_performance_credit_split s
                  LEFT JOIN crm_lead l ON s.res_model = 'crm.lead' AND l.id = s.res_id
                  LEFT JOIN sale_order o
                         ON s.res_model = 'sale.order' AND o.id = s.res_id
                  LEFT JOIN account_move m
                         ON s.res_model = 'account.move' AND m.id = s.res_id
                 WHERE s.company_id = %(company)s
                 GROUP BY 1, 2) d
        """,
        params,
    )
    wrong_size, wrong_total, three, without_owner, bad_owner = cr.fetchone()
    expect(not wrong_size, f"{wrong_size} splits without 2 or 3 lines")
    expect(not wrong_total, f"{wrong_total} splits not adding up to exactly 100")
    expect(not bad_owner, f"{bad_owner} splits name another document salesperson")
    expect(three, "no split between 3 salespeople")
    expect(without_owner, "no split leaving out the document's salesperson")
    # -- collections: on posted customer invoices, after them, within the
    # history, never more than the invoice's total
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE m.move_type != 'out_invoice'
                                   OR m.state != 'posted'),
               COUNT(*) FILTER (WHERE c.date < m.invoice_date
                                   OR c.date > %(last)s),
               COUNT(*) FILTER (WHERE c.kind != 'collected' OR c.amount <= 0),
               COUNT(*) FILTER (WHERE c.user_id IS DISTINCT FROM m.invoice_user_id
                                   OR c.team_id IS DISTINCT FROM m.team_id
                                   OR c.company_id != m.company_id
                                   OR c.partner_id != m.commercial_partner_id)
          FROM sales_performance_collection c
          JOIN account_move m ON m.id = c.invoice_id
         WHERE c.company_id = %(company)s
        """,
        params,
    )
    not_invoice, misdated, wrong_kind, wrong_copy = cr.fetchone()
    expect(not not_invoice, f"{not_invoice} collections not on a posted invoice")
    expect(not misdated, f"{misdated} collections before their invoice or after")
    expect(not wrong_kind, f"{wrong_kind} collections not of money collected")
    expect(
        not wrong_copy,
        f"{wrong_copy} collections with another salesperson, team, company or "
        "customer than their invoice",
    )
    cr.execute(
        """
        SELECT COUNT(*) FILTER (WHERE collected > total + 0.005),
               COUNT(*) FILTER (WHERE collected < total - 0.005),
               COUNT(*) FILTER (WHERE n = 2),
               COUNT(*),
               (SELECT COUNT(*) FROM account_move
                 WHERE move_type = 'out_invoice' AND state = 'posted'
                   AND company_id = %(company)s AND invoice_user_id = ANY(%(users)s))
          FROM (SELECT m.id, m.amount_total_signed AS total, COUNT(*) AS n,
                       SUM(c.amount) AS collected
                  FROM sales_performance_collection c
                  JOIN account_move m ON m.id = c.invoice_id
                 WHERE c.company_id = %(company)s
                 GROUP BY 1, 2) i
        """,
        params,
    )
    over, partial, twice, collected, invoices = cr.fetchone()
    expect(not over, f"{over} invoices collected beyond their total")
    expect(partial, "no invoice partly collected")
    expect(twice, "no invoice collected in two parts")
    expect(
        _near(collected, invoices, datagen.COLLECTED_RATE),
        f"{collected} of {invoices} customer invoices collected "
        f"({datagen.COLLECTED_RATE:.0%} wanted)",
    )
    # -- team history: one open membership per salesperson, in their current
    # sales team, since always unless they moved; movers closed their first
    # membership the day before the new one, with documents on both sides
    Membership = env["sales.performance.team.membership"]
    memberships = Membership.search(
        [("user_id", "in", data.user_ids), ("role", "=", "member")]
    )
    try:
        memberships._check_no_overlap()
    except ValidationError as error:
        problems.append(f"a team membership the addon refuses: {error}")
    by_user = memberships.grouped("user_id")
    for user in env["res.users"].browse(data.user_ids):
        mine = by_user.get(user, Membership).sorted(lambda m: m.date_from or date.min)
        spans = [(m.team_id.id, m.date_from or None, m.date_to or None) for m in mine]
        team = data.team_of_user[user.id]
        if user.id in data.moves:
            old, new, last = data.moves[user.id]
            expected = [(old, None, last), (new, last + timedelta(days=1), None)]
        else:
            expected = [(team, None, None)]
        expect(spans == expected, f"{user.login}: memberships {spans}, {expected}")
        expect(
            user.crm_team_ids.ids == [team],
            f"{user.login}: sales teams {user.crm_team_ids.ids}, history ends in "
            f"{team}",
        )
    expect(
        len(data.moves) == max(1, round(datagen.MOVE_RATE * len(data.user_ids))),
        f"{len(data.moves)} salespeople moved team",
    )
    leaders = set(env["crm.team"].browse(data.team_ids).user_id.ids)
    expect(not leaders & set(data.moves), "a team leader moved team")
    for uid, (old, new, last) in data.moves.items():
        cr.execute(
            """
            SELECT COUNT(*) FILTER (WHERE date_order::date <= %(last)s),
                   COUNT(*) FILTER (WHERE date_order::date > %(last)s),
                   COUNT(*) FILTER (WHERE team_id != CASE
                       WHEN date_order::date <= %(last)s THEN %(old)s
                       ELSE %(new)s END)
              FROM sale_order WHERE user_id = %(uid)s
            """,
            {"uid": uid, "last": last, "old": old, "new": new},
        )
        before, after, wrong_team = cr.fetchone()
        expect(
            before and after,
            f"salesperson {uid} moved on {last}: {before} orders before, {after} after",
        )
        expect(
            not wrong_team,
            f"salesperson {uid}: {wrong_team} orders not in the team of their day",
        )
    return problems


def _near(count, total, rate):
    """True when ``count`` of ``total`` drawn at ``rate`` is within 4
    standard deviations of it (tiny data sets draw few)."""
    if not total:
        return False
    sigma = (rate * (1 - rate) / total) ** 0.5
    return abs(count / total - rate) <= 4 * sigma


def half_targets(targets, data):
    """The targets of every other salesperson and every other team."""
    users, teams = set(data.user_ids[::2]), set(data.team_ids[::2])
    return targets.filtered(
        lambda t: t.user_id.id in users if t.user_id else t.team_id.id in teams
    )


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
    checks.append(("crediting-data", crediting_problems(env, data)))

    targets = bench_targets(env, data) if reuse else env["sales.performance.target"]
    # the targets are rolled back at the end: a reused database has none
    targets = targets or create_targets(env, data)
    targets._recompute_batch()
    addon, addon_teams = addon_values(env, targets)
    floor, floor_teams = sql_floor_values(env, data)
    uncredited = sql_uncredited_values(env, data)
    empty = [
        f"no {what} figure for {xmlid}: the agreement would prove nothing"
        for what, figures in (("salesperson", floor), ("team", floor_teams))
        for xmlid in METRICS
        if not any(v for (m, _u, _d), v in figures.items() if m == xmlid)
    ]
    # crediting must matter on every metric of split documents
    empty += [
        f"crediting changes no figure of {xmlid}: the splits would prove nothing"
        for xmlid in METRICS
        if xmlid != "metric_activities_done"
        and not any(
            abs(floor.get(key, 0.0) - uncredited.get(key, 0.0)) > TOLERANCE
            for key in set(floor) | set(uncredited)
            if key[0] == xmlid
        )
    ]
    checks.append(("floor-has-data", empty))
    checks.append(("addon-vs-sql", _diff_problems(compare(data, floor, addon))))
    checks.append(
        (
            "addon-teams-vs-sql",
            _diff_problems(compare(data, floor_teams, addon_teams, ids=data.team_ids)),
        )
    )

    # gamification counts each document 100 % for its salesperson: compared
    # with the SQL GROUP BY without crediting
    gami_metrics = GAMIFICATION_METRICS
    if "gamification.goal" in env:
        definitions, goals = create_gamification(env, data)
        for batch, label in ((False, "default"), (True, "batch")):
            set_gamification_mode(env, definitions, goals, batch=batch)
            goals.update_goal()
            gamification = gamification_values(env, definitions, goals)
            diffs = compare(data, uncredited, gamification, gami_metrics)
            checks.append(
                (f"gamification-{label}-vs-sql-uncredited", _diff_problems(diffs))
            )
    else:
        # what gamification's default mode computes (its domains, date clauses
        # and aggregates), when the database lacks the module
        gamification = gamification_like_values(env, data)
        diffs = compare(data, uncredited, gamification, gami_metrics)
        checks.append(("gamification-like-vs-sql-uncredited", _diff_problems(diffs)))

    # a full recompute costs the same number of queries for all the
    # salespeople as for half of them
    half = half_targets(targets, data)
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

    # the cockpit agrees with plain SQL, and costs the same number of queries
    # for all the teams as for half of them
    ensure_stage_tracking(env, data)
    checks.append(("cockpit-vs-sql", cockpit_problems(env, data)))
    cockpit = measure_cockpit(env, data, runs=2)  # the first run warms caches
    checks.append(
        (
            "cockpit-queries-independent-of-salespeople",
            []
            if cockpit["queries"] == cockpit["half_queries"]
            else [
                f"{cockpit['queries']} queries for {cockpit['reps']} salespeople, "
                f"{cockpit['half_queries']} for {cockpit['half_reps']}"
            ],
        )
    )

    # without the credit splits, the addon counts what gamification counts
    env.flush_all()
    env.cr.execute(
        "DELETE FROM sales_performance_credit_split WHERE company_id = %s",
        [data.company_id],
    )
    env.invalidate_all()
    targets._recompute_batch()
    unsplit, _teams = addon_values(env, targets)
    checks.append(
        (
            "addon-without-splits-vs-sql-uncredited",
            _diff_problems(compare(data, uncredited, unsplit)),
        )
    )
    env.cr.rollback()  # leave the database as generated (for --reuse)

    failed = 0
    print()
    cells = len(data.user_ids) * len(data.months)
    team_cells = len(data.team_ids) * len(data.months)
    print(
        f"{cells} salesperson x month cells, {team_cells} team x month cells, "
        f"{len(METRICS)} metrics"
    )
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
    teams = env["crm.team"].search([("name", "=like", "BENCH Team %")], order="name")
    # the salespeople who moved: their closed membership
    moves = {
        m.user_id.id: (m.team_id.id, team_of_user[m.user_id.id], m.date_to)
        for m in env["sales.performance.team.membership"].search(
            [("user_id", "in", users.ids), ("date_to", "!=", False)]
        )
    }
    return datagen.Dataset(
        size=size,
        company_id=users[:1].company_id.id or env.company.id,
        user_ids=users.ids,
        team_ids=teams.ids,
        team_of_user=team_of_user,
        months=months,
        moves=moves,
    )


def _month_after(first, months):
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


if __name__ == "__main__":
    sys.exit(main())
