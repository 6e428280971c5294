# The two commands people need: `make run` serves the app with a Celery worker and beat
# on the embedded defaults, `make test` runs what CI runs. `make help` lists the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGES := webapp workflows notifications audit
# Where `make lock` resolves: public PyPI only, whatever pip is configured with here.
LOCK_INDEX_URL ?= https://pypi.org/simple
# webapp/Procfile serves on this address too.
HOST := 127.0.0.1
PORT := 8000

# Debian packages the project needs; `make sysdeps` installs the missing ones as root.
# Fonts and Pango for the PDFs (WeasyPrint), poppler for the PDF tests, Chromium for the
# browser tests (Playwright drives /usr/bin/chromium; it downloads no browser of its own),
# Node.js with npm (part of this kind of machine: nodesource's nodejs package) builds the
# front-end assets from the npm registry; `make assets` checks that it is there.
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	poppler-utils chromium

.PHONY: help venv install assets translations sysdeps run test lint typecheck pytest lock \
	bench-engine bench-inbox bench-audit bench-api bench-documents clean

help:
	@echo "make run           install, migrate, load demo data, deploy bpmn/, serve on http://$(HOST):$(PORT)"
	@echo "make test          install, then ruff, mypy and the whole pytest suite"
	@echo "make install       create $(VENV) from requirements.lock (alias: venv)"
	@echo "make sysdeps       as root, apt-get install the missing SYSTEM_PACKAGES"
	@echo "make lint          ruff check and ruff format --check"
	@echo "make typecheck     mypy on $(PACKAGES) tests"
	@echo "make lock          regenerate requirements.lock from pyproject.toml"
	@echo "make assets        npm ci and build the front-end bundles into webapp/static/"
	@echo "make translations  compile locale/*/LC_MESSAGES/*.po into django.mo"
	@echo "make bench-engine  task completions per second through the runtime"
	@echo "make bench-inbox   inbox page p50/p95 over 100k open and 1M done tasks"
	@echo "make bench-audit   audit append throughput and verify speed"
	@echo "make bench-api     credit checks per second and p95, 4 clients"
	@echo "make bench-documents  PDF render time per document kind"
	@echo "(benchmarks need PostgreSQL: DATABASE_URL; results go in BENCHMARKS.md)"
	@echo "make clean         remove $(VENV) and caches (var/ with the database is kept)"

venv install: sysdeps $(STAMP) assets translations

# Front-end packages come from the npm registry (package-lock.json pins them); esbuild
# bundles frontend/entries/*.js into webapp/static/bundles/, the build copies htmx and
# the bpmn-js styles into webapp/static/vendor/. Nothing is loaded from a CDN.
ASSETS_STAMP := node_modules/.built
assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): package.json package-lock.json frontend/build.mjs $(wildcard frontend/entries/*.js)
	@command -v npm >/dev/null || { echo "make assets: Node.js with npm is needed" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	node frontend/build.mjs
	touch $@

# Translations: every locale/<lang>/LC_MESSAGES/*.po merged into django.mo with polib,
# so a fresh machine needs no gettext tools.
translations: $(STAMP)
	$(PY) manage.py compiletranslations

# Re-installs only when the lock or pyproject.toml is newer than the stamp. `pip check`
# fails when pyproject.toml asks for a package the lock lacks: then run `make lock`.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	touch $@

sysdeps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
		dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "Missing Debian packages:$$missing. Run 'sudo make sysdeps'." >&2; exit 1; \
	fi; \
	echo "Installing Debian packages:$$missing"; \
	apt-get update; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# SO_REUSEADDR as the dev server uses it: a port left in TIME_WAIT counts as free.
PORT_FREE := import socket; s = socket.socket(); \
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("$(HOST)", $(PORT)))

run: install
	@$(PY) -c '$(PORT_FREE)' 2>/dev/null || { \
		echo "make run: $(HOST):$(PORT) is already in use (is another 'make run' running?)" >&2; \
		exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py demo
	$(PY) manage.py bpmn deploy bpmn/
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/ with a Celery worker and Celery beat."
	@echo "Health: http://$(HOST):$(PORT)/healthz. Ctrl-C stops every process."
	@echo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m webapp.run_procfile start \
		-f webapp/Procfile -d .

test: lint typecheck pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy $(PACKAGES) tests

# DATABASE_URL and CELERY_BROKER_URL pass through; unset means SQLite and the
# filesystem broker under var/. Pytest's exit code 5 (no tests) fails the target.
pytest: install
	@db=$${DATABASE_URL:-sqlite}; broker=$${CELERY_BROKER_URL:-filesystem}; \
	echo "pytest on database: $${db%%:*}, broker: $${broker%%:*}"
	$(PY) -m pytest

LOCK_INPUTS := import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))

# Resolves the dependencies and the `dev` extra of pyproject.toml in a throw-away venv
# against public PyPI, ignoring this machine's pip configuration (local indexes,
# constraints), and freezes the result.
lock:
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	$(PYTHON) -c '$(LOCK_INPUTS)' > "$$tmp/requirements.in"; \
	env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
		"$$tmp/venv/bin/pip" install --quiet --disable-pip-version-check \
		--index-url $(LOCK_INDEX_URL) -r "$$tmp/requirements.in"; \
	{ \
		echo "# Every package 'make install' puts into $(VENV): the dependencies of"; \
		echo "# pyproject.toml and its 'dev' extra, with all transitive ones, pinned exactly."; \
		echo "# Resolved from public PyPI for CPython 3.11 on Linux. Do not edit by hand:"; \
		echo "# change pyproject.toml, then regenerate this file with 'make lock'."; \
		"$$tmp/venv/bin/pip" freeze; \
	} > requirements.lock
	@echo "requirements.lock: $$(grep -vc '^#' requirements.lock) packages pinned"

bench-engine: install
	$(PY) manage.py bench_engine

bench-inbox: install
	$(PY) manage.py bench_inbox

bench-audit: install
	$(PY) manage.py bench_audit

bench-api: install
	$(PY) manage.py bench_api

bench-documents: install
	$(PY) manage.py bench_documents

clean:
	rm -rf $(VENV) node_modules webapp/static/bundles webapp/static/vendor .mypy_cache .ruff_cache .pytest_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
