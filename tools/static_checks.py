#!/usr/bin/env python3
"""House checks of the sales_performance addon that no linter does for Odoo 19.

Pure Python (standard library only, no `odoo` import), so it runs anywhere; it
is the `static-checks` hook of .pre-commit-config.yaml:

    python3 tools/static_checks.py [--root DIR]

Checks (each counts as one):
  odoo19-pitfalls        grep guard: `_sql_constraints`, `.read_group(`,
                         `group_operator=`, `self._cr/_uid/_context`, `groups_id`,
                         `<tree`, `attrs=`/`states=`, `numbercall`
  manifest-assets-exist  every `sales_performance/...` asset glob matches a file
  data-files-listed      XML/CSV files nested below views/, data/, ... are listed
  tests-imported         every tests/test_*.py is imported in tests/__init__.py
  python-files-imported  every module of models/, wizards/, ... is imported
Left to the linters of .pre-commit-config.yaml: XML syntax, CSV format and
duplicate ids, t-esc/t-raw, data files one level deep not listed
(oca-checks-odoo-module: xml-syntax-error, csv-syntax-error,
xml-deprecated-qweb-directive-15, file-not-used ...); manifest keys, license,
version and data/demo files that do not exist (pylint-odoo: manifest-required-key,
license-allowed, manifest-version-format, resource-not-exist ...).

A failing check prints `FAIL <check>` and one `  <file>:<line>: <reason>` line
per problem. The last line is `static checks: N passed, M failed`; the exit
code is 1 when a check failed.
"""

import argparse
import ast
import glob
import os
import re
import sys

ADDON_NAME = "sales_performance"
# Never walked: the temporary addons dir (a symlink back to the repo), VCS, caches.
SKIP_DIRS = {
    ".odoo",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".venv",
    "venv",
    "node_modules",
    ".test-output",
    ".bench",
}
# Every .xml/.csv below these folders is loaded by Odoo only if the manifest
# lists it; oca-checks-odoo-module (file-not-used) looks one level deep only.
DATA_DIRS = ("views", "security", "data", "demo", "reports", "wizards")
# Python packages whose modules are dead (models never registered) unless imported.
CODE_DIRS = ("models", "wizards", "reports", "controllers")
# (regex, applies to extensions, reason). What no linter sees in Odoo 19.
PY, PY_XML = (".py",), (".py", ".xml")
PITFALLS = [
    (
        r"\b_sql_constraints\b",
        PY,
        "_sql_constraints is ignored in 19: use models.Constraint / models.UniqueIndex",
    ),
    (
        r"\.read_group\(",
        PY,
        "read_group() is deprecated in 19: use _read_group() or formatted_read_group()",
    ),
    (r"\bgroup_operator\s*=", PY, "group_operator= was renamed aggregator= in 19"),
    (r"\bself\._cr\b", PY, "self._cr is deprecated in 19: use self.env.cr"),
    (r"\bself\._uid\b", PY, "self._uid is deprecated in 19: use self.env.uid"),
    (
        r"\bself\._context\b",
        PY,
        "self._context is deprecated in 19: use self.env.context",
    ),
    (r"\bgroups_id\b", PY_XML, "groups_id was renamed group_ids in 19"),
    (r"<tree\b", PY_XML, "<tree> views fail to install in 19: use <list>"),
    (
        r"[\s(,]attrs\s*=(?!=)",
        PY_XML,
        "attrs= is gone since 17: use invisible=/readonly=/required=",
    ),
    (
        r"[\s(,]states\s*=(?!=)",
        PY_XML,
        'states= is gone since 17: use invisible="state != ..."',
    ),
    (r"\bnumbercall\b", PY_XML, "ir.cron numbercall was removed"),
]


def walk_files(root, extensions, skip_top=()):
    """Yield paths relative to root of files ending with one of extensions."""
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not (rel_dir == "." and d in skip_top)
            and not os.path.islink(os.path.join(dirpath, d))
        )
        for name in sorted(filenames):
            if name.endswith(extensions):
                yield os.path.normpath(os.path.join(rel_dir, name))


class Checks:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self._manifest = None
        self._manifest_error = None
        self._load_manifest()

    # -- helpers -----------------------------------------------------------------

    def path(self, rel):
        return os.path.join(self.root, rel)

    def _load_manifest(self):
        path = self.path("__manifest__.py")
        if not os.path.isfile(path):
            self._manifest_error = "__manifest__.py: missing"
            return
        try:
            with open(path, encoding="utf-8") as handle:
                manifest = ast.literal_eval(handle.read())
        except (ValueError, SyntaxError) as exc:
            self._manifest_error = f"__manifest__.py: not a literal dict ({exc})"
            return
        if not isinstance(manifest, dict):
            self._manifest_error = "__manifest__.py: not a dict"
            return
        self._manifest = manifest

    def manifest_or_problem(self):
        if self._manifest is None:
            return None, [self._manifest_error]
        return self._manifest, []

    def manifest_list(self, key):
        value = (self._manifest or {}).get(key, [])
        return value if isinstance(value, list | tuple) else []

    # -- checks: each returns a list of "file[:line]: reason" strings --------------

    def _asset_paths(self, entry):
        """Paths of our own module named by one `assets` entry."""
        if isinstance(entry, str):
            candidates = [entry]
        elif isinstance(entry, list | tuple) and entry:
            op = entry[0]
            # ('include', 'bundle') names a bundle; others name paths
            candidates = [] if op == "include" else list(entry[1:])
        else:
            candidates = []
        prefix = ADDON_NAME + "/"
        return [
            c[len(prefix) :]
            for c in candidates
            if isinstance(c, str) and c.startswith(prefix)
        ]

    def check_manifest_assets_exist(self):
        manifest, problems = self.manifest_or_problem()
        if manifest is None:
            return problems
        assets = manifest.get("assets", {})
        if not isinstance(assets, dict):
            return ["__manifest__.py: assets is not a dict"]
        for bundle, entries in assets.items():
            for entry in entries:
                for rel in self._asset_paths(entry):
                    if not glob.glob(self.path(rel), recursive=True):
                        problems.append(
                            f"{ADDON_NAME}/{rel}: asset of {bundle} matches no file"
                        )
        return problems

    def check_data_files_listed(self):
        manifest, problems = self.manifest_or_problem()
        if manifest is None:
            return problems
        listed = {
            os.path.normpath(rel)
            for key in ("data", "demo")
            for rel in self.manifest_list(key)
            if isinstance(rel, str)
        }
        for top in DATA_DIRS:
            if not os.path.isdir(self.path(top)):
                continue
            for rel in walk_files(self.path(top), (".xml", ".csv")):
                if os.sep not in rel:
                    continue  # one level deep: file-not-used reports it
                rel = os.path.normpath(os.path.join(top, rel))
                if rel not in listed:
                    problems.append(
                        f"{rel}: not listed in manifest data/demo (never loaded)"
                    )
        return problems

    def check_tests_imported(self):
        tests_dir = self.path("tests")
        test_files = sorted(
            name[:-3]
            for name in (os.listdir(tests_dir) if os.path.isdir(tests_dir) else [])
            if name.startswith("test_") and name.endswith(".py")
        )
        if not test_files:
            return []
        init = os.path.join(tests_dir, "__init__.py")
        if not os.path.isfile(init):
            return ["tests/__init__.py: missing, so no Odoo test runs"]
        try:
            tree = ast.parse(open(init, encoding="utf-8").read(), init)
        except SyntaxError as exc:
            return [f"tests/__init__.py:{exc.lineno}: syntax error ({exc.msg})"]
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    imported.add(node.module.split(".")[0])
                else:
                    imported.update(alias.name for alias in node.names)
        return [
            f"tests/{name}.py: not imported in tests/__init__.py (never runs)"
            for name in test_files
            if name not in imported
        ]

    def _imported_modules(self):
        """Dotted module names (relative to the addon root) imported anywhere."""
        imported = set()
        abs_prefix = f"odoo.addons.{ADDON_NAME}"
        for rel in walk_files(self.root, (".py",), skip_top=("tools",)):
            package = os.path.dirname(rel).replace(os.sep, ".").strip(".")
            try:
                with open(self.path(rel), encoding="utf-8") as handle:
                    tree = ast.parse(handle.read(), rel)
            except (SyntaxError, UnicodeDecodeError):
                continue  # ruff reports it
            for node in ast.walk(tree):
                bases = []
                if isinstance(node, ast.ImportFrom):
                    if node.level:
                        parts = package.split(".") if package else []
                        if node.level > 1:
                            parts = parts[: len(parts) - (node.level - 1)]
                        base = ".".join(parts + ([node.module] if node.module else []))
                    elif node.module and (
                        node.module == abs_prefix
                        or node.module.startswith(abs_prefix + ".")
                    ):
                        base = node.module[len(abs_prefix) :].strip(".")
                    else:
                        continue
                    bases.append(base)
                    bases.extend(
                        ".".join(filter(None, [base, alias.name]))
                        for alias in node.names
                    )
                elif isinstance(node, ast.Import):
                    bases.extend(
                        alias.name[len(abs_prefix) :].strip(".")
                        for alias in node.names
                        if alias.name.startswith(abs_prefix + ".")
                    )
                # Code inside a package runs only once that package is imported,
                # so it cannot prove that the package itself (or a parent) is.
                own = package.split(".") if package else []
                for base in bases:
                    parts = base.split(".")
                    imported.update(
                        ".".join(parts[:i])
                        for i in range(1, len(parts) + 1)
                        if parts[:i] != own[:i] or i > len(own)
                    )
        return imported

    def check_python_files_imported(self):
        imported = None
        problems = []
        for top in CODE_DIRS:
            for rel in (
                walk_files(self.path(top), (".py",))
                if os.path.isdir(self.path(top))
                else []
            ):
                rel = os.path.normpath(os.path.join(top, rel))
                folder = os.path.dirname(rel)
                if not os.path.isfile(self.path(os.path.join(folder, "__init__.py"))):
                    problems.append(f"{folder}/__init__.py: missing")
                    continue
                if imported is None:
                    imported = self._imported_modules()
                if os.path.basename(rel) == "__init__.py":
                    module = folder.replace(os.sep, ".")
                    importer = os.path.dirname(folder) or "."
                else:
                    module = rel[:-3].replace(os.sep, ".")
                    importer = folder
                if module not in imported:
                    problems.append(
                        f"{rel}: never imported, so Odoo never loads it "
                        f"(import it in {importer}/__init__.py)"
                    )
        return sorted(set(problems))

    def check_odoo19_pitfalls(self):
        problems = []
        compiled = [(re.compile(p), exts, reason) for p, exts, reason in PITFALLS]
        for rel in walk_files(self.root, (".py", ".xml"), skip_top=("tools",)):
            ext = os.path.splitext(rel)[1]
            with open(self.path(rel), encoding="utf-8", errors="replace") as handle:
                for lineno, line in enumerate(handle, start=1):
                    for regex, exts, reason in compiled:
                        if ext in exts and regex.search(line):
                            problems.append(f"{rel}:{lineno}: {reason}")
        return problems


CHECKS = [
    ("odoo19-pitfalls", Checks.check_odoo19_pitfalls),
    ("manifest-assets-exist", Checks.check_manifest_assets_exist),
    ("data-files-listed", Checks.check_data_files_listed),
    ("tests-imported", Checks.check_tests_imported),
    ("python-files-imported", Checks.check_python_files_imported),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument(
        "--root",
        default=os.environ.get("ADDON_DIR") or default_root,
        help="addon directory (default: $ADDON_DIR or the repository root)",
    )
    args = parser.parse_args(argv)

    checks = Checks(args.root)
    passed = failed = 0
    for name, func in CHECKS:
        try:
            problems = func(checks)
        except Exception as exc:  # a crash of a check is a failure, not a pass
            problems = [f"(check crashed: {exc.__class__.__name__}: {exc})"]
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for problem in problems[:50]:
                print(f"  {problem}")
            if len(problems) > 50:
                print(f"  ... and {len(problems) - 50} more")
        else:
            passed += 1
    print(f"static checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
