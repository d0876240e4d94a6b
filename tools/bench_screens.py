#!/usr/bin/env python3
"""Server time of the main screens of ``sales_performance`` at scale.

    python3 tools/bench_screens.py --size large [--db NAME] [--reuse]
                                   [--runs N] [--output FILE] [--setup-only]

1. the database ``sp_bench_<size>`` of ``tools/bench.py`` (reused when it
   exists, else created with ``tools/datagen.py`` and the benchmark's monthly
   targets, plus an incentive plan with the statements of the last three
   months and one tracked stage change per opportunity for the cockpit);
2. an Odoo server on it (subprocess, ``--workers=0``, 127.0.0.1, a free
   port), logged in over HTTP as the administrator and as a salesperson;
3. the JSON-RPC calls the web client makes for each screen, built as the web
   client builds them (``/web/action/load``, ``get_views`` of the action's
   views, the action's domain and context, the search view's default
   filters and grouping, the view's fields specification), replayed ``--runs``
   times each: the server time of a call is the server's own
   ``Server-Timing`` figure when it sends one, else the round trip on the
   loopback interface;
4. prints one line ``SCREENS size=<size> <screen>_p50_ms=<x> <screen>_p95_ms=<y> ...``
   and writes ``bench/results-screens-<size>.txt``.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

import datagen

import bench

REPO_DIR = bench.REPO_DIR
STATEMENT_MONTHS = 3


def _has_data(db):
    """Whether ``db`` holds the generated documents and the targets."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = env["res.users"].search_count([("login", "=", SALES_LOGIN)])
        targets = env["sales.performance.target"].search_count([], limit=1)
        return bool(users and targets)


def create_targets(env, data, lines):
    """``bench.create_targets`` without the period-overlap check of each
    create (its self-join compares every new target with every target of the
    same metric: hours at 184,800 targets), then the same rule checked once
    for the whole table with one hash-joinable query: none may overlap."""
    from odoo.addons.sales_performance.models import period_overlap

    check = period_overlap.first_overlap
    period_overlap.first_overlap = lambda records, same, live=None: None
    try:
        targets = bench.create_targets(env, data)
    finally:
        period_overlap.first_overlap = check
    # statistics of the new rows first: planned on an empty table's
    # statistics, the self-join below runs as a nested loop (hours)
    env.cr.execute("ANALYZE sales_performance_target")
    dims = " AND ".join(
        f'o."{f}" IS NOT DISTINCT FROM t."{f}"' for f in _dimension_fields(env)
    )
    env.cr.execute(
        f"""
        SELECT COUNT(*) FROM sales_performance_target t
          JOIN sales_performance_target o
            ON o.id != t.id AND o.metric_id = t.metric_id
           AND o.company_id = t.company_id
           AND COALESCE(o.user_id, 0) = COALESCE(t.user_id, 0)
           AND COALESCE(o.team_id, 0) = COALESCE(t.team_id, 0)
           AND (t.user_id IS NOT NULL OR o.user_id IS NULL)
           AND {dims or "TRUE"}
           AND o.date_from <= t.date_to AND t.date_from <= o.date_to
         WHERE t.user_id IS NULL
        UNION ALL
        SELECT COUNT(*) FROM sales_performance_target t
          JOIN sales_performance_target o
            ON o.id != t.id AND o.metric_id = t.metric_id
           AND o.company_id = t.company_id AND o.user_id = t.user_id
           AND {dims or "TRUE"}
           AND o.date_from <= t.date_to AND t.date_from <= o.date_to
        """  # noqa: S608  (field names of the model, no user input)
    )
    overlaps = sum(row[0] for row in env.cr.fetchall())
    if overlaps:
        raise RuntimeError(f"{overlaps} overlapping targets")
    bench.log(lines, f"{len(targets)} targets, none overlapping (checked once)")
    return targets


def _dimension_fields(env):
    fields = env["sales.performance.target"]._fields
    return [
        f
        for f in ("product_category_id", "partner_segment", "country_id",
                  "partner_category_id", "source_id", "medium_id")
        if f in fields and fields[f].store
    ]  # fmt: skip


def setup_database(db, size_name, path, lines, documents=1.0):
    """Fill ``db`` with the data of ``bench.py`` (documents, targets,
    statements), creating it first when it does not exist and keeping the
    documents already generated. ``documents`` scales the number of
    customers, opportunities, orders, invoices and activities (salespeople,
    teams, months and targets stay those of the size)."""
    import dataclasses

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    if not bench._db_exists(db):
        start = time.perf_counter()
        bench.create_database(db, path)
        bench.log(lines, f"database created in {time.perf_counter() - start:.1f}s")
    size = datagen.SIZES[size_name]
    if documents != 1.0:
        size = dataclasses.replace(
            size,
            **{
                name: max(1, round(getattr(size, name) * documents))
                for name in ("companies", "contacts", "opportunities", "orders",
                             "invoices", "activities")
            },
        )  # fmt: skip
        bench.log(lines, f"documents scaled by {documents}: {size}")
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        if env["res.users"].search_count([("login", "=", SALES_LOGIN)]):
            data = bench._dataset_from_db(env, size_name)
            bench.log(lines, "reusing the generated documents")
        else:
            start = time.perf_counter()
            data = datagen.generate(env, size)
            cr.commit()
            seconds = time.perf_counter() - start
            bench.log(lines, f"data generated in {seconds:.1f}s: {data.counts}")
        # the generated tables only (a database-wide ANALYZE would hold a
        # lock on the shared catalogs, which every other database's VACUUM
        # waits for, until this transaction ends)
        for table in ("crm_lead", "sale_order", "sale_order_line", "account_move",
                      "account_move_line", "mail_activity", "res_partner",
                      "sales_performance_credit_split",
                      "sales_performance_collection"):  # fmt: skip
            cr.execute(f"ANALYZE {table}")  # noqa: S608 (fixed table names)
        start = time.perf_counter()
        targets = create_targets(env, data, lines)
        cr.commit()
        bench.log(
            lines,
            f"created {len(targets)} targets in {time.perf_counter() - start:.1f}s",
        )
        bench.ensure_stage_tracking(env, data)
        cr.commit()
        plan = bench.create_incentive_plans(env, data, data.user_ids)
        if plan:
            start = time.perf_counter()
            count = 0
            for date_from, date_to in data.months[-STATEMENT_MONTHS:]:
                count += len(plan.generate_statements(date_from, date_to))
                cr.commit()
            bench.log(
                lines,
                f"generated {count} statements in {time.perf_counter() - start:.1f}s",
            )
    # what autovacuum does on a live database (statistics, visibility map)
    subprocess.run(["psql", "-q", "-d", db, "-c", "VACUUM ANALYZE"], check=True)


# ----------------------------------------------------------------------
# The screens: URLs the user opens, calls the web client makes
# ----------------------------------------------------------------------
PASSWORD = "bench-screens"  # noqa: S105  (throwaway benchmark database)
ADMIN_LOGIN = "admin"
SALES_LOGIN = "bench.sales.0001@example.com"
TARGETS = "sales_performance.sales_performance_target_action"
SCREENS = [
    # (name, URL path, logins it is measured as)
    ("list", f"/odoo/action-{TARGETS}?view_type=list", ("admin", "sales")),
    ("kanban", f"/odoo/action-{TARGETS}", ("admin", "sales")),
    ("pivot", f"/odoo/action-{TARGETS}?view_type=pivot", ("admin",)),
    (
        "leaderboard",
        "/odoo/action-sales_performance.sales_performance_target_action_leaderboard",
        ("admin", "sales"),
    ),
    ("form", f"/odoo/action-{TARGETS}/{{form_id}}", ("admin", "sales")),
    (
        "statements",
        "/odoo/action-sales_performance.sales_performance_incentive_statement_action",
        ("admin", "sales"),
    ),
    ("cockpit", "/odoo/action-sales_performance.sales_performance_cockpit_action",
     ("admin", "sales")),
]  # fmt: skip
# calls every page makes (menus, systray, bus): not the screen's
NOT_SCREEN_METHODS = {"get_views", "load_views", "has_group", "systray_get_activities"}


def prepare_users(db):
    """Known passwords for the administrator and one salesperson; returns
    the middle of the last generated month (the browser's today) and the id
    of a target of that salesperson then (the form screen)."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        users = env["res.users"].search([("login", "in", [ADMIN_LOGIN, SALES_LOGIN])])
        users.write({"password": PASSWORD, "tz": "UTC"})
        sales = users.filtered(lambda u: u.login == SALES_LOGIN)
        cr.execute(
            "SELECT MAX(date_from) FROM sales_performance_target WHERE user_id = %s",
            [sales.id],
        )
        today = cr.fetchone()[0] + timedelta(days=14)
        target = env["sales.performance.target"].search(
            [("user_id", "=", sales.id), ("date_from", "<=", today),
             ("date_to", ">=", today)], limit=1, order="id",
        )  # fmt: skip
        return today, target.id


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, path, port, logfile):
    cmd = [
        sys.executable, "-m", "odoo", "-d", db, f"--db-filter=^{db}$",
        f"--addons-path={path}", "--http-interface=127.0.0.1",
        f"--http-port={port}", "--workers=0", "--max-cron-threads=0",
        "--log-level=info", *bench.db_args(), *bench.ODOO_ARGS,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT)
    import requests

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Odoo exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5).ok:
                return proc
        except requests.RequestException:
            pass
        time.sleep(1)
    proc.terminate()
    raise RuntimeError("Odoo did not answer within 300 s")


def login(base, db, user):
    import requests

    session = requests.Session()
    reply = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call",
              "params": {"db": db, "login": user, "password": PASSWORD}},
        timeout=60,
    ).json()  # fmt: skip
    if reply.get("error") or not reply.get("result", {}).get("uid"):
        raise RuntimeError(f"login {user} failed: {reply}")
    return session


FAKE_CLOCK = """(() => {
    const shift = %d;
    const RealDate = Date;
    class ShiftedDate extends RealDate {
        constructor(...args) {
            if (args.length) { super(...args); } else { super(RealDate.now() + shift); }
        }
        static now() { return RealDate.now() + shift; }
    }
    window.Date = ShiftedDate;
})();"""


class Chrome:
    """Headless Chromium driven over the DevTools protocol: opens a URL and
    records the JSON-RPC calls the web client posts."""

    def __init__(self):
        import tempfile

        import requests
        import websocket

        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="bench_screens_chrome_")
        exe = next(
            x for x in ("chromium", "chromium-browser", "google-chrome")
            if any(os.access(os.path.join(d, x), os.X_OK)
                   for d in os.environ.get("PATH", "").split(os.pathsep))
        )  # fmt: skip
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run",
             "--disable-extensions", "--window-size=1920,1080",
             f"--remote-debugging-port={self.port}",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _i in range(100):
            try:
                pages = requests.get(
                    f"http://127.0.0.1:{self.port}/json/list", timeout=2
                ).json()
                page = next(p for p in pages if p.get("type") == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium did not start")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=5, suppress_origin=True
        )
        self.msg_id = 0
        self.send("Network.enable")
        self.send("Page.enable")

    def send(self, method, **params):
        self.msg_id += 1
        self.ws.send(
            __import__("json").dumps(
                {"id": self.msg_id, "method": method, "params": params}
            )
        )
        return self.msg_id

    def set_today(self, today):
        """The browser's clock on ``today`` (noon UTC) from now on: the
        generated data ends with the previous month, the search filters that
        the actions apply by default (This Month) are relative to it."""
        shift = datetime(today.year, today.month, today.day, 12) - datetime.utcnow()
        script = FAKE_CLOCK % int(shift.total_seconds() * 1000)
        self.send("Page.addScriptToEvaluateOnNewDocument", source=script)

    def record(self, url, cookie, host, idle=4.0, limit=180.0):
        """Open ``url`` with the session cookie; return the posted call_kw
        bodies (in order) once no request started or ended for ``idle`` s."""
        import json

        import websocket

        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=cookie,
                  domain=host, path="/")  # fmt: skip
        self.send("Page.navigate", url=url)
        calls, pending, loaded = [], set(), False
        last = time.monotonic()
        start = last
        while time.monotonic() - start < limit:
            try:
                event = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                event = {}
            method = event.get("method")
            params = event.get("params", {})
            if method == "Network.requestWillBeSent":
                pending.add(params["requestId"])
                request = params["request"]
                if "/web/dataset/call_kw" in request["url"] and request.get("postData"):
                    calls.append((request["url"], json.loads(request["postData"])))
                last = time.monotonic()
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                pending.discard(params["requestId"])
                last = time.monotonic()
            elif method == "Page.loadEventFired":
                loaded = True
            # requests that never finish (long polling) do not count
            quiet = time.monotonic() - last
            if loaded and (quiet > idle and calls or quiet > 5 * idle):
                break
        return calls

    def close(self):
        import shutil

        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


def screen_calls(calls):
    """The calls that load the screen's data (not the views, menus, systray)."""
    kept = []
    for url, body in calls:
        params = body.get("params", {})
        if params.get("method") in NOT_SCREEN_METHODS:
            continue
        if params.get("model", "").startswith(
            ("mail.", "bus.", "discuss.", "res.users.settings")
        ):
            continue
        kept.append((url, body))
    return kept


def pivot_team_month(calls):
    """The pivot's calls regrouped by team (rows) x month (columns) over all
    the targets (no filter), as the pivot asks them once the user picks
    Sales Team as rows and removes the default filter."""
    out = []
    for url, body in calls:
        params = __import__("copy").deepcopy(body["params"])
        kwargs = params.get("kwargs", {})
        if "domain" in kwargs:
            kwargs["domain"] = []
        for key in ("groupby", "grouping_sets"):
            if key in kwargs:
                kwargs[key] = _swap_metric(kwargs[key])
        out.append((url, dict(body, params=params)))
    return out


def open_first_group(session, calls):
    """The grouped list's calls plus the one that opens its first group (a
    board of the leaderboard), as the list does when the user clicks the
    group: ``web_search_read`` of the group's domain with the list's fields
    specification and order."""
    import json

    for url, body in calls:
        params = body["params"]
        if params["method"] != "web_read_group":
            continue
        reply = session.post(url, data=json.dumps(body), timeout=600,
                             headers={"Content-Type": "application/json"})  # fmt: skip
        groups = reply.json()["result"]["groups"]
        if not groups:
            return calls
        kwargs = params["kwargs"]
        domain = ["&", *kwargs["domain"], *groups[0]["__extra_domain"]]
        search = {
            "offset": 0,
            "order": kwargs.get("order", ""),
            "limit": 80,
            "context": dict(kwargs.get("context", {}), bin_size=True),
            "count_limit": 10001,
            "domain": domain,
            "specification": kwargs["unfold_read_specification"],
        }
        model = params["model"]
        open_url = url.split("/call_kw")[0] + (
            f"/call_kw/{model}/web_search_read#{model}.web_search_read"
        )
        open_body = dict(body, params={"model": model, "method": "web_search_read",
                                       "args": [], "kwargs": search})  # fmt: skip
        return [*calls, (open_url, open_body)]
    return calls


def _swap_metric(value):
    if isinstance(value, list):
        return [_swap_metric(v) for v in value]
    return "team_id" if value == "metric_id" else value


def replay(session, calls, runs):
    """Replay ``calls`` one after the other ``runs`` times (two warm-up rounds
    first): per round, the total time of the screen's calls in ms."""
    import json

    totals = []
    for i in range(runs + 2):
        total = 0.0
        for url, body in calls:
            data = json.dumps(body)
            start = time.perf_counter()
            reply = session.post(
                url,
                data=data,
                timeout=600,
                headers={"Content-Type": "application/json"},
            )
            elapsed = (time.perf_counter() - start) * 1000
            result = reply.json()
            if result.get("error"):
                raise RuntimeError(
                    f"{body['params'].get('model')}.{body['params'].get('method')}: "
                    f"{result['error'].get('data', {}).get('message')}"
                )
            total += elapsed
        if i >= 2:
            totals.append(total)
    return totals


def percentile(values, pct):
    values = sorted(values)
    rank = max(0, min(len(values) - 1, round(pct / 100 * (len(values) - 1))))
    return values[rank]


def measure_screens(db, path, runs, lines, only=None):
    import json
    import statistics

    today, form_id = prepare_users(db)
    bench.log(lines, f"browser's today: {today} (the last generated month)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logpath = os.path.join(REPO_DIR, ".odoo", f"bench_screens_{db}.log")
    with open(logpath, "w") as logfile:
        server = start_server(db, path, port, logfile)
        chrome = None
        try:
            sessions = {
                "admin": login(base, db, ADMIN_LOGIN),
                "sales": login(base, db, SALES_LOGIN),
            }
            chrome = Chrome()
            chrome.set_today(today)
            results, recorded = {}, {}
            for name, url, who_list in SCREENS:
                if only and name not in only:
                    continue
                for who in who_list:
                    session = sessions[who]
                    calls = chrome.record(
                        base + url.format(form_id=form_id),
                        session.cookies["session_id"],
                        "127.0.0.1",
                    )
                    calls = screen_calls(calls)
                    if name == "pivot":
                        calls = pivot_team_month(calls)
                    elif name == "leaderboard":
                        calls = open_first_group(session, calls)
                    recorded[name, who] = calls
                    if not calls:
                        bench.log(lines, f"  {name} as {who}: no call recorded")
                        continue
                    totals = replay(session, calls, runs)
                    results[name, who] = (
                        statistics.median(totals),
                        percentile(totals, 95),
                    )
                    methods = ", ".join(
                        f"{b['params'].get('model')}.{b['params'].get('method')}"
                        for _u, b in calls
                    )
                    bench.log(
                        lines,
                        f"  {name} as {who}: p50 {results[name, who][0]:.1f} ms, "
                        f"p95 {results[name, who][1]:.1f} ms over {runs} replays "
                        f"of {len(calls)} calls ({methods})",
                    )
            with open(
                os.path.join(REPO_DIR, ".odoo", f"bench_screens_{db}.json"), "w"
            ) as f:
                json.dump({f"{k[0]} {k[1]}": v for k, v in recorded.items()}, f,
                          indent=1)  # fmt: skip
            return results, recorded
        finally:
            if chrome:
                chrome.close()
            server.terminate()
            server.wait(timeout=60)


def explain_calls(db, recorded, lines, slow_ms=2.0):
    """Run the recorded calls through the ORM with every SQL query timed;
    ``EXPLAIN ANALYZE`` the queries slower than ``slow_ms`` and log their
    plan (sequential scans show there)."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.service.model import call_kw
    from odoo.sql_db import Cursor

    logins = {"admin": ADMIN_LOGIN, "sales": SALES_LOGIN}
    registry = Registry(db)
    queries = []
    real_execute = Cursor.execute

    def timed_execute(self, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return real_execute(self, query, params, log_exceptions)
        finally:
            ms = (time.perf_counter() - start) * 1000
            queries.append((ms, self._format(query, params)))

    for (name, who), calls in recorded.items():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            uid = env["res.users"].search([("login", "=", logins[who])]).id
            env = api.Environment(cr, uid, {})
            for _url, body in calls:
                params = body["params"]
                call_kw(env[params["model"]], params["method"], params["args"],
                        params["kwargs"])  # fmt: skip
                env.invalidate_all()
            queries.clear()
            Cursor.execute = timed_execute
            try:
                for _url, body in calls:
                    params = body["params"]
                    call_kw(env[params["model"]], params["method"],
                            params["args"], params["kwargs"])  # fmt: skip
                    env.invalidate_all()
            finally:
                Cursor.execute = real_execute
            total = sum(q[0] for q in queries)
            plans = []
            for sql in dict.fromkeys(q[1] for q in queries):
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cr.execute("SAVEPOINT bench_explain")
                try:
                    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [row[0] for row in cr.fetchall()]
                    ms = float(plan[-1].split(":")[1].split()[0])
                    plans.append((ms, sql, plan))
                except Exception as e:  # noqa: BLE001
                    bench.log(lines, f"    (no plan: {e})")
                cr.execute("ROLLBACK TO SAVEPOINT bench_explain")
            plans.sort(key=lambda p: -p[0])
            bench.log(
                lines,
                f"EXPLAIN {name} as {who}: {len(queries)} queries, {total:.1f} ms "
                f"of SQL (wall), {sum(p[0] for p in plans):.1f} ms executing "
                "(EXPLAIN ANALYZE)",
            )
            for ms, sql, plan in plans[:3]:
                if ms < slow_ms:
                    break
                bench.log(lines, f"  [{ms:.1f} ms] {sql[:2000]}")
                for row in plan:
                    bench.log(lines, f"    | {row}")
            cr.rollback()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(datagen.SIZES))
    parser.add_argument("--db", help="database name (default sp_bench_<size>)")
    parser.add_argument(
        "--reuse", action="store_true",
        help="reuse the database when it exists (default: reuse it too; "
        "--fresh recreates it)",
    )  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="recreate the database")
    parser.add_argument("--runs", type=int, default=30, help="replays per call")
    parser.add_argument("--output", help="default bench/results-screens-<size>.txt")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument(
        "--screens", help="comma-separated screens to measure (default: all)"
    )
    parser.add_argument(
        "--documents", type=float, default=1.0,
        help="scale of the generated documents (customers, opportunities, "
        "orders, invoices, activities) when the data is created: salespeople, "
        "teams, months and targets stay those of --size",
    )  # fmt: skip
    parser.add_argument(
        "--explain", action="store_true",
        help="also EXPLAIN ANALYZE the slowest SQL queries of each screen",
    )  # fmt: skip
    parser.add_argument(
        "--no-upgrade",
        action="store_true",
        help="do not update the addon on a reused database",
    )
    args = parser.parse_args(argv)
    db = args.db or f"sp_bench_{args.size}"
    output = args.output or os.path.join(
        REPO_DIR, "bench", f"results-screens-{args.size}.txt"
    )
    import odoo
    from odoo.tools import config

    path = bench.addons_path()
    config.parse_config(
        [f"--addons-path={path}", "-d", db, "--log-level=warn", *bench.db_args()]
    )
    lines = []
    bench.log(lines, f"sales_performance screens, size {args.size}, database {db}")
    bench.log(lines, f"machine: {bench.machine()}")
    bench.log(lines, f"odoo {odoo.release.version}")
    if args.fresh or not bench._db_exists(db) or not _has_data(db):
        if args.fresh:
            subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
        setup_database(db, args.size, path, lines, args.documents)
    elif not args.no_upgrade:
        bench.upgrade_addon(db, path)
    if args.setup_only:
        return 0
    bench.log(lines, f"replaying the recorded calls {args.runs} times each:")
    only = set(args.screens.split(",")) if args.screens else None
    results, recorded = measure_screens(db, path, args.runs, lines, only)
    if args.explain:
        explain_calls(db, recorded, lines)
    pairs = []
    for suffix, who in (("", "admin"), ("_rep", "sales")):
        for name, _url, _who in SCREENS:
            if (name, who) in results:
                p50, p95 = results[name, who]
                pairs.append(f"{name}{suffix}_p50_ms={p50:.1f}")
                pairs.append(f"{name}{suffix}_p95_ms={p95:.1f}")
    bench.log(lines)
    bench.log(lines, f"SCREENS size={args.size} {' '.join(pairs)}")
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
