# Developer commands for the sales_performance Odoo 19 addon.
#   make run                   Odoo with demo data on http://127.0.0.1:8069 (admin / admin)
#   make test                  the whole suite (tools/run_tests.sh): engine, static,
#                              bench (tiny checks), odoo
#   make lint                  static checks only: pre-commit run --all-files
#                              (.pre-commit-config.yaml; no Odoo, no database)
#   make bench-check           the benchmark's correctness checks on a tiny data set
#                              (tools/run_tests.sh --only bench, own throwaway DB)
#   make bench SIZE=small      benchmark (tools/bench.py), SIZE=tiny|small|medium|large;
#                              ARGS=--reuse keeps the data of the previous run,
#                              ARGS=--check checks correctness only (no timing)
#   make bench-screens SIZE=large  server time of the main screens (SCREENS line)
#   make soak                  concurrent JSON-RPC clients on a production-like
#                              Odoo (DURATION=120 CLIENTS=20 SIZE=small,
#                              ARGS=--kill or ARGS=--replica), ends with a SOAK line
#   make upgrade-test          upgrade from the first release (19.0.1.0.0) on
#                              data made through the public API (UPGRADE line)
#   make drop-db               drop the `make run` database and its filestore
#   make clean                 remove the temporary addons dir and caches (keeps the DB)
# Variables: ODOO_PYTHON (python that imports odoo, default python3), DB.

ODOO_PYTHON ?= python3
DB ?= sales_performance_demo
SIZE ?= small
ARGS ?=

export ODOO_PYTHON

.PHONY: help run test lint bench-check bench bench-screens soak upgrade-test drop-db clean

help:
	@sed -n 's/^#   //p' Makefile

run:
	DB='$(DB)' bash tools/run_odoo.sh

test:
	bash tools/run_tests.sh

lint:
	bash tools/run_tests.sh --only static

bench-check:
	bash tools/run_tests.sh --only bench

bench:
	@if [ -f tools/bench.py ]; then \
		$(ODOO_PYTHON) tools/bench.py --size '$(SIZE)' $(ARGS); \
	else \
		echo "The benchmark is not available yet (tools/bench.py does not exist)."; \
		exit 1; \
	fi

bench-screens:
	$(ODOO_PYTHON) tools/bench_screens.py --size '$(SIZE)' $(ARGS)

soak:
	$(ODOO_PYTHON) tools/soak.py --size '$(SIZE)' $(if $(DURATION),--duration '$(DURATION)') $(if $(CLIENTS),--clients '$(CLIENTS)') $(ARGS)

upgrade-test:
	$(ODOO_PYTHON) tools/upgrade_test.py $(ARGS)

drop-db:
	dropdb --if-exists '$(DB)'
	rm -rf '.odoo/data/filestore/$(DB)'

clean:
	rm -rf .odoo/addons .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
