#!/usr/bin/env python3
"""Take the README / app-store screenshots from a demo database.

Starts Odoo on an already installed database (``--with-demo``, the Horizon
Trading Co. organisation of ``models/sales_performance_demo.py``) on
127.0.0.1 and a free port, logs each demo role in through
``/web/session/authenticate``, hands the session cookie to a headless Chromium
driven over the DevTools protocol, and captures every screen at 1440x900 once
the page has settled (no pending request, no spinner, the expected element
present). Installs nothing; the only things it writes to the database are the
users' language (one pass per language, put back at the end) and
``report.url`` while the PDF is rendered (put back at the end).

    python3 tools/screenshots.py -d sp_demo \\
        --addons-path /opt/odoo19/addons,/path/to/parent/of/addon \\
        --out static/description --langs en_US,zh_CN

English files are ``screenshot_<name>.png``, the other languages
``screenshot_<name>_<lang>.png``. Needs chromium, pdftoppm, websocket-client,
requests and Pillow.
"""

import argparse
import base64
import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from PIL import Image

WIDTH, HEIGHT = 1440, 900
MODULE = "sales_performance"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=10).status_code < 500:
                return
        time.sleep(1)
    raise SystemExit(f"Odoo did not answer on {url} within {timeout}s")


class Rpc:
    """A JSON-RPC session of one user."""

    def __init__(self, base, db, login, password):
        self.base = base
        self.http = requests.Session()
        result = self.call(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = result["uid"]
        self.sid = self.http.cookies.get("session_id")

    def call(self, path, params):
        response = self.http.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=300,
        )
        data = response.json()
        if data.get("error"):
            raise RuntimeError(f"{path}: {json.dumps(data['error'])[:600]}")
        return data["result"]

    def kw(self, model, method, args, **kwargs):
        return self.call(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def search_read(self, model, domain, fields, **kwargs):
        return self.kw(model, "search_read", [domain, fields], **kwargs)


class Browser:
    """One headless Chromium tab over the DevTools protocol."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="sp_shots_")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--force-device-scale-factor=1",
                f"--window-size={WIDTH},{HEIGHT}",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 120
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() > deadline:
                raise SystemExit("Chromium did not start")
            time.sleep(0.5)
        port = open(port_file).read().split()[0]
        pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=30).json()
        page = next(p for p in pages if p.get("type") == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=300, suppress_origin=True
        )
        self.msg_id = 0
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _event(self, message):
        """Events are not needed: the page is judged by its DOM."""
        return message

    def send(self, method, **params):
        self.msg_id += 1
        my_id = self.msg_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message)

    def drain(self, seconds):
        self.ws.settimeout(seconds)
        with contextlib.suppress(websocket.WebSocketTimeoutException):
            while True:
                self._event(json.loads(self.ws.recv()))
        self.ws.settimeout(300)

    def js(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JS error: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def login(self, base, sid):
        self.send("Network.clearBrowserCookies")
        self.send(
            "Network.setCookie",
            name="session_id",
            value=sid,
            url=base,
            path="/",
            httpOnly=True,
        )

    def goto(self, url):
        self.send("Page.navigate", url=url)

    def settle(self, selector, timeout=180):
        """Wait until `selector` is there, nothing loads, and nothing moves."""
        check = (
            "(() => { const d = document;"
            " if (d.querySelector('.oe_login_form')) return 'login';"
            f" if (!d.querySelector({json.dumps(selector)})) return 'wait';"
            " if (d.querySelector('.o_loading_indicator, .o_blockUI,"
            " .o_spinner')) return 'wait';"
            " if (d.readyState !== 'complete') return 'wait';"
            " return 'ok:' + d.body.innerHTML.length; })()"
        )
        deadline = time.time() + timeout
        quiet, last = 0, None
        while time.time() < deadline:
            self.drain(0.7)
            state = self.js(check)
            if state == "login":
                raise RuntimeError("landed on the login page")
            # settled: the same page three checks in a row
            quiet = quiet + 1 if state.startswith("ok") and state == last else 0
            last = state
            if quiet >= 3:
                self.js("document.fonts.ready.then(() => true)")
                self.drain(1.5)
                return
        raise RuntimeError(f"page did not settle ({selector!r} missing?)")

    def shot(self):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(20)
        shutil.rmtree(self.profile, ignore_errors=True)


def crop_to_content(image, min_height=420):
    """Cut the empty band under the content (keep the full width)."""
    width, height = image.size
    background = image.getpixel((width - 2, height - 2))
    diff = Image.new("RGB", image.size, background)
    from PIL import ImageChops

    box = ImageChops.difference(image, diff).getbbox()
    if not box:
        return image
    bottom = min(height, max(min_height, box[3] + 24))
    return image.crop((0, 0, width, bottom))


def save_png(image, path):
    """256 colours are plenty for a web page and keep files small."""
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0).save(
        path, optimize=True
    )
    return os.path.getsize(path)


def act(xmlid):
    return f"/odoo/action-{MODULE}.{xmlid}"


def do_action_js(xmlid, context=None, view_type=None, domain=None):
    """Open an action of the addon with another context (default filters and
    groupings) and an extra domain, as a menu click would, in the same app."""
    options = {"clearBreadcrumbs": True}
    if view_type:
        options["viewType"] = view_type
    extra = ""
    if domain:
        extra = (
            f" a.domain = '[' + {json.dumps(domain)}"
            " + (a.domain && a.domain !== '[]'"
            " ? ', ' + a.domain.slice(1, -1) : '') + ']';"
        )
    return (
        "(async () => { const s = odoo.__WOWL_DEBUG__.root.env.services.action;"
        f" const a = await s.loadAction({json.dumps(MODULE + '.' + xmlid)});"
        f" a.context = {json.dumps(context or {})};{extra}"
        f" await s.doAction(a, {json.dumps(options)}); return true; }})()"
    )


def last_month():
    today = time.localtime()
    year, month = (
        (today.tm_year, today.tm_mon - 1)
        if today.tm_mon > 1
        else (today.tm_year - 1, 12)
    )
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{days}"


HIDE_CHATTER = (
    "Promise.resolve((() => { const st = document.createElement('style');"
    " st.textContent = '.o-mail-Form-chatter, .o-mail-ChatterContainer"
    " { display: none !important; }';"
    " document.head.appendChild(st); return true; })())"
)


def click_when_there(selector):
    """Click the first `selector` as soon as it is rendered (30 s at most)."""
    return (
        "(async () => { for (let i = 0; i < 60; i++) {"
        f" const el = document.querySelector({json.dumps(selector)});"
        " if (el) { el.click(); return true; }"
        " await new Promise(r => setTimeout(r, 500)); } return false; })()"
    )


COCKPIT_YEAR = (
    "(() => { const s = document.querySelector('select.o_sp_cockpit_period');"
    " s.value = 'year'; s.dispatchEvent(new Event('change', {bubbles: true}));"
    " return true; })()"
)

EXPAND_FIRST_GROUPS = (
    "(async () => { let hs = [];"
    " for (let i = 0; i < 60 && !hs.length; i++) {"
    " await new Promise(r => setTimeout(r, 500));"
    " hs = [...document.querySelectorAll('.o_list_view .o_group_header')]"
    ".slice(0, %d); }"
    " hs.forEach(h => { if (!h.classList.contains('o_group_open')) h.click(); });"
    " return hs.length; })()"
)


def find_records(rpcs):
    """The records the screens show, looked up by what makes them worth showing."""
    helen, wang = rpcs["helen"], rpcs["wangfang"]
    ids = {}
    targets = wang.search_read(
        "sales.performance.target",
        [("user_id", "=", wang.uid), ("assignee_type", "=", "user")],
        ["id", "status", "date_from", "date_to"],
        order="date_to desc, id",
    )
    if not targets:
        raise SystemExit("Wang Fang has no target: is this the demo database?")
    yearly = [
        t
        for t in targets
        if t["date_from"][5:] == "01-01" and t["date_to"][5:] == "12-31"
    ]
    ids["target"] = (yearly or targets)[0]["id"]
    evaluations = rpcs["lina"].search_read(
        "sales.performance.evaluation",
        [("state", "=", "done"), ("employee_user_id", "=", wang.uid)],
        ["id"],
        order="date_to desc",
        limit=1,
    ) or rpcs["lina"].search_read(
        "sales.performance.evaluation", [("state", "=", "done")], ["id"], limit=1
    )
    ids["evaluation"] = evaluations[0]["id"] if evaluations else None
    # a statement with band details, preferably paid, of the top performer
    bands = helen.search_read(
        "sales.performance.incentive.statement.line",
        [("line_type", "=", "band")],
        ["statement_id"],
    )
    with_bands = {line["statement_id"][0] for line in bands}
    statements = helen.search_read(
        "sales.performance.incentive.statement",
        [("id", "in", sorted(with_bands))],
        ["id", "state", "user_id"],
        order="date_to desc",
    )
    rank = {"paid": 0, "approved": 1, "confirmed": 2, "draft": 3}
    statements.sort(
        key=lambda s: (s["user_id"][0] != wang.uid, rank.get(s["state"], 9))
    )
    ids["statement"] = statements[0]["id"] if statements else None
    ids["statement_user"] = statements[0]["user_id"][0] if statements else None
    plans = helen.search_read(
        "sales.performance.incentive.plan", [], ["id"], order="id", limit=1
    )
    ids["plan"] = plans[0]["id"] if plans else None
    return ids


def prepare_import(rpc, reason):
    """An Excel dry run worth showing: this year's target sheet of the
    company, exported, with two December targets raised by 10 % (with a
    reason), checked but not imported. Returns the import wizard's id."""
    import openpyxl  # noqa: PLC0415 - only this screen needs it

    company = rpc.search_read("res.users", [("id", "=", rpc.uid)], ["company_id"])[0]
    year = int(time.strftime("%Y"))
    export = rpc.kw(
        "sales.performance.target.export",
        "create",
        [{"year": year, "company_id": company["company_id"][0]}],
    )
    rpc.kw("sales.performance.target.export", "action_export", [[export]])
    data = rpc.kw("sales.performance.target.export", "read", [[export], ["file"]])
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data[0]["file"])))
    sheet = book.worksheets[0]
    changed = 0
    for row in sheet.iter_rows():
        numbers = [
            c
            for c in row
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
        ]
        # a salesperson's row (login in the first column) with its 12 months
        if len(numbers) < 12 or not row[0].value or changed == 2:
            continue
        december = numbers[11]
        december.value = round(december.value * 1.1, -2)
        sheet.cell(row=december.row, column=december.column + 1, value=reason)
        changed += 1
    output = io.BytesIO()
    book.save(output)
    return rpc.kw(
        "sales.performance.target.import",
        "create",
        [
            {
                "file": base64.b64encode(output.getvalue()).decode(),
                "file_name": f"targets_{year}.xlsx",
            }
        ],
    )


def screens(ids):
    """(file name, login, url, js run after load or None, selector, crop)."""
    month_from, month_to = last_month()
    last_month_domain = (
        "('assignee_type', '=', 'user'), "
        f"('date_from', '=', '{month_from}'), ('date_to', '=', '{month_to}')"
    )
    board = act("sales_performance_target_action_leaderboard")
    rows = [
        (
            "cockpit",
            "lina",
            act("sales_performance_cockpit_action"),
            COCKPIT_YEAR,
            ".o_action_manager .o_action canvas",
            True,
        ),
        (
            "targets_kanban",
            "wangfang",
            act("sales_performance_target_action_my"),
            None,
            ".o_kanban_record:not(.o_kanban_ghost)",
            True,
        ),
        (
            "targets_list",
            "helen",
            act("sales_performance_target_action"),
            do_action_js(
                "sales_performance_target_action",
                {"search_default_this_year": 1, "search_default_group_team": 1},
                "list",
            )
            + ".then(() => new Promise(r => setTimeout(r, 3000))).then(() => "
            + (EXPAND_FIRST_GROUPS % 2)
            + ")",
            ".o_list_view .o_data_row",
            True,
        ),
        (
            "leaderboard",
            "helen",
            board,
            do_action_js(
                "sales_performance_target_action_leaderboard",
                {"search_default_group_metric": 1},
                "list",
                last_month_domain,
            )
            + ".then(() => new Promise(r => setTimeout(r, 3000))).then(() => "
            + (EXPAND_FIRST_GROUPS % 1)
            + ")",
            ".o_list_view .o_data_row",
            True,
        ),
        (
            "leaderboard_kanban",
            "helen",
            board,
            do_action_js(
                "sales_performance_target_action_leaderboard",
                {"search_default_group_metric": 1},
                "kanban",
                last_month_domain,
            ),
            ".o_kanban_record:not(.o_kanban_ghost)",
            False,
        ),
        (
            "target_form",
            "wangfang",
            f"{act('sales_performance_target_action_my')}/{ids['target']}",
            None,
            ".o_form_view .o-form-buttonbox, .o_form_view .oe_button_box",
            True,
        ),
    ]
    if ids["evaluation"]:
        rows.append(
            (
                "evaluation_form",
                "lina",
                f"{act('sales_performance_evaluation_action')}/{ids['evaluation']}",
                HIDE_CHATTER,
                ".o_form_view .o_field_one2many .o_data_row",
                True,
            )
        )
    if ids["statement"]:
        statement = (
            f"{act('sales_performance_incentive_statement_action')}/{ids['statement']}"
        )
        rows.append(
            (
                "incentive_statement",
                "helen",
                statement,
                HIDE_CHATTER,
                ".o_form_view .o_data_row",
                True,
            )
        )
    if ids["plan"]:
        rows.append(
            (
                "incentive_plan",
                "helen",
                f"{act('sales_performance_incentive_plan_action')}/{ids['plan']}",
                HIDE_CHATTER,
                ".o_form_view .o_form_sheet",
                True,
            )
        )
    rows += [
        (
            "training_records",
            "grace",
            act("sales_performance_training_record_action"),
            EXPAND_FIRST_GROUPS % 2,
            ".o_list_view .o_data_row, .o_kanban_record:not(.o_kanban_ghost)",
            True,
        ),
        (
            "training_needs",
            "grace",
            act("sales_performance_training_need_action"),
            None,
            ".o_list_view .o_data_row, .o_kanban_record:not(.o_kanban_ghost), "
            ".o_list_view .o_group_header",
            True,
        ),
        (
            "training_compliance",
            "grace",
            act("sales_performance_training_compliance_action"),
            None,
            ".o_list_view .o_data_row, .o_list_view .o_group_header, "
            ".o_pivot, .o_kanban_record:not(.o_kanban_ghost)",
            True,
        ),
    ]
    if ids.get("import"):
        rows.append(
            (
                "import_targets",
                "helen",
                act("sales_performance_target_action"),
                "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
                + json.dumps(
                    {
                        **ids.get("import_action", {}),
                        "type": "ir.actions.act_window",
                        "res_model": "sales.performance.target.import",
                        "res_id": ids["import"],
                        "views": [[False, "form"]],
                        "target": "new",
                    }
                )
                + ").then(() => true)",
                ".modal .o_form_view .o_field_html",
                False,
            )
        )
    return rows


def pdf_page(rpc, report, res_id, path, resolution=80):
    response = rpc.http.get(f"{rpc.base}/report/pdf/{report}/{res_id}", timeout=600)
    if response.headers.get("Content-Type", "").split(";")[0] != "application/pdf":
        raise RuntimeError(f"no PDF from {report}: {response.text[:300]}")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "report.pdf")
        with open(pdf, "wb") as handle:
            handle.write(response.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(resolution),
                "-f",
                "1",
                "-l",
                "1",
                pdf,
                os.path.join(tmp, "page"),
            ],
            check=True,
        )
        page = next(f for f in os.listdir(tmp) if f.startswith("page"))
        image = Image.open(os.path.join(tmp, page)).convert("RGB")
        return save_png(crop_to_content(image, 300), path)


def main():  # noqa: C901 (one step per screen and language, in order)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db_host", default="127.0.0.1")
    parser.add_argument("--db_user", default="root")
    parser.add_argument("--out", default="static/description")
    parser.add_argument("--langs", default="en_US,zh_CN")
    parser.add_argument("--only", default="", help="comma separated screen names")
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    os.makedirs(args.out, exist_ok=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            args.database,
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            f"--addons-path={args.addons_path}",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            f"--db-filter=^{args.database}$",
            "--log-level=warn",
        ],
    )
    browser = None
    failures = []
    restore = []
    try:
        wait_http(f"{base}/web/login", 600)
        logins = {
            "helen": "helen",
            "grace": "grace",
            "lina": "lina",
            "wangfang": "wangfang",
        }
        rpcs = {
            login: Rpc(base, args.database, login, pw) for login, pw in logins.items()
        }
        admin = Rpc(base, args.database, args.admin_login, args.admin_password)
        old_url = admin.kw("ir.config_parameter", "get_param", ["report.url"]) or ""
        admin.kw("ir.config_parameter", "set_param", ["report.url", base])
        restore.append(
            lambda: admin.kw(
                "ir.config_parameter", "set_param", ["report.url", old_url]
            )
        )
        # each user sets their own language (a preference they may write)
        langs0 = {
            login: rpc.search_read("res.users", [("id", "=", rpc.uid)], ["lang"])[0][
                "lang"
            ]
            for login, rpc in rpcs.items()
        }

        def set_lang(lang=None):
            for login, rpc in rpcs.items():
                rpc.kw(
                    "res.users", "write", [[rpc.uid], {"lang": lang or langs0[login]}]
                )

        restore.append(set_lang)
        for lang in args.langs.split(","):
            inactive = admin.search_read(
                "res.lang",
                [("code", "=", lang), ("active", "=", False)],
                ["id"],
                context={"active_test": False},
            )
            if inactive:  # e.g. en_US after an install with --load-language
                admin.kw("res.lang", "write", [[inactive[0]["id"]], {"active": True}])
                print(f"activated {lang}", flush=True)
        ids = find_records(rpcs)
        if not only or "import_targets" in only:
            try:
                ids["import"] = prepare_import(rpcs["helen"], "Q4 push")
            except Exception as error:  # noqa: BLE001
                failures.append(f"import_targets: {error}")
        print("records:", ids, flush=True)
        browser = Browser(args.chromium)
        for lang in args.langs.split(","):
            suffix = "" if lang == "en_US" else f"_{lang}"
            set_lang(lang)
            sessions = {
                login: Rpc(base, args.database, login, pw)
                for login, pw in logins.items()
            }
            current = None
            if ids.get("import"):
                # the dry run, in this language; its answer reopens the wizard
                ids["import_action"] = sessions["helen"].kw(
                    "sales.performance.target.import",
                    "action_check",
                    [[ids["import"]]],
                    context={"lang": lang},
                )
            for name, login, url, script, selector, crop in screens(ids):
                if only and name not in only:
                    continue
                path = os.path.join(args.out, f"screenshot_{name}{suffix}.png")
                try:
                    if login != current:
                        browser.login(base, sessions[login].sid)
                        current = login
                    browser.goto(base + url)
                    if script:
                        browser.settle(".o_action_manager .o_action")
                        browser.drain(1)
                        browser.js(script)
                    browser.settle(selector)
                    image = browser.shot()
                    if crop:
                        image = crop_to_content(image)
                    size = save_png(image, path)
                    print(
                        f"{path}: {image.size[0]}x{image.size[1]}, {size // 1024} KB",
                        flush=True,
                    )
                except Exception as error:  # noqa: BLE001 - report and go on
                    failures.append(f"{name} [{lang}]: {error}")
                    print(f"FAILED {name} [{lang}]: {error}", flush=True)
            if ids["evaluation"] and (not only or "appraisal_pdf" in only):
                path = os.path.join(args.out, f"screenshot_appraisal_pdf{suffix}.png")
                try:
                    size = pdf_page(
                        sessions["lina"],
                        f"{MODULE}.report_evaluation",
                        ids["evaluation"],
                        path,
                    )
                    print(f"{path}: {size // 1024} KB", flush=True)
                except Exception as error:  # noqa: BLE001
                    failures.append(f"appraisal_pdf [{lang}]: {error}")
                    print(f"FAILED appraisal_pdf [{lang}]: {error}", flush=True)
    finally:
        for undo in reversed(restore):
            with contextlib.suppress(Exception):
                undo()
        if browser:
            browser.close()
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(30)
    if failures:
        print("\n".join(["not captured:", *failures]))
        sys.exit(1)


if __name__ == "__main__":
    main()
