#!/usr/bin/env bash
# Runs a linter on a plain copy of this addon named `sales_performance`, the way
# a reviewer runs it: pylint-odoo and oca-checks-odoo-module take the module's
# name from its folder, and a clone's folder is rarely named sales_performance.
# Used by the pylint-odoo and oca-checks-odoo-module hooks of
# .pre-commit-config.yaml (pre-commit runs hooks from the repository root).
#
# Usage: tools/lint_module_copy.sh COMMAND [ARGS...]
#   copies the working tree (without .git, .odoo and caches) to
#   <tmp>/sales_performance, runs `COMMAND ARGS... sales_performance` from <tmp>
#   and exits with COMMAND's exit code. Paths in its output are relative to
#   <tmp> (sales_performance/models/...); <tmp> is removed afterwards.
#   Files of the copy are reachable as sales_performance/<path>, e.g.
#   --rcfile=sales_performance/.pylintrc-mandatory.
#
# Environment: ADDON_DIR  folder to copy (default: the current directory).
set -u
ADDON_NAME=sales_performance
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
SRC=$(cd "${ADDON_DIR:-.}" && pwd) || exit 2
[ -f "$SRC/__manifest__.py" ] || { echo "$SRC: no __manifest__.py" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sp_lint.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/$ADDON_NAME" || exit 2
(cd "$SRC" && tar --exclude=./.git --exclude=./.odoo --exclude=__pycache__ \
    --exclude=./.ruff_cache --exclude=./.pytest_cache --exclude=./.hypothesis \
    -cf - .) | tar -xf - -C "$TMP/$ADDON_NAME" || exit 2
# oca-checks-odoo-module prints paths relative to the first parent holding a
# .git (else relative to $HOME): an empty repository makes them sales_performance/...
git init -q "$TMP" 2>/dev/null || mkdir "$TMP/.git"

cd "$TMP" || exit 2
"$@" "$ADDON_NAME" 2>&1 | sed -e "s#$TMP/##g"
exit "${PIPESTATUS[0]}"
