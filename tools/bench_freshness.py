"""Freshness figures of ``make bench`` (issue #19).

``run(env, data, targets, log)`` returns ``(fields, checks)``:

- ``incremental_s``: the queue-driven recompute (the scheduled action
  ``sales.performance.recompute.queue._cron_recompute_dirty``) after the most
  recent 1 % of the opportunities, orders and invoices changed through the
  ORM (won deals reopened or their revenue raised, orders cancelled, invoices
  reset to draft); ``incremental_pct`` is it over a full recompute of the
  same targets, measured just after. The check compares every figure with
  the full recompute's.
- ``write_overhead_pct``: confirming N orders and posting N invoices (N =
  1,000, ``BENCH_FRESHNESS_N``), one document per call as users do, every
  other one with the freshness hooks switched off (context key
  ``sales_performance_freshness_off``): the time a document with the hooks
  over the time without, rolled back after. ``write_hooks_pct`` is the time
  spent inside the hooks over the time of the documents with them (the same
  figure, measured directly: immune to the load of the machine).
- ``fresh_s``: from the commit of a change (an invoice reset to draft, then
  posted again) to the updated figure, with an Odoo server running the
  scheduled actions (``--max-cron-threads=1``, the other scheduled actions
  paused meanwhile); median of the samples.

Everything but ``fresh_s`` runs inside a savepoint rolled back at the end;
``fresh_s`` commits its changes and their reverse (same figures after).
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

N_DOCUMENTS = int(os.environ.get("BENCH_FRESHNESS_N", "1000"))
FRESH_SAMPLES = int(os.environ.get("BENCH_FRESHNESS_SAMPLES", "3"))
FRESH_TIMEOUT = 120.0
OFF = "sales_performance_freshness_off"
TRIGGERED_KEY = "sales_performance.freshness_triggered"
CRON_XMLID = "sales_performance.ir_cron_recompute_dirty_targets"
TOLERANCE = 0.01


def run(env, data, targets, log):
    fields, checks = {}, []
    log()
    log("freshness (queue-driven recompute of the groups changed documents mark):")
    if not targets:
        return fields, checks
    incremental = _measure_incremental(env, data, targets, log)
    fields.update(incremental["fields"])
    checks.append(("queue-driven recompute vs full recompute", incremental["diffs"]))
    fields.update(_measure_write_overhead(env, data, log))
    env.cr.commit()
    fields.update(_measure_fresh(env, data, targets, log))
    return fields, checks


# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------
class _Rollback:
    """Savepoint rolled back on exit, the ORM caches emptied."""

    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.env.flush_all()
        self.savepoint = self.env.cr.savepoint(flush=True)
        return self

    def __exit__(self, *exc):
        self.savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.env.cr.precommit.data.pop(TRIGGERED_KEY, None)
        return False


def _figures(env, targets):
    env.flush_all()
    env.cr.execute(
        "SELECT id, achieved_value::float8, forecast_value::float8,"
        " attainment::float8, status, rank FROM sales_performance_target"
        " WHERE id = ANY(%s)",
        [targets.ids],
    )
    return {row[0]: row[1:] for row in env.cr.fetchall()}


def _diffs(reference, other):
    diffs = []
    for key, ref in reference.items():
        val = other.get(key)
        if val is None or any(
            (abs((a or 0.0) - (b or 0.0)) > TOLERANCE)
            if isinstance(a, float) or isinstance(b, float)
            else a != b
            for a, b in zip(ref, val, strict=True)
        ):
            diffs.append((key, ref, val))
    return diffs


def _recent(env, table, where, date_column, data, share=0.01):
    """Ids of the most recent ``share`` of the bench company's rows of
    ``table`` matching ``where`` (constant SQL), by ``date_column``."""
    from odoo.tools import SQL

    condition = SQL(
        "company_id = %s AND %s",
        data.company_id,
        SQL(where),  # pylint: disable=sql-injection
    )
    [[count]] = env.execute_query(
        SQL("SELECT count(*) FROM %s WHERE %s", SQL.identifier(table), condition)
    )
    rows = env.execute_query(
        SQL(
            "SELECT id FROM %s WHERE %s ORDER BY %s DESC, id DESC LIMIT %s",
            SQL.identifier(table),
            condition,
            SQL.identifier(date_column),
            max(1, int(count * share)),
        )
    )
    return [row[0] for row in rows]


def _timed(env, func):
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - start, result


# ----------------------------------------------------------------------
# incremental_s
# ----------------------------------------------------------------------
def _measure_incremental(env, data, targets, log):
    Queue = env["sales.performance.recompute.queue"]
    out = {"fields": {}, "diffs": []}
    with _Rollback(env):
        env.cr.execute("DELETE FROM sales_performance_recompute_queue")
        leads = _recent(
            env,
            "crm_lead",
            "type = 'opportunity' AND active AND won_status = 'won'",
            "date_closed",
            data,
        )
        orders = _recent(env, "sale_order", "state = 'sale'", "date_order", data)
        invoices = _recent(
            env,
            "account_move",
            "state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
            "invoice_date",
            data,
        )
        start = time.perf_counter()
        Lead = env["crm.lead"].with_context(tracking_disable=True)
        reopened, raised = Lead.browse(leads[::2]), Lead.browse(leads[1::2])
        open_stage = env["crm.stage"].search([("is_won", "=", False)], limit=1)
        reopened.write({"stage_id": open_stage.id})
        for lead in raised:
            lead.expected_revenue = (lead.expected_revenue or 0.0) * 1.1 + 100.0
        env["sale.order"].with_context(tracking_disable=True).browse(
            orders
        )._action_cancel()
        env["account.move"].with_context(tracking_disable=True).browse(
            invoices
        ).button_draft()
        env.flush_all()
        Queue._flush_marks()
        changed_s = time.perf_counter() - start
        env.cr.execute(
            "SELECT count(*), count(DISTINCT (metric_id, date, company_id,"
            " user_id, team_id)) FROM sales_performance_recompute_queue"
        )
        marks, groups = env.cr.fetchone()
        log(
            f"  changed {len(leads)} opportunities (half reopened, half revenue up), "
            f"cancelled {len(orders)} orders, reset {len(invoices)} invoices to "
            f"draft (the most recent 1 %) in {changed_s:.1f}s: {marks} marks, "
            f"{groups} distinct groups"
        )
        env.cr.execute(
            "SELECT metric_id, date, company_id, user_id, team_id"
            " FROM sales_performance_recompute_queue"
        )
        taken = env.cr.fetchall()
        # the queue-driven recompute (as the scheduled action runs it): a
        # first run in this process, then the same marks again (a cron
        # worker is a long-lived process: its caches are warm)
        cold_s, recomputed = _timed(env, Queue._cron_recompute_dirty)
        Queue._put_back(taken)
        count = env.cr.sql_log_count
        incremental_s, recomputed = _timed(env, Queue._cron_recompute_dirty)
        queries = env.cr.sql_log_count - count
        after_queue = _figures(env, targets)
        # then the full recompute of every target: the same figures
        full_s, _r = _timed(env, targets._recompute_batch)
        after_full = _figures(env, targets)
        out["diffs"] = _diffs(after_full, after_queue)
        full_again_s, _r = _timed(env, targets._recompute_batch)
        full_s = min(full_s, full_again_s)
    pct = 100.0 * incremental_s / full_s if full_s else 0.0
    log(
        f"  queue-driven recompute: {recomputed} of {len(targets)} targets in "
        f"{incremental_s:.3f}s (first run in the process {cold_s:.3f}s), "
        f"{queries} queries; full recompute "
        f"{full_s:.3f}s: {pct:.1f} % of it (goal: at most 10 %)"
    )
    out["fields"] = {
        "incremental_s": f"{incremental_s:.3f}",
        "incremental_pct": f"{pct:.1f}",
        "incremental_targets": recomputed,
    }
    return out


# ----------------------------------------------------------------------
# write_overhead_pct
# ----------------------------------------------------------------------
def _measure_write_overhead(env, data, log):
    env.cr.execute(
        "SELECT id FROM sale_order WHERE company_id = %s AND state = 'sale'"
        " ORDER BY date_order DESC, id DESC LIMIT %s",
        [data.company_id, N_DOCUMENTS],
    )
    order_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "SELECT id FROM account_move WHERE company_id = %s AND state = 'posted'"
        " AND move_type = 'out_invoice' ORDER BY invoice_date DESC, id DESC"
        " LIMIT %s",
        [data.company_id, N_DOCUMENTS],
    )
    invoice_ids = [row[0] for row in env.cr.fetchall()]

    queue = env["sales.performance.recompute.queue"]
    Queue = type(queue)
    spent = [0.0]
    originals = {
        name: getattr(Queue, name)
        for name in ("_keys", "_insert_marks", "_flush_marks")
    }

    def timing(method):
        def timed(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return timed

    with _Rollback(env):
        quiet = env(
            context=dict(
                env.context, tracking_disable=True, mail_notrack=True, **{OFF: True}
            )
        )
        # the documents back to quotations and drafts (not timed)
        quiet["account.move"].browse(invoice_ids).button_draft()
        env.flush_all()
        env.cr.execute(
            "UPDATE sale_order SET state = 'draft' WHERE id = ANY(%s)", [order_ids]
        )
        env.cr.execute("DELETE FROM sales_performance_recompute_queue")
        env.invalidate_all()
        # documents alternately with and without the hooks, one per call (one
        # user transaction each: one trigger each), so that the load of the
        # machine weighs the same on both
        envs = {True: env, False: env(context=dict(env.context, **{OFF: True}))}
        elapsed = {True: 0.0, False: 0.0}
        counts = {True: 0, False: 0}
        precommit = env.cr.precommit.data
        # what a running server has cached already (once per registry)
        for model in ("sale.order", "account.move"):
            queue._metric_specs(model)
        queue._cron_id()
        for name, method in originals.items():
            setattr(Queue, name, timing(method))
        try:
            for model, ids, action in (
                ("sale.order", order_ids, "action_confirm"),
                ("account.move", invoice_ids, "action_post"),
            ):
                for index, record_id in enumerate(ids):
                    hooks = index % 2 == 0
                    start = time.perf_counter()
                    getattr(envs[hooks][model].browse(record_id), action)()
                    env.flush_all()
                    # what the commit of the user's transaction does
                    queue._flush_marks()
                    elapsed[hooks] += time.perf_counter() - start
                    counts[hooks] += 1
                    precommit.pop(TRIGGERED_KEY, None)
        finally:
            for name in originals:
                delattr(Queue, name)
        env.cr.execute("SELECT count(*) FROM sales_performance_recompute_queue")
        marks = env.cr.fetchone()[0]
    per_doc = {h: elapsed[h] / counts[h] if counts[h] else 0.0 for h in elapsed}
    pct = 100.0 * (per_doc[True] - per_doc[False]) / per_doc[False]
    hooks_pct = 100.0 * spent[0] / elapsed[True] if elapsed[True] else 0.0
    log(
        f"  confirming {len(order_ids)} orders and posting {len(invoice_ids)} "
        f"invoices, one per call, every other one without the freshness hooks: "
        f"{per_doc[False] * 1000:.1f} ms a document without, "
        f"{per_doc[True] * 1000:.1f} ms with ({marks} marks): {pct:+.1f} % "
        f"(goal: under 5 %); time inside the hooks (marks computed, INSERT, "
        f"trigger): {spent[0]:.2f}s, {hooks_pct:.1f} % of the documents with them"
    )
    return {
        "write_overhead_pct": f"{pct:.1f}",
        "write_hooks_pct": f"{hooks_pct:.1f}",
    }


# ----------------------------------------------------------------------
# fresh_s
# ----------------------------------------------------------------------
def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(env, logfile):
    from odoo.tools import config

    paths = config["addons_path"]
    if not isinstance(paths, str):
        paths = ",".join(paths)
    cmd = [
        sys.executable, "-m", "odoo", "-d", env.cr.dbname,
        f"--addons-path={paths}", "--max-cron-threads=1",
        "--workers=0", f"--http-port={_free_port()}",
        "--http-interface=127.0.0.1", "--log-level=info",
        f"--logfile={logfile}",
    ]  # fmt: skip
    for key, option in (
        ("db_host", "--db_host"),
        ("db_port", "--db_port"),
        ("db_user", "--db_user"),
        ("db_password", "--db_password"),
        ("data_dir", "--data-dir"),
    ):
        if config.get(key):
            cmd.append(f"{option}={config[key]}")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def _wait_for(predicate, timeout):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        value = predicate()
        if value:
            return time.perf_counter() - start, value
        time.sleep(0.05)
    return None, None


def _measure_fresh(env, data, targets, log):
    cr = env.cr
    cron = env.ref(CRON_XMLID)
    # the other scheduled actions wait meanwhile (they would change the data)
    cr.execute("SELECT id FROM ir_cron WHERE active AND id != %s", [cron.id])
    paused = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE ir_cron SET active = FALSE WHERE id = ANY(%s)", [paused])
    cr.execute("DELETE FROM sales_performance_recompute_queue")
    cr.commit()
    # an invoice of a salesperson target of the last month, and that target
    month_from, month_to = data.months[-1]
    metric = env.ref("sales_performance.metric_invoiced_revenue")
    cr.execute(
        """
        SELECT m.id, t.id FROM account_move m
          JOIN sales_performance_target t
            ON t.user_id = m.invoice_user_id AND t.metric_id = %s
           AND t.date_from = %s AND t.id = ANY(%s)
         WHERE m.company_id = %s AND m.state = 'posted'
           AND m.move_type = 'out_invoice' AND m.invoice_date BETWEEN %s AND %s
           AND m.amount_untaxed_signed > 0
           AND NOT EXISTS (SELECT 1 FROM sales_performance_credit_split s
                            WHERE s.res_model = 'account.move' AND s.res_id = m.id)
         ORDER BY m.invoice_date DESC, m.id DESC LIMIT %s
        """,
        [
            metric.id,
            month_from,
            targets.ids,
            data.company_id,
            month_from,
            month_to,
            FRESH_SAMPLES,
        ],
    )
    samples = cr.fetchall()
    logfile = tempfile.NamedTemporaryFile(
        prefix="bench_freshness_", suffix=".log", delete=False
    ).name
    server = _start_server(env, logfile)
    registry = env.registry
    times = []
    try:
        # wait for the server's cron worker to be up and idle
        up, _v = _wait_for(lambda: "Registry loaded" in _read(logfile), 180.0)
        if up is None or "modules are not loaded" in _read(logfile):
            log(f"  fresh_s: the Odoo server did not start (see {logfile})")
            return {}
        time.sleep(2.0)

        def achieved(target_id):
            with registry.cursor() as poll_cr:
                poll_cr.execute(
                    "SELECT achieved_value::float8 FROM sales_performance_target"
                    " WHERE id = %s",
                    [target_id],
                )
                return poll_cr.fetchone()[0] or 0.0

        Move = env["account.move"].with_context(tracking_disable=True)
        for move_id, target_id in samples:
            before = achieved(target_id)
            for action in ("button_draft", "action_post"):
                getattr(Move.browse(move_id), action)()
                env.flush_all()
                current = achieved(target_id)
                cr.commit()
                start = time.perf_counter()
                elapsed, _v = _wait_for(
                    lambda t=target_id, c=current: abs(achieved(t) - c) > TOLERANCE,
                    FRESH_TIMEOUT,
                )
                if elapsed is None:
                    log(
                        f"  fresh_s: target {target_id} not updated after "
                        f"{FRESH_TIMEOUT:.0f}s (invoice {move_id}, {action})"
                    )
                    return {"fresh_s": "timeout"}
                times.append(time.perf_counter() - start)
            after = achieved(target_id)
            if abs(after - before) > TOLERANCE:
                log(f"  fresh_s: target {target_id} {before} -> {after} after revert")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        cr.rollback()
        cr.execute("UPDATE ir_cron SET active = TRUE WHERE id = ANY(%s)", [paused])
        cr.commit()
    fresh = statistics.median(times) if times else None
    if fresh is None:
        return {}
    log(
        f"  fresh: commit of an invoice reset to draft or posted -> its "
        f"salesperson's target updated by the scheduled action (Odoo server, "
        f"--max-cron-threads=1): median {fresh:.2f}s, max {max(times):.2f}s over "
        f"{len(times)} changes (goal: within 60s)"
    )
    return {"fresh_s": f"{fresh:.2f}"}
