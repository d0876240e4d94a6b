# shellcheck shell=bash
# Helpers shared by tools/run_tests.sh and tools/run_odoo.sh (sourced, not run).
#
# Environment (all optional):
#   ODOO_PYTHON   python that can `import odoo` (default: python3)
#   ADDON_DIR     the addon to test/run (default: this repository's root)
#   ODOO_ADDONS_DIR  temporary addons dir holding the symlink (default: a folder
#                 under ${TMPDIR:-/tmp} named after this checkout; outside the
#                 repository so that Odoo never sees the module through a loop)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  passed to Odoo as --db_host/--db_port/
#                 --db_user/--db_password only when set (default: local socket,
#                 current OS user, which is how trust auth works here)

ADDON_NAME=sales_performance
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON_DIR=$(cd "${ADDON_DIR:-$REPO_DIR}" && pwd)
ODOO_PYTHON=${ODOO_PYTHON:-python3}
ODOO_ADDONS_DIR=${ODOO_ADDONS_DIR:-${TMPDIR:-/tmp}/sales_performance-addons-$(printf %s "$REPO_DIR" | cksum | cut -d" " -f1)}

# True when $ODOO_PYTHON can import odoo.
odoo_importable() {
    "$ODOO_PYTHON" -c "import odoo" >/dev/null 2>&1
}

# Builds $ODOO_ADDONS_DIR containing only the symlink sales_performance -> $ADDON_DIR.
make_addons_dir() {
    mkdir -p "$ODOO_ADDONS_DIR" || return 1
    local link="$ODOO_ADDONS_DIR/$ADDON_NAME"
    if [ -L "$link" ] || [ -e "$link" ]; then
        rm -f "$link" || return 1
    fi
    ln -s "$ADDON_DIR" "$link"
}

# Prints Odoo's own addons folders (comma-separated), read from the installed
# Odoo: odoo.addons.__path__ plus the community addons folder next to the odoo
# package, skipping our own folders.
odoo_core_addons_path() {
    "$ODOO_PYTHON" - "$ODOO_ADDONS_DIR" "$ADDON_DIR" "$REPO_DIR" <<'PY'
import os
import sys

import odoo
import odoo.addons

skip = {os.path.realpath(p) for p in sys.argv[1:]}
skip |= {os.path.dirname(p) for p in list(skip)}  # the folder holding our addon
candidates = list(odoo.addons.__path__)
for package_dir in odoo.__path__:  # source checkout: <root>/odoo and <root>/addons
    candidates.append(os.path.join(os.path.dirname(package_dir), "addons"))
paths = []
for path in candidates:
    real = os.path.realpath(path)
    if real in skip or real in paths or not os.path.isdir(real):
        continue
    has_module = any(
        os.path.isfile(os.path.join(real, name, "__manifest__.py"))
        for name in os.listdir(real)
    )
    if has_module:
        paths.append(real)
if not paths:
    sys.exit("no Odoo addons folder found next to the odoo package")
print(",".join(paths))
PY
}

# Database connection options for Odoo, only for the PG* variables that are set.
odoo_db_args() {
    DB_ARGS=()
    [ -n "${PGHOST:-}" ] && DB_ARGS+=("--db_host=$PGHOST")
    [ -n "${PGPORT:-}" ] && DB_ARGS+=("--db_port=$PGPORT")
    [ -n "${PGUSER:-}" ] && DB_ARGS+=("--db_user=$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=("--db_password=$PGPASSWORD")
    return 0
}

# A free TCP port on 127.0.0.1 (asked from the kernel).
free_port() {
    "$ODOO_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}
