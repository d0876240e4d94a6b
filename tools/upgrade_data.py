"""Data side of ``make upgrade-test`` (tools/upgrade_test.py), run inside
``odoo shell`` of the version being tested (no import of the addon: the same
file runs on the first release and on the current code).

``create``  builds data through the public API of the installed version (as
            the users who do it: the team leader approves, the incentive
            administrator pays) and snapshots it;
``verify``  snapshots the upgraded database and checks what the migration
            scripts must have filled.

A snapshot holds every record of every stored model of the addon with all its
stored fields (many2one as ids, x2many as sorted ids, floats to 6 decimals,
monetary amounts to the cent) and the number of chatter messages of each
record. It is written as JSON to the given path.
"""

import json
import math
from datetime import date, datetime

from odoo import Command

MODULE = "sales_performance"
PREFIX = "upg_"
# changed by any write, not data
VOLATILE = {"write_date", "write_uid", "__last_update"}
SALESMAN = "sales_team.group_sale_salesman"
JAN = (date(2026, 1, 1), date(2026, 1, 31))


# ----------------------------------------------------------------------
# Snapshot
# ----------------------------------------------------------------------
def addon_models(env):
    """Stored, non-transient models declared by the addon (by its xml ids of
    ``ir.model``)."""
    ids = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "=", "ir.model")])
        .mapped("res_id")
    )
    names = env["ir.model"].sudo().browse(ids).mapped("model")
    result = []
    for name in sorted(names):
        model = env.registry.get(name)
        if model is None or model._transient or model._abstract or not model._auto:
            continue
        if model._original_module != MODULE:
            continue  # an _inherit of another module's model
        result.append(name)
    return result


def _value(record, field):
    value = record[field.name]
    if field.type == "many2one":
        return value.id or False
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type in ("date", "datetime"):
        return str(value) if value else False
    if field.type == "monetary":
        currency_field = field.get_currency_field(record)
        currency = record[currency_field] if currency_field else None
        digits = currency.decimal_places if currency else 2
        return round(value or 0.0, digits)
    if field.type == "float":
        if value and not math.isfinite(value):
            return str(value)
        return round(value or 0.0, 6)
    if field.type in ("html", "text", "char") and value:
        return str(value)
    if field.type == "binary":
        return bool(value)
    if field.type == "properties":
        return bool(value)
    return value


def snapshot(env):
    env = env(su=True, context=dict(env.context, active_test=False, lang="en_US"))
    env.invalidate_all()
    models = {}
    for name in addon_models(env):
        Model = env[name]
        fields_ = [
            f
            for f in Model._fields.values()
            if f.store and f.name not in VOLATILE and f.type != "json"
        ]
        records = {}
        for record in Model.search([], order="id"):
            records[str(record.id)] = {f.name: _value(record, f) for f in fields_}
        models[name] = records
    messages = {}
    if models:
        rows = env["mail.message"]._read_group(
            [("model", "in", list(models))], ["model", "res_id"], ["__count"]
        )
        for model, res_id, count in rows:
            messages[f"{model},{res_id}"] = count
    return {"models": models, "messages": messages}


# ----------------------------------------------------------------------
# Data of the first release, through its public API
# ----------------------------------------------------------------------
def _user(env, login, groups, name=None):
    group_ids = [env.ref(xmlid).id for xmlid in groups]
    return (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            {
                "login": PREFIX + login,
                "name": name or ("Upgrade " + login.title()),
                "email": f"{PREFIX}{login}@example.com",
                "tz": "UTC",
                "group_ids": [Command.set(group_ids)],
            }
        )
    )


def create(env):
    company = env.company
    company.resource_calendar_id.tz = "UTC"
    base = ["base.group_user", SALESMAN]
    sp1 = _user(env, "alice", base)
    sp2 = _user(env, "bob", base)
    sp3 = _user(env, "carol", base)
    leader = _user(env, "leader", base)
    admin = _user(
        env,
        "incentive_admin",
        [*base, "sales_performance.group_sales_performance_incentive_admin"],
    )
    hr = _user(env, "hr", ["base.group_user", "hr.group_hr_user"])
    trainer = _user(
        env,
        "trainer",
        [*base, "sales_performance.group_sales_performance_training_manager"],
    )
    team = env["crm.team"].create(
        {
            "name": "Upgrade Team",
            "user_id": leader.id,
            "member_ids": [Command.set((sp1 | sp2 | sp3).ids)],
        }
    )

    # January 2026: alice wins 50,000 + 40,000 (90 % of 100,000),
    # bob 120,000 (120 %), carol 60,000 (no target).
    won = env["crm.stage"].create(
        {"name": "Won (upgrade)", "is_won": True, "sequence": 99}
    )
    customer = env["res.partner"].create(
        {"name": "Upgrade Customer", "is_company": True}
    )
    for user, amount, day in (
        (sp1, 50000, 10),
        (sp1, 40000, 20),
        (sp2, 120000, 15),
        (sp3, 60000, 31),
    ):
        lead = env["crm.lead"].create(
            {
                "name": f"Upgrade deal {user.login} {amount}",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": user.id,
                "team_id": team.id,
                "expected_revenue": amount,
                "stage_id": won.id,
                "probability": 100,
            }
        )
        lead.date_closed = datetime(2026, 1, day, 12)

    metric_won = env.ref("sales_performance.metric_won_revenue")
    Target = env["sales.performance.target"]
    targets = Target.create(
        [
            {
                "user_id": user.id,
                "metric_id": metric_won.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
                "target_value": 100000,
                "description": "Upgrade target of " + user.name,
            }
            for user in (sp1, sp2)
        ]
    )
    team_target = Target.create(
        {
            "team_id": team.id,
            "metric_id": metric_won.id,
            "date_from": JAN[0],
            "date_to": JAN[1],
            "target_value": 250000,
        }
    )
    (targets | team_target).action_activate()
    (targets | team_target).action_recompute()
    Target.create(
        {
            "user_id": sp3.id,
            "metric_id": metric_won.id,
            "date_from": date(2026, 2, 1),
            "date_to": date(2026, 2, 28),
            "target_value": 30000,
        }
    )  # a draft target

    # Incentives: a monthly plan on attainment, tiers 2 % / 5 % / 8 %.
    plan = env["sales.performance.incentive.plan"].create(
        {
            "name": "Upgrade Plan",
            "company_id": company.id,
            "period_type": "month",
            "date_from": date(2026, 1, 1),
            "date_to": date(2026, 12, 31),
            "rule_ids": [
                Command.create(
                    {
                        "name": "Commission on won revenue",
                        "kind": "commission",
                        "metric_id": metric_won.id,
                        "basis": "attainment",
                        "mode": "flat",
                        "tier_ids": [
                            Command.create({"lower": lo, "upper": up, "rate": rate})
                            for lo, up, rate in ((0, 80, 2), (80, 100, 5), (100, 0, 8))
                        ],
                    }
                )
            ],
            "assignment_ids": [
                Command.create({"user_id": u.id}) for u in (sp1, sp2, sp3)
            ],
        }
    )
    plan.action_activate()
    statements = plan.generate_statements(*JAN)
    by_user = {s.user_id: s for s in statements}
    paid, approved = by_user[sp1], by_user[sp2]
    (paid | approved).with_user(leader).action_confirm()
    (paid | approved).with_user(leader).action_approve()
    paid.with_user(admin).action_pay(date(2026, 2, 25), "PAY-UPGRADE-0001")

    # Evaluations: a template of one KPI and two competencies; cycle labels
    # "2026 Q1" (one done, one draft: a running cycle after the upgrade) and
    # "2025 H2" (done: a closed cycle).
    Employee = env["hr.employee"]
    emp_leader = Employee.create({"name": "Upgrade Leader", "user_id": leader.id})
    emp_alice = Employee.create(
        {"name": "Upgrade Alice", "user_id": sp1.id, "parent_id": emp_leader.id}
    )
    emp_bob = Employee.create(
        {"name": "Upgrade Bob", "user_id": sp2.id, "parent_id": emp_leader.id}
    )
    comp_a = env.ref("sales_performance.evaluation_competency_product_knowledge")
    comp_b = env.ref("sales_performance.evaluation_competency_teamwork")
    template = env["sales.performance.evaluation.template"].create(
        {
            "name": "Upgrade Template",
            "line_ids": [
                Command.create(
                    {"kind": "kpi", "metric_id": metric_won.id, "weight": 50}
                ),
                Command.create(
                    {"kind": "competency", "competency_id": comp_a.id, "weight": 25}
                ),
                Command.create(
                    {"kind": "competency", "competency_id": comp_b.id, "weight": 25}
                ),
            ],
        }
    )
    Evaluation = env["sales.performance.evaluation"]
    done = Evaluation.create(
        {
            "employee_id": emp_alice.id,
            "date_from": JAN[0],
            "date_to": JAN[1],
            "template_id": template.id,
            "cycle": "2026 Q1",
        }
    )
    Evaluation.create(
        {
            "employee_id": emp_bob.id,
            "date_from": JAN[0],
            "date_to": JAN[1],
            "template_id": template.id,
            "cycle": "2026 Q1 ",
        }
    )
    _complete(done, leader, sp1, [(comp_a, 5, 4), (comp_b, 4, 3)])
    # 2025 H2: a target there too, so that the KPI has one
    old_target = Target.create(
        {
            "user_id": sp2.id,
            "metric_id": metric_won.id,
            "date_from": date(2025, 7, 1),
            "date_to": date(2025, 12, 31),
            "target_value": 200000,
        }
    )
    old_target.action_activate()
    h2 = Evaluation.create(
        {
            "employee_id": emp_bob.id,
            "date_from": date(2025, 7, 1),
            "date_to": date(2025, 12, 31),
            "template_id": template.id,
            "cycle": "2025 H2",
        }
    )
    _complete(h2, leader, sp2, [(comp_a, 3, 3), (comp_b, 4, 5)])

    # Training: a passed record (certificate), a registration to a session.
    course = env["sales.performance.training.course"].create(
        {
            "name": "Upgrade Consultative Selling",
            "duration_hours": 8.0,
            "validity_months": 12,
            "cost_per_participant": 300.0,
            "company_id": company.id,
        }
    )
    session = env["sales.performance.training.session"].create(
        {
            "course_id": course.id,
            "date_start": datetime(2026, 3, 2, 9),
            "date_end": datetime(2026, 3, 2, 17),
            "capacity": 5,
            "company_id": company.id,
        }
    )
    Record = env["sales.performance.training.record"].with_user(trainer)
    Record.create(
        {
            "employee_id": emp_alice.id,
            "course_id": course.id,
            "status": "passed",
            "date_completed": date(2026, 1, 15),
            "hours": 8.0,
            "score": 92.5,
        }
    )
    Record.create(
        {"employee_id": emp_bob.id, "course_id": course.id, "session_id": session.id}
    )
    del hr  # a user of the HR role; nothing to do for them in 1.0.0
    return {
        "team_id": team.id,
        "member_user_ids": (sp1 | sp2 | sp3).ids,
        "paid_statement_id": paid.id,
        "approved_statement_id": approved.id,
    }


def _complete(evaluation, manager, employee, ratings):
    """Self-assessment by the employee, ratings and done by the manager."""
    evaluation.with_user(manager).action_start_self_assessment()
    lines = evaluation.sudo().line_ids
    by_competency = {line.competency_id: line for line in lines if line.competency_id}
    evaluation.with_user(employee).write(
        {
            "self_comment": "A good period",
            "line_ids": [
                Command.update(by_competency[comp].id, {"self_rating": self_rating})
                for comp, self_rating, _manager in ratings
            ],
        }
    )
    evaluation.with_user(employee).action_submit_self_assessment()
    for comp, _self, manager_rating in ratings:
        by_competency[comp].with_user(manager).write({"manager_rating": manager_rating})
    evaluation.with_user(manager).write({"manager_comment": "Solid"})
    evaluation.with_user(manager).action_done()


# ----------------------------------------------------------------------
# What the migration scripts must have filled
# ----------------------------------------------------------------------
def migration_checks(env, before):
    """(what, ok, detail) of each value the migrations must have filled."""
    env = env(su=True, context=dict(env.context, active_test=False))
    checks = []
    old = before["models"]
    info = before.get("info", {})
    # 19.0.1.4.0: the free-text cycle label became a cycle record
    Evaluation = env["sales.performance.evaluation"]
    for id_, row in old.get("sales.performance.evaluation", {}).items():
        label = (row.get("cycle") or "").strip()
        if not label:
            continue
        evaluation = Evaluation.browse(int(id_))
        cycle = evaluation.cycle_id
        checks.append(
            (
                f"evaluation {id_} cycle",
                cycle.name == label and cycle.company_id.id == row["company_id"],
                f"label {label!r} -> cycle {cycle.name!r}",
            )
        )
    Cycle = env["sales.performance.evaluation.cycle"]
    for cycle in Cycle.search([]):
        live = cycle.evaluation_ids.filtered(lambda e: e.state != "cancel")
        all_done = bool(live) and all(e.state == "done" for e in live)
        wanted = "closed" if all_done else "running"
        checks.append(
            (
                f"cycle {cycle.name!r} state",
                cycle.state == wanted,
                f"{cycle.state} (wanted {wanted})",
            )
        )
    # 19.0.1.4.0: passed training records got their resume line
    Record = env["sales.performance.training.record"]
    for id_, row in old.get("sales.performance.training.record", {}).items():
        if row.get("status") != "passed":
            continue
        record = Record.browse(int(id_))
        line = record.resume_line_id
        checks.append(
            (
                f"training record {id_} resume line",
                bool(line)
                and line.employee_id.id == row["employee_id"]
                and line.name == record.course_id.name,
                f"resume line {line.id or 'missing'}",
            )
        )
    # 19.0.1.2.0: team history of the members
    if info.get("team_id"):
        memberships = env["sales.performance.team.membership"].search(
            [("team_id", "=", info["team_id"]), ("date_to", "=", False)]
        )
        missing = set(info["member_user_ids"]) - set(memberships.user_id.ids)
        checks.append(
            (
                "team memberships",
                not missing,
                f"members without history: {sorted(missing)}",
            )
        )
    # every upgraded record passes the current constraints
    for name in before["models"]:
        if name not in env:
            continue
        records = env[name].browse([int(i) for i in old[name]]).exists()
        try:
            records._validate_fields(list(records._fields))
            ok, detail = True, ""
        except Exception as error:  # noqa: BLE001 - reported, not raised
            ok, detail = False, f"{type(error).__name__}: {error}"
        checks.append((f"{name} constraints", ok, detail))
    return checks


def main(env, step, out):
    if step == "create":
        info = create(env)
        env.cr.commit()
        result = snapshot(env)
        result["info"] = info
    elif step == "verify":
        with open(out + ".before") as f:
            before = json.load(f)
        result = snapshot(env)
        result["checks"] = migration_checks(env, before)
        env.cr.rollback()
    else:
        raise ValueError(step)
    with open(out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True, default=str)
