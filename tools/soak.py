#!/usr/bin/env python3
"""Soak test of ``sales_performance``: concurrent JSON-RPC clients on Odoo run
the way production runs it, then invariants on what they left.

    python3 tools/soak.py [--size small] [--duration 120] [--clients 20]
                          [--think 0.5] [--kill] [--replica] [--db NAME]
                          [--data-dir DIR]

1. a database ``sp_soak_<size>`` (dropped first) with the benchmark's modules
   and data (``tools/bench.py``, ``tools/datagen.py``), monthly targets of the
   salespeople and teams for the generated months and the current one, an
   incentive plan with the statements of the first month generated, confirmed
   and half of them approved, users with passwords (the salespeople, their
   team leaders, a sales manager and an accountant), the target recompute
   scheduled every minute (the addon's other scheduled actions are moved out
   of the run so that they do not race the manager by design);
2. Odoo as a server on 127.0.0.1 and a free port, ``--workers=2
   --max-cron-threads=1``, log at info level;
3. ``--clients`` client threads for ``--duration`` seconds, each a logged-in
   web session calling ``/web/dataset/call_kw`` as the web client does (reads
   marked ``@api.readonly`` go to the replica with ``--replica``), with a
   random think time of 0 to 2x ``--think`` seconds between actions:
   salespeople read My Targets, their statements, the leaderboard and the
   cockpit; team leaders revise their members' targets with a reason, approve
   proposals (when the addon has ``action_approve_proposal``) and read their
   team; order clients confirm new sales orders as a salesperson, and as the
   accountant invoice them, post the invoices and register their payments; the
   manager generates, confirms and approves statements, and hashes the lines
   of each statement it approves (read on the primary over ``/jsonrpc``).
   A request that fails on a concurrency error (what Odoo's own retries did
   not absorb) is retried by the client, up to 3 times, and counted;
4. ``--kill``: SIGKILL of the Odoo worker generating statements and of the
   cron worker recomputing targets, each caught mid-way (a lock held by the
   soak makes the worker wait after its first writes, seen in
   ``pg_stat_activity``); checks that nothing half-written was committed, that
   the master restarts the workers and that the next run completes the work;
5. invariants: the approved statements' lines hash as at approval; no
   duplicate statement (plan, salesperson, period) nor target; every revision
   is in the target's chatter and its value stayed; every confirmed order,
   posted invoice and registered payment is in the database; after a final
   recompute (what the scheduled action runs) every target's achieved value
   equals the benchmark's SQL floor (``bench.sql_floor_values``, written apart
   from the addon), for salespeople and teams, every month;
6. ``--replica``: a streaming replica of the local PostgreSQL
   (``pg_basebackup -R``) as a second cluster on a free port, run by the
   ``postgres`` OS user, Odoo started with ``--db_replica_host``; the requests
   served on the replica's read-only cursor are counted from Odoo's request
   log (cursor mode ``ro``). The replication entry added to ``pg_hba.conf``
   (and the reload) is undone, and the replica removed, at the end.

The last line is ``SOAK clients=<n> seconds=<s> requests=<r> errors=<e>
retries=<t> p50_ms=<x> p95_ms=<y> lost=<l> duplicates=<d>`` (with
``replica_reads=<n>`` under ``--replica``); the exit code is 1 when errors,
lost or duplicates are not 0 (or a check could not run). The database is left
in place for inspection; ``dropdb`` it when done.
"""

import argparse
import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from datetime import date, timedelta

import datagen

import bench

PASSWORD = "soak-Password-1"  # the soak database's users only
CONTEXT = {"lang": "en_US", "tz": "UTC"}
CLIENT_RETRIES = 3
CONCURRENCY_ERRORS = (
    "SerializationFailure",
    "LockNotAvailable",
    "DeadlockDetected",
    "ConcurrencyError",
    "could not serialize access",
)
# the addon's scheduled actions other than the recompute: moved after the run
RECOMPUTE_CRON = "sales_performance.ir_cron_recompute_targets"
PG_BIN = "/usr/lib/postgresql/15/bin"
HBA_LINE = "host replication all 127.0.0.1/32 trust  # sales_performance soak"


def say(text=""):
    print(text, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100.0 * len(ordered) + 0.5) - 1))
    return ordered[k]


# ----------------------------------------------------------------------
# Client side
# ----------------------------------------------------------------------
class Stats:
    """Latencies, errors and retries of every request, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.by_label = defaultdict(list)
        self.errors = []  # (label, message)
        self.retries = 0
        self.skipped = set()

    def reset(self):
        """Forget the requests of the logins and the preparation."""
        with self.lock:
            self.latencies = []
            self.by_label = defaultdict(list)

    def record(self, label, ms):
        with self.lock:
            self.latencies.append(ms)
            self.by_label[label].append(ms)

    def error(self, label, message):
        with self.lock:
            self.errors.append((label, message))

    def retry(self):
        with self.lock:
            self.retries += 1


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Client:
    """A logged-in web session (``/web/dataset/call_kw``) plus the external
    API (``/jsonrpc``, always on the primary database)."""

    def __init__(self, base, db, login, stats, timeout=180):
        import requests

        self.base, self.db, self.login, self.stats = base, db, login, stats
        self.timeout = timeout
        self.http = requests.Session()
        self.uid = None
        self.request_id = 0

    def _post(self, path, params, label, count=True):
        """One JSON-RPC request, retried on concurrency errors; raises
        RpcError (counted as an error unless ``count`` is False)."""
        for attempt in range(CLIENT_RETRIES + 1):
            self.request_id += 1
            payload = {
                "jsonrpc": "2.0",
                "method": "call",
                "params": params,
                "id": self.request_id,
            }
            start = time.perf_counter()
            try:
                response = self.http.post(
                    self.base + path, json=payload, timeout=self.timeout
                )
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RpcError(f"HTTP {response.status_code}", response.text[:300])
                body = response.json()
            except RpcError as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - connection reset, timeout
                error = RpcError(type(exc).__name__, str(exc)[:300])
            else:
                self.stats.record(label, elapsed)
                if "error" not in body:
                    return body.get("result")
                data = body["error"].get("data") or {}
                error = RpcError(
                    data.get("name") or body["error"].get("message", "error"),
                    (data.get("message") or "")[:500],
                )
            concurrency = any(
                marker in f"{error.name} {error.message}"
                for marker in CONCURRENCY_ERRORS
            )
            if concurrency and attempt < CLIENT_RETRIES:
                self.stats.retry()
                time.sleep(random.uniform(0.1, 0.5 * 2**attempt))
                continue
            if count:
                self.stats.error(label, f"{self.login}: {error}")
            raise error
        raise AssertionError("unreachable")

    def authenticate(self, password=PASSWORD):
        result = self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": password},
            "authenticate",
        )
        self.uid = result["uid"]
        return self.uid

    def call(self, model, method, args=(), label=None, **kwargs):
        kwargs.setdefault("context", dict(CONTEXT))
        return self._post(
            f"/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            label or f"{model}.{method}",
        )

    def export(self, model, ids, fields, label):
        """Rows of ``export_data``: not marked read-only, so read on the
        primary database even with a replica (a hash taken at approval must
        not read a replica that lags behind)."""
        return self.call(model, "export_data", [ids, fields], label=label)["datas"]


class Run:
    """What the clients share: the deadline, the setup's ids, what they did."""

    def __init__(self, args, setup, base, db):
        self.args, self.setup, self.base, self.db = args, setup, base, db
        self.stats = Stats()
        self.deadline = None
        self.lock = threading.Lock()
        self.revisions = []  # (target id, value, reason)
        self.orders = []  # order ids confirmed
        self.invoices = []  # invoice ids posted
        self.payments = []  # invoice ids whose payment was registered
        self.approved = {}  # statement id -> hash at approval
        self.proposals_approved = []
        self.clients = []  # Client objects, for the final hashes
        self.killed = []  # worker pids killed by --kill

    def client(self, login):
        client = Client(self.base, self.db, login, self.stats)
        client.authenticate()
        return client

    def think(self):
        if self.args.think > 0:
            time.sleep(random.uniform(0, 2 * self.args.think))

    def running(self):
        return time.monotonic() < self.deadline

    def note(self, attr, value):
        with self.lock:
            getattr(self, attr).append(value)


def _month():
    today = date.today()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def salesperson_loop(run, client):
    first, last = _month()
    target_spec = {
        "name": {},
        "target_value": {},
        "achieved_value": {},
        "attainment": {},
        "status": {},
        "state": {},
        "metric_id": {"fields": {"display_name": {}}},
    }
    leaderboard_metric = run.setup["metric_ids"]["metric_confirmed_sales"]
    actions = [
        (
            "my targets",
            lambda: client.call(
                "sales.performance.target",
                "web_search_read",
                label="my targets",
                domain=[("user_id", "=", client.uid)],
                specification=target_spec,
                limit=80,
            ),
        ),
        (
            "my statements",
            lambda: client.call(
                "sales.performance.incentive.statement",
                "web_search_read",
                label="my statements",
                domain=[("user_id", "=", client.uid)],
                specification={
                    "name": {},
                    "state": {},
                    "amount_total": {},
                    "date_from": {},
                },
                limit=80,
            ),
        ),
        (
            "leaderboard",
            lambda: client.call(
                "sales.performance.target",
                "web_search_read",
                label="leaderboard",
                domain=[
                    ("assignee_type", "=", "user"),
                    ("metric_id", "=", leaderboard_metric),
                    ("date_from", "=", str(first)),
                ],
                specification=target_spec,
                order="attainment desc, achieved_value desc",
                limit=80,
            ),
        ),
        (
            "cockpit",
            lambda: client.call(
                "sales.performance.cockpit",
                "get_cockpit_data",
                [str(first), str(last)],
                label="cockpit",
            ),
        ),
    ]
    while run.running():
        _label, action = random.choice(actions)
        try:
            action()
        except RpcError:
            pass
        run.think()


def leader_loop(run, leader, client):
    first, last = _month()
    targets = leader["target_ids"]
    proposals = list(leader["proposal_ids"])
    n = 0
    while run.running():
        n += 1
        choice = random.random()
        try:
            if proposals and run.setup["proposals"] and choice < 0.2:
                proposal = proposals.pop()
                client.call(
                    "sales.performance.target",
                    "action_approve_proposal",
                    [[proposal]],
                    label="approve proposal",
                )
                run.note("proposals_approved", proposal)
            elif choice < 0.6:
                target = random.choice(targets)
                value = float(random.randrange(10, 200)) * 1000
                reason = f"soak revision {leader['login']} {n}"
                wizard = client.call(
                    "sales.performance.target.revise",
                    "create",
                    [{"target_id": target, "new_value": value, "reason": reason}],
                    label="revise target",
                )
                client.call(
                    "sales.performance.target.revise",
                    "action_revise",
                    [[wizard]],
                    label="revise target",
                )
                run.note("revisions", (target, value, reason))
            elif choice < 0.8:
                client.call(
                    "sales.performance.target",
                    "web_search_read",
                    label="team targets",
                    domain=[("team_id", "=", leader["team_id"])],
                    specification={"name": {}, "attainment": {}, "status": {}},
                    limit=200,
                )
            else:
                client.call(
                    "sales.performance.cockpit",
                    "get_cockpit_data",
                    [str(first), str(last)],
                    label="cockpit",
                    team_ids=[leader["team_id"]],
                )
        except RpcError:
            pass
        run.think()


def orders_loop(run, index, accountant, sellers):
    setup = run.setup
    rng = random.Random(index)
    while run.running():
        seller = rng.choice(sellers)
        try:
            lines = [
                (
                    0,
                    0,
                    {
                        "product_id": rng.choice(setup["product_ids"]),
                        "product_uom_qty": rng.randint(1, 5),
                    },
                )
                for _i in range(rng.randint(1, 3))
            ]
            order = seller.call(
                "sale.order",
                "create",
                [
                    {
                        "partner_id": rng.choice(setup["partner_ids"]),
                        "user_id": seller.uid,
                        "order_line": lines,
                    }
                ],
                label="order create",
            )
            seller.call(
                "sale.order", "action_confirm", [[order]], label="order confirm"
            )
            run.note("orders", order)
            ctx = dict(
                CONTEXT, active_model="sale.order", active_ids=[order], active_id=order
            )
            wizard = accountant.call(
                "sale.advance.payment.inv",
                "create",
                [{"advance_payment_method": "delivered"}],
                label="invoice create",
                context=ctx,
            )
            action = accountant.call(
                "sale.advance.payment.inv",
                "create_invoices",
                [[wizard]],
                label="invoice create",
                context=ctx,
            )
            invoice_ids = [action["res_id"]]
            accountant.call(
                "account.move", "action_post", [invoice_ids], label="invoice post"
            )
            run.note("invoices", invoice_ids[0])
            ctx = dict(CONTEXT, active_model="account.move", active_ids=invoice_ids)
            register = accountant.call(
                "account.payment.register",
                "create",
                [{}],
                label="payment register",
                context=ctx,
            )
            accountant.call(
                "account.payment.register",
                "action_create_payments",
                [[register]],
                label="payment register",
                context=ctx,
            )
            run.note("payments", invoice_ids[0])
        except RpcError:
            pass
        run.think()


def statement_hash(client, statement_id, line_fields):
    """sha256 of a statement's total and lines (each stored field), read on
    the primary."""
    rows = client.export(
        "sales.performance.incentive.statement",
        [statement_id],
        ["amount_total", "line_ids/.id"] + [f"line_ids/{f}" for f in line_fields],
        "statement hash",
    )
    rows = [rows[0][:1]] + sorted(row[1:] for row in rows)
    blob = json.dumps(rows, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def manager_loop(run, manager):
    setup = run.setup
    plan = setup["plan_id"]
    states = dict(setup["statement_states"])
    periods = setup["periods"]
    n = 0
    while run.running():
        date_from, date_to = periods[n % len(periods)]
        n += 1
        try:
            ids = manager.call(
                "sales.performance.incentive.plan",
                "generate_statements",
                [[plan], date_from, date_to],
                label="generate statements",
            )
            for sid in ids:
                states.setdefault(sid, "draft")
            drafts = [s for s in ids if states[s] == "draft"]
            for sid in drafts[:2]:
                manager.call(
                    "sales.performance.incentive.statement",
                    "action_confirm",
                    [[sid]],
                    label="confirm statement",
                )
                states[sid] = "confirmed"
            confirmed = [s for s in ids if states[s] == "confirmed"]
            for sid in confirmed[:1]:
                manager.call(
                    "sales.performance.incentive.statement",
                    "action_approve",
                    [[sid]],
                    label="approve statement",
                )
                states[sid] = "approved"
                run.approved[sid] = statement_hash(manager, sid, setup["line_fields"])
        except RpcError:
            pass
        run.think()


def run_clients(run, seconds):
    """Start the client threads, stop them after ``seconds``."""
    setup, args = run.setup, run.args
    manager = run.client(setup["manager"])
    run.manager = manager
    fields_info = manager.call(
        "sales.performance.incentive.statement.line",
        "fields_get",
        label="fields_get",
        attributes=["store", "type"],
    )
    skip = {"id", "create_date", "create_uid", "write_date", "write_uid", "state"}
    setup["line_fields"] = sorted(
        name
        for name, info in fields_info.items()
        if info.get("store")
        and name not in skip
        and info["type"] not in ("one2many", "many2many", "binary", "html")
    )
    # the statements approved before the run
    for sid in setup["approved_before"]:
        run.approved[sid] = statement_hash(manager, sid, setup["line_fields"])
    n = args.clients
    n_orders = max(1, n // 10)
    n_leaders = min(len(setup["leaders"]), max(1, n // 8))
    n_sales = n - 1 - n_orders - n_leaders
    # every client logs in before the clock starts (a login hashes the
    # password on purpose: slow, and once per session)
    roles = [("manager", manager_loop, (manager,))]
    sellers = setup["seller_logins"]
    for i in range(n_orders):
        mine = sellers[i::n_orders][:5] or sellers[:1]
        roles.append(
            (
                "orders",
                orders_loop,
                (i, run.client(setup["accountant"]), [run.client(x) for x in mine]),
            )
        )
    for leader in setup["leaders"][:n_leaders]:
        roles.append(("leader", leader_loop, (leader, run.client(leader["login"]))))
    logins = setup["sales_logins"]
    for i in range(n_sales):
        roles.append(
            ("salesperson", salesperson_loop, (run.client(logins[i % len(logins)]),))
        )
    say(
        f"clients: 1 manager, {n_orders} order/invoice/payment, {n_leaders} team "
        f"leaders, {n_sales} salespeople; think time 0-{2 * args.think:.1f}s; "
        f"{seconds}s"
    )
    run.stats.reset()
    run.deadline = time.monotonic() + seconds
    threads = []
    crashed = []

    def guard(name, func, fargs):
        try:
            func(run, *fargs)
        except Exception:  # noqa: BLE001 - a client crash is an error
            crashed.append(name)
            run.stats.error(name, traceback.format_exc(limit=3))

    for name, func, fargs in roles:
        thread = threading.Thread(target=guard, args=(name, func, fargs), daemon=True)
        thread.start()
        threads.append(thread)
    start = time.monotonic()
    for thread in threads:
        thread.join(timeout=max(1.0, run.deadline - time.monotonic() + 300))
    return time.monotonic() - start


# ----------------------------------------------------------------------
# Setup (in-process, superuser)
# ----------------------------------------------------------------------
def setup_database(env, size, kill):
    """Data, targets, plan, users and cron of the soak; returns the ids the
    clients need (JSON-friendly)."""
    from odoo import fields

    say("generating data ...")
    data = datagen.generate(env, size)
    env.cr.commit()
    current = _month()
    ext = dataclasses.replace(data, months=[*data.months, current])
    targets = bench.create_targets(env, ext)
    env.cr.commit()
    say(f"{len(targets)} targets over {len(ext.months)} months")

    users = env["res.users"].browse(data.user_ids)
    ref = env.ref
    company = env["res.company"].browse(data.company_id)

    def new_user(login, groups):
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login.replace(".", " ").title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "tz": "UTC",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "group_ids": [(6, 0, [ref(g).id for g in groups])],
                }
            )
        )

    # the manager exports (export_data: the statement hashes read the primary)
    manager = new_user(
        "soak.manager", ["sales_team.group_sale_manager", "base.group_allow_export"]
    )
    accountant = new_user(
        "soak.accountant",
        ["account.group_account_invoice", "sales_team.group_sale_salesman_all_leads"],
    )
    (users | manager | accountant).write({"password": PASSWORD})

    plan = bench.create_incentive_plans(env, ext, data.user_ids)
    if not plan:
        raise SystemExit("the addon has no incentive plans: nothing to soak")
    kill_plan = bench.create_incentive_plans(env, ext, data.user_ids) if kill else None
    first_from, first_to = ext.months[0]
    statements = plan.generate_statements(first_from, first_to)
    statements.action_confirm()
    approved = statements[: len(statements) // 2]
    approved.action_approve()
    env.cr.commit()

    teams = env["crm.team"].browse(data.team_ids)
    month_targets = targets.filtered(lambda t: t.user_id and t.date_from == current[0])
    leaders = []
    for team in teams:
        led = month_targets.filtered(
            lambda t, team=team: t.user_id != team.user_id
            and data.team_of_user.get(t.user_id.id) == team.id
        )
        if led:
            leaders.append(
                {
                    "login": team.user_id.login,
                    "team_id": team.id,
                    "target_ids": led.ids,
                    "proposal_ids": [],
                }
            )

    # proposals (bottom-up targets, when this version of the addon has them)
    Target = env["sales.performance.target"]
    proposals = "proposed" in dict(
        Target._fields["state"]._description_selection(env)
    ) and hasattr(type(Target), "action_approve_proposal")
    proposal_note = "proposals: approved by team leaders during the run"
    if proposals:
        next_from = current[1] + timedelta(days=1)
        next_to = (next_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        metric = ref("sales_performance.metric_won_count")
        try:
            for leader in leaders:
                for user in users.filtered(
                    lambda u, leader=leader: data.team_of_user[u.id]
                    == leader["team_id"]
                    and u.login != leader["login"]
                ):
                    proposal = Target.with_user(user).create(
                        {
                            "user_id": user.id,
                            "metric_id": metric.id,
                            "company_id": company.id,
                            "date_from": next_from,
                            "date_to": next_to,
                            "target_value": 10.0,
                            "state": "proposed",
                        }
                    )
                    leader["proposal_ids"].append(proposal.id)
            env.cr.commit()
        except Exception as exc:  # noqa: BLE001 - a feature of another version
            env.cr.rollback()
            proposals = False
            for leader in leaders:
                leader["proposal_ids"] = []
            proposal_note = f"proposals: skipped, a salesperson cannot propose ({exc})"
    else:
        proposal_note = (
            "proposals: skipped, this version of the addon has no "
            "sales.performance.target.action_approve_proposal"
        )

    # the recompute every minute, due now; the addon's other jobs after the run
    cron = ref(RECOMPUTE_CRON)
    now = fields.Datetime.now()
    cron.write({"interval_number": 1, "interval_type": "minutes", "nextcall": now})
    cron_ids = (
        env["ir.model.data"]
        .search([("module", "=", "sales_performance"), ("model", "=", "ir.cron")])
        .mapped("res_id")
    )
    others = env["ir.cron"].browse(cron_ids) - cron
    others.write({"nextcall": now + timedelta(days=1)})
    env.cr.commit()

    partners = env["res.partner"].search(
        [("is_company", "=", True), ("name", "=like", "BENCH%")], limit=200
    )
    if not partners:
        partners = env["res.partner"].search(
            [("is_company", "=", True), ("id", ">", company.partner_id.id)], limit=200
        )
    products = env["product.product"].search([("name", "=like", "BENCH Product%")])
    metric_ids = {x: ref(f"sales_performance.{x}").id for x in bench.METRICS}
    leader_logins = {leader["login"] for leader in leaders}
    return {
        "data": data,
        "ext": ext,
        "plan_id": plan.id,
        "kill_plan_id": kill_plan.id if kill_plan else None,
        "periods": [(str(a), str(b)) for a, b in ext.months],
        "statement_states": {s.id: s.state for s in statements},
        "approved_before": approved.ids,
        "manager": manager.login,
        "accountant": accountant.login,
        "leaders": leaders,
        "sales_logins": [u.login for u in users if u.login not in leader_logins]
        or users.mapped("login"),
        "seller_logins": users.mapped("login"),
        "partner_ids": partners.ids,
        "product_ids": products.ids,
        "metric_ids": metric_ids,
        "proposals": proposals,
        "proposal_note": proposal_note,
        "cron_id": cron.id,
        "assignees": len(data.user_ids),
    }


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------
class Server:
    def __init__(self, db, path, log_path, extra=()):
        self.db, self.path, self.log_path = db, path, log_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "odoo", "-d", db, f"--db-filter=^{db}$",
            f"--addons-path={path}", "--workers=2", "--max-cron-threads=1",
            "--http-interface=127.0.0.1", f"--http-port={self.port}",
            f"--gevent-port={free_port()}", "--log-level=info",
            f"--logfile={log_path}", *bench.db_args(), *bench.ODOO_ARGS, *extra,
        ]  # fmt: skip
        self.cmd = cmd
        env = dict(os.environ)
        env.pop("PGAPPNAME", None)  # the workers' pids are read from it
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(log_path + ".stderr", "w"),  # noqa: SIM115
            start_new_session=True,
        )

    def wait_ready(self, timeout=300):
        import requests

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"Odoo exited with {self.proc.returncode} at start, see "
                    f"{self.log_path}"
                )
            try:
                if (
                    requests.get(self.base + "/web/health", timeout=5).status_code
                    == 200
                ):
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit(f"Odoo did not answer on {self.base} in {timeout}s")

    def workers(self):
        import psutil

        try:
            return [p.pid for p in psutil.Process(self.proc.pid).children()]
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def server_log_figures(text):
    """From Odoo's log: the retries Odoo did itself, the cron runs, the
    scheduled recompute's failures, the requests served on the replica."""
    retries = len(re.findall(r"tries left, try again in", text))
    cron_name = "Sales Performance: recompute active targets"
    runs = re.findall(rf"Job '{re.escape(cron_name)}' \(\d+\) ([a-z ]+) \(#loop", text)
    failures = []
    for match in re.finditer(
        rf"Job '{re.escape(cron_name)}' \(\d+\) server action #\d+ failed *\n"
        r"(.*?)(?=\n\d{4}-\d\d-\d\d )",
        text,
        re.S,
    ):
        failures.append(match.group(1))
    concurrency_failures = sum(
        1 for f in failures if any(m in f for m in CONCURRENCY_ERRORS)
    )
    call_lines = [
        line
        for line in text.splitlines()
        if "werkzeug" in line and '"POST /web/dataset/call_' in line
    ]
    ro = sum(1 for line in call_lines if line.rstrip().endswith(" ro"))
    ro_rw = sum(1 for line in call_lines if line.rstrip().endswith(" ro->rw"))
    errors = [
        line
        for line in text.splitlines()
        if re.match(r"\S+ \S+ \d+ (ERROR|CRITICAL) ", line)
    ]
    return {
        "retries": retries,
        "cron_runs": len(runs),
        "cron_done": sum(1 for r in runs if r.endswith("done")),
        "cron_failures": len(failures),
        "cron_concurrency_failures": concurrency_failures,
        "replica_ro": ro,
        "replica_ro_rw": ro_rw,
        "error_lines": errors,
    }


# ----------------------------------------------------------------------
# Faults (--kill)
# ----------------------------------------------------------------------
def _backend_waiting(db, pattern, timeout):
    """``(backend pid, client port)`` of a backend of ``db`` waiting on a lock
    while running a query matching ``pattern`` (None after ``timeout`` s)."""
    import psycopg2

    end = time.monotonic() + timeout
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            while time.monotonic() < end:
                cr.execute(
                    "SELECT pid, client_port FROM pg_stat_activity "
                    "WHERE datname = %s AND wait_event_type = 'Lock' AND query ~* %s",
                    [db, pattern],
                )
                row = cr.fetchone()
                if row:
                    return row
                time.sleep(0.2)
    finally:
        conn.close()
    return None


def _backend_locks(db, backend_pid):
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    with conn, conn.cursor() as cr:
        cr.execute(
            "SELECT c.relname, l.mode FROM pg_locks l "
            "JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.granted AND c.relkind = 'r' "
            "AND l.mode = 'RowExclusiveLock'",
            [backend_pid],
        )
        rows = cr.fetchall()
    conn.close()
    return rows


def _wait_gone(db, backend_pid, timeout=60):
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    end = time.monotonic() + timeout
    try:
        with conn.cursor() as cr:
            while time.monotonic() < end:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                    [backend_pid],
                )
                if not cr.fetchone()[0]:
                    return True
                time.sleep(0.2)
    finally:
        conn.close()
    return False


def _kill_worker(server, client_port):
    """SIGKILL the worker whose TCP connection to PostgreSQL comes from
    ``client_port`` (the application name carries the master's pid: the
    workers inherit the registry it preloaded)."""
    import psutil

    for pid in server.workers():
        try:
            ports = {c.laddr.port for c in psutil.Process(pid).connections("tcp")}
        except psutil.NoSuchProcess:
            continue
        if client_port in ports:
            os.kill(pid, signal.SIGKILL)
            return pid
    raise RuntimeError(f"no Odoo worker owns the connection from port {client_port}")


def _wait_workers(server, count, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if len(server.workers()) >= count:
            return True
        time.sleep(0.5)
    return False


def kill_statements(run, server, registry):
    """SIGKILL the worker generating statements once it has inserted them
    (uncommitted) and waits to insert their lines; then check that no
    statement of the period exists, and that the next generation makes them
    all, each with its lines."""
    import psycopg2

    setup, db = run.setup, run.db
    plan = setup["kill_plan_id"]
    date_from, date_to = setup["periods"][-1]
    workers = len(server.workers())
    locker = psycopg2.connect(dbname=db)
    cr = locker.cursor()
    cr.execute("LOCK TABLE sales_performance_incentive_statement_line IN SHARE MODE")
    outcome = {}

    def generate():
        client = Client(server.base, db, setup["manager"], Stats())
        client.authenticate()
        try:
            outcome["result"] = client.call(
                "sales.performance.incentive.plan",
                "generate_statements",
                [[plan], date_from, date_to],
            )
        except RpcError as exc:
            outcome["error"] = str(exc)

    thread = threading.Thread(target=generate, daemon=True)
    thread.start()
    problems = []
    found = _backend_waiting(db, "sales_performance_incentive_statement_line", 120)
    if not found:
        locker.rollback()
        locker.close()
        thread.join(180)
        return ["statement generation never waited on its lines: not killed"]
    backend, client_port = found
    locks = _backend_locks(db, backend)
    pid = _kill_worker(server, client_port)
    run.killed.append(pid)
    say(
        f"kill: SIGKILL worker {pid} generating statements of {date_from}, waiting "
        f"to write their lines; it had written to {sorted({r for r, _m in locks})}"
    )
    locker.rollback()
    locker.close()
    thread.join(180)
    if "result" in outcome:
        problems.append("the killed generation answered as if done")
    if not _wait_gone(db, backend):
        problems.append(f"the killed worker's transaction ({backend}) never ended")
    if not _wait_workers(server, workers):
        problems.append("the master did not restart the killed worker")
    with registry.cursor() as pcr:
        pcr.execute(
            "SELECT count(*) FROM sales_performance_incentive_statement "
            "WHERE plan_id = %s",
            [plan],
        )
        left = pcr.fetchone()[0]
    if left:
        problems.append(f"{left} statements of the killed generation were committed")
    # the next run completes the work
    client = Client(server.base, db, setup["manager"], run.stats)
    client.authenticate()
    ids = client.call(
        "sales.performance.incentive.plan",
        "generate_statements",
        [[plan], date_from, date_to],
        label="generate statements",
    )
    with registry.cursor() as pcr:
        pcr.execute(
            """SELECT s.id, s.amount_total, count(l.id), COALESCE(sum(l.amount) FILTER (
                          WHERE l.line_type IS DISTINCT FROM 'band'), 0)
                 FROM sales_performance_incentive_statement s
                 LEFT JOIN sales_performance_incentive_statement_line l
                        ON l.statement_id = s.id
                WHERE s.plan_id = %s GROUP BY s.id""",
            [plan],
        )
        rows = pcr.fetchall()
    if len(ids) != setup["assignees"] or len(rows) != setup["assignees"]:
        problems.append(
            f"the next generation made {len(rows)} statements for "
            f"{setup['assignees']} salespeople"
        )
    empty = [sid for sid, _total, lines, _sum in rows if not lines]
    if empty:
        problems.append(f"{len(empty)} statements without lines after the next run")
    wrong = [sid for sid, total, _l, lsum in rows if abs((total or 0) - lsum) > 0.01]
    if wrong:
        problems.append(f"{len(wrong)} statements whose total is not their lines' sum")
    return problems


FIGURES_SQL = (
    "SELECT id, achieved_value, forecast_value, status FROM sales_performance_target "
    "WHERE state = 'active' ORDER BY id"
)


def _figures(registry):
    with registry.cursor() as cr:
        cr.execute(FIGURES_SQL)
        return cr.fetchall()


def _floor_diffs(registry, setup, with_figures=False):
    """Differences between the stored figures and the SQL floor (and the
    stored figures, read in the same snapshot)."""
    from odoo import SUPERUSER_ID, api

    ext = setup["ext"]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        cr.execute(FIGURES_SQL)
        stored = cr.fetchall()
        targets = bench.bench_targets(env, ext)
        addon, addon_teams = bench.addon_values(env, targets)
        floor, floor_teams = bench.sql_floor_values(env, ext)
        cr.rollback()
    diffs = bench.compare(ext, floor, addon) + bench.compare(
        ext, floor_teams, addon_teams, ids=ext.team_ids
    )
    return (diffs, stored) if with_figures else diffs


def _trigger_cron(registry, cron_id):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.cron"].browse(cron_id)._trigger()


def kill_recompute(run, server, registry):
    """New orders make figures stale; SIGKILL the cron worker while the
    scheduled recompute waits to write them; check that no figure changed,
    then that the next run brings every figure to the SQL floor."""
    import psycopg2

    setup, db = run.setup, run.db
    problems = []
    seller = Client(server.base, db, setup["seller_logins"][0], run.stats)
    seller.authenticate()
    for _i in range(3):
        order = seller.call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": random.choice(setup["partner_ids"]),
                    "user_id": seller.uid,
                    "order_line": [(0, 0, {"product_id": setup["product_ids"][0]})],
                }
            ],
            label="order create",
        )
        seller.call("sale.order", "action_confirm", [[order]], label="order confirm")
        run.note("orders", order)
    stale = len(_floor_diffs(registry, setup))
    before = _figures(registry)
    workers = len(server.workers())
    locker = psycopg2.connect(dbname=db)
    cr = locker.cursor()
    cr.execute("LOCK TABLE sales_performance_target IN SHARE MODE")
    _trigger_cron(registry, setup["cron_id"])
    found = _backend_waiting(db, r"update\s+.?sales_performance_target", 150)
    if not found:
        locker.rollback()
        locker.close()
        note = f"{stale} stale figures" if stale else "no stale figure to write"
        return [f"the scheduled recompute never waited to write ({note}): not killed"]
    backend, client_port = found
    pid = _kill_worker(server, client_port)
    run.killed.append(pid)
    say(
        f"kill: SIGKILL cron worker {pid} while the recompute writes {stale} "
        "stale figures"
    )
    locker.rollback()
    locker.close()
    if not _wait_gone(db, backend):
        problems.append(f"the killed cron transaction ({backend}) never ended")
    # the restarted cron worker may already have run the job again: in one
    # snapshot, the figures are either all as before (nothing committed) or
    # all equal to SQL (a complete run committed), never in between
    diffs, after = _floor_diffs(registry, setup, with_figures=True)
    if after != before and diffs:
        changed = sum(1 for a, b in zip(before, after, strict=False) if a != b)
        problems.append(
            f"half-written: {changed} figures changed, {len(diffs)} still differ "
            "from SQL"
        )
    say(
        "kill: after the kill, figures "
        + ("unchanged (nothing committed)" if after == before else "complete (re-run)")
    )
    if not _wait_workers(server, workers):
        problems.append("the master did not restart the cron worker")
    # the next run completes the work
    _trigger_cron(registry, setup["cron_id"])
    end = time.monotonic() + 240
    diffs = stale
    while time.monotonic() < end:
        diffs = len(_floor_diffs(registry, setup))
        if not diffs:
            break
        time.sleep(5)
    if diffs:
        problems.append(f"{diffs} figures still differ from SQL after the next run")
    return problems


# ----------------------------------------------------------------------
# Replica (--replica)
# ----------------------------------------------------------------------
class Replica:
    """A streaming replica of the local cluster on a free port."""

    def __init__(self):
        self.dir = None
        self.port = None
        self.hba_file = None
        self.hba_original = None
        self.started = False
        self.slot = None

    def _primary(self, query, check=True):
        cmd = ["psql", "-X", "-At", "-h", "127.0.0.1", "-U", "root", "-d", "postgres"]
        out = subprocess.run(
            [*cmd, "-c", query], check=check, capture_output=True, text=True
        )
        return out.stdout.strip()

    def start(self):
        self.hba_file = self._primary("SHOW hba_file")
        with open(self.hba_file) as f:
            self.hba_original = f.read()
        if HBA_LINE not in self.hba_original:
            with open(self.hba_file, "a") as f:
                f.write(
                    ("\n" if not self.hba_original.endswith("\n") else "")
                    + HBA_LINE
                    + "\n"
                )
            self._primary("SELECT pg_reload_conf()")
            say(f"replica: added '{HBA_LINE}' to {self.hba_file} and reloaded")
        settings = {
            name: self._primary(f"SHOW {name}")
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
        self.dir = tempfile.mkdtemp(prefix="sp_soak_replica_")
        shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self.port = free_port()
        # a physical slot keeps the WAL the replica still needs (the primary
        # would recycle it while a large base backup is copied)
        self.slot = f"sp_soak_{self.port}"
        start = time.perf_counter()
        subprocess.run(
            [
                "runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_basebackup",
                "-h", "127.0.0.1", "-p", "5432", "-U", "root", "-D", data,
                "-R", "-X", "stream", "-c", "fast", "-C", "-S", self.slot,
            ],
            check=True,
        )  # fmt: skip
        conf = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.dir}'",
            "hot_standby": "on",
            # a throwaway copy: no need to sync it to disk
            "fsync": "off",
            "recovery_init_sync_method": "syncfs",
            **settings,
        }
        with open(os.path.join(data, "postgresql.conf"), "w") as f:
            f.write("".join(f"{k} = {v}\n" for k, v in conf.items()))
        with open(os.path.join(data, "pg_hba.conf"), "w") as f:
            f.write("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        with open(os.path.join(data, "pg_ident.conf"), "w") as f:
            f.write("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(os.path.join(data, name), "postgres", "postgres")
        self.started = True  # stop() stops it even when the start times out
        subprocess.run(
            [
                "runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data,
                "-l", os.path.join(self.dir, "replica.log"), "-w", "-t", "900", "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        recovery = self.query("postgres", "SELECT pg_is_in_recovery()")
        if recovery != "t":
            raise SystemExit("the replica is not in recovery")
        say(
            f"replica: streaming standby on 127.0.0.1:{self.port} "
            f"(base backup {time.perf_counter() - start:.1f}s)"
        )

    def query(self, db, query):
        out = subprocess.run(
            ["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(self.port), "-U", "root",
             "-d", db, "-c", query],
            check=True,
            capture_output=True,
            text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def transactions(self, db):
        return int(
            self.query(
                db,
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                f"WHERE datname = '{db}'",
            )
            or 0
        )

    def stop(self):
        if self.started:
            subprocess.run(
                ["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D",
                 os.path.join(self.dir, "data"), "-m", "fast", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        if self.slot:
            self._primary(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                f"WHERE slot_name = '{self.slot}'",
                check=False,
            )
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        if self.hba_original is not None:
            with open(self.hba_file) as f:
                current = f.read()
            if current != self.hba_original:
                with open(self.hba_file, "w") as f:
                    f.write(self.hba_original)
                self._primary("SELECT pg_reload_conf()", check=False)
                say(f"replica: removed; {self.hba_file} restored and reloaded")


# ----------------------------------------------------------------------
# Invariants
# ----------------------------------------------------------------------
def check_invariants(run, registry):
    """``(lost, duplicates, lines)`` after the run (server stopped)."""
    from odoo import SUPERUSER_ID, api

    setup, lines = run.setup, []
    lost = duplicates = 0
    with registry.cursor() as cr:
        # duplicates: statements and targets
        cr.execute(
            """SELECT count(*) FROM (
                   SELECT 1 FROM sales_performance_incentive_statement
                    WHERE state != 'cancel'
                    GROUP BY plan_id, user_id, date_from, date_to
                   HAVING count(*) > 1) d"""
        )
        dup_statements = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*) FROM (
                   SELECT 1 FROM sales_performance_target
                    WHERE state = 'active'
                    GROUP BY metric_id, COALESCE(user_id, 0), COALESCE(team_id, 0),
                             company_id, date_from, date_to
                   HAVING count(*) > 1) d"""
        )
        dup_targets = cr.fetchone()[0]
        duplicates += dup_statements + dup_targets
        lines.append(
            f"duplicates: {dup_statements} statements (plan, salesperson, period), "
            f"{dup_targets} active targets (metric, assignee, period)"
        )
        # revisions: in the chatter, and the last value kept
        missing_msg = 0
        last_value = {}
        for target, value, reason in run.revisions:
            last_value[target] = value
            cr.execute(
                "SELECT count(*) FROM mail_message "
                "WHERE model = 'sales.performance.target' "
                "AND res_id = %s AND body::text LIKE %s",
                [target, f"%{reason}%"],
            )
            if not cr.fetchone()[0]:
                missing_msg += 1
        cr.execute(
            "SELECT id, target_value FROM sales_performance_target WHERE id = ANY(%s)",
            [list(last_value)],
        )
        stored = dict(cr.fetchall())
        wrong_value = sum(
            1 for t, v in last_value.items() if abs((stored.get(t) or 0.0) - v) > 0.005
        )
        lost += missing_msg + wrong_value
        lines.append(
            f"revisions: {len(run.revisions)} by team leaders, {missing_msg} missing "
            f"from the chatter, {wrong_value} targets not at their last revised value"
        )
        # documents acknowledged to the clients
        cr.execute(
            "SELECT count(*) FROM sale_order WHERE id = ANY(%s) AND state = 'sale'",
            [run.orders],
        )
        orders_ok = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM account_move WHERE id = ANY(%s) AND state = 'posted'",
            [run.invoices],
        )
        invoices_ok = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM account_move WHERE id = ANY(%s) "
            "AND payment_state IN ('paid', 'in_payment')",
            [run.payments],
        )
        paid_ok = cr.fetchone()[0]
        cr.execute(
            "SELECT count(DISTINCT invoice_id) FROM sales_performance_collection "
            "WHERE invoice_id = ANY(%s)",
            [run.payments],
        )
        collected = cr.fetchone()[0]
        lost_docs = (
            (len(set(run.orders)) - orders_ok)
            + (len(set(run.invoices)) - invoices_ok)
            + (len(set(run.payments)) - paid_ok)
        )
        lost += lost_docs
        lines.append(
            f"documents: {len(run.orders)} orders confirmed ({orders_ok} in the "
            f"database), {len(run.invoices)} invoices posted ({invoices_ok}), "
            f"{len(run.payments)} payments registered ({paid_ok} invoices paid, "
            f"{collected} with their collection)"
        )
        if run.proposals_approved:
            cr.execute(
                "SELECT count(*) FROM sales_performance_target WHERE id = ANY(%s) "
                "AND state IN ('active', 'draft')",
                [run.proposals_approved],
            )
            ok = cr.fetchone()[0]
            lost += len(run.proposals_approved) - ok
            lines.append(
                f"proposals: {len(run.proposals_approved)} approved, {ok} active or "
                "draft"
            )
        else:
            lines.append(setup["proposal_note"])

    # figures: what the running system stored, then after a final recompute
    stale = len(_floor_diffs(registry, setup))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        env["sales.performance.target"]._cron_recompute()
    diffs = _floor_diffs(registry, setup)
    lost += len(diffs)
    ext = setup["ext"]
    cells = (
        (len(ext.user_ids) + len(ext.team_ids)) * len(ext.months) * len(bench.METRICS)
    )
    lines.append(
        f"figures: {cells} target figures (salespeople and teams x {len(ext.months)} "
        f"months x {len(bench.METRICS)} metrics) vs the SQL floor: {stale} behind "
        f"the documents before the final recompute (changed since the last "
        f"scheduled run), {len(diffs)} different after it"
    )
    for key, ref, val in diffs[:5]:
        lines.append(f"    {key}: SQL {ref} != stored {val}")
    return lost, duplicates, lines


def final_hashes(run):
    changed = 0
    for sid, digest in run.approved.items():
        if statement_hash(run.manager, sid, run.setup["line_fields"]) != digest:
            changed += 1
    return changed


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(datagen.SIZES))
    parser.add_argument(
        "--duration", type=int, default=120, help="seconds (default 120)"
    )
    parser.add_argument("--clients", type=int, default=20, help="default 20")
    parser.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean think time between a client's actions, seconds (default 0.5)",
    )
    parser.add_argument("--kill", action="store_true", help="SIGKILL workers mid-job")
    parser.add_argument("--replica", action="store_true", help="with a read replica")
    parser.add_argument("--db", help="database name (default sp_soak_<size>)")
    parser.add_argument("--data-dir", help="Odoo --data-dir (filestore)")
    parser.add_argument(
        "--template",
        help="an installed database without data kept between runs: made on the "
        "first run, copied and upgraded (-u sales_performance) on the next ones "
        "instead of installing the modules again",
    )
    args = parser.parse_args(argv)
    if args.clients < 4:
        parser.error(
            "--clients: at least 4 (a manager, orders, a leader, a salesperson)"
        )
    if args.duration < 10:
        parser.error("--duration: at least 10 seconds")
    args.db = args.db or f"sp_soak_{args.size}"
    return args


def run_faults(run, server, registry):
    """The two kills of ``--kill``: the problems found."""
    problems = []
    for label, func in (
        ("statement generation", kill_statements),
        ("recompute", kill_recompute),
    ):
        try:
            found = func(run, server, registry)
        except Exception as exc:  # noqa: BLE001 - reported, the run fails
            found = [f"{type(exc).__name__}: {exc}"]
        say(f"kill during the {label}: " + ("OK" if not found else "FAIL"))
        problems += found
    return problems


def report(run, log_figures, invariants, problems, seconds, replica_tx):
    """Print the results; return (errors, lost, duplicates, SOAK line)."""
    stats, args = run.stats, run.args
    lost, duplicates, lines = invariants
    say()
    say("requests by action (count, p50 ms, p95 ms):")
    for label in sorted(stats.by_label):
        values = stats.by_label[label]
        say(
            f"  {label:24} {len(values):6d} {percentile(values, 50):8.0f} "
            f"{percentile(values, 95):8.0f}"
        )
    for line in lines:
        say(line)
    concurrency = log_figures["cron_concurrency_failures"]
    say(
        f"scheduled recompute: {log_figures['cron_runs']} runs, "
        f"{log_figures['cron_failures']} failed ({concurrency} on a concurrency "
        "error, rescheduled)"
    )
    errors = len(stats.errors) + log_figures["cron_failures"] - concurrency
    retries = stats.retries + log_figures["retries"] + concurrency
    say(
        f"retries: {log_figures['retries']} by Odoo itself (serialization "
        f"failures, server log), {stats.retries} by the clients"
    )
    for label, message in stats.errors[:10]:
        say(f"  error in {label}: {message}")
    if log_figures["error_lines"]:
        count = len(log_figures["error_lines"])
        say(f"server log: {count} ERROR records, the first ones:")
        for line in log_figures["error_lines"][:5]:
            say(f"    {line[:300]}")
    for problem in problems:
        say(f"fault check FAILED: {problem}")
    latencies = stats.latencies
    soak_line = (
        f"SOAK clients={args.clients} seconds={seconds:.0f} "
        f"requests={len(latencies)} errors={errors} retries={retries} "
        f"p50_ms={percentile(latencies, 50):.0f} "
        f"p95_ms={percentile(latencies, 95):.0f} lost={lost} "
        f"duplicates={duplicates}"
    )
    if args.replica:
        say(
            f"replica: {log_figures['replica_ro']} requests served on the "
            f"replica's read-only cursor, {log_figures['replica_ro_rw']} went "
            f"back to the primary (ro->rw); {replica_tx} transactions on the "
            "replica (every request first checks the registry there)"
        )
        soak_line += f" replica_reads={log_figures['replica_ro']}"
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return errors, lost, duplicates, soak_line


def soak(args, path, registry, setup):
    """Server, clients, faults, invariants; returns the exit code."""
    db = args.db
    replica = Replica() if args.replica else None
    server = None
    exit_code = 1
    soak_line = None
    log_dir = tempfile.mkdtemp(prefix="sp_soak_log_")
    try:
        options = []
        replica_before = 0
        if replica:
            replica.start()
            options = [
                "--db_replica_host=127.0.0.1",
                f"--db_replica_port={replica.port}",
            ]
            replica_before = replica.transactions(db)
        if args.kill:
            # the cron worker waits on the soak's lock before it is killed:
            # Odoo's watchdog (--limit-time-real-cron, default 120 s for the
            # whole round of due jobs) must not kill it first
            options.append("--limit-time-real-cron=900")
            if not os.environ.get("PGHOST"):
                # over TCP: a backend's client port tells which worker it serves
                options.append("--db_host=127.0.0.1")
        server = Server(db, path, os.path.join(log_dir, "odoo.log"), options)
        server.wait_ready()
        say(
            f"odoo on {server.base}: --workers=2 --max-cron-threads=1"
            f"{' ' + ' '.join(options) if options else ''}; log {server.log_path}"
        )
        run = Run(args, setup, server.base, db)
        seconds = run_clients(run, args.duration)
        problems = run_faults(run, server, registry) if args.kill else []
        changed = final_hashes(run)
        replica_tx = replica.transactions(db) - replica_before if replica else 0
        server.stop()
        log_text = server.log_text()
        log_figures = server_log_figures(log_text)
        for pid in run.killed:
            if re.search(rf"Worker\w* \({pid}\) timeout", log_text):
                problems.append(f"Odoo's watchdog killed worker {pid} before the soak")
        lost, duplicates, lines = check_invariants(run, registry)
        lines.insert(
            0,
            f"approved statements: {len(run.approved)} hashed at approval "
            f"({len(setup['approved_before'])} before the run), {changed} changed",
        )
        errors, lost, duplicates, soak_line = report(
            run,
            log_figures,
            (lost + changed, duplicates, lines),
            problems,
            seconds,
            replica_tx,
        )
        exit_code = 0 if not (errors or lost or duplicates or problems) else 1
    finally:
        if server:
            server.stop()
        if replica:
            replica.stop()
        if exit_code == 0:
            shutil.rmtree(log_dir, ignore_errors=True)
        else:
            say(f"Odoo log kept in {log_dir}")
        if soak_line:
            say(soak_line)
    return exit_code


def _db_exists(name):
    """Without connecting to it (a template must have no connection)."""
    out = subprocess.run(
        ["psql", "-X", "-At", "-d", "postgres", "-c",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    return out.stdout.strip() == "1"


def _copy_filestore(config, source, target):
    if os.path.isdir(config.filestore(source)):
        shutil.rmtree(config.filestore(target), ignore_errors=True)
        shutil.copytree(config.filestore(source), config.filestore(target))


def main(argv=None):
    args = parse_args(argv)
    # a TERM (``timeout``, CI) stops the server and removes the replica
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))
    db = args.db

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if args.data_dir:
        bench.ODOO_ARGS.append(f"--data-dir={args.data_dir}")
    path = bench.addons_path()
    options = [f"--addons-path={path}", "-d", db, "--log-level=warn"]
    options += ["--http-interface=127.0.0.1", *bench.db_args(), *bench.ODOO_ARGS]
    config.parse_config(options)
    say(f"sales_performance soak, size {args.size}, database {db}")
    say(f"machine: {bench.machine()}, load average {os.getloadavg()[0]:.1f}")
    say(f"odoo {odoo.release.version}")
    start = time.perf_counter()
    if args.template and _db_exists(args.template):
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
        subprocess.run(["createdb", "-T", args.template, db], check=True)
        _copy_filestore(config, args.template, db)
        bench.upgrade_addon(db, path)
        say(f"database copied from {args.template} and upgraded")
    else:
        bench.create_database(db, path)
        if args.template:
            subprocess.run(["createdb", "-T", db, args.template], check=True)
            _copy_filestore(config, db, args.template)
    say(f"database ready in {time.perf_counter() - start:.1f}s")
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        setup = setup_database(env, args.size, args.kill)
    subprocess.run(["psql", "-q", "-d", db, "-c", "VACUUM ANALYZE"], check=True)
    data = setup["data"]
    say(
        f"{len(data.user_ids)} salespeople in {len(data.team_ids)} teams; "
        f"statements of {setup['periods'][0][0]}: "
        f"{len(setup['statement_states'])} confirmed, "
        f"{len(setup['approved_before'])} of them approved"
    )
    return soak(args, path, registry, setup)


if __name__ == "__main__":
    sys.exit(main())
