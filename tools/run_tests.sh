#!/usr/bin/env bash
# The whole test suite of the sales_performance addon, in this order:
#   1. engine  pure-Python tests:  python3 -m pytest -q tests/engine
#   2. static  `pre-commit run --all-files` (.pre-commit-config.yaml: house checks
#              tools/static_checks.py, ruff check, ruff format --check,
#              pylint-odoo, oca-checks-odoo-module, oca-checks-po); one test per hook
#   3. bench   tools/bench.py --size tiny --check in a throwaway database
#              ${TEST_DB}_bench: the addon's figures, a plain SQL GROUP BY and
#              gamification agree on a tiny generated data set; one test per check
#   4. odoo    install sales_performance with demo data in a throwaway database
#              and run its Odoo tests; then checklog-odoo (tools/checklog-odoo.cfg)
#              fails the run on WARNING/ERROR records about the addon
#   5. soak    tools/soak.py --size tiny --duration 30 --clients 5 in a throwaway
#              database ${TEST_DB}_soak: concurrent JSON-RPC clients on Odoo with
#              --workers=2, then its invariants (SOAK line); one test
# (bench, odoo and soak are skipped, with one line, when odoo is not importable)
# and ends with ONE line `total: N passed, M failed` (read by CI); exit code 1
# when anything failed.
#
# Usage: tools/run_tests.sh [--only engine|static|bench|odoo|soak]...   (repeatable)
#
# Environment (all optional):
#   ODOO_PYTHON   python that imports odoo (default python3)
#   PYTHON        python for pytest, pre-commit and the linters (default python3);
#                 its scripts folder goes first on PATH for the pre-commit hooks
#   ADDON_DIR     addon to test (default: this repository); the static stage runs
#                 its .pre-commit-config.yaml (on a git-initialised copy when it
#                 is not the root of a git checkout)
#   TEST_TAGS     Odoo --test-tags (default /sales_performance), e.g.
#                 TEST_TAGS=/sales_performance:TestSalesPerformanceTarget
#   TEST_DB       database name (default sp_test_<pid>); dropped before and after;
#                 the bench stage uses ${TEST_DB}_bench
#   KEEP_DB=1     keep the databases and their filestores after the run
#   TEST_HTTP_PORT  HTTP port for Odoo (default: a free port)
#   ODOO_TEST_TIMEOUT  seconds before the Odoo run is stopped (default 2700)
#   BENCH_TIMEOUT  seconds before the bench checks are stopped (default 900)
#   SOAK_TIMEOUT  seconds before the soak is stopped (default 1800)
#   PGHOST PGPORT PGUSER PGPASSWORD  database connection (default: local socket)
#   SKIP_PIP=1    never pip-install requirements-dev.txt
set -u

# shellcheck source=tools/odoo_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/odoo_env.sh"
PYTHON=${PYTHON:-python3}

STAGES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --only)
            [ $# -ge 2 ] || { echo "--only needs engine, static, bench or odoo" >&2; exit 2; }
            STAGES+=("$2")
            shift 2
            ;;
        --only=*) STAGES+=("${1#--only=}"); shift ;;
        -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#STAGES[@]} -gt 0 ] || STAGES=(engine static bench odoo soak)
for stage in "${STAGES[@]}"; do
    case "$stage" in
        engine | static | bench | odoo | soak) ;;
        *) echo "unknown stage: $stage (engine, static, bench, odoo or soak)" >&2; exit 2 ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sp_tests.XXXXXX")
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
ODOO_PID=""
TEST_DB=${TEST_DB:-sp_test_$$}
DB_USED=""
BENCH_DB_USED=""
SOAK_DB_USED=""
KEEP_WORK=""
FINISHED=""

# record STAGE PASSED FAILED [NOTE]
record() {
    TOTAL_PASSED=$((TOTAL_PASSED + $2))
    TOTAL_FAILED=$((TOTAL_FAILED + $3))
    SUMMARY+=("$(printf '%-8s %4d passed, %d failed%s' "$1" "$2" "$3" "${4:+  ($4)}")")
}

drop_db() {
    dropdb --if-exists --force "$1" 2>/dev/null || dropdb --if-exists "$1"
}

cleanup() {
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        echo "stopping Odoo (pid $ODOO_PID)"
        kill -TERM "$ODOO_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$ODOO_PID" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$ODOO_PID" 2>/dev/null; then
            # `timeout` leads its own process group: kill Odoo and its children
            kill -KILL -- "-$ODOO_PID" 2>/dev/null || kill -KILL "$ODOO_PID" 2>/dev/null
        fi
    fi
    # Nothing is printed after the summary line, except when interrupted.
    local db
    for db in "$DB_USED" "$BENCH_DB_USED" "$SOAK_DB_USED"; do
        if [ -n "$db" ] && [ "${KEEP_DB:-0}" != 1 ]; then
            drop_db "$db" >/dev/null 2>&1 ||
                [ -n "$FINISHED" ] || echo "could not drop database $db"
        fi
    done
    if [ "${KEEP_DB:-0}" = 1 ] && [ -n "$DB_USED$BENCH_DB_USED" ]; then
        : # keep the databases' filestores in $WORK/data and $WORK/bench-data
    elif [ -n "$KEEP_WORK" ]; then
        rm -rf "$WORK/data" "$WORK/bench-data"
        [ -n "$FINISHED" ] || echo "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

banner() {
    echo
    echo "=== $* ==="
}

# Installs requirements-dev.txt when a pinned tool is missing or at another version.
ensure_dev_tools() {
    local req="$REPO_DIR/requirements-dev.txt"
    [ -f "$req" ] || return 0
    if "$PYTHON" - "$req" <<'PY'; then return 0; fi
import re
import sys
from importlib.metadata import PackageNotFoundError, version

bad = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#")[0].strip()
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(?:==\s*(\S+))?", line)
    if not match:
        continue
    name, pin = match.groups()
    try:
        found = version(name)
    except PackageNotFoundError:
        found = None
    if found is None or (pin and found != pin):
        bad.append(f"{name} {found or 'missing'} (want {pin or 'any'})")
if bad:
    print("dev tools to install: " + ", ".join(bad))
    sys.exit(1)
PY
    if [ "${SKIP_PIP:-0}" = 1 ]; then
        echo "SKIP_PIP=1: not installing requirements-dev.txt"
        return 1
    fi
    echo "installing $req"
    "$PYTHON" -m pip install -q --disable-pip-version-check -r "$req" 2>&1 |
        grep -v -e "^WARNING: Location" -e "Running pip as the 'root' user" \
            -e "dependency resolver does not currently" -e " requires .*, but you have "
    return 0
}

# ---------------------------------------------------------------- 1. engine --
stage_engine() {
    banner "engine: pytest tests/engine"
    if [ ! -d "$ADDON_DIR/tests/engine" ]; then
        echo "no tests/engine folder: 0 tests"
        record engine 0 0 "no tests/engine"
        return
    fi
    local xml="$WORK/pytest.xml" rc counts
    (cd "$ADDON_DIR" && "$PYTHON" -m pytest -q tests/engine --junitxml="$xml")
    rc=$?
    if [ $rc -eq 5 ]; then
        echo "tests/engine has no tests yet: 0 tests"
        record engine 0 0 "no tests collected"
        return
    fi
    counts=$("$PYTHON" - "$xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit(1)
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failed = skipped = 0
for suite in suites:
    tests += int(suite.get("tests", 0))
    failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
print(tests - failed - skipped, failed, skipped)
PY
    ) || counts=""
    if [ -z "$counts" ]; then
        echo "pytest exited $rc without a readable report"
        record engine 0 1 "pytest exit $rc, no report"
        return
    fi
    # shellcheck disable=SC2086
    set -- $counts
    local passed=$1 failed=$2 skipped=$3 note=""
    [ "$skipped" -gt 0 ] && note="$skipped skipped"
    if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
        note="pytest exit $rc"
    fi
    record engine "$passed" "$failed" "$note"
}

# ---------------------------------------------------------------- 2. static --
stage_static() {
    banner "static: pre-commit run --all-files"
    if ! "$PYTHON" -c "import pre_commit" >/dev/null 2>&1; then
        echo "static checks NOT run: $PYTHON lacks pre-commit (pip install -r requirements-dev.txt)"
        record static 0 1 "pre-commit missing"
        return
    fi
    # pre-commit checks the files git knows, from the root of a checkout; an
    # export without .git (a CI tarball) is checked as a fresh repository.
    local top dir="$ADDON_DIR"
    top=$(git -C "$ADDON_DIR" rev-parse --show-toplevel 2>/dev/null)
    if [ -z "$top" ] || [ "$(cd "$top" && pwd -P)" != "$(cd "$ADDON_DIR" && pwd -P)" ]; then
        dir="$WORK/static/$ADDON_NAME"
        echo "$ADDON_DIR is not the root of a git checkout: checking a copy in $dir"
        mkdir -p "$dir" &&
            (cd "$ADDON_DIR" && tar --exclude=./.git --exclude=./.odoo -cf - .) |
            tar -xf - -C "$dir" &&
            git -C "$dir" init -q && git -C "$dir" add -A || {
            record static 0 1 "cannot make a git copy"
            return
        }
    fi
    # The hooks are `language: unsupported`: the pinned tools of
    # requirements-dev.txt come from PATH, this python's scripts first.
    local scripts out="$WORK/pre-commit.log" rc passed failed note=""
    scripts=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
    (cd "$dir" && PATH="$scripts:$PATH" "$PYTHON" -m pre_commit run \
        --all-files --color=never) 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    # one line per hook: "<name>.....Passed|Failed|(no files to check)Skipped"
    passed=$(grep -cE '\.Passed$' "$out")
    failed=$(grep -cE '\.Failed$' "$out")
    if [ "$failed" -gt 0 ]; then
        echo
        sed -nE 's/^(.*[^.])\.+Failed$/FAIL \1/p' "$out"
    fi
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
        note="pre-commit exit $rc"
    fi
    record static "$passed" "$failed" "$note"
}

# ----------------------------------------------------------------- 3. bench --
stage_bench() {
    banner "bench: tools/bench.py --size tiny --check (addon, SQL and gamification agree)"
    if ! odoo_importable; then
        echo "bench checks NOT run: $ODOO_PYTHON cannot import odoo (install Odoo 19, see README)"
        record bench 0 0 "NOT run: odoo not importable"
        return
    fi
    local db="${TEST_DB}_bench" out="$WORK/bench.log" rc passed failed note=""
    local timeout=${BENCH_TIMEOUT:-900} limit=()
    command -v timeout >/dev/null 2>&1 && limit=(timeout --kill-after=20 "$timeout")
    drop_db "$db" >/dev/null 2>&1
    BENCH_DB_USED=$db
    local start=$SECONDS
    "${limit[@]}" "$ODOO_PYTHON" "$REPO_DIR/tools/bench.py" --size tiny --check \
        --db "$db" --data-dir "$WORK/bench-data" </dev/null 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    passed=$(grep -cE '^CHECK [^:]+: OK$' "$out")
    failed=$(grep -cE '^CHECK [^:]+: FAIL' "$out")
    echo "bench checks: $passed passed, $failed failed in $((SECONDS - start))s"
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
        case "$rc" in
            124 | 137) note="stopped after ${timeout}s (BENCH_TIMEOUT)" ;;
            *) note="bench.py exit $rc" ;;
        esac
    fi
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "KEEP_DB=1: kept database $db; its filestore: --data-dir=$WORK/bench-data"
    else
        drop_db "$db" || echo "could not drop database $db"
        BENCH_DB_USED=""
    fi
    if [ "$failed" -gt 0 ]; then
        KEEP_WORK=1
        note="${note:+$note, }log: $out"
    fi
    record bench "$passed" "$failed" "$note"
}

# ------------------------------------------------------------------ 4. odoo --
stage_odoo() {
    banner "odoo: install $ADDON_NAME with demo data and run its tests"
    if ! odoo_importable; then
        echo "Odoo suite NOT run: $ODOO_PYTHON cannot import odoo (install Odoo 19, see README)"
        record odoo 0 0 "NOT run: odoo not importable"
        return
    fi
    local core_path log="$WORK/odoo.log" port tags rc
    if ! make_addons_dir || ! core_path=$(odoo_core_addons_path); then
        echo "cannot build the addons path (see above)"
        record odoo 0 1 "no addons path"
        return
    fi
    port=${TEST_HTTP_PORT:-$(free_port)}
    tags=${TEST_TAGS:-/$ADDON_NAME}
    # Browser tours (HttpCase) need Chromium, found by Odoo on PATH under these
    # names (odoo/tests/common.py); without it Odoo skips them: say so plainly.
    local browser=""
    for name in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$name" >/dev/null 2>&1 && browser=$(command -v "$name") && break
    done
    if [ -z "$browser" ]; then
        echo "browser tests NOT run: no Chromium found (Debian: apt-get install chromium)"
    elif ! "$ODOO_PYTHON" -c "import websocket" >/dev/null 2>&1; then
        echo "browser tests NOT run: $ODOO_PYTHON lacks websocket-client (pip install websocket-client)"
    else
        echo "browser tests: run with $browser"
    fi
    odoo_db_args
    drop_db "$TEST_DB" >/dev/null 2>&1
    DB_USED=$TEST_DB
    KEEP_WORK=1 # keep the log until we know the run passed
    local timeout=${ODOO_TEST_TIMEOUT:-2700} limit=()
    # A hung test (e.g. a lock wait) must not eat CI's 90 minutes: TERM after
    # $timeout seconds, KILL 20 s later (exit code 124 or 137).
    command -v timeout >/dev/null 2>&1 && limit=(timeout --kill-after=20 "$timeout")
    local cmd=("${limit[@]}" "$ODOO_PYTHON" -m odoo
        -d "$TEST_DB" --db-filter="^${TEST_DB}\$" "${DB_ARGS[@]}"
        --addons-path="$core_path,$ODOO_ADDONS_DIR" --data-dir="$WORK/data"
        -i "$ADDON_NAME" --with-demo
        --test-enable --test-tags="$tags" --stop-after-init
        --http-interface=127.0.0.1 --http-port="$port"
        --workers=0 --max-cron-threads=0 --log-level=test)
    echo "database $TEST_DB, test tags $tags, timeout ${timeout}s, log $log"
    echo "+ ${cmd[*]}"
    # In the background so that a TERM/INT trap can stop it; the subshell
    # records Odoo's own exit code.
    (
        "${cmd[@]}" </dev/null &
        echo $! >"$WORK/odoo.pid"
        wait $!
        echo $? >"$WORK/odoo.rc"
    ) 2>&1 | tee "$log" &
    local pipe_pid=$!
    for _ in $(seq 50); do
        [ -s "$WORK/odoo.pid" ] && break
        sleep 0.1
    done
    ODOO_PID=$(cat "$WORK/odoo.pid" 2>/dev/null)
    wait $pipe_pid
    ODOO_PID=""
    rc=$(cat "$WORK/odoo.rc" 2>/dev/null || echo 1)

    local parsed
    parsed=$("$PYTHON" "$REPO_DIR/tools/odoo_log_summary.py" "$log" "$rc" "$ADDON_NAME"
    ) || parsed="FAIL cannot parse the Odoo log
COUNTS 0 1"
    banner "odoo: result"
    printf '%s\n' "$parsed" | grep -v '^COUNTS '
    local counts passed failed
    counts=$(printf '%s\n' "$parsed" | sed -n 's/^COUNTS //p')
    read -r passed failed <<<"$counts"
    # WARNING/ERROR/CRITICAL records about the addon: checklog-odoo, run from
    # $WORK so that it reads no pyproject.toml
    local checklog_out="$WORK/checklog.out"
    if ! "$PYTHON" -c "import checklog_odoo" >/dev/null 2>&1; then
        echo "FAIL checklog-odoo is not installed (pip install -r requirements-dev.txt)"
        failed=$((failed + 1))
    elif ! (cd "$WORK" && "$PYTHON" -m checklog_odoo --no-echo --no-err-if-empty \
        -c "$REPO_DIR/tools/checklog-odoo.cfg" "$log") >"$checklog_out" 2>&1; then
        echo "FAIL checklog-odoo: WARNING/ERROR records in the Odoo log (tools/checklog-odoo.cfg)"
        if grep -q '^errors that caused failure' "$checklog_out"; then
            sed -n '/^errors that caused failure/,$p' "$checklog_out"
        else
            cat "$checklog_out"
        fi | head -n 80 | cut -c1-400 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "KEEP_DB=1: kept database $TEST_DB; its filestore: --data-dir=$WORK/data"
    else
        drop_db "$TEST_DB" || echo "could not drop database $TEST_DB"
        DB_USED=""
    fi
    if [ "$failed" -eq 0 ]; then
        KEEP_WORK=""
        record odoo "$passed" "$failed"
    else
        record odoo "$passed" "$failed" "log: $log"
    fi
}

# ------------------------------------------------------------------ 5. soak --
stage_soak() {
    banner "soak: tools/soak.py --size tiny --duration 30 --clients 5 (workers=2, JSON-RPC)"
    if ! odoo_importable; then
        echo "soak NOT run: $ODOO_PYTHON cannot import odoo (install Odoo 19, see README)"
        record soak 0 0 "NOT run: odoo not importable"
        return
    fi
    local db="${TEST_DB}_soak" out="$WORK/soak.log" rc note=""
    local timeout=${SOAK_TIMEOUT:-1800} limit=()
    command -v timeout >/dev/null 2>&1 && limit=(timeout --kill-after=60 "$timeout")
    drop_db "$db" >/dev/null 2>&1
    SOAK_DB_USED=$db
    "${limit[@]}" "$ODOO_PYTHON" "$REPO_DIR/tools/soak.py" --size tiny --duration 30 \
        --clients 5 --db "$db" --data-dir "$WORK/soak-data" </dev/null 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    drop_db "$db" >/dev/null 2>&1 && SOAK_DB_USED=""
    if [ "$rc" -eq 0 ] && grep -q '^SOAK .* errors=0 .* lost=0 duplicates=0' "$out"; then
        record soak 1 0
        return
    fi
    case "$rc" in
        124 | 137) note="stopped after ${timeout}s (SOAK_TIMEOUT)" ;;
        *) note="soak.py exit $rc: $(grep -m1 '^SOAK ' "$out" || echo 'no SOAK line')" ;;
    esac
    KEEP_WORK=1
    record soak 0 1 "$note, log: $out"
}

case " ${STAGES[*]} " in
    *" engine "* | *" static "* | *" odoo "*) ensure_dev_tools || true ;;
esac
for stage in "${STAGES[@]}"; do
    "stage_$stage"
done

FINISHED=1
banner "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "total: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
