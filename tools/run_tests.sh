#!/usr/bin/env bash
# The whole test suite of the sales_performance addon, in this order:
#   1. engine  pure-Python tests:  python3 -m pytest -q tests/engine
#   2. static  tools/static_checks.py, ruff check, ruff format --check,
#              pylint-odoo (OCA mandatory checks), oca-checks-odoo-module/-po
#   3. odoo    install sales_performance with demo data in a throwaway database
#              and run its Odoo tests (skipped, with one line, when odoo is not
#              importable)
# and ends with ONE line `total: N passed, M failed` (read by CI); exit code 1
# when anything failed.
#
# Usage: tools/run_tests.sh [--only engine|static|odoo]...   (repeatable)
#
# Environment (all optional):
#   ODOO_PYTHON   python that imports odoo (default python3)
#   PYTHON        python for pytest and the linters (default python3)
#   ADDON_DIR     addon to test (default: this repository)
#   TEST_TAGS     Odoo --test-tags (default /sales_performance), e.g.
#                 TEST_TAGS=/sales_performance:TestSalesPerformanceTarget
#   TEST_DB       database name (default sp_test_<pid>); dropped before and after
#   KEEP_DB=1     keep the database and its filestore after the run
#   TEST_HTTP_PORT  HTTP port for Odoo (default: a free port)
#   ODOO_TEST_TIMEOUT  seconds before the Odoo run is stopped (default 2700)
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
            [ $# -ge 2 ] || { echo "--only needs engine, static or odoo" >&2; exit 2; }
            STAGES+=("$2")
            shift 2
            ;;
        --only=*) STAGES+=("${1#--only=}"); shift ;;
        -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#STAGES[@]} -gt 0 ] || STAGES=(engine static odoo)
for stage in "${STAGES[@]}"; do
    case "$stage" in
        engine | static | odoo) ;;
        *) echo "unknown stage: $stage (engine, static or odoo)" >&2; exit 2 ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sp_tests.XXXXXX")
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()
ODOO_PID=""
TEST_DB=${TEST_DB:-sp_test_$$}
DB_USED=""
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
    if [ -n "$DB_USED" ] && [ "${KEEP_DB:-0}" != 1 ]; then
        drop_db "$DB_USED" >/dev/null 2>&1 ||
            [ -n "$FINISHED" ] || echo "could not drop database $DB_USED"
    fi
    if [ "${KEEP_DB:-0}" = 1 ] && [ -n "$DB_USED" ]; then
        : # keep the database's filestore in $WORK/data, and the log
    elif [ -n "$KEEP_WORK" ]; then
        rm -rf "$WORK/data"
        [ -n "$FINISHED" ] || echo "Odoo log kept: $WORK/odoo.log"
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
STATIC_PASSED=0
STATIC_FAILED=0
static_result() { # NAME RC
    if [ "$2" -eq 0 ]; then
        STATIC_PASSED=$((STATIC_PASSED + 1))
    else
        STATIC_FAILED=$((STATIC_FAILED + 1))
        echo "FAIL $1 (exit $2)"
    fi
}

stage_static() {
    local rc counts_file="$WORK/static.counts"
    banner "static: tools/static_checks.py"
    "$PYTHON" "$REPO_DIR/tools/static_checks.py" --root "$ADDON_DIR" --counts "$counts_file"
    rc=$?
    if [ -s "$counts_file" ]; then
        read -r passed failed <"$counts_file"
        STATIC_PASSED=$((STATIC_PASSED + passed))
        STATIC_FAILED=$((STATIC_FAILED + failed))
    else
        static_result static_checks.py "$((rc == 0 ? 1 : rc))"
    fi

    banner "static: ruff check"
    (cd "$ADDON_DIR" && "$PYTHON" -m ruff check --no-fix --no-cache .)
    static_result "ruff check" $?

    banner "static: ruff format --check"
    (cd "$ADDON_DIR" && "$PYTHON" -m ruff format --check --no-cache .)
    static_result "ruff format --check" $?

    banner "static: pylint-odoo"
    if make_addons_dir; then
        # Run on the symlink so that pylint-odoo sees the module's real name.
        # tests/engine and tools/ are no Odoo packages (no __init__.py).
        (cd "$ODOO_ADDONS_DIR" && "$PYTHON" -m pylint \
            --rcfile="$REPO_DIR/.pylintrc-mandatory" \
            --load-plugins=pylint_odoo --valid-odoo-versions=19.0 --score=n \
            --ignore=.odoo,tools,.git --ignore-paths='.*/tests/engine/.*' \
            "$ADDON_NAME")
        rc=$?
        [ $rc -eq 0 ] && echo "pylint-odoo: no message"
        static_result pylint-odoo $rc
    else
        static_result "pylint-odoo (cannot build $ODOO_ADDONS_DIR)" 1
    fi

    banner "static: oca-checks-odoo-module"
    # On a copy named after the module: the hooks take the module name from the
    # real folder name, which for a clone is not sales_performance.
    local copy="$WORK/oca/$ADDON_NAME"
    mkdir -p "$copy" &&
        (cd "$ADDON_DIR" && tar --exclude=./.git --exclude=./.odoo -cf - .) | tar -xf - -C "$copy"
    # Disabled: prefer-readme-rst (house style is README.md), weblate (not used),
    # xml-header-wrong (encoding="utf-8" in lower case as Odoo core writes it).
    (cd "$WORK/oca" && "$PYTHON" -m oca_pre_commit_hooks \
        --disable=prefer-readme-rst,weblate-component-too-long,xml-header-wrong \
        "$ADDON_NAME") 2>&1 | sed -e "s#${copy#/}/##g" -e "s#${copy}/##g"
    static_result oca-checks-odoo-module "${PIPESTATUS[0]}"

    local po_files=()
    if [ -d "$ADDON_DIR/i18n" ]; then
        mapfile -t po_files < <(cd "$ADDON_DIR" && ls i18n/*.po i18n/*.pot 2>/dev/null)
    fi
    if [ ${#po_files[@]} -gt 0 ]; then
        banner "static: oca-checks-po"
        (cd "$ADDON_DIR" && "$PYTHON" -c 'import sys
from oca_pre_commit_hooks.cli_po import main
sys.exit(main())' --disable=po-pretty-format "${po_files[@]}")
        static_result oca-checks-po $?
    fi

    record static "$STATIC_PASSED" "$STATIC_FAILED"
}

# ------------------------------------------------------------------ 3. odoo --
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

case " ${STAGES[*]} " in
    *" engine "* | *" static "*) ensure_dev_tools || true ;;
esac
for stage in "${STAGES[@]}"; do
    "stage_$stage"
done

FINISHED=1
banner "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "total: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" -eq 0 ]
