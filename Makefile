# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMBED := $(PY) -m dynamicflow_site.embedded --
export DYNAMICFLOW_DEV ?= 1

.PHONY: run test lint bench bench-runs bench-lists bench-run-page eval-planner install frontend chromium clean-var

# The web app: npm ci when the lockfile changes, a Vite build when any source changes.
NPM_STAMP := frontend/node_modules/.installed
WEB_BUILD := frontend/dist/.vite/manifest.json
WEB_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html \
	frontend/vite.config.ts frontend/tsconfig.json frontend/package.json
CHROMIUM ?= /usr/bin/chromium

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embedded,dev]'
	touch $(STAMP)

install: $(STAMP)

$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_BUILD): $(NPM_STAMP) $(WEB_SOURCES)
	cd frontend && npm run build

## make frontend: build the web app into frontend/dist (Django serves it)
frontend: $(WEB_BUILD)

## make chromium: Debian's Chromium for the browser tests (Playwright never downloads one)
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## make run: start the whole stack (embedded Postgres/Redis when DATABASE_URL/REDIS_URL unset)
run: $(STAMP) $(WEB_BUILD)
	$(PY) -m dynamicflow_site.launcher

# The slowest tests are listed after each run, to keep the suite a tool and not a wait.
PYTEST_ARGS ?= --durations=15

## make test: lint, the import contract, types of the core, the web app's type check and unit
## tests, then the whole suite (browser tests included, in Debian's Chromium)
test: $(STAMP) $(WEB_BUILD) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy flows/core
	cd frontend && npx vitest run
	$(EMBED) $(PY) -m pytest $(PYTEST_ARGS)
	$(EMBED) $(PY) -m pytest tests/browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy flows/core

## make bench: engine overhead per node vs bare asyncio and LangGraph, then cost per node
## from 10 to 10,000 nodes and a map of up to 100,000 items (benchmarks/scale.py), CEL
## libraries, and an MCP tool call over stdio (live session) and Streamable HTTP
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/engine_overhead.py
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/planning.py
	$(PY) benchmarks/cel_candidates.py
	$(PY) benchmarks/mcp_calls.py

bench-runs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(EMBED) $(PY) benchmarks/runs.py

bench-lists: $(STAMP)
	$(EMBED) $(PY) benchmarks/lists.py

## make bench-run-page: the run page in Chromium against a running site (make run first)
bench-run-page: $(STAMP)
	$(PY) benchmarks/run_page.py

eval-planner: $(STAMP)
	$(EMBED) sh -c '$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py eval_planner'


clean-var:
	rm -rf var
