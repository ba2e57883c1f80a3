# Net-com migration guide — every target documents itself: `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13 comes from .python-version (pyenv); override with `make PYTHON=/path/to/python3.13`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1
# PROVIDER_STRICT=1: fail the build while checklist_app/provider.toml holds an example value (default: one warning).
PROVIDER_STRICT ?=
export PROVIDER_STRICT
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup system-deps build serve test lint test-py test-pyodide test-fast bench stdlib-audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "Python >= 3.12 needed (see .python-version)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed ## Create .venv and node_modules from the pinned locks

system-deps: ## Install the Debian packages the tests need (apt-packages.txt) when missing
	bash scripts/install_system_deps.sh

build: setup ## Build the static site into site/ (PROVIDER_STRICT=1: fail on example provider values)
	$(BIN)/python scripts/provider_check.py
	$(BIN)/mkdocs build --strict
	$(BIN)/python scripts/build_pyodide.py
	$(BIN)/python scripts/precompress.py --quiet

serve: build ## Build, then serve site/ on http://127.0.0.1:8000/ (with the documented CSP header)
	$(BIN)/python scripts/serve.py --gzip --host $(HOST) --port $(PORT) site

lint: setup ## ruff + mypy (strict on checklist_app)
	$(BIN)/ruff check checklist_app scripts tests
	$(BIN)/ruff format --check checklist_app scripts tests
	$(BIN)/mypy

test-py: build system-deps ## pytest in CPython: unit, slow properties, site, browser and DNS tests
	NC_SITE_DIR=site $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup --durations=30

test-pyodide: build ## The same unit tests inside Pyodide under Node
	node scripts/pyodide_pytest.mjs

stdlib-audit: build ## Import audit in Pyodide (tests + every tool): rewrites scripts/stdlib-modules.txt, rebuilds
	node scripts/pyodide_pytest.mjs --audit scripts/stdlib-modules.txt -q
	$(BIN)/python scripts/build_pyodide.py
	$(BIN)/python scripts/precompress.py --quiet

test: lint test-py test-pyodide ## Everything: lint, CPython tests (all markers), Pyodide tests

bench: build system-deps ## Benchmark in headless Chromium; writes bench/report.json and bench/report.md
	$(BIN)/python scripts/bench.py

clean: ## Remove build outputs (keeps .venv and node_modules)
	rm -rf site build dist .pytest_cache .mypy_cache .ruff_cache
