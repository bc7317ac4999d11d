# Biblioteksportalen – one task runner. `make run` to try the portal, `make test` for the suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell scripts/find-python)
HOST ?= 127.0.0.1:8000

.PHONY: run install migrate demo test test-fast lint messages check-deploy bench bench-calendar bench-reports worker clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || (echo "No Python >= 3.12 found (see scripts/find-python)." && exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(PY) manage.py migrate --no-input

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo

## Set up everything (venv, packages, SQLite database, demo data) and serve on http://127.0.0.1:8000
run: demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

## The whole test suite in one run: unit, integration and browser tests (needs Debian's chromium)
test: install
	$(PY) -m pytest

## Everything but the browser tests
test-fast: install
	$(PY) -m pytest -m "not browser"

## ruff, and the layer contracts of docs/ARCHITECTURE.md (import-linter)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## Extract and compile the Swedish translations (needs gettext)
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l sv --no-location --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(PY) manage.py compilemessages -l sv --ignore=.venv

## manage.py check --deploy with production settings
check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	  ALLOWED_HOSTS=biblioteksportalen.example $(PY) manage.py check --deploy --fail-level WARNING

## Calendar benchmark: 10,000 events, 100,000 registrations, 100 concurrent sign-ups (set DATABASE_URL for PostgreSQL)
bench-calendar:
	$(PY) -m pytest bench/bench_calendar.py -q -p no:cacheprovider -o testpaths=bench -o python_files=bench_*.py

## National report benchmark: PDF (WeasyPrint vs headless Chromium), XLSX, cached, at national volume (needs chromium; set DATABASE_URL for PostgreSQL)
bench-reports:
	$(PY) bench/bench_reports.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .pytest_cache

## A background worker for reports and e-mail on the database queue (production runs one or more)
worker: install
	TASKS_BACKEND=django_tasks_db.DatabaseBackend $(PY) manage.py db_worker

## Benchmarks (see bench/README.md)
bench: install
	$(PY) bench/plans_bench.py
