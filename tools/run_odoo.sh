#!/usr/bin/env bash
# `make run`: start Odoo 19 with sales_performance on http://127.0.0.1:8069.
#
# The first run creates the database $DB (default sales_performance_demo) by
# installing sales_performance with demo data (login admin / password admin);
# later runs reuse it (and install the module again only if it is not installed).
#
# Environment: DB, HTTP_PORT (default 8069), DATA_DIR (default .odoo/data),
# ODOO_PYTHON, ADDON_DIR,
# PGHOST/PGPORT/PGUSER/PGPASSWORD (see tools/odoo_env.sh). Extra arguments are
# passed to Odoo, e.g. `tools/run_odoo.sh --dev=xml` or `-u sales_performance`.
set -u

# shellcheck source=tools/odoo_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/odoo_env.sh"
DB=${DB:-sales_performance_demo}
HTTP_PORT=${HTTP_PORT:-8069}

if ! odoo_importable; then
    echo "$ODOO_PYTHON cannot import odoo: install Odoo 19 (see README) or set ODOO_PYTHON" >&2
    exit 1
fi
make_addons_dir || exit 1
core_path=$(odoo_core_addons_path) || exit 1
odoo_db_args
# The filestore lives next to the temporary addons dir (git-ignored).
DATA_DIR=${DATA_DIR:-$REPO_DIR/.odoo/data}
common=(-d "$DB" --db-filter="^${DB}\$" "${DB_ARGS[@]}"
    --addons-path="$core_path,$ODOO_ADDONS_DIR" --data-dir="$DATA_DIR")

# psql honours PGHOST/PGPORT/PGUSER/PGPASSWORD by itself.
db_exists=$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>/dev/null)
state=""
if [ "$db_exists" = 1 ]; then
    state=$(psql -d "$DB" -tAc \
        "SELECT state FROM ir_module_module WHERE name = '$ADDON_NAME'" 2>/dev/null)
fi

if [ "$state" != installed ]; then
    if [ "$db_exists" = 1 ]; then
        echo "Database $DB exists but $ADDON_NAME is not installed (state: ${state:-none}): installing it."
    else
        echo "Creating database $DB: installing $ADDON_NAME with demo data (takes a few minutes)..."
    fi
    if ! "$ODOO_PYTHON" -m odoo "${common[@]}" -i "$ADDON_NAME" --with-demo \
        --stop-after-init --no-http --max-cron-threads=0; then
        echo "Installing $ADDON_NAME failed (see the log above)." >&2
        if [ "$db_exists" != 1 ]; then
            echo "Dropping the half-built database $DB." >&2
            dropdb --if-exists "$DB"
            rm -rf "$DATA_DIR/filestore/$DB"
        fi
        exit 1
    fi
else
    echo "Reusing database $DB ($ADDON_NAME installed). To start afresh: make drop-db"
fi

echo
echo "  Odoo is starting on http://127.0.0.1:$HTTP_PORT/odoo"
echo "  Log in as admin / admin (database $DB). Stop with Ctrl-C."
echo
exec "$ODOO_PYTHON" -m odoo "${common[@]}" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" "$@"
