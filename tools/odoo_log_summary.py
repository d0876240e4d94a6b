#!/usr/bin/env python3
"""Judge an Odoo 19 test run from its log (used by tools/run_tests.sh).

    python3 tools/odoo_log_summary.py LOG ODOO_EXIT_CODE [ADDON]

Odoo 19 ends a `--test-enable --stop-after-init` run with one line from the
logger `odoo.tests.result` (odoo/service/server.py, Server.run):

    ... odoo.tests.result: 1 failed, 0 error(s) of 45 tests when loading database 'db'

(`OdooTestResult.__str__` in odoo/tests/result.py), at ERROR level when a test
failed, WARNING when none ran, INFO otherwise. Failures + errors count as
failed tests, the rest as passed. Each of these also counts as one failure:
no summary line (install failed, crash), zero tests run, ERROR/CRITICAL log
lines other than the failing tests' own reports, WARNING lines from the addon's
loggers or about the addon, a non-zero exit code not explained by failed tests
(124/137: stopped by the timeout of tools/run_tests.sh).

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
MAX_SHOWN = 30


def exception_tail(traceback, limit=12):
    """The exception message that follows the last frame of a traceback."""
    frames = [
        i for i, line in enumerate(traceback) if line.lstrip().startswith("File ")
    ]
    rest = traceback[frames[-1] + 1 :] if frames else traceback
    start = next((i for i, line in enumerate(rest) if not line.startswith(" ")), None)
    return [] if start is None else rest[start : start + limit]


def parse(log_path, addon):
    """Returns (summary tuple or None, error records, warning lines, last test)."""
    our_logger = f"odoo.addons.{addon}"
    mentions = (addon, addon.replace("_", "."))
    result = None
    errors, warnings = [], []
    last = None  # continuation lines (traceback) of the last ERROR record
    last_test = None
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.rstrip()
            match = HEADER.match(line)
            if not match:
                if last is not None and line.strip():
                    last.append(line)
                continue
            last = None
            level, logger, msg = match.group("level", "logger", "msg")
            started = STARTING.match(msg)
            if started and TEST_LOGGER.match(logger):
                last_test = f"{logger.rsplit('.', 1)[-1]}: {started.group(1)}"
            if logger == "odoo.tests.result":
                found = SUMMARY.search(msg)
                if found:
                    result = tuple(int(n) for n in found.groups())
                continue
            if level in ("ERROR", "CRITICAL"):
                last = []
                errors.append((logger, line, last))
            elif level == "WARNING" and (
                logger == our_logger
                or logger.startswith(our_logger + ".")
                or any(m in msg for m in mentions)
            ):
                warnings.append(line)
    return result, errors, warnings, last_test


def judge(result, errors, warnings, rc, addon, last_test=None):
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
        # Lines reporting the failing tests themselves are counted above.
        failing = [line for logger, line, _tb in errors if TEST_LOGGER.match(logger)]
        errors = [err for err in errors if not TEST_LOGGER.match(err[0])]
        problems.append(f"{result[0] + result[1]} Odoo test(s) failed:")
        problems.extend("    " + line[:400] for line in failing[:MAX_SHOWN])
    if errors:
        problems.append(f"{len(errors)} ERROR line(s) in the Odoo log:")
        for _logger, line, traceback in errors[:MAX_SHOWN]:
            problems.append("    " + line[:400])
            problems.extend("      | " + tb[:300] for tb in exception_tail(traceback))
        failed += 1
    if warnings:
        problems.append(f"{len(warnings)} WARNING line(s) about {addon}:")
        problems.extend("    " + line[:400] for line in warnings[:MAX_SHOWN])
        failed += 1
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
    result, errors, warnings, last_test = parse(log_path, addon)
    passed, failed, problems = judge(result, errors, warnings, rc, addon, last_test)
    for problem in problems:
        print(problem if problem.startswith("    ") else "FAIL " + problem)
    print(f"COUNTS {passed} {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
