#!/usr/bin/env python3
"""Count the tests of an Odoo 19 test run from its log (used by tools/run_tests.sh).

    python3 tools/odoo_log_summary.py LOG ODOO_EXIT_CODE [ADDON]

Odoo 19 ends a `--test-enable --stop-after-init` run with one line from the
logger `odoo.tests.result` (odoo/service/server.py, Server.run):

    ... odoo.tests.result: 1 failed, 0 error(s) of 45 tests when loading database 'db'

(`OdooTestResult.__str__` in odoo/tests/result.py). Failures + errors count as
failed tests, the rest as passed. Each of these also counts as one failure: no
summary line (install failed, crash), zero tests run, a non-zero exit code not
explained by failed tests (124/137: stopped by the timeout of
tools/run_tests.sh).

WARNING/ERROR/CRITICAL records are judged by checklog-odoo with
tools/checklog-odoo.cfg (it ignores the lines counted here), not by this script.

Prints `FAIL ...` lines (with details indented) and a last line
`COUNTS <passed> <failed>`.
"""

import re
import sys

HEADER = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ (?P<logger>[\w.]+): "
    r"(?P<msg>.*)$"
)
SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading")
STARTING = re.compile(r"^Starting (\S+) \.\.\.")
TEST_LOGGER = re.compile(r"^odoo\.addons\.\w+\.tests\b")
FAILED_TEST = re.compile(r"^(FAIL|ERROR): ")
MAX_SHOWN = 30


def parse(log_path):
    """Returns (summary tuple or None, failing tests' report lines, last test)."""
    result = None
    failing = []
    last_test = None
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            match = HEADER.match(raw.rstrip())
            if not match:
                continue
            level, logger, msg = match.group("level", "logger", "msg")
            if TEST_LOGGER.match(logger):
                started = STARTING.match(msg)
                if started:
                    last_test = f"{logger.rsplit('.', 1)[-1]}: {started.group(1)}"
                elif level == "ERROR" and FAILED_TEST.match(msg):
                    failing.append(raw.rstrip())
            elif logger == "odoo.tests.result":
                found = SUMMARY.search(msg)
                if found:
                    result = tuple(int(n) for n in found.groups())
    return result, failing, last_test


def judge(result, failing, rc, addon, last_test=None):
    problems = []
    passed = failed = 0
    tests_failed = False
    if result is None:
        problems.append(
            "no Odoo test summary in the log (install failed or Odoo crashed)"
        )
        failed += 1
        if last_test:
            problems.append(f"    last test started: {last_test}")
    else:
        failures, test_errors, run = result
        failed += failures + test_errors
        passed += run - failures - test_errors
        tests_failed = bool(failures or test_errors)
        if run == 0:
            problems.append(
                f"Odoo ran 0 tests of {addon}: check tests/__init__.py and test tags"
            )
            failed += 1
    if tests_failed:
        problems.append(f"{result[0] + result[1]} Odoo test(s) failed:")
        problems.extend("    " + line[:400] for line in failing[:MAX_SHOWN])
    if rc != 0 and not tests_failed:  # failed tests alone make the exit code 1
        problems.append(
            {
                124: "Odoo was stopped by the timeout (exit 124): a test hangs, or "
                "the suite needs a longer ODOO_TEST_TIMEOUT",
                137: "Odoo was killed (exit 137): it ignored the timeout's TERM "
                "(a test hangs, e.g. waiting on a lock) or was killed from outside",
            }.get(rc, f"Odoo exited with code {rc}")
        )
        failed += 1
    return passed, failed, problems


def main(argv):
    log_path, rc = argv[1], int(argv[2])
    addon = argv[3] if len(argv) > 3 else "sales_performance"
    result, failing, last_test = parse(log_path)
    passed, failed, problems = judge(result, failing, rc, addon, last_test)
    for problem in problems:
        print(problem if problem.startswith("    ") else "FAIL " + problem)
    print(f"COUNTS {passed} {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
