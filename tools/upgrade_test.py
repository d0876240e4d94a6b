"""Upgrade test of the sales_performance addon (``make upgrade-test``).

1. Checks out the first release (the last commit whose manifest says
   ``--from``, default 19.0.1.0.0) into a temporary ``git worktree`` outside
   the repository;
2. installs it (no demo data) into a throwaway database and creates data
   through that version's public API, in ``odoo shell``: targets (active,
   recomputed, draft), incentive statements (approved, approved and paid),
   evaluations (done and draft, with free-text cycle labels), training
   records (passed, registered) - tools/upgrade_data.py;
3. records every record of every stored model of the addon, all stored
   fields (approved amounts to the cent) and each record's chatter count;
4. upgrades the same database to this checkout (``-u sales_performance``);
5. checks that every record is still there with every figure equal (a field
   the current code dropped must be one the migrations replaced, see
   RENAMED), that no chatter message was lost, and that the migration
   scripts filled what they must (cycles from labels, resume lines of passed
   training, team history, current constraints hold).

Ends with one line ``UPGRADE from=<v> to=<v> records=<n> lost=<l>
seconds=<s>`` and exits 1 when anything was lost or a check failed. The
versions are read from the manifests, never hard-coded.

Usage: python3 tools/upgrade_test.py [--from 19.0.1.0.0] [--db sp_upgrade]
       [--git DIR] [--keep] [--release-db DB]
  --git   repository holding the history (default: this checkout); the code
          upgraded to is always the addon this script belongs to
  --keep  keep the database and the temporary folder (worktree) afterwards
Environment: PGHOST PGPORT PGUSER PGPASSWORD as for tools/bench.py.
"""

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(TOOLS_DIR)
ADDON = "sales_performance"

# Fields of the first release that the current code no longer has, with the
# migration check that proves their data moved (tools/upgrade_data.py).
RENAMED = {
    # 19.0.1.4.0: the free-text label became cycle_id (column kept as
    # cycle_legacy); checked by "evaluation <id> cycle"
    ("sales.performance.evaluation", "cycle"): "cycle_id",
}
# Stored figures that the upgrade may legitimately rewrite: none. A figure
# recomputed by the upgrade must come out equal.
FLOAT_TOLERANCE = 1e-6


def manifest_version(text):
    return ast.literal_eval(text)["version"]


def git(git_dir, *args):
    return subprocess.run(
        ["git", "-C", git_dir, *args], check=True, capture_output=True, text=True
    ).stdout


def release_commit(git_dir, version):
    """The last commit of release ``version``: the parent of the commit that
    bumped the manifest past it (HEAD while it is still the version)."""
    newer = None
    for commit in git(git_dir, "log", "--format=%H", "--", "__manifest__.py").split():
        try:
            text = git(git_dir, "show", f"{commit}:__manifest__.py")
        except subprocess.CalledProcessError:
            continue
        if manifest_version(text) == version:
            if newer is None:
                return git(git_dir, "rev-parse", "HEAD").strip()
            return git(git_dir, "rev-parse", f"{newer}^").strip()
        newer = commit
    raise SystemExit(f"no commit of the manifest has version {version}")


def db_args():
    args = []
    for var, opt in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(var):
            args.append(f"{opt}={os.environ[var]}")
    return args


def core_addons_paths():
    import odoo  # noqa: PLC0415 - only the driver's python needs odoo

    import odoo.addons  # noqa: PLC0415

    candidates = list(odoo.addons.__path__)
    candidates += [os.path.join(os.path.dirname(p), "addons") for p in odoo.__path__]
    paths = []
    for path in candidates:
        real = os.path.realpath(path)
        if real in paths or not os.path.isdir(real):
            continue
        if any(
            os.path.isfile(os.path.join(real, name, "__manifest__.py"))
            for name in os.listdir(real)
        ):
            paths.append(real)
    return paths


def addons_path(folder, addon_dir):
    """Odoo's addons plus ``folder`` holding only a link to ``addon_dir``."""
    os.makedirs(folder, exist_ok=True)
    os.symlink(addon_dir, os.path.join(folder, ADDON))
    return ",".join([*core_addons_paths(), folder])


def odoo_cmd(db, path, data_dir, *args):
    return [
        sys.executable, "-m", "odoo", *args, "-d", db, f"--addons-path={path}",
        f"--data-dir={data_dir}", "--no-http", "--log-level=warn", *db_args(),
    ]  # fmt: skip


def run_odoo(db, path, data_dir, *args):
    subprocess.run(
        [*odoo_cmd(db, path, data_dir, *args), "--stop-after-init"], check=True
    )


def run_shell(db, path, data_dir, step, out):
    """tools/upgrade_data.py ``step`` in ``odoo shell`` of that addons path."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {TOOLS_DIR!r})\n"
        "import upgrade_data\n"
        f"upgrade_data.main(env, {step!r}, {out!r})\n"
    )
    cmd = odoo_cmd(db, path, data_dir, "shell")
    subprocess.run(cmd, input=script, text=True, check=True)
    with open(out) as f:
        return json.load(f)


def _equal(a, b):
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= FLOAT_TOLERANCE
        except (TypeError, ValueError):
            return False
    return a == b


def compare(before, after):
    """Problems (sentences) between two snapshots, and the records compared."""
    problems = []
    records = 0
    for model, rows in before["models"].items():
        new_rows = after["models"].get(model)
        if new_rows is None:
            problems.append(f"{model}: the model is gone ({len(rows)} records)")
            continue
        for id_, row in rows.items():
            records += 1
            new = new_rows.get(id_)
            if new is None:
                problems.append(f"{model}({id_}): record lost")
                continue
            for field, value in row.items():
                if field not in new:
                    if (model, field) not in RENAMED:
                        problems.append(f"{model}({id_}).{field}: field dropped")
                    continue
                if not _equal(value, new[field]):
                    problems.append(
                        f"{model}({id_}).{field}: {value!r} became {new[field]!r}"
                    )
    for key, count in before["messages"].items():
        now = after["messages"].get(key, 0)
        if now < count:
            problems.append(f"{key}: {count - now} chatter message(s) lost")
    return records, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="from_version", default="19.0.1.0.0")
    parser.add_argument("--db", default="sp_upgrade")
    parser.add_argument("--git", default=REPO_DIR, help="repository with the history")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--release-db",
        help="copy this database, where the release is already installed (and no "
        "data of this test was created), instead of installing it (quicker reruns)",
    )
    args = parser.parse_args(argv)

    with open(os.path.join(REPO_DIR, "__manifest__.py")) as f:
        to_version = manifest_version(f.read())
    commit = release_commit(args.git, args.from_version)
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="sp_upgrade_")
    worktree = os.path.join(tmp, "release")
    data_dir = os.path.join(tmp, "data")
    out = os.path.join(tmp, "snapshot.json")
    print(
        f"upgrade test: {args.from_version} ({commit[:10]}) -> {to_version} "
        f"({REPO_DIR}), database {args.db}, work folder {tmp}",
        flush=True,
    )
    git(args.git, "worktree", "add", "--detach", worktree, commit)
    ok = False
    try:
        old_path = addons_path(os.path.join(tmp, "addons_release"), worktree)
        new_path = addons_path(os.path.join(tmp, "addons_current"), REPO_DIR)
        subprocess.run(["dropdb", "--if-exists", "--force", args.db], check=True)
        step = time.monotonic()
        if args.release_db:
            subprocess.run(["createdb", "-T", args.release_db, args.db], check=True)
        else:
            run_odoo(args.db, old_path, data_dir, "-i", ADDON)
        print(f"installed {args.from_version} in {time.monotonic() - step:.0f} s")
        before = run_shell(args.db, old_path, data_dir, "create", out)
        os.replace(out, out + ".before")
        step = time.monotonic()
        run_odoo(args.db, new_path, data_dir, "-u", ADDON)
        upgrade_seconds = time.monotonic() - step
        print(f"upgraded to {to_version} in {upgrade_seconds:.0f} s")
        after = run_shell(args.db, new_path, data_dir, "verify", out)
        records, problems = compare(before, after)
        for what, passed, detail in after["checks"]:
            mark = "ok  " if passed else "FAIL"
            print(f"  {mark} {what}{': ' + detail if detail else ''}")
            if not passed:
                problems.append(f"check failed: {what}: {detail}")
        for problem in problems:
            print("  LOST " + problem)
        statement = "sales.performance.incentive.statement"
        for id_, row in before["models"].get(statement, {}).items():
            if row.get("state") in ("approved", "paid"):
                now = after["models"].get(statement, {}).get(id_, {})
                print(
                    f"  statement {id_} ({row['state']}): {row['amount_total']:.2f} "
                    f"before, {now.get('amount_total', float('nan')):.2f} after "
                    f"({now.get('state')})"
                )
        per_model = ", ".join(
            f"{model} {len(rows)}" for model, rows in before["models"].items() if rows
        )
        print(f"records per model: {per_model}")
        print(
            f"UPGRADE from={args.from_version} to={to_version} records={records} "
            f"lost={len(problems)} seconds={time.monotonic() - started:.0f}",
            flush=True,
        )
        ok = not problems
    finally:
        if not args.keep:
            git(args.git, "worktree", "remove", "--force", worktree)
            git(args.git, "worktree", "prune")
            subprocess.run(["dropdb", "--if-exists", "--force", args.db], check=False)
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
